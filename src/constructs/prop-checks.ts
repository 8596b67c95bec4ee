import { IConstruct } from 'constructs';
import { parseCidr, parsePeerAddress, parsePort } from '../model/net';
import { CalicoValidationError, escapeControlCharacters, shortenText, Violation } from '../model/violation';
import { Parsed } from '../model/values';
import { parseAsNumber, parseCommunity } from '../model/bgp-values';
import { parseGoDuration } from '../model/duration';
import { dnsSubdomainProblem } from '../model/names';
import * as ipaddr from 'ipaddr.js';
import { parseRegistry } from '../model/image';
import { dnsLabelProblem, labelKeyProblem, labelValueProblem } from '../model/names';
import { parseSelector } from '../model/selector';
import { describeValue } from '../model/values';
import { KubernetesServicesEndpoint, PodToleration } from './pod-settings';
import { CalicoDeploymentProps, ResolvedRelease, resolveRelease } from '../releases/resolve-release';

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
 * Prop problems being gathered for a construct tree under construction (a CalicoTorChart registers
 * itself while its constructor runs), keyed by the collecting construct.
 */
const COLLECTORS = new WeakMap<IConstruct, Violation[]>();

/** The collector of the nearest ancestor of `scope` (itself included) that collects, if any. */
function collectorOf(scope: IConstruct): Violation[] | undefined {
  for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
    const c = COLLECTORS.get(s);
    if (c) return c;
  }
  return undefined;
}

/** Prop problems gathered for a construct tree; see {@link collectPropProblems}. */
export interface PropProblems {
  /** Stops gathering; throws one CalicoValidationError listing every problem gathered, if any. */
  finish(): void;
}

/**
 * Starts gathering the prop problems of every construct created under `scope` (a chart, from the
 * start of its constructor), so that `finish()` at its end reports them all together, in the
 * validation's format with the count, instead of the first one alone.
 */
export function collectPropProblems(scope: IConstruct): PropProblems {
  const problems: Violation[] = [];
  COLLECTORS.set(scope, problems);
  return {
    finish() {
      COLLECTORS.delete(scope);
      if (problems.length > 0) throw new CalicoValidationError(problems);
    },
  };
}

/**
 * Early checks of construct props, naming the construct, the prop and the bad value with what is
 * allowed, instead of emitting YAML that Calico would reject. The parsers are the validators' own
 * (src/validation), so both say the same thing; checks that need the whole chart run later, in
 * the chart's validation.
 *
 * Every problem is recorded and checking goes on (a failed check returns `undefined` where it
 * returns a value), so that all problems are reported at once, as CalicoValidationError violations
 * (`error CalicoBgpPeer/tor-a peerIp: ...`):
 * - inside a CalicoTorChart, the chart reports those of all its constructs together when its
 *   constructor ends;
 * - a construct on its own throws when it calls {@link done} at the end of its constructor;
 * - a checker without a scope (a method's argument check) throws at the first problem.
 * Problems that leave nothing to check further (an unknown release) throw at once.
 */
export class PropChecker {
  private readonly problems: Violation[] = [];

  /**
   * @param where the construct, e.g. `CalicoBgpPeer "tor-a"` (kind, and the object's name if any)
   * @param scope the construct being checked: problems are gathered (see the class comment)
   */
  constructor(private readonly where: string, private readonly scope?: IConstruct) {}

  /** Records `<where> <prop>: <message>` (throws at once without a scope). */
  public fail(prop: string, message: string): void {
    const m = /^(\S+)(?: "(.*)")?$/.exec(this.where);
    const violation: Violation = {
      apiVersion: '',
      kind: m ? m[1] : this.where,
      name: m?.[2] ?? this.scope?.node.path ?? '',
      path: prop,
      message: shortenText(escapeControlCharacters(message), MAX_ERROR_LENGTH),
      severity: 'error',
    };
    if (!this.scope) throw new CalicoValidationError([violation]);
    this.problems.push(violation);
    collectorOf(this.scope)?.push(violation);
  }

  /** Throws the problems recorded so far, unless an enclosing chart gathers them. */
  public done(): void {
    if (this.problems.length > 0 && !(this.scope && collectorOf(this.scope))) throw new CalicoValidationError(this.problems);
  }

  /**
   * Throws the problems recorded so far (those of the whole chart when one gathers them), when
   * going on would need the values found bad.
   */
  public stopIfFailed(): void {
    if (this.problems.length > 0) this.fatal();
  }

  private fatal(): never {
    throw new CalicoValidationError((this.scope && collectorOf(this.scope)) || this.problems);
  }

  private check<T>(prop: string, parsed: Parsed<T>): T | undefined {
    if (parsed.ok) return parsed.value;
    this.fail(prop, parsed.error);
    return undefined;
  }

