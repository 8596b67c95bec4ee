import { Severity } from '../../model/violation';
import { CelRuleSpec } from './cel';
import { checkStringFormat, INTEGER_FORMAT_RANGES } from './formats';
import { compilePattern } from './schema-pattern';
import { canonicalJson, describeEnumMember, joinIndex, joinKey, listNames, suggest } from './schema-text';
import { describeTyped, describeValue, isPlainObject } from '../../model/values';

/**
 * Walks a value against a Kubernetes structural schema (a CRD's openAPIV3Schema) the way the
 * API server validates a custom resource: the OpenAPI keywords (types, enums, patterns, ranges,
 * lengths, item counts, required, formats, allOf/anyOf/oneOf/not), the Kubernetes extensions
 * (int-or-string, preserve-unknown-fields, embedded-resource, list-type set/map uniqueness,
 * nullable) and, unlike the API server which silently prunes them, unknown fields, which are
 * reported. CEL rule sites are collected for evaluation afterwards.
 *
 * Nothing is compiled per schema: the walk reads the schema JSON directly, so only the parts of
 * a schema that the object uses are ever visited, and a 143 KB Installation schema costs nothing
 * beyond loading its JSON. Patterns are compiled once per process (schema-pattern.ts).
 */

/** A structural-schema node (the subset of JSONSchemaProps that Kubernetes accepts in CRDs). */
export interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: boolean;
  readonly exclusiveMaximum?: boolean;
  readonly multipleOf?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minProperties?: number;
  readonly maxProperties?: number;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly nullable?: boolean;
  readonly default?: unknown;
  readonly allOf?: readonly SchemaNode[];
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly not?: SchemaNode;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly 'x-kubernetes-list-type'?: string;
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-validations'?: readonly CelRuleSpec[];
}

/** Schema steps from the root to a node: property names, `[]` for list items, `{}` for map values. */
export interface SchemaSteps {
  readonly up: SchemaSteps | undefined;
  readonly step: string;
}

/** The steps as an array, root first. */
export function stepsToArray(steps: SchemaSteps | undefined): string[] {
  const out: string[] = [];
  for (let s = steps; s !== undefined; s = s.up) out.push(s.step);
  return out.reverse();
}

/** The schema node reached by following `steps` from `root`, if the schema has it. */
export function schemaAt(root: SchemaNode, steps: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const step of steps) {
    if (node === undefined) return undefined;
    if (step === '[]') node = node.items;
    else if (step === '{}') node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
    else node = node.properties !== undefined && Object.prototype.hasOwnProperty.call(node.properties, step) ? node.properties[step] : undefined;
  }
  return node;
}

/** One problem found by the walk (the caller adds apiVersion/kind/name). */
export interface Finding {
  readonly path: string;
  readonly message: string;
  readonly severity: Severity;
}

/** A place where CEL rules apply: the schema node that declares them and the value there. */
export interface CelSite {
  readonly schema: SchemaNode;
  readonly value: unknown;
  readonly path: string;
}

/** What the walk needs from its caller. */
export interface WalkEnvironment {
  /** Calico release whose schema is walked, for messages (`v3.24.5`). */
  readonly release: string;
  /**
   * Message for a field the schema does not have. `path` is the field's path in the object,
   * `steps` lead to it in the schema; `known` are the field names allowed at that place.
   */
  unknownField(path: string, steps: SchemaSteps, key: string, known: readonly string[]): string;
}

/** ObjectMeta fields a manifest may carry, and the JSON shape of each. */
const OBJECT_META: Readonly<Record<string, 'string' | 'integer' | 'string-map' | 'string-list' | 'object-list'>> = {
  name: 'string',
  namespace: 'string',
  labels: 'string-map',
  annotations: 'string-map',
  generateName: 'string',
  finalizers: 'string-list',
  ownerReferences: 'object-list',
  uid: 'string',
  resourceVersion: 'string',
  generation: 'integer',
  creationTimestamp: 'string',
  deletionTimestamp: 'string',
  deletionGracePeriodSeconds: 'integer',
  managedFields: 'object-list',
  selfLink: 'string',
};
const OBJECT_META_FIELDS = Object.keys(OBJECT_META);

