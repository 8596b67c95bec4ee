import { describeValue, isRecord } from '../../model/values';
import { dnsSubdomainProblem } from '../../model/names';
import { parseCidr } from '../../model/net';
import { parseSelector, printSelector } from '../../model/selector';
import { CALICO_RELEASES, CalicoVersion } from '../../releases/releases';
import { checkSelector, oneOf } from './common';
import { asArray, Findings, nonEmpty } from '../../model/manifest';
import { checkAnnotations, schemaHas } from './meta';

/**
 * The rules shared by every kind that holds policy rules (NetworkPolicy, GlobalNetworkPolicy, the
 * staged kinds, Profile): libcalico-go validator/v3 `validateRule`, `validateEntityRule`,
 * `validateICMPFields`, `validateHTTPRule`, `validateRuleMetadata`, the `validateProtocol` and
 * `validatePort` struct validators and the field tags of api/pkg/apis/projectcalico/v3
 * policy_common.go (action, ipVersion, selector, net, name, portName), plus the numorstring
 * decoding of protocols and ports (api/pkg/lib/numorstring protocol.go, port.go).
 */

/** Where a rule sits. */
export interface RuleContext {
  readonly tag: CalicoVersion | undefined;
  /** crd.projectcalico.org CRD of the object, for not repeating what its schema enforces. */
  readonly crd: string | undefined;
  /** Schema path of the rule list (e.g. ['spec', 'ingress']). */
  readonly schemaPath: readonly string[];
  readonly direction: 'ingress' | 'egress';
  /** GlobalNetworkPolicy (and staged): services need a namespace. */
  readonly global: boolean;
}

const ACTIONS = ['Allow', 'Deny', 'Log', 'Pass'];
/** validator/v3 `protocolRegex` (case-sensitive). */
const PROTOCOL_NAMES = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];
/** numorstring Port decoding: a named port (`nameRegex`). */
const PORT_NAME_DECODE = /^[a-zA-Z0-9_.-]{1,128}$/;
/** apimachinery IsValidPortName (IANA service name). */
const IANA_PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** A rule protocol as numorstring.Protocol decodes it. */
export type Protocol = { readonly kind: 'number'; readonly value: number } | { readonly kind: 'name'; readonly value: string };

/**
 * Decodes a protocol as numorstring.Uint8OrString does: a JSON number (0-255), or a string that
 * is a decimal uint8 (then a number) or else a name. Undefined when the value cannot be decoded.
 */
export function decodeProtocol(v: unknown): Protocol | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= 255 ? { kind: 'number', value: v } : undefined;
  if (typeof v !== 'string') return undefined;
  if (/^[0-9]+$/.test(v) && Number(v) <= 255) return { kind: 'number', value: Number(v) };
  return { kind: 'name', value: v };
}

/** numorstring Protocol.SupportsPorts: TCP (6), UDP (17), SCTP (132), by number or name (v1 lower case too). */
export function protocolSupportsPorts(p: Protocol | undefined): boolean {
  if (p === undefined) return false;
  if (p.kind === 'number') return p.value === 6 || p.value === 17 || p.value === 132;
  return ['TCP', 'UDP', 'SCTP', 'tcp', 'udp', 'sctp'].includes(p.value);
}

/** Checks a protocol field (validateProtocol): 1-255, or one of the names (case-sensitive). */
export function checkProtocol(v: unknown, path: string, f: Findings): Protocol | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' && typeof v !== 'string') return undefined; // the schema reports the type
  const p = decodeProtocol(v);
  if (p === undefined) {
    f.error(path, `protocol ${describeValue(v)} is out of range: use a protocol number from 1 to 255 or a name: ${oneOf(PROTOCOL_NAMES)}`);
    return undefined;
  }
  if (p.kind === 'number' && p.value === 0) {
    f.error(path, `protocol 0 is not valid: use a protocol number from 1 to 255 or a name: ${oneOf(PROTOCOL_NAMES)}`);
    return undefined;
  }
  if (p.kind === 'name' && !PROTOCOL_NAMES.includes(p.value)) {
    const fixed = PROTOCOL_NAMES.find((n) => n.toLowerCase() === p.value.toLowerCase());
    f.error(path, `protocol ${describeValue(v)} is not a protocol Calico knows (names are case-sensitive): use ${oneOf(PROTOCOL_NAMES)} or a number from 1 to 255${fixed ? `; here ${JSON.stringify(fixed)}` : ''}`);
    return undefined;
  }
  return p;
}

