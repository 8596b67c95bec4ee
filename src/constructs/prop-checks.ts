import { describeValue, Parsed, parseCidr, parsePeerAddress, parsePort } from '../model/net';
import { escapeControlCharacters, shortenText } from '../model/violation';
import { validateRegistry } from './tigera-operator';
import { parseAsNumber, parseCommunity } from '../model/bgp-values';
import { dnsSubdomainProblem, parseGoDuration } from '../validation/rules/common';
import { parseSelector } from '../model/selector';

const INT32_MAX = 2147483647;

type ScalarShape = 'string' | 'number' | 'boolean' | 'any';

/**
 * The JavaScript type a prop must have (TypeScript checks it at compile time; JavaScript callers
 * and `as any` get these checks at run time). `'string!'` and `required: true` mark a prop that
 * must be given; every other prop may be left out (undefined), but never be `null`.
 */
export type PropShape =
  | ScalarShape
  | `${ScalarShape}!`
  | { readonly list: PropShape; readonly required?: true }
  | { readonly fields: { readonly [prop: string]: PropShape }; readonly required?: true; readonly example?: string }
  | { readonly boolOr: PropShape }
  | { readonly labelMap: true };

/** Longest construct error message (values echoed in it are already cut). */
const MAX_ERROR_LENGTH = 1500;

/**
 * Early checks of construct props: a construct throws at once, naming itself, the prop and the bad
 * value with what is allowed, instead of emitting YAML that Calico would reject. The parsers are
 * the validators' own (src/validation), so both say the same thing; checks that need the whole
 * chart run later, in the chart's validation.
 */
export class PropChecker {
  /** @param where the construct, e.g. `CalicoBgpPeer "tor-a"` */
  constructor(private readonly where: string) {}

  /** Throws `<where>: <prop>: <message>`, one line (control characters escaped) of bounded length. */
  public fail(prop: string, message: string): never {
    throw new Error(shortenText(escapeControlCharacters(`${this.where}: ${prop}: ${message}`), MAX_ERROR_LENGTH));
  }

