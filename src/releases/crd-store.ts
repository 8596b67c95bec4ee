import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Read-only access to the vendored CRDs and operator manifests of each Calico release, as
 * converted to JSON at build time by `scripts/build-crds.mjs` (into `lib/calico/<tag>/`).
 * Files are read lazily and cached, so a synth only pays for the kinds it uses. The returned data
 * is shared by every caller (the CRD constructs emit it as it is): never modify it.
 */

/** One entry of a release's CRD index. */
export interface CrdIndexEntry {
  /** CRD name, e.g. `bgppeers.crd.projectcalico.org`. */
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Cluster' | 'Namespaced';
  readonly versions: string[];
  /** Vendored folder: `crd.projectcalico.org`, `projectcalico.org`, `operator.tigera.io` or `other`. */
  readonly folder: string;
}

/** A CustomResourceDefinition object (apiextensions.k8s.io/v1) as plain JSON. */
export interface CrdObject {
  readonly apiVersion: string;
  readonly kind: 'CustomResourceDefinition';
  readonly metadata: { readonly name: string; readonly [key: string]: unknown };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string; readonly [key: string]: unknown };
    readonly scope: string;
    readonly versions: ReadonlyArray<{ readonly name: string; readonly schema?: { readonly openAPIV3Schema: any }; readonly [key: string]: unknown }>;
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/** Folder of the build-time JSON: `lib/calico` (this file compiles to `lib/src/releases/`; the bundled app sits at the same depth, `lib/examples/reference/`). */
const DATA_DIR = join(__dirname, '..', '..', 'calico');

const cache = new Map<string, unknown>();

function readJson<T>(...parts: string[]): T {
  const file = join(DATA_DIR, ...parts);
  let value = cache.get(file);
  if (value === undefined) {
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`cdk8s-calico: cannot read ${file}: ${(e as Error).message}. Run "npm run build" to generate it from vendor/calico.`);
    }
    cache.set(file, value);
  }
  return value as T;
}

/** The CRD index of a release tag. */
export function crdIndex(tag: string): readonly CrdIndexEntry[] {
  return readJson<{ crds: CrdIndexEntry[] }>(tag, 'index.json').crds;
}

/** A CRD of a release by its name (`installations.operator.tigera.io`). */
export function loadCrd(tag: string, name: string): CrdObject {
  return readJson<CrdObject>(tag, 'crds', `${name}.json`);
}

/** The CRD index entry serving `group`/`kind` in a release, if any. */
export function findCrd(tag: string, group: string, kind: string): CrdIndexEntry | undefined {
  return crdIndex(tag).find((c) => c.group === group && c.kind === kind);
}

/** The objects of a release's upstream operator manifest without its CRDs (Namespace, RBAC, Deployment...). */
export function operatorReferenceManifest(tag: string): ReadonlyArray<Record<string, any>> {
  return readJson<Array<Record<string, any>>>(tag, 'tigera-operator.reference.json');
}

/**
 * Whether the (first) version of a release's CRD has a field at `path` (e.g.
 * `['spec', 'calicoNetwork', 'ipPools', 'name']`; arrays are stepped through). Lets constructs
 * emit a field only on releases whose schema has it, without testing version strings.
 */
export function crdHasField(tag: string, crdName: string, path: readonly string[]): boolean {
  return crdFieldSchema(tag, crdName, path) !== undefined;
}

/**
 * The schema of a field of a release's CRD (first version), stepping through arrays to their items
 * at each step and at the end; undefined when the release has no such field.
 */
export function crdFieldSchema(tag: string, crdName: string, path: readonly string[]): Record<string, any> | undefined {
  let schema = loadCrd(tag, crdName).spec.versions[0]?.schema?.openAPIV3Schema;
  for (const key of path) {
    while (schema && schema.type === 'array') schema = schema.items;
    schema = schema?.properties?.[key];
    if (!schema) return undefined;
  }
  while (schema && schema.type === 'array') schema = schema.items;
  return schema;
}