/** Why a port entry of a rule is invalid (numorstring.Port decoding, validatePort, portName), or undefined. */
export function portProblem(v: unknown): string | undefined {
  const hint = 'a port is a number from 1 to 65535, a range "min:max", or the name of a named port (e.g. "http")';
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 65535) return `port ${describeValue(v)} is out of range: ${hint}`;
    if (v === 0) return `port 0 is not valid: ${hint}`;
    return undefined;
  }
  if (typeof v !== 'string') return undefined; // the schema reports the type
  if (/^[0-9]+$/.test(v)) {
    const n = Number(v);
    if (n > 65535) return `port ${describeValue(v)} is out of range: ${hint}`;
    if (n === 0) return `port "0" is not valid: ${hint}`;
    return undefined;
  }
  const range = /^([0-9]+):([0-9]+)$/.exec(v);
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    if (min > 65535 || max > 65535) return `port range ${describeValue(v)} is out of range: ${hint}`;
    if (min > max) return `port range ${describeValue(v)} runs backwards (minimum ${min} is greater than maximum ${max}): write "${max}:${min}"`;
    if (min === 0) return `port range ${describeValue(v)} starts at 0: port numbers go from 1 to 65535`;
    return undefined;
  }
  if (!PORT_NAME_DECODE.test(v)) return `port ${describeValue(v)} is neither a number, a range "min:max" nor a port name: ${hint}`;
  if (v.length > 15 || !IANA_PORT_NAME.test(v) || v.includes('--') || !/[a-z]/.test(v)) {
    return `named port ${describeValue(v)} is not a valid port name: use at most 15 lower case letters, digits and '-', with at least one letter, no '--', not starting or ending with '-' (e.g. "http-alt")`;
  }
  return undefined;
}

/** Checks a list of rule ports (validatePort on each entry). */
function checkPorts(ports: unknown, path: string, f: Findings): void {
  asArray(ports).forEach((p, i) => {
    const problem = portProblem(p);
    if (problem) f.error(`${path}[${i}]`, problem);
  });
}

/** Whether a selector text uses `global()` (validator/v3 checks the plain text: `strings.Contains`). */
export function containsGlobal(selector: unknown, prefix = 'global()'): boolean {
  return typeof selector === 'string' && selector.includes(prefix);
}

/** validator/v3 `globalSelectorEntRule`: global() in a field other than an EntityRule namespaceSelector. */
export function checkNoGlobal(selector: unknown, path: string, field: string, f: Findings): void {
  if (containsGlobal(selector)) {
    f.error(path, `${field} ${describeValue(selector)} uses global(), which Calico allows only in a rule's source/destination namespaceSelector (where it selects non-namespaced endpoints: host endpoints and global network sets); remove global() from ${field}`);
  }
}

/** v3.24 `globalSelectorRegex`, matched against the canonical selector text. */
const GLOBAL_JOINED = /(&&|\|\|) global\(\)|global\(\) (&&|\|\|)/;

/**
 * validator/v3 `validateEntityRule`: a namespaceSelector holding global() must be global() alone.
 * v3.24 checks the canonical text for global() joined with && or ||; later releases tokenize and
 * require exactly the token global() (so `!global()` and `(global())` fail too).
 */
export function checkGlobalNamespaceSelector(value: unknown, path: string, tag: CalicoVersion | undefined, f: Findings): void {
  if (typeof value !== 'string' || !value.includes('global(')) return;
  const mode = tag !== undefined ? CALICO_RELEASES[tag].globalNamespaceSelectorCheck : 'tokens';
  let bad: boolean;
  if (mode === 'canonical-regex') {
    const parsed = parseSelector(value);
    bad = parsed.ok && GLOBAL_JOINED.test(printSelector(parsed.ast));
  } else {
    bad = value !== 'global()' && !/^[ \t]*global\([ \t]*\)[ \t]*$/.test(value);
  }
  if (bad) {
    f.error(path, `namespaceSelector ${describeValue(value)} uses global() together with other terms (negation, parentheses, && or ||), which Calico rejects: global() must be the whole namespaceSelector (it selects the non-namespaced endpoints and network sets); use namespaceSelector: global() and put the other conditions in selector`);
  }
}

type Side = 'source' | 'destination';

