import { parseIp } from '../../model/net';
import { bgpConfigurationNameProblem, misplacedDefaultOnlyFields } from '../../model/calico-rules';
import { checkNetField } from './meta';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { checkPassword, classifyCommunity, parseAsNumber, parseCommunity } from '../../model/bgp-values';
import { checkDuration, oneOf } from './common';
import { isRecord } from '../../model/values';
import { asArray, Findings, objectName, specOf } from '../../model/manifest';
import { dnsSubdomainProblem } from '../../model/names';

/** Log levels of libcalico-go validator/v3 `logLevelRegex` (case-sensitive). */
const LOG_LEVELS = ['Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal'];
/** validator/v3 `ignoredInterfaceRegex` (and the value may not be "*"). */
const IGNORED_INTERFACE = /^[a-zA-Z0-9_.*-]{1,15}$/;
const SERVICE_LISTS = ['serviceClusterIPs', 'serviceExternalIPs', 'serviceLoadBalancerIPs'];

/**
 * Calico's rules for a BGPConfiguration (projectcalico.org/v3), mirroring libcalico-go
 * validator/v3 `validateBGPConfigurationSpec` and the struct tags of api/pkg/apis/projectcalico/v3
 * bgpconfig.go, plus clientv3/bgpconfig.go `ValidateDefaultOnlyFields`.
 */
export function validateBgpConfiguration(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const name = objectName(obj);
  const isDefault = name === 'default';
  const nameProblem = bgpConfigurationNameProblem(name);
  if (nameProblem) f.add(nameProblem.severity, 'metadata.name', nameProblem.message);
  const spec = specOf(obj);
  if (!spec) return f.violations;

  if (!isDefault && name !== '') {
    for (const field of misplacedDefaultOnlyFields(name, spec)) {
      f.error(`spec.${field}`, `${field} can only be set on the BGPConfiguration named "default"; Calico rejects it on ${JSON.stringify(name)}. Move it to "default"${field === 'asNumber' ? ' (a per-node AS number goes in the Node resource, spec.bgp.asNumber)' : ''}`);
    }
    // bgpconfig.go: "This field can only be set on the default BGPConfiguration instance".
    for (const field of ['nodeMeshPassword', 'nodeMeshMaxRestartTime']) {
      if (spec[field] !== undefined && spec[field] !== null) {
        f.warning(`spec.${field}`, `${field} is only read from the BGPConfiguration named "default"; on ${JSON.stringify(name)} it has no effect. Move it to "default"`);
      }
    }
  }

  if (spec.asNumber !== undefined && spec.asNumber !== null) {
    const as = parseAsNumber(spec.asNumber);
    if (!as.ok) f.error('spec.asNumber', as.error);
  }

  const level = spec.logSeverityScreen;
  if (typeof level === 'string' && level !== '' && !LOG_LEVELS.includes(level)) {
    const fixed = LOG_LEVELS.find((l) => l.toLowerCase() === level.toLowerCase());
    const msg = `logSeverityScreen ${JSON.stringify(level)} is not a level Calico's validator accepts (case-sensitive): use ${oneOf(LOG_LEVELS)}${fixed ? `, here ${JSON.stringify(fixed)}` : ''}`;
    // The CRD pattern is case-insensitive; Calico's Go validator (API server, calicoctl) is not.
    if (options.apiMode === 'native-v3-crds' && fixed) f.warning('spec.logSeverityScreen', msg);
    else f.error('spec.logSeverityScreen', msg);
  }

  // BindMode has no validate tag in the Go API (older CRDs have no enum either), and confd binds to
  // the node IP only when the value is exactly "NodeIP": anything else listens on all addresses.
  const bind = spec.bindMode;
  if (typeof bind === 'string' && bind !== '' && bind !== 'None' && bind !== 'NodeIP') {
    const fixed = ['None', 'NodeIP'].find((b) => b.toLowerCase() === bind.toLowerCase());
    f.warning('spec.bindMode', `bindMode ${JSON.stringify(bind)} is neither "None" nor "NodeIP": releases whose schema has no enum accept it, but BIRD then listens on all addresses, as with "None"${fixed ? `; did you mean ${JSON.stringify(fixed)}?` : ''}`);
  }

  // validateBGPConfigurationSpec: node mesh password / restart time need the mesh.
  const meshOff = spec.nodeToNodeMeshEnabled === false;
  if (spec.nodeMeshPassword !== undefined && spec.nodeMeshPassword !== null) {
    if (meshOff) {
      f.error('spec.nodeMeshPassword', 'nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false (it only applies to the node-to-node mesh); remove it, or set a password on each BGPPeer instead');
    }
    checkPassword(spec.nodeMeshPassword, 'spec.nodeMeshPassword', (p, m) => f.error(p, m));
  }
  if (spec.nodeMeshMaxRestartTime !== undefined && spec.nodeMeshMaxRestartTime !== null) {
    if (meshOff) {
      f.error('spec.nodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false (it only applies to the node-to-node mesh); remove it, or set maxRestartTime on each BGPPeer instead');
    }
    checkDuration(spec.nodeMeshMaxRestartTime, 'spec.nodeMeshMaxRestartTime', f);
  }

  // Service CIDR blocks: struct tag `omitempty,net` (a strictly masked network; a bare address is
  // a /32 or /128 host route, cnet.ParseCIDROrIP), unless the release's schema says `format: cidr`.
  for (const field of SERVICE_LISTS) {
    asArray(spec[field]).forEach((entry, i) => {
      if (!isRecord(entry) || entry.cidr === undefined || entry.cidr === '') return;
      if (typeof entry.cidr !== 'string') return;
      checkNet(entry.cidr, `spec.${field}[${i}].cidr`, [field, 'cidr'], options, f);
    });
  }

  checkCommunities(spec, options, f);

  asArray(spec.ignoredInterfaces).forEach((iface, i) => {
    if (typeof iface !== 'string') return;
    if (iface === '*' || !IGNORED_INTERFACE.test(iface)) {
      f.error(`spec.ignoredInterfaces[${i}]`, `ignored interface ${JSON.stringify(iface)} is not valid: use an interface name of 1-15 characters from letters, digits, '_', '.', '-', with '*' as a wildcard (e.g. "eth*"), but not "*" alone`);
    }
  });

  for (const [field, family] of [['localWorkloadPeeringIPV4', 4], ['localWorkloadPeeringIPV6', 6]] as const) {
    const v = spec[field];
    if (typeof v !== 'string' || v === '') continue;
    const ip = parseIp(v);
    if (!ip.ok) f.error(`spec.${field}`, `${field}: ${ip.error}; use an IPv${family} address`);
    else if (ip.value.family !== family) f.error(`spec.${field}`, `${field} ${JSON.stringify(v)} is an IPv${ip.value.family} address; this field takes an IPv${family} address`);
  }

  return f.violations;
}

