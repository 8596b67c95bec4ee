import { Findings } from '../../model/manifest';
import { CrdIndexEntry, crdIndex, loadCrd } from '../../releases/crd-store';
import { CALICO_VERSIONS, CalicoVersion } from '../../releases/releases';
import { ApiMode, DEFAULT_API_MODE, resolveRelease } from '../../releases/resolve-release';
import { celLibraryLoaded, compiledCelCount, runCelRule, toCelValue } from './cel';
import { ValidateOptions } from '../options';
import { compiledPatternCount } from './schema-pattern';
import { appendFieldPath, listNames, suggest } from './schema-text';
import { describeTyped, isPlainObject } from '../../model/values';
import { SchemaNode, SchemaSteps, SchemaWalk, schemaAt, stepsToArray } from './schema-walk';
import { ManifestObject, Severity, Violation } from '../../model/violation';

/**
 * Per-release CRD schema validation of Calico and Tigera objects.
 *
 * Which schema applies:
 * - `projectcalico.org/v3`, apiMode `apiserver` (default): the schema of the matching
 *   `crd.projectcalico.org/v1` CRD of the release, which is what the Calico API server serves
 *   (v3 `IPAMConfiguration` is stored as crd.projectcalico.org `IPAMConfig`);
 * - `projectcalico.org/v3`, apiMode `native-v3-crds`: the native projectcalico.org CRDs (v3.32+);
 * - `operator.tigera.io/v1`: the operator CRDs of the release;
 * - `crd.projectcalico.org/v1` written directly: refused (unsupported by Calico).
 *
 * Design (measured on this machine, Node 20): the schema JSON of a kind is loaded the first time
 * the kind is validated (crd-store, ~1 ms for the 143 KB Installation) and then walked directly
 * against each object (schema-walk.ts); nothing is compiled per schema, so an unused kind costs
 * nothing and 10,000 objects of one kind pay the load once. Ajv was measured and not used at run
 * time: `require('ajv')` alone takes 20-30 ms, its first compile ~6 ms and each small schema
 * ~0.7 ms, beyond the ~30 ms budget of a whole synth's validation, and its draft-07 semantics
 * differ from the API server's OpenAPI ones (boolean exclusiveMinimum, nullable, int-or-string,
 * formats). The tests check the walk against Ajv on the standard keywords instead. CEL rules are
 * compiled once each; the ones in the small part of CEL the Calico/Tigera CRDs use run on a fast
 * path (schema-cel-subset.ts), others through @marcbachmann/cel-js, loaded only then (~22 ms).
 */

/** The CRD family that serves an apiVersion. */
type Family = 'apiserver' | 'native' | 'operator';

const FAMILY_GROUP: Readonly<Record<Family, string>> = {
  apiserver: 'crd.projectcalico.org',
  native: 'projectcalico.org',
  operator: 'operator.tigera.io',
};

/** projectcalico.org/v3 kinds whose crd.projectcalico.org/v1 storage kind has another name. */
const V3_TO_CRD_KIND: Readonly<Record<string, string>> = { IPAMConfiguration: 'IPAMConfig' };
const CRD_TO_V3_KIND: Readonly<Record<string, string>> = { IPAMConfig: 'IPAMConfiguration' };
/**
 * projectcalico.org/v3 kinds without a CRD, which the Calico API server does not serve either:
 * only calicoctl reads them (libcalico-go lib/apis/v3). Calico's rules check them (rules/endpoints.ts).
 */
const CALICOCTL_ONLY_KINDS: ReadonlySet<string> = new Set(['Node', 'WorkloadEndpoint', 'Profile']);

/** CRDs read by this validator (`<tag>/<crd name>`), for introspection. */
const loaded = new Set<string>();

/** What the schema validator has loaded and compiled in this process. */
export interface SchemaValidationStats {
  /** CRD schemas read, as `<tag>/<crd name>`, sorted. */
  readonly schemasLoaded: readonly string[];
  /** Whether the CEL library has been loaded. */
  readonly celLibraryLoaded: boolean;
  /** Distinct CEL expressions compiled. */
  readonly celExpressionsCompiled: number;
  /** Distinct schema patterns compiled. */
  readonly patternsCompiled: number;
}

/** Introspection: what schema validation has loaded and compiled so far in this process. */
export function schemaValidationStats(): SchemaValidationStats {
  return {
    schemasLoaded: [...loaded].sort(),
    celLibraryLoaded: celLibraryLoaded(),
    celExpressionsCompiled: compiledCelCount(),
    patternsCompiled: compiledPatternCount(),
  };
}