  /**
   * Checks the JavaScript types of a construct's props (see {@link PropShape}): `null`, a string
   * where a list belongs, a `null` list item or a missing required prop is an error naming the
   * construct and the prop, never a TypeError later.
   */
  public props(props: unknown, fields: { readonly [prop: string]: PropShape }): void {
    if (props === undefined) {
      const required = Object.entries(fields).filter(([, f]) => (typeof f === 'string' ? f.endsWith('!') : 'required' in f && f.required === true)).map(([k]) => k);
      if (required.length > 0) this.fail('props', `are required: give an object with ${required.join(', ')}`);
      return;
    }
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      this.fail('props', `expected an object of props, got ${describeValue(props)}`);
    }
    this.shape('', props, { fields });
  }

  /** Checks one value against a {@link PropShape}; `prop` is its path for messages. */
  public shape(prop: string, value: unknown, shape: PropShape): void {
    const required = typeof shape === 'string' ? shape.endsWith('!') : 'required' in shape && shape.required === true;
    if (value === undefined) {
      if (required) this.fail(prop, `is required: give ${shapeText(shape)}`);
      return;
    }
    if (value === null) {
      this.fail(prop, required ? `is null: give ${shapeText(shape)}` : `is null: leave it out for the default, or give ${shapeText(shape)}`);
    }
    if (typeof shape === 'string') {
      const type = shape.replace('!', '') as ScalarShape;
      if (type === 'any') return;
      if (typeof value !== type || (type === 'number' && !Number.isFinite(value))) {
        this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}`);
      }
      return;
    }
    if ('boolOr' in shape) {
      if (typeof value === 'boolean') return;
      if (typeof value !== 'object' || Array.isArray(value)) this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}`);
      this.shape(prop, value, shape.boolOr);
      return;
    }
    if ('labelMap' in shape) {
      if (typeof value !== 'object' || Array.isArray(value)) this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}`);
      for (const [k, v] of Object.entries(value as object)) {
        if (typeof v !== 'string') this.fail(`${prop}[${describeValue(k)}]`, `expected a string label value, got ${describeTyped(v)}`);
      }
      return;
    }
    if ('list' in shape) {
      if (!Array.isArray(value)) {
        const itemType = typeof shape.list === 'string' ? shape.list.replace('!', '') : 'object';
        const hint = typeof value === itemType ? `; for one item write [${typeof value === 'object' ? '{ ... }' : describeValue(value)}]` : '';
        this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}${hint}`);
      }
      (value as unknown[]).forEach((item, i) => {
        if (item === undefined || item === null) this.fail(`${prop}[${i}]`, `is ${item === null ? 'null' : 'undefined'}: a list item must be ${shapeText(shape.list)}; remove the empty item`);
        this.shape(`${prop}[${i}]`, item, shape.list);
      });
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}${shape.example ? `; e.g. ${shape.example}` : ''}`);
    }
    for (const [field, fieldShape] of Object.entries(shape.fields)) {
      this.shape(prop ? `${prop}.${field}` : field, (value as Record<string, unknown>)[field], fieldShape);
    }
  }

  /**
   * A registry override `host[:port][/path]`, as the Installation's and the operator's `registry`
   * take it (a trailing `/` allowed): no scheme, whitespace or control characters.
   */
  public registry(prop: string, value: string | undefined): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.fail(prop, `expected a registry host as a string, got ${describeTyped(value)}`);
    try {
      validateRegistry(this.where, prop, value.endsWith('/') ? value.slice(0, -1) : value);
    } catch (e) {
      this.fail(prop, (e as Error).message.replace(`${this.where}: ${prop} `, ''));
    }
  }

  /** A Kubernetes namespace name (DNS-1123 label). */
  public namespace(prop: string, value: string | undefined): void {
    if (value === undefined) return;
    if (typeof value !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) {
      this.fail(prop, `${describeValue(value)} is not a namespace name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit, e.g. "calico-system"`);
    }
  }

  private check<T>(prop: string, parsed: Parsed<T>): T {
    if (!parsed.ok) this.fail(prop, parsed.error);
    return parsed.value;
  }

  /** A strict CIDR (mask required, no host bits). */
  public cidr(prop: string, value: string) {
    return this.check(prop, parseCidr(value));
  }

  public cidrs(prop: string, values: readonly string[] | undefined): void {
    (values ?? []).forEach((v, i) => this.cidr(`${prop}[${i}]`, v));
  }

  /** An IP address, optionally with a port. */
  public peerAddress(prop: string, value: string): void {
    this.check(prop, parsePeerAddress(value));
  }

  /**
   * An AS number. Calico's Go API takes 4-byte AS numbers, but every supported release's CRD
   * declares `asNumber` as int32, so the API server refuses values above 2147483647.
   */
  public asNumber(prop: string, value: number | undefined): void {
    if (value === undefined) return;
    this.check(prop, parseAsNumber(value));
    if (value > INT32_MAX) {
      this.fail(prop, `AS number ${value} is above ${INT32_MAX}: Calico's CRDs declare asNumber as int32, so the API server refuses it; use an AS number from 0 to ${INT32_MAX} (private 2-byte ASNs are 64512-65534)`);
    }
  }

  public port(prop: string, value: number | undefined): void {
    if (value !== undefined) this.check(prop, parsePort(value));
  }

  public community(prop: string, value: string): void {
    this.check(prop, parseCommunity(value));
  }

  public duration(prop: string, value: string | undefined): void {
    if (value !== undefined) this.check(prop, parseGoDuration(value));
  }

  /** A Kubernetes object name (DNS-1123 subdomain). */
  public name(prop: string, value: string): void {
    const problem = typeof value === 'string' ? dnsSubdomainProblem(value) : `${describeValue(value)} is not a name`;
    if (problem) this.fail(prop, problem);
  }

  /** A Calico selector. */
  public selector(prop: string, value: string | undefined): void {
    if (value === undefined) return;
    const r = parseSelector(value);
    if (!r.ok) this.fail(prop, `selector ${describeValue(value)} is not valid at position ${r.error.position}: ${r.error.message}`);
  }

  /** A whole number in [min, max]. */
  public integer(prop: string, value: number | undefined, min: number, max: number, context = ''): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, `${value} is not allowed${context ? ` ${context}` : ''}: use a whole number from ${min} to ${max}`);
    }
  }

  /** At most one of the given props is set. */
  public exclusive(props: Record<string, unknown>): void {
    const set = Object.entries(props).filter(([, v]) => v !== undefined && v !== '');
    if (set.length > 1) this.fail(set.map(([k]) => k).join(', '), `${set.map(([k]) => k).join(' and ')} cannot both be set; choose one`);
  }
}

function shapeText(shape: PropShape): string {
  if (typeof shape === 'string') {
    const type = shape.replace('!', '');
    return type === 'any' ? 'a value' : `a ${type}`;
  }
  if ('boolOr' in shape) return `true, false or ${shapeText(shape.boolOr)}`;
  if ('labelMap' in shape) return 'an object of label names to string values';
  if ('list' in shape) return `a list (array) of ${shapeText(shape.list).replace(/^an? /, '')}s`;
  return 'an object';
}

function describeTyped(value: unknown): string {
  if (typeof value === 'string') return `the string ${describeValue(value)}`;
  if (typeof value === 'number') return `the number ${describeValue(value)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'function') return 'a function';
  return describeValue(value);
}
