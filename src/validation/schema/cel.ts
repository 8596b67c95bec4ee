import type { Environment } from '@marcbachmann/cel-js';
import { isCIDR, isIP } from './formats';
import { CelSubsetUnsupported, compileCelSubset } from './schema-cel-subset';

/**
 * CEL validation rules (`x-kubernetes-validations`) evaluated as the Kubernetes API server does
 * on CREATE. Each rule is compiled once per process, whatever the number of objects. Rules in
 * the subset of CEL that the Calico CRDs use run on a fast path (schema-cel-subset.ts); any
 * other rule, or value, goes to @marcbachmann/cel-js, which is loaded only then (it costs
 * ~22 ms to load, more than the rest of a synth's validation together).
 */

/** One entry of `x-kubernetes-validations`. */
export interface CelRuleSpec {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
}

/** A compiled CEL expression. */
export interface CompiledCel {
  /** Evaluates the expression with the given variables (`self`). Throws on evaluation errors. */
  readonly evaluate: (vars: Record<string, unknown>) => unknown;
  /** Whether the expression reads `oldSelf` (a transition rule, skipped on create). */
  readonly isTransitionRule: boolean;
}

let env: Environment | undefined;
const compiled = new Map<string, CompiledCel | Error>();

function environment(): Environment {
  if (env === undefined) {
    // cel-js is an ES module: require() loads it synchronously on Node >= 20.19.
    const cel = require('@marcbachmann/cel-js') as typeof import('@marcbachmann/cel-js');
    env = new cel.Environment({ homogeneousAggregateLiterals: false })
      .registerVariable('self', 'dyn')
      .registerVariable('oldSelf', 'dyn')
      // Kubernetes CEL library functions used by CRD rules (k8s.io/apiserver/pkg/cel/library).
      .registerFunction('isCIDR(string): bool', (s: string) => isCIDR(s))
      .registerFunction('isIP(string): bool', (s: string) => isIP(s))
      .registerFunction('isURL(string): bool', (s: string) => {
        try {
          return new URL(s).protocol.length > 1;
        } catch {
          return s.startsWith('/');
        }
      });
  }
  return env;
}

/** Whether the CEL library has been loaded in this process (introspection). */
export function celLibraryLoaded(): boolean {
  return env !== undefined;
}

/** Number of distinct CEL expressions compiled in this process (introspection). */
export function compiledCelCount(): number {
  return compiled.size;
}

/** Whether a cel-js AST (nodes `{op, args}`, args nesting nodes and arrays) reads `oldSelf`. */
function referencesOldSelf(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object' || depth > 200) return false;
  if (Array.isArray(node)) return node.some((n) => referencesOldSelf(n, depth + 1));
  const n = node as { op?: unknown; args?: unknown };
  if (n.op === 'id' && n.args === 'oldSelf') return true;
  return referencesOldSelf(n.args, depth + 1);
}

/**
 * Compiles a CEL expression, once per process: on the subset fast path when it can, else with
 * cel-js (parsing only: type checking is left to {@link typeCheckCel}; the vendored rules are
 * checked by the tests, and at run time it would cost ~0.4 ms per rule for nothing).
 * @throws Error with the parser's message if the expression is invalid.
 */
export function compileCel(expression: string): CompiledCel {
  let c = compiled.get(expression);
  if (c === undefined) {
    try {
      const fast = compileCelSubset(expression);
      if (fast !== undefined) {
        let slow: CompiledCel | undefined;
        c = {
          isTransitionRule: fast.isTransitionRule,
          evaluate: (vars) => {
            try {
              return fast.evaluate(vars.self);
            } catch (e) {
              if (!(e instanceof CelSubsetUnsupported)) throw e;
              slow ??= compileCelWithLibrary(expression);
              return slow.evaluate(vars);
            }
          },
        };
      } else c = compileCelWithLibrary(expression);
    } catch (e) {
      c = new Error(celErrorText(e));
    }
    compiled.set(expression, c);
  }
  if (c instanceof Error) throw c;
  return c;
}

/**
 * Compiles a CEL expression with cel-js, bypassing the fast path (not cached; for the fallback
 * and for tests that compare both).
 * @throws the cel-js parse error if the expression is invalid.
 */
export function compileCelWithLibrary(expression: string): CompiledCel {
  const parsed = environment().parse(expression);
  return { evaluate: (vars) => parsed(vars), isTransitionRule: referencesOldSelf(parsed.ast) };
}

/**
 * Parses and type-checks a CEL expression with `self` and `oldSelf` as dynamic values and the
 * Kubernetes functions registered here, as the API server does when a CRD is created.
 * @returns undefined when the expression is valid, else the error text.
 */
export function typeCheckCel(expression: string): string | undefined {
  try {
    const result = environment().parse(expression).check();
    return result.valid ? undefined : celErrorText(result.error);
  } catch (e) {
    return celErrorText(e);
  }
}