/** validator/v3 `validateEntityRule` and the EntityRule field tags. */
function checkEntityRule(er: Record<string, unknown>, path: string, side: Side, ctx: RuleContext, f: Findings): void {
  checkSelector(er.selector, `${path}.selector`, f);
  checkSelector(er.notSelector, `${path}.notSelector`, f);
  checkSelector(er.namespaceSelector, `${path}.namespaceSelector`, f);
  checkNoGlobal(er.selector, `${path}.selector`, `${side}.selector`, f);
  checkGlobalNamespaceSelector(er.namespaceSelector, `${path}.namespaceSelector`, ctx.tag, f);
  checkPorts(er.ports, `${path}.ports`, f);
  checkPorts(er.notPorts, `${path}.notPorts`, f);
  if (isRecord(er.serviceAccounts)) checkSelector(er.serviceAccounts.selector, `${path}.serviceAccounts.selector`, f);

  if (er.services !== undefined && er.services !== null) {
    const services = isRecord(er.services) ? er.services : {};
    const sp = `${path}.services`;
    const name = nonEmpty(services.name);
    if (name === undefined) {
      f.error(`${sp}.name`, `${side}.services names no Service: set services.name (and services.namespace${ctx.global ? ', required in a GlobalNetworkPolicy' : ''})`);
    }
    for (const field of ['name', 'namespace']) {
      const v = nonEmpty(services[field]);
      const problem = v !== undefined ? dnsSubdomainProblem(v) : undefined;
      if (problem) f.error(`${sp}.${field}`, `services.${field} ${problem}`);
    }
    const conflicts: string[] = [];
    if (nonEmpty(er.namespaceSelector) !== undefined) conflicts.push('namespaceSelector');
    if (nonEmpty(er.selector) !== undefined) conflicts.push('selector');
    if (nonEmpty(er.notSelector) !== undefined) conflicts.push('notSelector');
    if (er.serviceAccounts !== undefined && er.serviceAccounts !== null) conflicts.push('serviceAccounts');
    if (asArray(er.nets).length > 0) conflicts.push('nets');
    if (asArray(er.notNets).length > 0) conflicts.push('notNets');
    if (conflicts.length > 0) {
      f.error(sp, `${side}.services cannot be combined with ${conflicts.join(', ')} in the same rule (a service rule matches the Service's endpoints and their addresses): split it into two rules, or drop ${conflicts.join(', ')}`);
    }
  }
}

/**
 * Checks one policy rule (validateRule, validateEntityRule, validateICMPFields, validateHTTPRule,
 * validateRuleMetadata, the field tags) and, from the policy-level checks
 * (validateNetworkPolicySpec, validateGlobalNetworkPolicySpec), the ones that look at one rule:
 * Services on the wrong side, HTTP in egress rules, Services without a namespace in a global policy.
 */
