import { DNS1123_LABEL } from '../../model/names';
import { describeValue, isRecord } from '../../model/values';
import { parseCidr, parseIp } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { oneOf } from './common';
import { asArray, Findings, specOf } from '../../model/manifest';
import { releaseTag, schemaHas } from './meta';
import { portProblem } from './policy-rule';
import { INTERFACE_NAME } from './host-endpoint';

/**
 * Calico's rules for a FelixConfiguration (projectcalico.org/v3), mirroring libcalico-go
 * validator/v3 `validateFelixConfigSpec`, `validateRouteTableRange`, `validateRouteTableIDRange`
 * and `validateHealthTimeoutOverride`, and the field tags of api/pkg/apis/projectcalico/v3
 * felixconfig.go (logLevel, iptablesBackend, dropAcceptReturn, acceptReturn, dropReject,
 * bpfLogLevel, bpfServiceMode, oneof, gte/lte, keyValueList, regexp, prometheusHost, ifaceFilter,
 * interface, cidrs). A tag is not reported again where the release's schema enforces it.
 */

const OPENSTACK_PREFIX = 'openstack-region-';
const CRD = 'felixconfigurations.crd.projectcalico.org';
const LOG_LEVELS = ['Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal'];
/** validator/v3 `ifaceFilterRegex`. */
const IFACE_FILTER = /^[a-zA-Z0-9:._+-]{1,15}$/;
/** validator/v3 `prometheusHostRegexp`. */
const PROMETHEUS_HOST = /^[a-zA-Z0-9:._+-]{1,64}$/;
/** validator/v3 `kvRegex` (validateKeyValueList). */
const KEY_VALUE = /^\s*(\w+)=(.*)$/;

/** Fields whose `validate` tag names a set of values (regex validators and `oneof`), case-sensitive. */
const VALUE_SETS: Readonly<Record<string, readonly string[]>> = {
  logSeverityFile: LOG_LEVELS,
  logSeverityScreen: LOG_LEVELS,
  logSeveritySys: LOG_LEVELS,
  iptablesBackend: ['Legacy', 'NFT', 'Auto'],
  defaultEndpointToHostAction: ['Drop', 'Accept', 'Return'],
  iptablesFilterAllowAction: ['Accept', 'Return'],
  iptablesMangleAllowAction: ['Accept', 'Return'],
  nftablesFilterAllowAction: ['Accept', 'Return'],
  nftablesMangleAllowAction: ['Accept', 'Return'],
  iptablesFilterDenyAction: ['Drop', 'Reject'],
  nftablesFilterDenyAction: ['Drop', 'Reject'],
  bpfLogLevel: ['Debug', 'Info', 'Off'],
  bpfExternalServiceMode: ['Tunnel', 'DSR'],
  bpfConnectTimeLoadBalancing: ['TCP', 'Enabled', 'Disabled'],
  bpfHostNetworkedNATWithoutCTLB: ['Enabled', 'Disabled'],
  awsSrcDstCheck: ['DoNothing', 'Enable', 'Disable'],
  serviceLoopPrevention: ['Drop', 'Reject', 'Disabled'],
  workloadSourceSpoofing: ['Disabled', 'Any'],
  windowsManageFirewallRules: ['Enabled', 'Disabled'],
};
/** Integer fields with `gte`/`lte`-style tags: [min, max]. */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  debugPort: [0, 65535],
  bpfExtToServiceConnmark: [0, 4294967295],
  wireguardListeningPort: [1, 65535],
  wireguardListeningPortV6: [1, 65535],
  wireguardRoutingRulePriority: [1, 32765],
  goGCThreshold: [-1, Number.MAX_SAFE_INTEGER],
  goMemoryLimitMB: [-1, Number.MAX_SAFE_INTEGER],
  goMaxProcs: [-1, Number.MAX_SAFE_INTEGER],
};
const REGEXP_FIELDS = ['logDebugFilenameRegex', 'bpfDataIfacePattern', 'bpfL3IfacePattern', 'bpfDisableGROForIfaces', 'mtuIfacePattern'];