type JsonKind = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object' | 'other';

function jsonKind(v: unknown): JsonKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'integer';
    case 'number':
      if (!Number.isFinite(v)) return 'other';
      return Number.isInteger(v) ? 'integer' : 'number';
    case 'object':
      if (Array.isArray(v)) return 'array';
      return isPlainObject(v) ? 'object' : 'other';
    default:
      return 'other';
  }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  array: 'a list',
  object: 'an object',
};

function expectedType(s: SchemaNode): string {
  if (s['x-kubernetes-int-or-string']) return 'an integer or a string';
  return (s.type !== undefined && TYPE_WORDS[s.type]) || `of type ${s.type}`;
}

function typeAccepts(s: SchemaNode, k: JsonKind): boolean {
  if (k === 'other') return false;
  if (s['x-kubernetes-int-or-string']) return k === 'integer' || k === 'string';
  if (s.type === undefined) return true;
  if (s.type === 'number') return k === 'number' || k === 'integer';
  return s.type === k;
}

/** `must be an integer; got string "179" (remove the quotes)` and similar, with a fix where obvious. */
function typeMessage(s: SchemaNode, v: unknown, k: JsonKind): string {
  let msg = `must be ${expectedType(s)}; got ${describeTyped(v)}`;
  const wantsNumber = s.type === 'integer' || s.type === 'number' || s['x-kubernetes-int-or-string'];
  if (k === 'string' && wantsNumber && /^-?\d+(\.\d+)?$/.test(v as string)) msg += ' (remove the quotes)';
  else if (s.type === 'string' && (k === 'integer' || k === 'number' || k === 'boolean')) msg += ` (quote it: "${String(v)}")`;
  else if (s.type === 'boolean' && k === 'string' && /^(true|false)$/i.test(v as string)) msg += ` (write ${(v as string).toLowerCase()} without quotes)`;
  else if (s.type === 'array' && k !== 'array' && k !== 'other') msg += ' (write it as a list, e.g. [value])';
  return msg;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The walk over one object. Create one per object; read `findings`, `celSites`, `typeErrors`. */
export class SchemaWalk {
  readonly findings: Finding[] = [];
  readonly celSites: CelSite[] = [];
  /** Type mismatches found (the API server skips CEL rules when there are any). */
  typeErrors = 0;

  /**
   * @param valueOnly check the value only: no unknown-field reports, no CEL sites, no warnings
   *   (used for the branches of allOf/anyOf/oneOf/not, which do not define structure).
   */
  constructor(private readonly env: WalkEnvironment, private readonly valueOnly = false) {}

  /** Walks a whole object: the root of a CRD schema, with `metadata` checked as ObjectMeta. */
  root(obj: Record<string, unknown>, schema: SchemaNode): void {
    this.node(obj, schema, '', undefined, true);
  }

  /** Walks `v` against `s` at `path`. */
  node(v: unknown, s: SchemaNode, path: string, steps: SchemaSteps | undefined, isRoot = false): void {
    if (v === null || v === undefined) {
      if (s.nullable) return;
      this.typeError(path, `must be ${expectedType(s)}; got null`);
      return;
    }
    const k = jsonKind(v);
    if (!typeAccepts(s, k)) {
      this.typeError(path, typeMessage(s, v, k));
      return;
    }
    if (s.enum !== undefined) this.checkEnum(v, s.enum, path);
    if (k === 'string') this.checkString(v as string, s, path);
    else if (k === 'integer' || k === 'number') this.checkNumber(Number(v), k, s, path);
    else if (k === 'array') this.checkArray(v as unknown[], s, path, steps);
    else if (k === 'object') this.checkObject(v as Record<string, unknown>, s, path, steps, isRoot);
    if (s.allOf !== undefined || s.anyOf !== undefined || s.oneOf !== undefined || s.not !== undefined) {
      this.checkCombinators(v, s, path, steps);
    }
    if (!this.valueOnly && s['x-kubernetes-validations'] !== undefined && s['x-kubernetes-validations'].length > 0) {
      this.celSites.push({ schema: s, value: v, path });
    }
  }

  private add(path: string, message: string, severity: Severity = 'error'): void {
    this.findings.push({ path, message, severity });
  }

  private typeError(path: string, message: string): void {
    this.typeErrors++;
    this.add(path, message);
  }

  private checkEnum(v: unknown, allowed: readonly unknown[], path: string): void {
    if (allowed.includes(v)) return;
    const key = canonicalJson(v);
    if (allowed.some((a) => canonicalJson(a) === key)) return;
    let msg = `must be one of ${listNames(allowed.map(describeEnumMember))}; got ${describeValue(v)}`;
    if (typeof v === 'string') {
      const close = suggest(v, allowed.filter((a): a is string => typeof a === 'string'));
      if (close !== undefined) msg += `; did you mean "${close}"?`;
    }
    this.add(path, msg);
  }

  private checkString(v: string, s: SchemaNode, path: string): void {
    if (s.minLength !== undefined && v.length < s.minLength * 2 && codePointLength(v) < s.minLength) {
      this.add(path, v === '' ? `must not be empty (at least ${plural(s.minLength, 'character')})` : `must be at least ${plural(s.minLength, 'character')} long; got ${describeValue(v)}`);
    }
    if (s.maxLength !== undefined && v.length > s.maxLength) {
      const n = codePointLength(v);
      if (n > s.maxLength) this.add(path, `must be at most ${plural(s.maxLength, 'character')} long; got ${n} characters`);
    }
    if (s.pattern !== undefined) {
      let re: RegExp | undefined;
      try {
        re = compilePattern(s.pattern);
      } catch (e) {
        if (!this.valueOnly) this.add(path, `the schema pattern ${s.pattern} could not be translated to JavaScript (${(e as Error).message}); not checked`, 'warning');
      }
      if (re !== undefined && !re.test(v)) this.add(path, `must match ${s.pattern}; got ${describeValue(v)}`);
    }
    if (s.format !== undefined) {
      const problem = checkStringFormat(s.format, v, describeValue);
      if (problem !== undefined) this.add(path, problem);
    }
  }

  private checkNumber(v: number, k: JsonKind, s: SchemaNode, path: string): void {
    let lo = s.minimum;
    let loText = String(lo);
    let loExclusive = s.exclusiveMinimum === true;
    let hi = s.maximum;
    let hiText = String(hi);
    let hiExclusive = s.exclusiveMaximum === true;
    let loFromFormat = false;
    let hiFromFormat = false;
    const range = s.format !== undefined && k === 'integer' ? INTEGER_FORMAT_RANGES[s.format] : undefined;
    if (range !== undefined) {
      if (lo === undefined || range.min > lo) {
        [lo, loText, loExclusive, loFromFormat] = [range.min, range.minText, false, true];
      }
      if (hi === undefined || range.max < hi) {
        [hi, hiText, hiExclusive, hiFromFormat] = [range.max, range.maxText, false, true];
      }
    }
    const belowLo = lo !== undefined && (loExclusive ? v <= lo : v < lo);
    const aboveHi = hi !== undefined && (hiExclusive ? v >= hi : v > hi);
    if (belowLo || aboveHi) {
      const what = s.type === 'number' ? 'a number' : 'an integer';
      let bounds: string;
      if (lo !== undefined && hi !== undefined && !loExclusive && !hiExclusive) bounds = `between ${loText} and ${hiText}`;
      else {
        const parts: string[] = [];
        if (lo !== undefined) parts.push(loExclusive ? `greater than ${loText}` : `at least ${loText}`);
        if (hi !== undefined) parts.push(hiExclusive ? `less than ${hiText}` : `at most ${hiText}`);
        bounds = parts.join(' and ');
      }
      const why = (belowLo && loFromFormat) || (aboveHi && hiFromFormat) ? ` (format ${s.format} in the Calico ${this.env.release} schema)` : '';
      this.add(path, `must be ${what} ${bounds}${why}; got ${v}`);
    }
    if (s.multipleOf !== undefined && s.multipleOf > 0) {
      const q = v / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) this.add(path, `must be a multiple of ${s.multipleOf}; got ${v}`);
    }
  }

  private checkArray(v: unknown[], s: SchemaNode, path: string, steps: SchemaSteps | undefined): void {
    if (s.minItems !== undefined && v.length < s.minItems) {
      this.add(path, `must have at least ${plural(s.minItems, 'item')}; got ${v.length}`);
    }
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      this.add(path, `must have at most ${plural(s.maxItems, 'item')}; got ${v.length}`);
    }
    if (s.items !== undefined) {
      const itemSteps: SchemaSteps = { up: steps, step: '[]' };
      for (let i = 0; i < v.length; i++) this.node(v[i], s.items, joinIndex(path, i), itemSteps);
    }
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'set') this.checkSet(v, path);
    else if (listType === 'map') this.checkListMap(v, s, path);
  }

  private checkSet(v: unknown[], path: string): void {
    const seen = new Map<string, number>();
    for (let i = 0; i < v.length; i++) {
      const key = canonicalJson(v[i]);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else this.add(joinIndex(path, i), `duplicate item ${describeValue(v[i])} (same as ${joinIndex(path, first)}): this list is a set and its items must be unique`);
    }
  }

  private checkListMap(v: unknown[], s: SchemaNode, path: string): void {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    if (keys.length === 0) return;
    const seen = new Map<string, number>();
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (!isPlainObject(item)) continue;
      const values = keys.map((k) => (item[k] !== undefined ? item[k] : s.items?.properties?.[k]?.default));
      const key = canonicalJson(values);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else {
        const shown = keys.map((k, j) => `${k}=${describeValue(values[j])}`).join(', ');
        this.add(joinIndex(path, i), `duplicate entry ${shown} (same as ${joinIndex(path, first)}): entries of this list must have unique ${listNames(keys)}`);
      }
    }
  }

  private checkObject(v: Record<string, unknown>, s: SchemaNode, path: string, steps: SchemaSteps | undefined, isRoot: boolean): void {
    const props = s.properties;
    const additional = s.additionalProperties;
    const openEnded = additional === true || s['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = s['x-kubernetes-embedded-resource'] === true;
    let count = 0;
    for (const key of Object.keys(v)) {
      const child = v[key];
      if (child === undefined) continue;
      count++;
      const childPath = joinKey(path, key);
      if (isRoot && key === 'metadata') {
        this.checkObjectMeta(child, childPath);
        continue;
      }
      if (props !== undefined && Object.prototype.hasOwnProperty.call(props, key)) {
        const ps = props[key];
        if (child === null && !ps.nullable) {
          // The API server drops null values of non-nullable fields (applying the default, if any).
          if (!this.valueOnly) this.add(childPath, 'null is ignored (the field is treated as unset); remove it or give it a value', 'warning');
          count--;
          continue;
        }
        this.node(child, ps, childPath, { up: steps, step: key });
      } else if (typeof additional === 'object') {
        this.node(child, additional, childPath, { up: steps, step: '{}' });
      } else if (openEnded) {
        // x-kubernetes-preserve-unknown-fields / additionalProperties: true: anything goes.
      } else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) {
        if (key === 'metadata') this.checkObjectMeta(child, childPath);
        else if (typeof child !== 'string') this.typeError(childPath, `must be a string; got ${describeTyped(child)}`);
      } else if (!this.valueOnly) {
        const known = props !== undefined ? Object.keys(props) : [];
        if (embedded) known.push('apiVersion', 'kind', 'metadata');
        this.add(childPath, this.env.unknownField(childPath, { up: steps, step: key }, key, known));
      }
    }
    if (s.required !== undefined) {
      for (const r of s.required) {
        const c = v[r];
        const ps = props?.[r];
        const absent = c === undefined || (c === null && !ps?.nullable);
        if (absent && ps?.default === undefined) this.add(joinKey(path, r), `required field "${r}" is missing`);
      }
    }
    if (s.minProperties !== undefined && count < s.minProperties) {
      this.add(path, `must have at least ${entries(s.minProperties)}; got ${count}`);
    }
    if (s.maxProperties !== undefined && count > s.maxProperties) {
      this.add(path, `must have at most ${entries(s.maxProperties)}; got ${count}`);
    }
  }

  /** Top-level metadata: an object of known ObjectMeta fields; labels and annotations map to strings. */
  private checkObjectMeta(meta: unknown, path: string): void {
    if (meta === null) return;
    if (!isPlainObject(meta)) {
      this.typeError(path, `must be an object; got ${describeTyped(meta)}`);
      return;
    }
    for (const key of Object.keys(meta)) {
      const v = meta[key];
      if (v === undefined) continue;
      const p = joinKey(path, key);
      const shape = Object.prototype.hasOwnProperty.call(OBJECT_META, key) ? OBJECT_META[key] : undefined;
      if (shape === undefined) {
        if (this.valueOnly) continue;
        const close = suggest(key, OBJECT_META_FIELDS);
        this.add(p, `unknown field "${key}"${close !== undefined ? `; did you mean "${close}"?` : ` (metadata fields: ${listNames(OBJECT_META_FIELDS)})`}`);
        continue;
      }
      if (v === null) continue;
      switch (shape) {
        case 'string':
          if (typeof v !== 'string') this.typeError(p, typeMessage({ type: 'string' }, v, jsonKind(v)));
          break;
        case 'integer':
          if (jsonKind(v) !== 'integer') this.typeError(p, typeMessage({ type: 'integer' }, v, jsonKind(v)));
          break;
        case 'string-map':
          if (!isPlainObject(v)) this.typeError(p, `must be an object mapping keys to strings; got ${describeTyped(v)}`);
          else {
            for (const mk of Object.keys(v)) {
              const mv = v[mk];
              if (typeof mv !== 'string') this.typeError(joinKey(p, mk), typeMessage({ type: 'string' }, mv, jsonKind(mv)));
            }
          }
          break;
        case 'string-list':
        case 'object-list':
          if (!Array.isArray(v)) this.typeError(p, typeMessage({ type: 'array' }, v, jsonKind(v)));
          else {
            const want = shape === 'string-list' ? 'string' : 'object';
            v.forEach((item, i) => {
              if (jsonKind(item) !== want) this.typeError(joinIndex(p, i), typeMessage({ type: want }, item, jsonKind(item)));
            });
          }
          break;
      }
    }
  }

  private checkCombinators(v: unknown, s: SchemaNode, path: string, steps: SchemaSteps | undefined): void {
    const branch = (b: SchemaNode): Finding[] => {
      const sub = new SchemaWalk(this.env, true);
      sub.node(v, b, path, steps);
      return sub.findings.filter((f) => f.severity === 'error');
    };
    if (s.allOf !== undefined) {
      const seen = new Set(this.findings.map((f) => `${f.path}\u0000${f.message}`));
      for (const b of s.allOf) {
        for (const f of branch(b)) {
          const key = `${f.path}\u0000${f.message}`;
          if (!seen.has(key)) {
            seen.add(key);
            this.findings.push(f);
          }
        }
      }
    }
    if (s.anyOf !== undefined && s.anyOf.length > 0) {
      const results = s.anyOf.map(branch);
      if (results.every((r) => r.length > 0)) {
        this.add(path, `must satisfy at least one of: ${results.map((r) => r[0].message).join(' | ')}`);
      }
    }
    if (s.oneOf !== undefined && s.oneOf.length > 0) {
      const results = s.oneOf.map(branch);
      const passing = results.filter((r) => r.length === 0).length;
      if (passing === 0) this.add(path, `must satisfy exactly one of: ${results.map((r) => r[0].message).join(' | ')}`);
      else if (passing > 1) this.add(path, `must satisfy exactly one of the schema's alternatives; got ${describeValue(v)}, which satisfies ${passing}`);
    }
    if (s.not !== undefined && branch(s.not).length === 0) {
      this.add(path, `must not match the schema's excluded form; got ${describeValue(v)}`);
    }
  }
}