export function checkRule(rule: unknown, path: string, ctx: RuleContext, f: Findings): void {
  if (!isRecord(rule)) return;
  const { tag, crd, schemaPath } = ctx;

  // Action: `action` tag (Allow|Deny|Log|Pass); v3.32's schema has the enum.
  const action = rule.action;
  if (!schemaHas(tag, crd, [...schemaPath, 'action'], 'enum')) {
    if (action === undefined || action === null || action === '') {
      f.error(`${path}.action`, `the rule has no action: set action to ${oneOf(ACTIONS)}`);
    } else if (typeof action === 'string' && !ACTIONS.includes(action)) {
      const fixed = ACTIONS.find((a) => a.toLowerCase() === action.toLowerCase());
      f.error(`${path}.action`, `action ${describeValue(action)} is not allowed (case-sensitive): use ${oneOf(ACTIONS)}${fixed ? `; here ${JSON.stringify(fixed)}` : ''}`);
    }
  }

  // ipVersion: `omitempty,ipVersion` (4 or 6).
  const ipVersion = rule.ipVersion;
  if (typeof ipVersion === 'number' && ipVersion !== 4 && ipVersion !== 6 && !schemaHas(tag, crd, [...schemaPath, 'ipVersion'], 'enum')) {
    f.error(`${path}.ipVersion`, `ipVersion ${describeValue(ipVersion)} is not allowed: use 4 or 6, or leave it out to match both`);
  }
  const version = ipVersion === 4 || ipVersion === 6 ? ipVersion : undefined;

  const protocol = checkProtocol(rule.protocol, `${path}.protocol`, f);
  const notProtocol = checkProtocol(rule.notProtocol, `${path}.notProtocol`, f);
  const protocolText = rule.protocol !== undefined && rule.protocol !== null ? describeValue(rule.protocol) : undefined;

  const src = isRecord(rule.source) ? rule.source : {};
  const dst = isRecord(rule.destination) ? rule.destination : {};

  // Ports need a protocol that has ports.
  if (!protocolSupportsPorts(protocol)) {
    for (const [side, er] of [['source', src], ['destination', dst]] as const) {
      for (const field of ['ports', 'notPorts']) {
        if (asArray(er[field]).length > 0) {
          f.error(`${path}.${side}.${field}`, `${side}.${field} needs the rule's protocol to be TCP, UDP or SCTP (ports exist only for them), but protocol is ${protocolText ?? 'not set'}: set protocol: TCP (or UDP, SCTP), or remove ${field}`);
        }
      }
    }
  }

  // ICMP fields.
  for (const field of ['icmp', 'notICMP']) {
    const icmp = rule[field];
    if (!isRecord(icmp)) continue;
    const type = icmp.type;
    const code = icmp.code;
    const ip = `${path}.${field}`;
    if (typeof type === 'number' && (type < 0 || type > 254) && !schemaHas(tag, crd, [...schemaPath, field, 'type'], 'maximum')) {
      f.error(`${ip}.type`, `ICMP type ${describeValue(type)} is out of range: use 0 to 254 (e.g. 8 for echo request)`);
    }
    if (typeof code === 'number' && (code < 0 || code > 255) && !schemaHas(tag, crd, [...schemaPath, field, 'code'], 'maximum')) {
      f.error(`${ip}.code`, `ICMP code ${describeValue(code)} is out of range: use 0 to 255`);
    }
    if (code !== undefined && code !== null && (type === undefined || type === null)) {
      f.error(`${ip}.code`, `${field}.code (${describeValue(code)}) is set without ${field}.type: the kernel matches an ICMP code only together with a type; add ${field}.type`);
    }
  }
  if (isRecord(rule.icmp) && !(protocol?.kind === 'name' && (protocol.value === 'ICMP' || protocol.value === 'ICMPv6'))) {
    f.error(`${path}.icmp`, `icmp matches need protocol ICMP or ICMPv6, written by name, but protocol is ${protocolText ?? 'not set'}: set protocol: ICMP (IPv4) or ICMPv6 (IPv6)`);
  }
  const isNamed = (p: Protocol | undefined, name: string) => p?.kind === 'name' && p.value === name;
  if ((isNamed(protocol, 'ICMP') || isNamed(notProtocol, 'ICMP')) && version !== undefined && version !== 4) {
    f.error(`${path}.ipVersion`, 'protocol ICMP is IPv4 only, but ipVersion is 6: use protocol ICMPv6 for IPv6, or ipVersion 4');
  }
  if ((isNamed(protocol, 'ICMPv6') || isNamed(notProtocol, 'ICMPv6')) && version !== undefined && version !== 6) {
    f.error(`${path}.ipVersion`, 'protocol ICMPv6 is IPv6 only, but ipVersion is 4: use protocol ICMP for IPv4, or ipVersion 6');
  }

  // Nets: strictly masked CIDRs (`net` tag, cnet.ParseCIDR), one family per rule, matching ipVersion.
  let seen: 4 | 6 | undefined;
  let seenAt = '';
  for (const [side, er] of [['source', src], ['destination', dst]] as const) {
    for (const field of ['nets', 'notNets']) {
      const fp = `${path}.${side}.${field}`;
      asArray(er[field]).forEach((n, i) => {
        if (typeof n !== 'string') return;
        const c = parseCidr(n);
        if (!c.ok) {
          f.error(`${fp}[${i}]`, `${side}.${field}: ${c.error}`);
          return;
        }
        const fam = c.value.family;
        if (version !== undefined && fam !== version) {
          f.error(`${fp}[${i}]`, `${describeValue(n)} is an IPv${fam} CIDR but the rule has ipVersion ${version}: use IPv${version} CIDRs, or change ipVersion`);
        } else if (seen !== undefined && fam !== seen) {
          f.error(`${fp}[${i}]`, `${describeValue(n)} is IPv${fam} but ${seenAt} is IPv${seen}: one rule matches one IP family; put the IPv${fam} CIDRs in a rule of their own`);
        }
        if (seen === undefined) {
          seen = fam;
          seenAt = `${side}.${field}[${i}] (${describeValue(n)})`;
        }
      });
    }
  }

  checkEntityRule(src, `${path}.source`, 'source', ctx, f);
  checkEntityRule(dst, `${path}.destination`, 'destination', ctx, f);

  // Destination services use the endpoints' ports.
  if (dst.services !== undefined && dst.services !== null) {
    for (const field of ['ports', 'notPorts']) {
      if (asArray(dst[field]).length > 0) {
        f.error(`${path}.destination.${field}`, `destination.${field} cannot be combined with destination.services: a service rule uses the ports of the Service's endpoints; remove destination.${field}`);
      }
    }
  }

  // Services on the wrong side of the rule.
  if (ctx.direction === 'egress' && src.services !== undefined && src.services !== null) {
    f.error(`${path}.source.services`, 'services is not allowed in the source of an egress rule (the source is the selected endpoint itself): move it to destination.services, or to an ingress rule');
  }
  if (ctx.direction === 'ingress' && dst.services !== undefined && dst.services !== null) {
    f.error(`${path}.destination.services`, 'services is not allowed in the destination of an ingress rule (the destination is the selected endpoint itself): move it to source.services, or to an egress rule');
  }
  if (ctx.global) {
    const svc = ctx.direction === 'egress' ? dst.services : src.services;
    const side = ctx.direction === 'egress' ? 'destination' : 'source';
    if (isRecord(svc) && nonEmpty(svc.namespace) === undefined) {
      f.error(`${path}.${side}.services.namespace`, `${side}.services in a GlobalNetworkPolicy must name the Service's namespace (a global policy has none to default to): set services.namespace`);
    }
  }

  // HTTP match (application layer policy).
  if (rule.http !== undefined && rule.http !== null) {
    const hp = `${path}.http`;
    if (ctx.direction === 'egress') {
      f.error(hp, 'http matches are not allowed in egress rules (application layer policy applies to incoming requests): move the rule to ingress, or remove http');
    }
    if (typeof action === 'string' && action !== 'Allow') {
      f.error(hp, `http matches are only valid in Allow rules, but action is ${describeValue(action)}: use action: Allow, or remove http`);
    }
    if (rule.protocol !== undefined && rule.protocol !== null && !isNamed(protocol, 'TCP')) {
      f.error(`${path}.protocol`, `a rule with http matches must have protocol TCP (written by name) or none, but protocol is ${protocolText}: set protocol: TCP`);
    }
    if (isRecord(rule.http)) checkHttp(rule.http, hp, f);
  }

  if (isRecord(rule.metadata)) checkAnnotations(rule.metadata.annotations, `${path}.metadata.annotations`, f);
}