  /**
   * Checks the JavaScript types of a construct's props (see {@link PropShape}): `null`, a string
   * where a list belongs, a `null` list item or a missing required prop is an error naming the
   * construct and the prop, never a TypeError later.
   */
  public props(props: unknown, fields: { readonly [prop: string]: PropShape }): void {
    if (props === undefined) {
      const required = Object.entries(fields).filter(([, f]) => (typeof f === 'string' ? f.endsWith('!') : 'required' in f && f.required === true)).map(([k]) => k);
      if (required.length > 0) {
        this.fail('props', `are required: give an object with ${required.join(', ')}`);
        this.fatal();
      }
      return;
    }
    const before = this.problems.length;
    if (props === null || typeof props !== 'object' || Array.isArray(props)) {
      this.fail('props', `expected an object of props, got ${describeValue(props)}`);
    } else {
      this.shape('', props, { fields });
    }
    // Building the construct from values of the wrong type would throw a TypeError: stop here.
    if (this.problems.length > before) this.fatal();
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
      return;
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
      if (typeof value !== 'object' || Array.isArray(value)) return this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}`);
      this.shape(prop, value, shape.boolOr);
      return;
    }
    if ('labelMap' in shape) {
      if (typeof value !== 'object' || Array.isArray(value)) return this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}`);
      for (const [k, v] of Object.entries(value as object)) {
        if (typeof v !== 'string') this.fail(`${prop}[${describeValue(k)}]`, `expected a string label value, got ${describeTyped(v)}`);
      }
      return;
    }
    if ('list' in shape) {
      if (!Array.isArray(value)) {
        const itemType = typeof shape.list === 'string' ? shape.list.replace('!', '') : 'object';
        const hint = typeof value === itemType ? `; for one item write [${typeof value === 'object' ? '{ ... }' : describeValue(value)}]` : '';
        return this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}${hint}`);
      }
      (value as unknown[]).forEach((item, i) => {
        if (item === undefined || item === null) this.fail(`${prop}[${i}]`, `is ${item === null ? 'null' : 'undefined'}: a list item must be ${shapeText(shape.list)}; remove the empty item`);
        else this.shape(`${prop}[${i}]`, item, shape.list);
      });
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      return this.fail(prop, `expected ${shapeText(shape)}, got ${describeTyped(value)}${shape.example ? `; e.g. ${shape.example}` : ''}`);
    }
    for (const [field, fieldShape] of Object.entries(shape.fields)) {
      this.shape(prop ? `${prop}.${field}` : field, (value as Record<string, unknown>)[field], fieldShape);
    }
  }

  /** A Kubernetes namespace name (DNS-1123 label). */
  public namespace(prop: string, value: string | undefined): void {
    if (value !== undefined) this.labelName(prop, value);
  }

  /** The Calico release and API mode of `props` (defaults applied), checked as everywhere else. */
  public release(props: CalicoDeploymentProps, modeProp = 'apiMode'): ResolvedRelease {
    const version = resolveRelease(props.calicoVersion);
    if (!version.ok) this.fail('calicoVersion', version.error);
    const resolved = this.check(modeProp, resolveRelease(props.calicoVersion, props.apiMode));
    // Everything else depends on the release: nothing more can be checked without it.
    return resolved ?? this.fatal();
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
    if (this.check(prop, parseAsNumber(value)) === undefined) return;
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
    const problem = typeof value === 'string' ? dnsSubdomainProblem(value) : `${JSON.stringify(value)} is not a name`;
    if (problem) this.fail(prop, problem);
  }

  /** A Kubernetes name that must be a DNS-1123 label (Namespace, and names used as label values). */
  public labelName(prop: string, value: string): void {
    const problem = typeof value === 'string' ? dnsLabelProblem(value) : `${describeValue(value)} is not a name`;
    if (problem) this.fail(prop, problem);
  }

  /** A registry override (`host[:port][/path]`, no trailing slash). */
  public registry(prop: string, value: string | undefined): string | undefined {
    return value === undefined ? undefined : this.check(prop, parseRegistry(value));
  }

  /** Names of image pull Secrets: each a DNS-1123 subdomain, none twice. */
  public imagePullSecrets(prop: string, names: readonly string[] | undefined): string[] {
    const out: string[] = [];
    (names ?? []).forEach((name, i) => {
      this.name(`${prop}[${i}]`, name);
      if (out.includes(name)) this.fail(`${prop}[${i}]`, `${describeValue(name)} is listed twice: list each Secret once`);
      out.push(name);
    });
    return out;
  }

  /** A node selector (label keys and values), copied. */
  public nodeSelector(prop: string, selector: { readonly [label: string]: string } | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(selector ?? {})) {
      const keyProblem = labelKeyProblem(key);
      if (keyProblem) this.fail(`${prop}[${JSON.stringify(key)}]`, keyProblem);
      const valueProblem = typeof value === 'string' ? labelValueProblem(value) : `label value ${describeValue(value)} is not a string`;
      if (valueProblem) this.fail(`${prop}[${JSON.stringify(key)}]`, valueProblem);
      out[key] = value;
    }
    return out;
  }

  /** Tolerations, returned as core/v1 Toleration JSON (only the fields given). */
  public tolerations(prop: string, tolerations: readonly PodToleration[]): Array<Record<string, unknown>> {
    const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
    return tolerations.map((t, i) => {
      const at = `${prop}[${i}]`;
      const operator = t.operator ?? 'Equal';
      if (operator !== 'Exists' && operator !== 'Equal') this.fail(`${at}.operator`, `${describeValue(operator)} is not allowed: use 'Exists' or 'Equal'`);
      if (t.key !== undefined && t.key !== '') {
        const problem = labelKeyProblem(t.key);
        if (problem) this.fail(`${at}.key`, `taint key: ${problem}`);
      }
      if (!t.key && operator !== 'Exists') {
        this.fail(at, `a toleration without key must use operator 'Exists' (it then matches every taint${t.effect ? ` with effect ${t.effect}` : ''})`);
      }
      if (operator === 'Exists' && t.value) this.fail(`${at}.value`, `${describeValue(t.value)} is not allowed with operator 'Exists': remove the value or use operator 'Equal'`);
      if (t.value !== undefined) {
        const problem = labelValueProblem(t.value);
        if (problem) this.fail(`${at}.value`, `taint value: ${problem}`);
      }
      if (t.effect !== undefined && !effects.includes(t.effect)) {
        this.fail(`${at}.effect`, `${describeValue(t.effect)} is not allowed: use ${effects.map((e) => `'${e}'`).join(', ')} or leave it out for every effect`);
      }
      if (t.tolerationSeconds !== undefined) {
        this.integer(`${at}.tolerationSeconds`, t.tolerationSeconds, 0, Number.MAX_SAFE_INTEGER, '(seconds)');
        if (t.effect !== 'NoExecute') this.fail(`${at}.tolerationSeconds`, "tolerationSeconds is only allowed with effect 'NoExecute': remove it or set effect 'NoExecute'");
      }
      const out: Record<string, unknown> = {};
      if (t.key !== undefined) out.key = t.key;
      if (t.operator !== undefined) out.operator = t.operator;
      if (t.value !== undefined) out.value = t.value;
      if (t.effect !== undefined) out.effect = t.effect;
      if (t.tolerationSeconds !== undefined) out.tolerationSeconds = t.tolerationSeconds;
      return out;
    });
  }

  /** The API server endpoint for clusters without kube-proxy: a host (IP or DNS name, no scheme or port) and a port. */
  public servicesEndpoint(prop: string, ep: KubernetesServicesEndpoint | undefined): KubernetesServicesEndpoint | undefined {
    if (ep === undefined) return undefined;
    const host = ep.host;
    if (typeof host !== 'string' || host.length === 0) {
      this.fail(`${prop}.host`, `${describeValue(host)} is not a host: give the API server's host name or IP address, e.g. "10.31.0.10"`);
      return undefined;
    }
    this.integer(`${prop}.port`, ep.port, 1, 65535, "(the API server's port, usually 6443)");
    const schemeless = host.replace(/^[a-z]+:\/\//i, '');
    const hostPort = /^([^:]+):([0-9]+)$/.exec(host);
    // One problem per host, the most specific.
    if (schemeless !== host) {
      this.fail(`${prop}.host`, `${describeValue(host)} has a scheme: give the host only, e.g. ${JSON.stringify(schemeless.split(/[/:]/)[0])}, and the port in ${prop}.port`);
    } else if (ipaddr.IPv4.isValidFourPartDecimal(host) || ipaddr.IPv6.isValid(host)) {
      // an IP address
    } else if (hostPort) {
      this.fail(`${prop}.host`, `${describeValue(host)} includes a port: use host ${JSON.stringify(hostPort[1])} and port ${hostPort[2]}`);
    } else if (host.length > 253 || !/^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$/.test(host)) {
      this.fail(`${prop}.host`, `${describeValue(host)} is neither an IP address nor a DNS name`);
    }
    return { host, port: ep.port };
  }

  /** A Calico selector. */
  public selector(prop: string, value: string | undefined): void {
    if (value === undefined) return;
    const r = parseSelector(value);
    if (!r.ok) this.fail(prop, `selector ${JSON.stringify(value)} is not valid at position ${r.error.position}: ${r.error.message}`);
  }

  /** A whole number in [min, max]. */
  public integer(prop: string, value: number | undefined, min: number, max: number, context = ''): void {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(prop, `${value} is not allowed${context ? ` ${context}` : ''}: use a whole number from ${min} to ${max}`);
    }
  }

  /** One of the listed values. */
  public oneOf(prop: string, value: unknown, allowed: readonly string[]): void {
    if (!allowed.includes(value as string)) this.fail(prop, `${describeValue(value)} is not supported: use ${allowed.map((a) => `'${a}'`).join(', ')}`);
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

/** A value with its JavaScript type, for prop type errors: `the string "x"`, `the number 42`. */
function describeTyped(value: unknown): string {
  if (typeof value === 'string') return `the string ${describeValue(value)}`;
  if (typeof value === 'number') return `the number ${describeValue(value)}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (typeof value === 'function') return 'a function';
  return describeValue(value);
}