/** The first line of a cel-js error (its message continues with a source excerpt). */
export function celErrorText(e: unknown): string {
  if (e instanceof Error) {
    const summary = (e as { summary?: unknown }).summary;
    if (typeof summary === 'string' && summary) return summary;
    return e.message.split('\n')[0];
  }
  return String(e);
}

/** A structural-schema node, as far as the CEL value conversion needs it. */
interface SchemaNode {
  readonly type?: string;
  readonly format?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly items?: SchemaNode;
  readonly default?: unknown;
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
}

const MAX_DEPTH = 64;

/**
 * Converts a JSON value to the value CEL sees for a schema node, as Kubernetes does: integers
 * become CEL ints (BigInt), `number` stays double, date-time strings become timestamps, `byte`
 * strings become bytes; fields unknown to the schema are dropped (the API server prunes them
 * before validating) and missing fields with a schema default get the default.
 *
 * @param rootMetadata true for the object root: `metadata` then exposes only name and generateName.
 */
export function toCelValue(value: unknown, schema: SchemaNode | undefined, rootMetadata = false, depth = 0): unknown {
  if (value === null || value === undefined || depth > MAX_DEPTH) return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && schema?.type !== 'number') return BigInt(value);
    return value;
  }
  if (typeof value === 'string') {
    if (schema?.format === 'date-time' || schema?.format === 'datetime') {
      const t = new Date(value);
      if (!Number.isNaN(t.getTime())) return t;
    }
    if (schema?.format === 'byte') return new Uint8Array(Buffer.from(value, 'base64'));
    return value;
  }
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => toCelValue(v, schema?.items, false, depth + 1));
  const obj = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const props = schema?.properties;
  const generic = schema === undefined || schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = schema?.['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v === undefined) continue;
    if (rootMetadata && key === 'metadata') {
      out.metadata = rootMetadataValue(v);
      continue;
    }
    let child: SchemaNode | undefined;
    if (props !== undefined && Object.prototype.hasOwnProperty.call(props, key)) child = props[key];
    else if (typeof schema?.additionalProperties === 'object') child = schema.additionalProperties;
    else if (!generic && schema?.additionalProperties !== true && !(embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata'))) continue;
    out[key] = toCelValue(v, child, false, depth + 1);
  }
  if (props !== undefined) {
    for (const key of Object.keys(props)) {
      const d = props[key].default;
      if (d !== undefined && out[key] === undefined) out[key] = toCelValue(d, props[key], false, depth + 1);
    }
  }
  return out;
}

function rootMetadataValue(meta: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (meta !== null && typeof meta === 'object' && !Array.isArray(meta)) {
    const m = meta as Record<string, unknown>;
    if (typeof m.name === 'string') out.name = m.name;
    if (typeof m.generateName === 'string') out.generateName = m.generateName;
  }
  return out;
}

/** Outcome of one rule on one value. */
export type CelRuleOutcome =
  | { readonly kind: 'pass' }
  | { readonly kind: 'skipped-transition' }
  | { readonly kind: 'fail'; readonly message: string }
  | { readonly kind: 'error'; readonly message: string }
  /** The rule could not be compiled here (a tooling limit, not the object's fault). */
  | { readonly kind: 'uncompilable'; readonly message: string };

/**
 * Runs one `x-kubernetes-validations` rule on a CEL value (see {@link toCelValue}).
 * Never throws: compile and evaluation problems come back as `error` outcomes.
 */
export function runCelRule(rule: CelRuleSpec, self: unknown): CelRuleOutcome {
  let compiledRule: CompiledCel;
  try {
    compiledRule = compileCel(rule.rule);
  } catch (e) {
    return { kind: 'uncompilable', message: `validation rule ${JSON.stringify(rule.rule)} was not checked: it could not be compiled (${celErrorText(e)})` };
  }
  if (compiledRule.isTransitionRule) return { kind: 'skipped-transition' };
  let result: unknown;
  try {
    result = compiledRule.evaluate({ self });
  } catch (e) {
    return { kind: 'error', message: `validation rule ${JSON.stringify(rule.rule)} could not be evaluated: ${celErrorText(e)}` };
  }
  if (result === true) return { kind: 'pass' };
  if (result !== false) {
    return { kind: 'error', message: `validation rule ${JSON.stringify(rule.rule)} must evaluate to a bool` };
  }
  return { kind: 'fail', message: failureMessage(rule, self) };
}

function failureMessage(rule: CelRuleSpec, self: unknown): string {
  if (typeof rule.messageExpression === 'string' && rule.messageExpression.trim() !== '') {
    try {
      const m = compileCel(rule.messageExpression).evaluate({ self });
      // Kubernetes falls back to `message` when messageExpression fails or is blank/multi-line.
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m;
    } catch {
      // fall through
    }
  }
  if (typeof rule.message === 'string' && rule.message.trim() !== '') return rule.message;
  return `failed rule: ${rule.rule}`;
}