/** validator/v3 `validateHTTPMethods` and `validateHTTPPaths`. */
function checkHttp(http: Record<string, unknown>, path: string, f: Findings): void {
  const methods = asArray(http.methods).filter((m): m is string => typeof m === 'string');
  const seen = new Set<string>();
  for (const m of methods) {
    if (seen.has(m)) {
      f.error(`${path}.methods`, `HTTP method ${describeValue(m)} is listed more than once: list each method once`);
      break;
    }
    seen.add(m);
  }
  asArray(http.paths).forEach((p, i) => {
    if (!isRecord(p)) return;
    const pp = `${path}.paths[${i}]`;
    const exact = nonEmpty(p.exact);
    const prefix = nonEmpty(p.prefix);
    if (exact !== undefined && prefix !== undefined) {
      f.error(pp, 'an HTTP path match sets both exact and prefix: keep one of them');
      return;
    }
    const v = exact ?? prefix;
    if (v === undefined) {
      f.error(pp, 'an HTTP path match sets neither exact nor prefix: set one of them, e.g. prefix: /api');
      return;
    }
    if (!v.startsWith('/') || /[? #]/.test(v)) {
      f.error(`${pp}.${exact !== undefined ? 'exact' : 'prefix'}`, `HTTP path ${describeValue(v)} is not valid: it must start with '/' and contain no '?', '#' or space (a path, without query or fragment)`);
    }
  });
}

/** Checks every rule of a policy-like spec's ingress and egress lists. */
export function checkRuleLists(spec: Record<string, unknown>, base: string, ctx: Omit<RuleContext, 'direction' | 'schemaPath'>, f: Findings, schemaBase: readonly string[] = ['spec']): void {
  for (const direction of ['ingress', 'egress'] as const) {
    asArray(spec[direction]).forEach((rule, i) => {
      checkRule(rule, `${base}.${direction}[${i}]`, { ...ctx, direction, schemaPath: [...schemaBase, direction] }, f);
    });
  }
}