/** Whether a Go (RE2) regular expression compiles, as far as JavaScript can tell (inline flags stripped). */
function regexpCompiles(s: string): boolean {
  try {
    new RegExp(s.replace(/\(\?[imsU]+\)/g, ''), 'u');
    return true;
  } catch {
    try {
      new RegExp(s.replace(/\(\?[imsU]+\)/g, ''));
      return true;
    } catch {
      return false;
    }
  }
}

/** The field tags of api/pkg/apis/projectcalico/v3 felixconfig.go (values, ranges, regexps, interfaces, CIDR lists). */
function checkFieldTags(spec: Record<string, unknown>, options: ValidateOptions, f: Findings): void {
  const tag = releaseTag(options.calicoVersion);
  for (const [field, allowed] of Object.entries(VALUE_SETS)) {
    const v = spec[field];
    if (typeof v !== 'string' || v === '' || allowed.includes(v)) continue;
    if (schemaHas(tag, CRD, ['spec', field], 'enum')) continue; // the schema reports it
    const fixed = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    if (fixed === undefined && schemaHas(tag, CRD, ['spec', field], 'pattern')) continue; // the schema's pattern reports it
    const msg = `${field} ${describeValue(v)} is not a value Calico's validator accepts (case-sensitive): use ${oneOf(allowed)}${fixed ? `, here ${JSON.stringify(fixed)}` : ''}`;
    if (options.apiMode === 'native-v3-crds' && fixed) f.warning(`spec.${field}`, msg);
    else f.error(`spec.${field}`, msg);
  }
  for (const [field, [min, max]] of Object.entries(RANGES)) {
    const v = spec[field];
    if (typeof v === 'number' && (v < min || v > max) && !schemaHas(tag, CRD, ['spec', field], 'minimum')) {
      f.error(`spec.${field}`, `${field} ${v} is out of range: use ${max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min} to ${max}`}`);
    }
  }
  for (const field of ['featureDetectOverride', 'featureGates']) {
    const v = spec[field];
    if (typeof v !== 'string' || v.trim() === '') continue;
    const bad = v.split(',').find((item) => item !== '' && !KEY_VALUE.test(item));
    if (bad !== undefined && !schemaHas(tag, CRD, ['spec', field], 'pattern')) {
      f.error(`spec.${field}`, `${field} entry ${describeValue(bad)} is not key=value: write a comma-separated list such as "SNATFullyRandom=true,MASQFullyRandom=false"`);
    }
  }
  for (const field of REGEXP_FIELDS) {
    const v = spec[field];
    if (typeof v === 'string' && v !== '' && !regexpCompiles(v)) f.error(`spec.${field}`, `${field} ${describeValue(v)} is not a valid regular expression`);
  }
  const host = spec.prometheusMetricsHost;
  if (typeof host === 'string' && host !== '' && !PROMETHEUS_HOST.test(host)) {
    f.error('spec.prometheusMetricsHost', `prometheusMetricsHost ${describeValue(host)} is not valid: use an IP address or a host name of 1-64 letters, digits, ':', '.', '_', '+' or '-'`);
  }
  const natFilter = spec.iptablesNATOutgoingInterfaceFilter;
  if (typeof natFilter === 'string' && natFilter !== '' && !IFACE_FILTER.test(natFilter)) {
    f.error('spec.iptablesNATOutgoingInterfaceFilter', `iptablesNATOutgoingInterfaceFilter ${describeValue(natFilter)} is not valid: use an interface name or pattern of 1-15 letters, digits, ':', '.', '_', '+' or '-' (e.g. "eth+")`);
  }
  asArray(spec.bpfForceTrackPacketsFromIfaces).forEach((i, n) => {
    if (typeof i === 'string' && !IFACE_FILTER.test(i)) f.error(`spec.bpfForceTrackPacketsFromIfaces[${n}]`, `interface pattern ${describeValue(i)} is not valid: use 1-15 letters, digits, ':', '.', '_', '+' or '-' (e.g. "docker+")`);
  });
  for (const field of ['wireguardInterfaceName', 'wireguardInterfaceNameV6']) {
    const v = spec[field];
    if (typeof v === 'string' && v !== '' && v !== '*' && !INTERFACE_NAME.test(v)) f.error(`spec.${field}`, `${field} ${describeValue(v)} is not a valid interface name: use 1-15 letters, digits, '_', '.' or '-'`);
  }
  if (isRecord(spec.bpfLogFilters)) {
    for (const key of Object.keys(spec.bpfLogFilters)) {
      if (!INTERFACE_NAME.test(key)) f.error(`spec.bpfLogFilters[${JSON.stringify(key)}]`, `bpfLogFilters key ${describeValue(key)} is not an interface name ("all", "weps", "heps" or 1-15 letters, digits, '_', '.', '-')`);
    }
  }
  for (const field of ['bpfDSROptoutCIDRs', 'bpfExcludeCIDRsFromNAT']) {
    asArray(spec[field]).forEach((c, i) => {
      if (typeof c !== 'string') return;
      const r = parseCidr(c, { allowBareIp: true, allowHostBits: true });
      if (!r.ok) f.error(`spec.${field}[${i}]`, `${field}: ${r.error}`);
    });
  }
  for (const field of ['failsafeInboundHostPorts', 'failsafeOutboundHostPorts']) {
    asArray(spec[field]).forEach((p, i) => {
      // validateProtoPort: TCP, UDP or SCTP (an empty protocol defaults to TCP before validation).
      if (isRecord(p) && typeof p.protocol === 'string' && p.protocol !== '' && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) {
        f.error(`spec.${field}[${i}].protocol`, `protocol ${describeValue(p.protocol)} is not allowed here: use "TCP", "UDP" or "SCTP"`);
      }
    });
  }
}
const HTO_NAME = /^[a-zA-Z0-9_ -]+$/;

export function validateFelixConfiguration(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  checkFieldTags(spec, options, f);

  const ranges = spec.kubeNodePortRanges;
  if (Array.isArray(ranges)) {
    if (ranges.length > 7) f.error('spec.kubeNodePortRanges', `kubeNodePortRanges lists ${ranges.length} ranges; at most 7 are allowed (iptables multiport takes 15 ports, two per range): merge ranges`);
    ranges.forEach((p, i) => {
      const problem = portProblem(p);
      if (problem) f.error(`spec.kubeNodePortRanges[${i}]`, problem);
      else if (typeof p === 'string' && !/^[0-9]+(:[0-9]+)?$/.test(p)) f.error(`spec.kubeNodePortRanges[${i}]`, `kubeNodePortRanges entry ${describeValue(p)} is a named port; node port ranges are numbers or "min:max" ranges`);
    });
  }
  asArray(spec.externalNodesList).forEach((c, i) => {
    if (typeof c !== 'string') return;
    const r = parseCidr(c, { allowBareIp: true, allowHostBits: true });
    if (!r.ok) f.error(`spec.externalNodesList[${i}]`, `externalNodesList: ${r.error}`);
    else if (r.value.family !== 4) f.error(`spec.externalNodesList[${i}]`, `externalNodesList entry ${describeValue(c)} is IPv6; the list takes IPv4 CIDRs only`);
  });
  const region = spec.openstackRegion;
  if (typeof region === 'string' && region !== '') {
    if (region.length > 63 - OPENSTACK_PREFIX.length) f.error('spec.openstackRegion', `openstackRegion ${describeValue(region)} is too long: at most ${63 - OPENSTACK_PREFIX.length} characters (it becomes part of a namespace name)`);
    else if (!DNS1123_LABEL.test(region)) f.error('spec.openstackRegion', `openstackRegion ${describeValue(region)} must be a DNS label: lower case letters, digits and '-', starting and ending with a letter or digit`);
  }
  for (const [field, family] of [['natOutgoingAddress', 4], ['deviceRouteSourceAddress', 4], ['deviceRouteSourceAddressIPv6', 6]] as const) {
    const v = spec[field];
    if (typeof v !== 'string' || v === '') continue;
    const ip = parseIp(v);
    if (!ip.ok || ip.value.family !== family) f.error(`spec.${field}`, `${field} ${describeValue(v)} is not a valid IPv${family} address`);
  }
  if (spec.routeTableRange !== undefined && spec.routeTableRange !== null && spec.routeTableRanges !== undefined && spec.routeTableRanges !== null) {
    f.error('spec.routeTableRange', 'routeTableRange cannot be set together with routeTableRanges: keep routeTableRanges (routeTableRange is the older, single-range form)');
  }
  if (isRecord(spec.routeTableRange)) {
    const { min, max } = spec.routeTableRange;
    if (typeof min === 'number' && typeof max === 'number' && !(min >= 1 && max >= min && max <= 250)) {
      f.error('spec.routeTableRange', `routeTableRange ${min}-${max} is not valid: use a range of route table indices within 1..250, min at most max`);
    }
  }
  let tables = 0;
  asArray(spec.routeTableRanges).forEach((r, i) => {
    if (!isRecord(r) || typeof r.min !== 'number' || typeof r.max !== 'number') return;
    if (r.min > r.max) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] has min ${r.min} above max ${r.max}: swap them`);
    if (r.min <= 0) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] starts at ${r.min}; route table indices start at 1`);
    if (r.max > 0xffffffff) f.error(`spec.routeTableRanges[${i}]`, `routeTableRanges[${i}] max ${r.max} is above the highest Linux route table index 4294967295`);
    if (r.max >= r.min) tables += r.max - r.min + 1;
  });
  if (tables > 0xffff) f.error('spec.routeTableRanges', `routeTableRanges target ${tables} tables; at most 65535 are allowed: narrow the ranges`);
  asArray(spec.healthTimeoutOverrides).forEach((h, i) => {
    if (!isRecord(h)) return;
    if (typeof h.name === 'string' && !HTO_NAME.test(h.name)) f.error(`spec.healthTimeoutOverrides[${i}].name`, `health timeout override name ${describeValue(h.name)} is not valid: use letters, digits, '_', '-' and spaces`);
    if (typeof h.timeout === 'string' && h.timeout.startsWith('-')) f.error(`spec.healthTimeoutOverrides[${i}].timeout`, `timeout ${describeValue(h.timeout)} is negative: use a positive duration such as "30s"`);
  });
  return f.violations;
}

/**
 * Calico's rules for a KubeControllersConfiguration (projectcalico.org/v3): the tags of
 * api/pkg/apis/projectcalico/v3 kubecontrollersconfig.go (logSeverityScreen `logLevel`,
 * node.hostEndpoint.createDefaultHostEndpoint `createDefaultHostEndpoint`).
 */
export function validateKubeControllersConfiguration(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;
  const tag = releaseTag(options.calicoVersion);
  const level = spec.logSeverityScreen;
  if (typeof level === 'string' && level !== '' && !LOG_LEVELS.includes(level) && !schemaHas(tag, 'kubecontrollersconfigurations.crd.projectcalico.org', ['spec', 'logSeverityScreen'], 'enum')) {
    const fixed = LOG_LEVELS.find((l) => l.toLowerCase() === level.toLowerCase());
    f.error('spec.logSeverityScreen', `logSeverityScreen ${describeValue(level)} is not a level Calico's validator accepts (case-sensitive): use ${oneOf(LOG_LEVELS)}${fixed ? `, here ${JSON.stringify(fixed)}` : ''}`);
  }
  const controllers = isRecord(spec.controllers) ? spec.controllers : {};
  const node = isRecord(controllers.node) ? controllers.node : {};
  const hep = isRecord(node.hostEndpoint) ? node.hostEndpoint : {};
  const mode = hep.createDefaultHostEndpoint;
  if (typeof mode === 'string' && mode !== 'Enabled' && mode !== 'Disabled') {
    f.error('spec.controllers.node.hostEndpoint.createDefaultHostEndpoint', `createDefaultHostEndpoint ${describeValue(mode)} is not allowed: use "Enabled" or "Disabled"`);
  }
  return f.violations;
}