/** The kinds a family offers in a release, as users write them. */
function familyKinds(tag: CalicoVersion, family: Family): string[] {
  return crdIndex(tag)
    .filter((c) => c.group === FAMILY_GROUP[family])
    .map((c) => (family === 'apiserver' ? CRD_TO_V3_KIND[c.kind] ?? c.kind : c.kind));
}

function familyEntry(tag: CalicoVersion, family: Family, kind: string): CrdIndexEntry | undefined {
  if (family === 'apiserver' && Object.prototype.hasOwnProperty.call(CRD_TO_V3_KIND, kind)) return undefined;
  const crdKind = family === 'apiserver' ? V3_TO_CRD_KIND[kind] ?? kind : kind;
  return crdIndex(tag).find((c) => c.group === FAMILY_GROUP[family] && c.kind === crdKind);
}

/** The CRD version that holds the schema for a family (the version the user names for operator kinds). */
function familyVersion(family: Family, requested: string): string {
  return family === 'apiserver' ? 'v1' : family === 'native' ? 'v3' : requested;
}

const rootSchemas = new Map<string, SchemaNode | null>();

/** The openAPIV3Schema of a kind in a release, loading its CRD JSON on first use (cached). */
function rootSchema(tag: CalicoVersion, family: Family, kind: string, requestedVersion: string): SchemaNode | undefined {
  const key = `${tag}|${family}|${kind}|${requestedVersion}`;
  let schema = rootSchemas.get(key);
  if (schema === undefined) {
    schema = null;
    const entry = familyEntry(tag, family, kind);
    if (entry !== undefined) {
      const crd = loadCrd(tag, entry.name);
      loaded.add(`${tag}/${entry.name}`);
      const version = familyVersion(family, requestedVersion);
      const v = crd.spec.versions.find((x) => x.name === version && x.served !== false);
      schema = (v?.schema?.openAPIV3Schema as SchemaNode | undefined) ?? null;
    }
    rootSchemas.set(key, schema);
  }
  return schema ?? undefined;
}

/** Releases other than `tag` in which `test` holds, oldest first. */
function otherReleases(tag: CalicoVersion, test: (t: CalicoVersion) => boolean): CalicoVersion[] {
  return CALICO_VERSIONS.filter((t) => t !== tag && test(t));
}

/** `(added in a later release: available in v3.31.7, v3.32.1)` and the like. */
function releaseNote(tag: CalicoVersion, others: readonly CalicoVersion[]): string {
  const at = CALICO_VERSIONS.indexOf(tag);
  const newer = others.every((t) => CALICO_VERSIONS.indexOf(t) > at);
  const older = others.every((t) => CALICO_VERSIONS.indexOf(t) < at);
  const lead = newer ? 'added in a later release: ' : older ? 'removed in a later release: ' : '';
  return `(${lead}available in ${listNames(others)})`;
}

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

/**
 * Checks one Calico or Tigera object against the CRD schema of its kind in the selected release:
 * types, enums, patterns, ranges, lengths, item counts, required fields, formats, list-type
 * uniqueness, CEL rules (as on CREATE: transition rules are skipped) and unknown fields (reported,
 * not pruned; with the releases that have the field, or a "did you mean").
 * Objects of other API groups are passed over.
 *
 * @returns the violations, in schema walk order (data order); never throws for bad input.
 */
export function validateSchema(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const raw: unknown = obj;
  const o: Record<string, unknown> = isPlainObject(raw) ? raw : {};
  const f = new Findings(raw);
  const out = f.violations;
  const report = (path: string, message: string, severity: Severity = 'error'): void => f.add(severity, path, message);
  try {
    check(raw, o, options, report, out);
  } catch (e) {
    // Only a missing build output (crd-store) or a defect gets here; report it, never throw.
    report('', `schema validation could not run: ${(e as Error)?.message ?? String(e)}`);
  }
  return out;
}

type Report = (path: string, message: string, severity?: Severity) => void;

/** Violations that come from a failed CEL rule (`x-kubernetes-validations`) of a CRD. */
const celRuleViolations = new WeakSet<Violation>();

/**
 * Whether `v` reports a failed CEL rule of a CRD. Calico's own rules check most of these
 * conditions too, more precisely (field path, values, fix): the caller may prefer those.
 */
export function isCelRuleViolation(v: Violation): boolean {
  return celRuleViolations.has(v);
}

