import { describeTyped, describeValue, isPlainObject } from '../model/values';
import { suggest } from '../validation/schema/schema-text';

/**
 * Checks a values document against the JSON Schema generated from CalicoTorChartProps at build
 * time (scripts/build-schema.mjs, with ts-json-schema-generator). It reads the keywords that
 * generator emits for TypeScript types: `$ref` into `definitions`, `type` (one or a list),
 * `enum`, `const`, `anyOf`, `properties`, `required`, `additionalProperties` and `items`; an
 * unknown keyword is ignored. Every problem is reported, each at the JSON path of the value (or of
 * the key, for an unknown field) so the loader can point at its line and column.
 */

/** A JSON Schema node (the subset above). */
export interface JsonSchema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly JsonSchema[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  readonly definitions?: Readonly<Record<string, JsonSchema>>;
  readonly description?: string;
  readonly [keyword: string]: unknown;
}

/** One step of a path: an object key or an array index. */
export type PathStep = string | number;

/** A problem found by {@link checkSchema}. */
export interface SchemaProblem {
  /** Where: the steps from the document root. */
  readonly path: readonly PathStep[];
  /** Whether the problem is the key at `path` (an unknown field) rather than its value. */
  readonly atKey: boolean;
  readonly message: string;
}

/** Longest list of allowed names shown in a message. */
const MAX_LISTED = 12;

/** Checks `value` against `root` (a schema with `definitions`); every problem found, in document order. */
export function checkSchema(value: unknown, root: JsonSchema): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  walk(value, root, root, [], out);
  return out;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let depth = 0; s.$ref !== undefined; depth++) {
    const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
    const target = m ? root.definitions?.[decodeURIComponent(m[1])] : undefined;
    if (!target || depth > 50) throw new Error(`values schema: cannot resolve $ref ${s.$ref}`);
    s = target;
  }
  return s;
}

/** JSON type names of a value, as JSON Schema names them. */
function jsonTypes(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  if (typeof v === 'string' || typeof v === 'boolean') return [typeof v];
  if (isPlainObject(v)) return ['object'];
  return ['unknown'];
}

/** The JSON types a schema takes (following refs and anyOf), or undefined for any. */
function acceptedTypes(s: JsonSchema, root: JsonSchema): Set<string> | undefined {
  const r = resolve(s, root);
  if (r.anyOf) {
    const all = new Set<string>();
    for (const b of r.anyOf) {
      const t = acceptedTypes(b, root);
      if (t === undefined) return undefined;
      for (const x of t) all.add(x);
    }
    return all;
  }
  if (r.type !== undefined) return new Set(typeof r.type === 'string' ? [r.type] : r.type);
  if (r.enum) return new Set(r.enum.flatMap(jsonTypes));
  if (r.const !== undefined) return new Set(jsonTypes(r.const));
  if (r.properties || r.additionalProperties !== undefined) return new Set(['object']);
  return undefined;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false',
  object: 'a mapping', array: 'a list', null: 'null',
};

function describeTypes(types: Iterable<string>): string {
  const words = [...new Set([...types].filter((t) => !(t === 'integer' && [...types].includes('number'))))].map((t) => TYPE_WORDS[t] ?? t);
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function listed(values: readonly unknown[]): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v)));
  return values.length > MAX_LISTED ? `${shown.join(', ')}, ... (${values.length} in all)` : shown.join(', ');
}

function walk(v: unknown, schema: JsonSchema, root: JsonSchema, path: PathStep[], out: SchemaProblem[]): void {
  const s = resolve(schema, root);
  const fail = (message: string) => out.push({ path: [...path], atKey: false, message });

  if (s.anyOf) {
    const types = jsonTypes(v);
    const fitting = s.anyOf.filter((b) => {
      const t = acceptedTypes(b, root);
      return t === undefined || types.some((x) => t.has(x));
    });
    if (fitting.length === 0) {
      fail(`expected ${describeAllowed(s, root)}, got ${describeTyped(v)}${yaml11Hint(v, acceptedTypes(s, root))}`);
      return;
    }
    // The first branch that takes the value without problems wins; else the problems of the
    // fitting branch with the fewest (a string literal union is one branch per literal).
    let best: SchemaProblem[] | undefined;
    for (const b of fitting) {
      const found: SchemaProblem[] = [];
      walk(v, b, root, path, found);
      if (found.length === 0) return;
      if (best === undefined || found.length < best.length) best = found;
    }
    const literals = fitting.map((b) => resolve(b, root)).filter((b) => b.const !== undefined || b.enum);
    if (literals.length === fitting.length) {
      const allowed = literals.flatMap((b) => (b.const !== undefined ? [b.const] : [...(b.enum ?? [])]));
      fail(notOneOf(v, allowed));
      return;
    }
    out.push(...best!);
    return;
  }
  if (s.const !== undefined && v !== s.const) {
    fail(notOneOf(v, [s.const]));
    return;
  }
  if (s.enum && !s.enum.some((e) => e === v)) {
    fail(notOneOf(v, s.enum));
    return;
  }
  if (s.type !== undefined) {
    const wanted = typeof s.type === 'string' ? [s.type] : s.type;
    if (!jsonTypes(v).some((t) => wanted.includes(t))) {
      fail(`expected ${describeTypes(wanted)}, got ${describeTyped(v)}${yaml11Hint(v, new Set(wanted))}`);
      return;
    }
  }
  if (Array.isArray(v)) {
    if (s.items) v.forEach((item, i) => walk(item, s.items!, root, [...path, i], out));
    return;
  }
  if (!isPlainObject(v)) return;
  const props = s.properties ?? {};
  for (const key of s.required ?? []) {
    if (!Object.prototype.hasOwnProperty.call(v, key)) fail(`missing required field "${key}"`);
  }
  for (const [key, item] of Object.entries(v)) {
    if (Object.prototype.hasOwnProperty.call(props, key)) {
      walk(item, props[key], root, [...path, key], out);
    } else if (s.additionalProperties === false) {
      const names = Object.keys(props).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const near = suggest(key, names);
      out.push({
        path: [...path, key],
        atKey: true,
        message: `unknown field ${describeValue(key)}${near ? `; did you mean "${near}"?` : ''} (allowed here: ${names.length > 0 ? listed(names).replace(/"/g, '') : 'none'})`,
      });
    } else if (typeof s.additionalProperties === 'object') {
      walk(item, s.additionalProperties, root, [...path, key], out);
    }
  }
}

/** YAML 1.1 booleans (`yes`, `off`...) are strings in YAML 1.2, which values files use: say so where a boolean was meant. */
function yaml11Hint(v: unknown, wanted: Set<string> | undefined): string {
  if (typeof v !== 'string' || !wanted?.has('boolean') || !/^(y|yes|n|no|on|off)$/i.test(v)) return '';
  return ` (YAML 1.2 reads ${v} as a string: write ${/^(y|yes|on)$/i.test(v) ? 'true' : 'false'})`;
}

function notOneOf(v: unknown, allowed: readonly unknown[]): string {
  const near = typeof v === 'string' ? suggest(v, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
  return `${describeTyped(v)} is not allowed here${near ? `; did you mean "${near}"?` : ''} (allowed: ${listed(allowed)})`;
}

function describeAllowed(s: JsonSchema, root: JsonSchema): string {
  return describeTypes(acceptedTypes(s, root) ?? []);
}
