import { describeValue, isPlainObject } from '../model/values';
import { CALICO_VERSIONS, CalicoVersion } from '../releases/releases';
import { crdFieldSchema } from '../releases/crd-store';
import { PropChecker } from './prop-checks';

/** A JSON object as written to YAML. */
export type JsonFields = { readonly [key: string]: unknown };

/** One field of a spec that the construct computes from its props. */
export interface ComputedField {
  /** Path inside the spec, e.g. `['calicoNetwork', 'mtu']`. */
  readonly path: readonly string[];
  /** The value (`undefined`: not set). */
  readonly value: unknown;
  /** The prop it comes from, for messages. */
  readonly prop: string;
}

/** A field of the spec that only the construct sets, with the prop to use instead. */
export interface ManagedField {
  readonly path: readonly string[];
  readonly use: string;
}

/**
 * The rule for a spec given whole (`installationSpec`, `apiServerSpec`...) next to typed props,
 * the same for every construct that takes one:
 *
 * - the user's spec passes through as is (as Calico's Helm chart passes `installation:` through),
 *   deep-merged object by object; lists and scalars are replaced whole;
 * - a field set by a typed prop (`explicit`) and in the spec is an error: set it in one place;
 * - a field the construct manages (`managed`) is refused in the spec, naming the prop to use;
 * - the construct's defaults (`defaults`) fill only what the spec leaves out, so the spec may
 *   override them.
 *
 * Unknown or misspelt fields are not checked here: they reach the output as written, where the
 * schema check of the selected release reports them with the releases that have them.
 *
 * @param specProp the prop holding the user's spec, for messages (`installationSpec`)
 */
export function mergeSpec(check: PropChecker, specProp: string, user: unknown, parts: {
  readonly explicit?: readonly ComputedField[];
  readonly defaults?: readonly ComputedField[];
  readonly managed?: readonly ManagedField[];
}): Record<string, unknown> {
  if (user !== undefined && !isPlainObject(user)) {
    check.fail(specProp, `must be an object (the spec's fields), got ${describeValue(user)}`);
    return {};
  }
  const out = clone(user ?? {}) as Record<string, unknown>;
  const where = (path: readonly string[]) => [specProp, ...path].join('.');
  for (const m of parts.managed ?? []) {
    if (lookup(out, m.path) !== undefined) {
      check.fail(where(m.path), `is set by this library from ${m.use}: use ${m.use} instead (its checks and defaults apply there)`);
    }
  }
  for (const f of parts.explicit ?? []) {
    if (f.value === undefined) continue;
    if (lookup(out, f.path) !== undefined) {
      check.fail(where(f.path), `is also set by the prop ${f.prop}: set it in one place (remove it from ${specProp}, or drop ${f.prop})`);
    }
    place(check, specProp, out, f.path, f.value);
  }
  for (const f of parts.defaults ?? []) {
    if (f.value === undefined || lookup(out, f.path) !== undefined) continue;
    place(check, specProp, out, f.path, f.value);
  }
  return out;
}

function clone(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clone);
  if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

function lookup(obj: Record<string, unknown>, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur ?? undefined;
}

function place(check: PropChecker, specProp: string, obj: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const next = cur[path[i]];
    if (next === undefined || next === null) {
      cur[path[i]] = {};
    } else if (!isPlainObject(next)) {
      check.fail([specProp, ...path.slice(0, i + 1)].join('.'), `must be an object, got ${describeValue(next)}`);
      return;
    }
    cur = cur[path[i]] as Record<string, unknown>;
  }
  cur[path[path.length - 1]] = clone(value);
}

/**
 * Refuses a typed prop whose spec field the selected release lacks, or a value its enum lacks,
 * naming the releases that have it (from the vendored CRDs).
 * @param path the field inside the CRD's root (`['spec', 'calicoNetwork', 'linuxDataplane']`)
 */
export function requireReleaseField(check: PropChecker, version: CalicoVersion, crd: string, kind: string,
  prop: string, path: readonly string[], value: unknown): void {
  if (value === undefined) return;
  const field = path.slice(1).join('.');
  const schema = crdFieldSchema(version, crd, path);
  if (schema === undefined) {
    const having = CALICO_VERSIONS.filter((v) => crdFieldSchema(v, crd, path) !== undefined);
    check.fail(prop, `Calico ${version}'s ${kind} has no ${field}${having.length > 0 ? ` (it exists in ${having.join(', ')}): choose one of those releases, or remove ${prop}` : `: remove ${prop}`}`);
    return;
  }
  const values = Array.isArray(value) ? value : [value];
  if (Array.isArray(schema.enum)) {
    for (const v of values) {
      if (schema.enum.includes(v)) continue;
      const having = CALICO_VERSIONS.filter((t) => crdFieldSchema(t, crd, path)?.enum?.includes(v));
      check.fail(prop, `${describeValue(v)} is not a ${field} of Calico ${version} (it takes ${schema.enum.map((e: unknown) => describeValue(e)).join(', ')})`
        + `${having.length > 0 ? `; ${describeValue(v)} needs ${having.join(' or ')}` : ''}`);
    }
  }
}