function check(raw: unknown, o: Record<string, unknown>, options: ValidateOptions, report: Report, out: readonly Violation[]): void {
  if (!isPlainObject(raw)) {
    report('', `must be an object (a Kubernetes manifest); got ${describeTyped(raw)}`);
    return;
  }
  const resolved = resolveRelease(options?.calicoVersion);
  if (!resolved.ok) {
    report('', resolved.error);
    return;
  }
  const tag = resolved.value.version;
  const apiMode: ApiMode = options.apiMode ?? DEFAULT_API_MODE;
  const apiVersion = o.apiVersion;
  if (apiVersion === undefined) {
    report('apiVersion', 'required field "apiVersion" is missing (e.g. projectcalico.org/v3 or operator.tigera.io/v1)');
    return;
  }
  if (typeof apiVersion !== 'string') {
    report('apiVersion', `must be a string (e.g. projectcalico.org/v3); got ${describeTyped(apiVersion)}`);
    return;
  }
  const kindValue = o.kind;
  const key = typeof kindValue === 'string' ? `${tag}|${apiMode}|${apiVersion}|${kindValue}` : undefined;
  let target = key !== undefined ? targets.get(key) : undefined;
  if (target === undefined) {
    target = resolveTarget(tag, apiMode, apiVersion, kindValue);
    if (key !== undefined) targets.set(key, target);
  }
  if (target.outcome === 'other-group') return;
  if (target.outcome === 'refused') {
    report(target.path, target.message);
    return;
  }
  const { schema, family, kind, version } = target;

  const walk = new SchemaWalk({
    release: tag,
    unknownField: (path: string, steps: SchemaSteps, field: string, known: readonly string[]) => unknownFieldMessage(tag, family, kind, version, path, steps, field, known),
  });
  walk.root(o, schema);
  for (const f of walk.findings) report(f.path, f.message, f.severity);

  // The API server runs CEL rules only when the object has no type errors.
  if (walk.celSites.length === 0 || walk.typeErrors > 0) return;
  const reported = new Set<string>();
  for (const site of walk.celSites) {
    const self = toCelValue(site.value, site.schema, site.path === '');
    for (const rule of site.schema['x-kubernetes-validations'] ?? []) {
      if (!isPlainObject(rule) || typeof rule.rule !== 'string') continue;
      const outcome = runCelRule(rule, self);
      if (outcome.kind === 'fail') {
        report(appendFieldPath(site.path, rule.fieldPath), outcome.message);
        celRuleViolations.add(out[out.length - 1]);
      }
      else if (outcome.kind === 'error') report(site.path, outcome.message);
      else if (outcome.kind === 'uncompilable' && !reported.has(outcome.message)) {
        reported.add(outcome.message);
        report(site.path, outcome.message, 'warning');
      }
    }
  }
}

/** Where an object's schema comes from, or why there is none (cached per release, mode, apiVersion, kind). */
type Target =
  | { readonly outcome: 'schema'; readonly schema: SchemaNode; readonly family: Family; readonly kind: string; readonly version: string }
  | { readonly outcome: 'refused'; readonly path: string; readonly message: string }
  | { readonly outcome: 'other-group' };

const targets = new Map<string, Target>();

