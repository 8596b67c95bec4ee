import { parseCidr, parsePeerAddress, parsePort } from '../model/net';
import { Parsed } from '../model/values';
import { parseAsNumber, parseCommunity } from '../model/bgp-values';
import { dnsSubdomainProblem, parseGoDuration } from '../validation/rules/common';
import { parseSelector } from '../model/selector';
import { CalicoDeploymentProps, ResolvedRelease, resolveRelease } from '../releases/resolve-release';

const INT32_MAX = 2147483647;

/**
 * Early checks of construct props: a construct throws at once, naming itself, the prop and the bad
 * value with what is allowed, instead of emitting YAML that Calico would reject. The parsers are
 * the validators' own (src/validation), so both say the same thing; checks that need the whole
 * chart run later, in the chart's validation.
 */
export class PropChecker {
  /** @param where the construct, e.g. `CalicoBgpPeer "tor-a"` */
  constructor(private readonly where: string) {}

  /** Throws `<where>: <prop>: <message>`. */
  public fail(prop: string, message: string): never {
    throw new Error(`${this.where}: ${prop}: ${message}`);
  }

  private check<T>(prop: string, parsed: Parsed<T>): T {
    if (!parsed.ok) this.fail(prop, parsed.error);
    return parsed.value;
  }

  /** The Calico release and API mode of `props` (defaults applied), checked as everywhere else. */
  public release(props: CalicoDeploymentProps): ResolvedRelease {
    const version = resolveRelease(props.calicoVersion);
    if (!version.ok) this.fail('calicoVersion', version.error);
    return this.check('apiMode', resolveRelease(props.calicoVersion, props.apiMode));
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
    const problem = typeof value === 'string' ? dnsSubdomainProblem(value) : `${JSON.stringify(value)} is not a name`;
    if (problem) this.fail(prop, problem);
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

  /** At most one of the given props is set. */
  public exclusive(props: Record<string, unknown>): void {
    const set = Object.entries(props).filter(([, v]) => v !== undefined && v !== '');
    if (set.length > 1) this.fail(set.map(([k]) => k).join(', '), `${set.map(([k]) => k).join(' and ')} cannot both be set; choose one`);
  }
}