function checkNet(value: string, path: string, field: readonly string[], options: ValidateOptions, f: Findings): void {
  checkNetField(value, path, 'bgpconfigurations.crd.projectcalico.org', ['spec', ...field], options, f);
}

function checkCommunities(spec: Record<string, unknown>, options: ValidateOptions, f: Findings): void {
  const communities = asArray(spec.communities);
  const adverts = asArray(spec.prefixAdvertisements);
  const defined = new Map<string, number>();
  communities.forEach((c, i) => {
    if (!isRecord(c)) return;
    const path = `spec.communities[${i}]`;
    // Community: Name `validate:"required,name"`, Value `validate:"required"` + isValidCommunity.
    if (c.name === undefined || c.name === '') {
      f.error(`${path}.name`, 'the community has no name: set name (lower case letters, digits, \'-\' and \'.\') and use it in prefixAdvertisements[].communities');
    } else if (typeof c.name === 'string') {
      const problem = dnsSubdomainProblem(c.name);
      if (problem) f.error(`${path}.name`, `community name ${problem}`);
      if (defined.has(c.name)) {
        f.warning(`${path}.name`, `community ${JSON.stringify(c.name)} is already defined at spec.communities[${defined.get(c.name)}]; give each community a distinct name`);
      } else {
        defined.set(c.name, i);
      }
    }
    if (c.value === undefined || c.value === '') {
      f.error(`${path}.value`, 'the community has no value: set value to "aa:nn" (standard) or "aa:nn:mm" (large), e.g. "64512:100"');
    } else if (typeof c.value === 'string') {
      const v = parseCommunity(c.value);
      if (!v.ok) f.error(`${path}.value`, v.error);
    }
  });

  if (communities.length > 0 && adverts.length === 0) {
    // validateBGPConfigurationSpec: "communities are defined but not used in Spec.PrefixAdvertisement[]".
    f.error('spec.communities', 'communities are defined but spec.prefixAdvertisements is empty: Calico rejects this (communities are only advertised through prefixAdvertisements). Add a prefixAdvertisement using them, or remove spec.communities');
  }

  const used = new Set<string>();
  adverts.forEach((pa, i) => {
    if (!isRecord(pa)) return;
    const path = `spec.prefixAdvertisements[${i}]`;
    // PrefixAdvertisement: CIDR `validate:"required,net"`, Communities `validate:"required"`.
    if (pa.cidr === undefined || pa.cidr === '') {
      f.error(`${path}.cidr`, 'the prefix advertisement has no cidr: set the CIDR whose routes get the communities, e.g. a pool CIDR such as "10.0.0.0/16"');
    } else if (typeof pa.cidr === 'string') {
      checkNet(pa.cidr, `${path}.cidr`, ['prefixAdvertisements', 'cidr'], options, f);
    }
    if (pa.communities === undefined || pa.communities === null) {
      f.error(`${path}.communities`, 'the prefix advertisement lists no communities: add community names defined in spec.communities or literal values such as "64512:100"');
      return;
    }
    asArray(pa.communities).forEach((name, j) => {
      if (typeof name !== 'string') return;
      const cls = classifyCommunity(name);
      if (cls.format === 'none') {
        if (defined.has(name)) {
          used.add(name);
        } else {
          const known = [...defined.keys()];
          f.error(`${path}.communities[${j}]`, `community ${JSON.stringify(name)} is neither defined in spec.communities nor a community value: define it in spec.communities${known.length > 0 ? ` (defined: ${oneOf(known)})` : ''}, or write a value "aa:nn" / "aa:nn:mm"`);
        }
      } else if (cls.error) {
        f.error(`${path}.communities[${j}]`, cls.error);
      }
    });
  });

  if (adverts.length > 0) {
    for (const [name, i] of defined) {
      if (!used.has(name)) {
        f.warning(`spec.communities[${i}]`, `community ${JSON.stringify(name)} is defined but used by no prefixAdvertisement, so it is never advertised; reference it in spec.prefixAdvertisements[].communities or remove it`);
      }
    }
  }
}