function resolveTarget(tag: CalicoVersion, apiMode: ApiMode, apiVersion: string, kindIn: unknown): Target {
  const refuse = (path: string, message: string): Target => ({ outcome: 'refused', path, message });
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  let family: Family;
  if (group === 'projectcalico.org') family = apiMode === 'native-v3-crds' ? 'native' : 'apiserver';
  else if (group === 'operator.tigera.io') family = 'operator';
  else if (group === 'crd.projectcalico.org') {
    const v3Kind = typeof kindIn === 'string' ? CRD_TO_V3_KIND[kindIn] ?? kindIn : 'the same kind';
    return refuse('apiVersion', `writing crd.projectcalico.org/v1 objects is unsupported by Calico (they are the Calico API server's storage form); use apiVersion projectcalico.org/v3 with kind ${v3Kind}`);
  } else return { outcome: 'other-group' }; // not a Calico or Tigera API group: not this validator's business

  if (kindIn === undefined) return refuse('kind', 'required field "kind" is missing');
  if (typeof kindIn !== 'string') return refuse('kind', `must be a string; got ${describeTyped(kindIn)}`);
  if (group === 'projectcalico.org' && version === 'v3' && CALICOCTL_ONLY_KINDS.has(kindIn)) return { outcome: 'other-group' };
  // libcalico-go's v3 IPAMConfig (calicoctl's name): the same resource as IPAMConfiguration.
  const kind = group === 'projectcalico.org' && kindIn === 'IPAMConfig' ? 'IPAMConfiguration' : kindIn;
  if (family === 'native' && familyKinds(tag, 'native').length === 0) {
    const newer = otherReleases(tag, (t) => familyKinds(t, 'native').length > 0);
    return refuse('apiVersion', `apiMode 'native-v3-crds' needs the native projectcalico.org/v3 CRDs, which need Calico v3.32 or later (available in ${listNames(newer)}); Calico ${tag} serves projectcalico.org/v3 only through the Calico API server: use apiMode 'apiserver' or a newer calicoVersion`);
  }
  const apiVersionShown = `${group}/${family === 'operator' ? 'v1' : 'v3'}`;
  const entry = familyEntry(tag, family, kind);
  if (entry === undefined) return refuse('kind', unknownKindMessage(tag, family, group, kind, apiVersionShown));
  const servedVersions = family === 'operator' ? entry.versions : ['v3'];
  if (!servedVersions.includes(version)) {
    return refuse('apiVersion', `${group} serves version ${listNames(servedVersions)} of ${kind}, not ${JSON.stringify(version)}; use apiVersion ${group}/${servedVersions[0]}`);
  }
  const schema = rootSchema(tag, family, kind, version);
  if (schema === undefined) {
    return refuse('apiVersion', `the ${entry.name} CRD of Calico ${tag} has no served schema for version ${familyVersion(family, version)}`);
  }
  return { outcome: 'schema', schema, family, kind, version };
}

function unknownKindMessage(tag: CalicoVersion, family: Family, group: string, kind: string, apiVersionShown: string): string {
  const kinds = familyKinds(tag, family);
  const elsewhere = otherReleases(tag, (t) => (family !== 'native' || familyKinds(t, 'native').length > 0) && familyEntry(t, family, kind) !== undefined);
  if (family === 'apiserver' && hasOwn(CRD_TO_V3_KIND, kind)) {
    return `${kind} is the crd.projectcalico.org storage kind; the projectcalico.org/v3 kind is ${CRD_TO_V3_KIND[kind]}`;
  }
  if (elsewhere.length > 0) {
    return `${kind} is not available in Calico ${tag} ${releaseNote(tag, elsewhere)}; ${apiVersionShown} kinds in ${tag}: ${listNames(kinds)}`;
  }
  // The kind of another Calico API group?
  for (const other of ['apiserver', 'operator'] as const) {
    if (other === family || (family === 'native' && other === 'apiserver')) continue;
    if (familyEntry(tag, other, kind) !== undefined) {
      const av = other === 'operator' ? 'operator.tigera.io/v1' : 'projectcalico.org/v3';
      return `${kind} is not a ${group} kind; it is ${av}: use apiVersion ${av}`;
    }
  }
  const close = suggest(kind, kinds);
  return `unknown ${apiVersionShown} kind "${kind}" in Calico ${tag}${close !== undefined ? `; did you mean "${close}"?` : ''} (kinds: ${listNames(kinds)})`;
}

function unknownFieldMessage(
  tag: CalicoVersion,
  family: Family,
  kind: string,
  version: string,
  fieldPath: string,
  steps: SchemaSteps,
  key: string,
  known: readonly string[],
): string {
  const path = stepsToArray(steps);
  const elsewhere = otherReleases(tag, (t) => {
    const root = rootSchema(t, family, kind, version);
    return root !== undefined && schemaAt(root, path) !== undefined;
  });
  if (elsewhere.length > 0) {
    const fix = releaseNote(tag, elsewhere).startsWith('(added') ? '; remove it or select a newer calicoVersion' : '; remove it';
    return `field ${fieldPath} is not in Calico ${tag} ${releaseNote(tag, elsewhere)}${fix}`;
  }
  const sameButCase = known.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
  if (sameButCase !== undefined) {
    return `field "${key}" is mis-cased; the field is "${sameButCase}". The API server (kubectl) prunes "${key}" silently, so the value is lost, while calicoctl decodes field names case-insensitively and would read it: write "${sameButCase}"`;
  }
  const close = suggest(key, known);
  if (close !== undefined) return `unknown field "${key}"; did you mean "${close}"?`;
  if (known.length === 0) return `unknown field "${key}": this object takes no fields in Calico ${tag}`;
  if (known.length <= 20) return `unknown field "${key}" (known fields: ${listNames(known)})`;
  return `unknown field "${key}" (not one of the ${known.length} fields of this object in Calico ${tag})`;
}
