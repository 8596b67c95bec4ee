import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CalicoVersion } from '../../src/releases/releases';
import { ApiMode } from '../../src/releases/resolve-release';
import { validateCalicoRules } from '../../src/validation/rules';
import { parseAsNumber, parseCommunity } from '../../src/model/bgp-values';
import { parseGoDuration } from '../../src/model/duration';
import { ManifestObject, Severity } from '../../src/model/violation';
import {
  REFERENCE_API_SERVER,
  REFERENCE_BGP_CONFIGURATION,
  REFERENCE_INSTALLATION,
  REFERENCE_IP_POOL,
  REFERENCE_OBJECTS,
  REFERENCE_OPENWRT_PEER,
  REFERENCE_UNRAID_PEER,
  V3,
  bgpConfig,
  filter,
  installation,
  peer,
  pool,
} from '../fixtures/reference-objects';

const AUTODETECT = { nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] } };

interface Expected {
  readonly path: string;
  readonly severity: Severity;
  readonly message: string | RegExp;
}

interface Case {
  readonly name: string;
  readonly obj: ManifestObject;
  readonly expect: readonly Expected[];
  readonly version?: CalicoVersion;
  readonly apiMode?: ApiMode;
}

const err = (path: string, message: string | RegExp): Expected => ({ path, severity: 'error', message });
const warn = (path: string, message: string | RegExp): Expected => ({ path, severity: 'warning', message });

function run(cases: readonly Case[]): void {
  for (const c of cases) {
    const found = validateCalicoRules(c.obj, { calicoVersion: c.version ?? 'v3.32.1', apiMode: c.apiMode });
    assert.deepEqual(
      found.map((v) => `${v.severity} ${v.path}`),
      c.expect.map((e) => `${e.severity} ${e.path}`),
      `${c.name}: ${JSON.stringify(found.map((v) => v.message))}`,
    );
    c.expect.forEach((e, i) => {
      if (typeof e.message === 'string') assert.equal(found[i].message, e.message, c.name);
      else assert.match(found[i].message, e.message, c.name);
      assert.equal(found[i].kind, c.obj.kind);
      assert.equal(found[i].name, (c.obj.metadata?.name as string | undefined) ?? '');
    });
  }
}

// ------------------------------------------------------------------------------------------

test('the reference cluster objects raise no error; the Installation warns about autodetection', () => {
  for (const version of ['v3.24.5', 'v3.31.7', 'v3.32.1'] as const) {
    const all = REFERENCE_OBJECTS.flatMap((o) => validateCalicoRules(o, { calicoVersion: version }));
    assert.deepEqual(all.filter((v) => v.severity === 'error'), [], version);
    // The only warning: VXLANCrossSubnet on bare metal without nodeAddressAutodetectionV4. Right:
    // the notes never pin the node address, and CrossSubnet depends on it.
    assert.deepEqual(all.map((v) => `${v.kind} ${v.path}`), ['Installation spec.calicoNetwork.nodeAddressAutodetectionV4'], version);
  }
});

test('metadata.name: present and a DNS-1123 subdomain on every Calico object', () => {
  run([
    { name: 'valid dotted name', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000 }, 'tor.rack-1'), expect: [] },
    { name: 'missing name', obj: { apiVersion: V3, kind: 'BGPPeer', spec: { peerIP: '10.0.0.1', asNumber: 65000 } }, expect: [err('metadata.name', 'BGPPeer has no name: set metadata.name (lower case letters, digits, \'-\' and \'.\')')] },
    {
      name: 'upper case and underscore',
      obj: peer({ peerIP: '10.0.0.1', asNumber: 65000 }, 'Rack_A'),
      expect: [err('metadata.name', '"Rack_A" is not a valid name: use lower case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit (DNS-1123 subdomain), e.g. "rack-a"')],
    },
    { name: 'too long', obj: pool({ cidr: '10.0.0.0/16' }, 'p'.repeat(254)), expect: [err('metadata.name', /is 254 characters long; at most 253 are allowed/)] },
    { name: 'ends with a dash', obj: filter({}, 'filter-'), expect: [err('metadata.name', /"filter-" is not a valid name: .*e.g. "filter"/)] },
    { name: 'other API groups are not Calico\'s business', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Not_Valid' } }, expect: [] },
  ]);
});

test('BGPConfiguration rules', () => {
  run([
    { name: 'reference default', obj: REFERENCE_BGP_CONFIGURATION, expect: [] },
    { name: 'node override', obj: bgpConfig({ listenPort: 1790, logSeverityScreen: 'Debug' }, 'node.worker-1'), expect: [] },
    { name: 'name never read', obj: bgpConfig({ listenPort: 179 }, 'bgp'), expect: [warn('metadata.name', 'BGPConfiguration "bgp" is never read: Calico uses the one named "default" (cluster-wide settings) and "node.<nodename>" (per-node overrides); rename it')] },
    { name: '"node." names no node', obj: bgpConfig({}, 'node.'), expect: [err('metadata.name', /"node." is not a valid name/), err('metadata.name', 'BGPConfiguration "node." names no node: use "node.<nodename>"')] },
    {
      name: 'default-only fields on a node override',
      obj: bgpConfig({ nodeToNodeMeshEnabled: false, asNumber: 64600, serviceClusterIPs: [{ cidr: '10.96.0.0/12' }] }, 'node.worker-1'),
      expect: [
        err('spec.nodeToNodeMeshEnabled', 'nodeToNodeMeshEnabled can only be set on the BGPConfiguration named "default"; Calico rejects it on "node.worker-1". Move it to "default"'),
        err('spec.asNumber', 'asNumber can only be set on the BGPConfiguration named "default"; Calico rejects it on "node.worker-1". Move it to "default" (a per-node AS number goes in the Node resource, spec.bgp.asNumber)'),
        err('spec.serviceClusterIPs', 'serviceClusterIPs can only be set on the BGPConfiguration named "default"; Calico rejects it on "node.worker-1". Move it to "default"'),
      ],
    },
    {
      name: 'mesh settings on a node override are ignored',
      obj: bgpConfig({ nodeMeshMaxRestartTime: '120s' }, 'node.worker-1'),
      expect: [warn('spec.nodeMeshMaxRestartTime', 'nodeMeshMaxRestartTime is only read from the BGPConfiguration named "default"; on "node.worker-1" it has no effect. Move it to "default"')],
    },
    { name: 'asNumber dotted form', obj: bgpConfig({ asNumber: '1.10' }), expect: [] },
    { name: 'asNumber 4-byte max', obj: bgpConfig({ asNumber: 4294967295 }), expect: [] },
    { name: 'asNumber too big', obj: bgpConfig({ asNumber: 4294967296 }), expect: [err('spec.asNumber', 'AS number 4294967296 is out of range: use a whole number from 0 to 4294967295, or the dotted form "<0-65535>.<0-65535>" (e.g. "1.10" = 65546)')] },
    { name: 'asNumber negative', obj: bgpConfig({ asNumber: -1 }), expect: [err('spec.asNumber', /AS number -1 is out of range/)] },
    { name: 'asNumber dotted part too big', obj: bgpConfig({ asNumber: '65536.1' }), expect: [err('spec.asNumber', /AS number "65536.1" is not valid: use a whole number/)] },
    {
      name: 'log level in lower case (API server)',
      obj: bgpConfig({ logSeverityScreen: 'info' }),
      expect: [err('spec.logSeverityScreen', 'logSeverityScreen "info" is not a level Calico\'s validator accepts (case-sensitive): use "Trace", "Debug", "Info", "Warning", "Error" or "Fatal", here "Info"')],
    },
    { name: 'log level in lower case (native v3 CRDs)', apiMode: 'native-v3-crds', obj: bgpConfig({ logSeverityScreen: 'info' }), expect: [warn('spec.logSeverityScreen', /here "Info"/)] },
    { name: 'unknown log level', apiMode: 'native-v3-crds', obj: bgpConfig({ logSeverityScreen: 'Verbose' }), expect: [err('spec.logSeverityScreen', /logSeverityScreen "Verbose" is not a level/)] },
    {
      name: 'mesh password without mesh',
      obj: bgpConfig({ nodeToNodeMeshEnabled: false, nodeMeshPassword: { secretKeyRef: { name: 'bgp', key: 'mesh' } } }),
      expect: [err('spec.nodeMeshPassword', 'nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false (it only applies to the node-to-node mesh); remove it, or set a password on each BGPPeer instead')],
    },
    {
      name: 'mesh restart time without mesh',
      obj: bgpConfig({ nodeToNodeMeshEnabled: false, nodeMeshMaxRestartTime: '120s' }),
      expect: [err('spec.nodeMeshMaxRestartTime', /nodeMeshMaxRestartTime cannot be set when nodeToNodeMeshEnabled is false/)],
    },
    { name: 'mesh restart time with mesh', obj: bgpConfig({ nodeToNodeMeshEnabled: true, nodeMeshMaxRestartTime: '1m30s' }), expect: [] },
    { name: 'bad duration', obj: bgpConfig({ nodeMeshMaxRestartTime: '2 minutes' }), expect: [err('spec.nodeMeshMaxRestartTime', '"2 minutes" is not a valid duration: unknown unit " minutes"; expected a Go duration such as "90s", "2m" or "1h30m" (units ns, us, ms, s, m, h)')] },
    { name: 'duration without unit', obj: bgpConfig({ nodeMeshMaxRestartTime: '120' }), expect: [err('spec.nodeMeshMaxRestartTime', /"120" is not a valid duration: a unit is missing/)] },
    { name: 'negative duration', obj: bgpConfig({ nodeMeshMaxRestartTime: '-5s' }), expect: [warn('spec.nodeMeshMaxRestartTime', /"-5s" is negative/)] },
    {
      name: 'clear-text mesh password',
      obj: bgpConfig({ nodeMeshPassword: 's3cret' }),
      expect: [err('spec.nodeMeshPassword', 'a BGP password is never written in clear text: use spec.nodeMeshPassword.secretKeyRef: {name: <Secret name>, key: <key>} naming a Secret in calico-node\'s namespace ("calico-system" under the operator)')],
    },
    { name: 'cluster IPs without mask', obj: bgpConfig({ serviceClusterIPs: [{ cidr: '10.96.0.1' }] }), expect: [err('spec.serviceClusterIPs[0].cidr', 'CIDR mask is missing in "10.96.0.1". Did you mean "10.96.0.1/32"?')] },
    { name: 'external IPs with host bits', obj: bgpConfig({ serviceExternalIPs: [{ cidr: '10.33.192.1/18' }] }), expect: [err('spec.serviceExternalIPs[0].cidr', /has host bits set .* Did you mean "10.33.192.0\/18"\?/)] },
    { name: 'LB IPs IPv6', obj: bgpConfig({ serviceLoadBalancerIPs: [{ cidr: 'fd00:1::/112' }] }), expect: [] },
    {
      name: 'standard community part over 16 bits',
      obj: bgpConfig({ communities: [{ name: 'c', value: '65536:1' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c'] }] }),
      expect: [err('spec.communities[0].value', 'community "65536:1" is not valid: a standard community is "aa:nn" with both parts from 0 to 65535 (16-bit); use a large community "aa:nn:mm" for 32-bit parts')],
    },
    {
      name: 'large community part over 32 bits',
      obj: bgpConfig({ communities: [{ name: 'c', value: '1:2:4294967296' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c'] }] }),
      expect: [err('spec.communities[0].value', /a large community is "aa:nn:mm" with each part from 0 to 4294967295/)],
    },
    {
      name: 'community value not a community',
      obj: bgpConfig({ communities: [{ name: 'c', value: 'no-export' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['c'] }] }),
      expect: [err('spec.communities[0].value', 'community "no-export" is not valid: use "aa:nn" (two 16-bit numbers) or "aa:nn:mm" (three 32-bit numbers), e.g. "64512:100"')],
    },
    {
      name: 'community without name or value',
      obj: bgpConfig({ communities: [{}], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['64512:1'] }] }),
      expect: [err('spec.communities[0].name', /the community has no name/), err('spec.communities[0].value', /the community has no value/)],
    },
    {
      name: 'community name not a DNS name, defined twice',
      obj: bgpConfig({ communities: [{ name: 'Large_C', value: '1:2:3' }, { name: 'Large_C', value: '1:2:4' }], prefixAdvertisements: [{ cidr: '10.0.0.0/8', communities: ['Large_C'] }] }),
      expect: [
        err('spec.communities[0].name', /community name "Large_C" is not a valid name/),
        err('spec.communities[1].name', /community name "Large_C" is not a valid name/),
        warn('spec.communities[1].name', 'community "Large_C" is already defined at spec.communities[0]; give each community a distinct name'),
      ],
    },
    {
      name: 'communities without prefix advertisements',
      obj: bgpConfig({ communities: [{ name: 'c', value: '64512:1' }] }),
      expect: [err('spec.communities', 'communities are defined but spec.prefixAdvertisements is empty: Calico rejects this (communities are only advertised through prefixAdvertisements). Add a prefixAdvertisement using them, or remove spec.communities')],
    },
    {
      name: 'undefined community name in an advertisement',
      obj: bgpConfig({ communities: [{ name: 'bgp-large-community', value: '64517:300:100' }], prefixAdvertisements: [{ cidr: '10.33.0.0/17', communities: ['bgp-large-community', 'bgp-large'] }] }),
      expect: [err('spec.prefixAdvertisements[0].communities[1]', 'community "bgp-large" is neither defined in spec.communities nor a community value: define it in spec.communities (defined: "bgp-large-community"), or write a value "aa:nn" / "aa:nn:mm"')],
    },
    {
      name: 'literal community out of range in an advertisement',
      obj: bgpConfig({ prefixAdvertisements: [{ cidr: '10.33.0.0/17', communities: ['70000:120'] }] }),
      expect: [err('spec.prefixAdvertisements[0].communities[0]', /community "70000:120" is not valid: a standard community/)],
    },
    {
      name: 'community defined but never used',
      obj: bgpConfig({ communities: [{ name: 'used', value: '1:1' }, { name: 'spare', value: '1:2' }], prefixAdvertisements: [{ cidr: '10.33.0.0/17', communities: ['used'] }] }),
      expect: [warn('spec.communities[1]', 'community "spare" is defined but used by no prefixAdvertisement, so it is never advertised; reference it in spec.prefixAdvertisements[].communities or remove it')],
    },
    {
      name: 'advertisement without cidr or communities',
      obj: bgpConfig({ prefixAdvertisements: [{ communities: ['1:1'] }, { cidr: '10.0.0.0/8' }] }),
      expect: [err('spec.prefixAdvertisements[0].cidr', /the prefix advertisement has no cidr/), err('spec.prefixAdvertisements[1].communities', /the prefix advertisement lists no communities/)],
    },
    { name: 'advertisement cidr without mask', obj: bgpConfig({ prefixAdvertisements: [{ cidr: '10.33.0.0', communities: ['1:1'] }] }), expect: [err('spec.prefixAdvertisements[0].cidr', 'CIDR mask is missing in "10.33.0.0". Did you mean "10.33.0.0/32"?')] },
    { name: 'ignored interfaces', obj: bgpConfig({ ignoredInterfaces: ['eth*', 'vxlan.calico'] }), expect: [] },
    {
      name: 'bad ignored interfaces',
      obj: bgpConfig({ ignoredInterfaces: ['*', 'a-very-long-interface-name'] }),
      expect: [err('spec.ignoredInterfaces[0]', /ignored interface "\*" is not valid: .*but not "\*" alone/), err('spec.ignoredInterfaces[1]', /ignored interface "a-very-long-interface-name" is not valid/)],
    },
    {
      name: 'workload peering address of the wrong family',
      obj: bgpConfig({ localWorkloadPeeringIPV4: 'fd00::1', localWorkloadPeeringIPV6: 'nope' }),
      expect: [
        err('spec.localWorkloadPeeringIPV4', 'localWorkloadPeeringIPV4 "fd00::1" is an IPv6 address; this field takes an IPv4 address'),
        err('spec.localWorkloadPeeringIPV6', /localWorkloadPeeringIPV6: "nope" is not a valid IPv4 or IPv6 address; use an IPv6 address/),
      ],
    },
  ]);
});

test('BGPPeer rules', () => {
  run([
    { name: 'reference openwrt peer', obj: REFERENCE_OPENWRT_PEER, expect: [] },
    { name: 'reference unraid peer', obj: REFERENCE_UNRAID_PEER, expect: [] },
    { name: 'rack peer with port and selector', obj: peer({ nodeSelector: 'rack == "r1"', peerIP: '10.31.1.1:1179', asNumber: '64512', password: { secretKeyRef: { name: 'bgp-passwords', key: 'tor-a' } }, maxRestartTime: '2m', keepaliveTime: '20s', filters: ['export-pods'], ttlSecurity: 1 }), expect: [] },
    { name: 'IPv6 peer with port', obj: peer({ peerIP: '[fd00::1]:179', asNumber: 64512, reachableBy: 'fd00::fe' }), expect: [] },
    { name: 'route reflector clients', obj: peer({ nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)' }), expect: [] },
    { name: 'node and nodeSelector', obj: peer({ node: 'worker-1', nodeSelector: 'all()', peerIP: '10.0.0.1', asNumber: 65000 }), expect: [err('spec.node', 'node ("worker-1") and nodeSelector ("all()") cannot both be set: use node for one node, or nodeSelector for a set of nodes')] },
    { name: 'node not a node name', obj: peer({ node: 'Worker 1', peerIP: '10.0.0.1', asNumber: 65000 }), expect: [err('spec.node', /node "Worker 1" is not a valid name: .*e.g. "worker-1"; node is the Kubernetes name of the node that peers/)] },
    {
      name: 'nodeSelector does not parse',
      obj: peer({ nodeSelector: 'rack = "r1"', peerIP: '10.0.0.1', asNumber: 65000 }),
      expect: [err('spec.nodeSelector', 'selector "rack = \\"r1\\"" does not parse: single "=" at position 5; expected "==". Selectors look like \'all()\', \'has(rack)\' or \'rack == "r1" && zone in {"a", "b"}\'')],
    },
    { name: 'peerSelector does not parse', obj: peer({ peerSelector: 'has(rr' }), expect: [err('spec.peerSelector', /selector "has\(rr" does not parse: unexpected end of selector in "has\(rr" at position 6; expected "\)"/)] },
    { name: 'peerIP not an address', obj: peer({ peerIP: 'tor-a.example', asNumber: 65000 }), expect: [err('spec.peerIP', /"tor-a.example" is not a valid peer address: .*Allowed forms: "<IP>", "<IPv4>:<port>" or "\[<IPv6>\]:<port>"/)] },
    { name: 'peerIP port 0', obj: peer({ peerIP: '10.0.0.1:0', asNumber: 65000 }), expect: [err('spec.peerIP', '"10.0.0.1:0" is not a valid peer address: the port 0 is out of range (a port is a whole number from 1 to 65535)')] },
    { name: 'peerIP with CIDR', obj: peer({ peerIP: '10.0.0.1/32', asNumber: 65000 }), expect: [err('spec.peerIP', /a CIDR is not allowed here/)] },
    {
      name: 'peerIP and peerSelector',
      obj: peer({ peerIP: '10.0.0.1', peerSelector: 'has(rr)' }),
      expect: [err('spec.peerIP', 'peerIP ("10.0.0.1") and peerSelector ("has(rr)") cannot both be set: use peerIP for a router outside the cluster, or peerSelector to peer with Calico nodes')],
    },
    { name: 'asNumber with peerSelector', obj: peer({ peerSelector: 'has(rr)', asNumber: 64512 }), expect: [err('spec.asNumber', /asNumber \(64512\) must be empty when peerSelector is set/)] },
    { name: 'bad asNumber', obj: peer({ peerIP: '10.0.0.1', asNumber: '1.2.3' }), expect: [err('spec.asNumber', /AS number "1.2.3" is not valid/)] },
    { name: 'bad localASNumber', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, localASNumber: 5000000000 }), expect: [err('spec.localASNumber', /AS number 5000000000 is out of range/)] },
    { name: 'workload peering', obj: peer({ localWorkloadSelector: 'app == "bgp-speaker"', asNumber: 65100 }), expect: [] },
    { name: 'workload peering without AS', obj: peer({ localWorkloadSelector: 'app == "bgp-speaker"' }), expect: [err('spec.asNumber', 'asNumber is required when localWorkloadSelector is set: give the AS number the selected workloads speak BGP with')] },
    {
      name: 'workload peering with peerIP and peerSelector',
      obj: peer({ localWorkloadSelector: 'all()', asNumber: 65100, peerIP: '10.0.0.1', peerSelector: 'all()' }),
      expect: [
        err('spec.peerIP', /peerIP \("10.0.0.1"\) and peerSelector \("all\(\)"\) cannot both be set/),
        err('spec.asNumber', /asNumber \(65100\) must be empty when peerSelector is set/),
        err('spec.peerIP', 'peerIP must be empty when localWorkloadSelector is set: the peers are the selected local workloads'),
        err('spec.peerSelector', 'peerSelector must be empty when localWorkloadSelector is set: the peers are the selected local workloads'),
      ],
    },
    { name: 'no peer at all', obj: peer({ nodeSelector: 'all()', asNumber: 65000 }), expect: [warn('spec', 'this BGPPeer names no peer, so it creates no BGP session: set peerIP (a router), peerSelector (Calico nodes) or localWorkloadSelector (local workloads)')] },
    { name: 'reachableBy without peerIP', obj: peer({ peerSelector: 'all()', reachableBy: '10.0.0.254' }), expect: [err('spec.reachableBy', 'reachableBy must be empty when peerIP is empty: it is the gateway towards peerIP')] },
    { name: 'reachableBy not an address', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, reachableBy: 'gw' }), expect: [err('spec.reachableBy', /reachableBy: "gw" is not a valid IPv4 or IPv6 address; it is the address of the gateway/)] },
    { name: 'reachableBy family mismatch', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, reachableBy: 'fd00::1' }), expect: [err('spec.reachableBy', 'reachableBy "fd00::1" is IPv6 but peerIP "10.0.0.1" is IPv4: use a gateway of the same family')] },
    { name: 'nextHopMode alone', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, nextHopMode: 'Keep' }), expect: [] },
    {
      name: 'keepOriginalNextHop with nextHopMode',
      obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, keepOriginalNextHop: true, nextHopMode: 'Self' }),
      expect: [err('spec.keepOriginalNextHop', 'keepOriginalNextHop is deprecated and cannot be true when nextHopMode ("Self") is set: remove keepOriginalNextHop, or use nextHopMode: Keep alone')],
    },
    { name: 'keepOriginalNextHop false with nextHopMode', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, keepOriginalNextHop: false, nextHopMode: 'Self' }), expect: [] },
    { name: 'clear-text password', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, password: 'hunter2' }), expect: [err('spec.password', /a BGP password is never written in clear text: use spec.password.secretKeyRef/)] },
    { name: 'password object with a value', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, password: { value: 'hunter2' } }), expect: [err('spec.password', /"value" is not a way to give a BGP password; use spec.password.secretKeyRef/)] },
    {
      name: 'secretKeyRef without name and key',
      obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, password: { secretKeyRef: { name: '' } } }),
      expect: [err('spec.password.secretKeyRef.name', /secretKeyRef names no Secret/), err('spec.password.secretKeyRef.key', /secretKeyRef names no key/)],
    },
    { name: 'bad maxRestartTime', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, maxRestartTime: '120 s' }), expect: [err('spec.maxRestartTime', /"120 s" is not a valid duration/)] },
    { name: 'bad keepaliveTime', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, keepaliveTime: '1d' }), expect: [err('spec.keepaliveTime', '"1d" is not a valid duration: unknown unit "d"; expected a Go duration such as "90s", "2m" or "1h30m" (units ns, us, ms, s, m, h)')] },
    { name: 'bad filter name', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, filters: ['Export Pods'] }), expect: [err('spec.filters[0]', /filter name "Export Pods" is not a valid name: .*; filters lists BGPFilter names/)] },
    { name: 'ttlSecurity out of range', obj: peer({ peerIP: '10.0.0.1', asNumber: 65000, ttlSecurity: 300 }), expect: [err('spec.ttlSecurity', 'ttlSecurity 300 is out of range: it is a hop count from 0 to 255 (1 for a directly connected router)')] },
  ]);
});

test('IPPool rules', () => {
  run([
    { name: 'pool', obj: pool({ cidr: '10.33.0.0/17', blockSize: 24, vxlanMode: 'CrossSubnet', natOutgoing: true, nodeSelector: 'all()' }), expect: [] },
    { name: 'IPv6 pool', obj: pool({ cidr: 'fd00:10::/48', vxlanMode: 'Always' }), expect: [] },
    { name: 'missing cidr', obj: pool({ blockSize: 26 }), expect: [err('spec.cidr', 'the IPPool has no cidr: set the pool range, e.g. "10.244.0.0/16"')] },
    { name: 'cidr without mask', obj: pool({ cidr: '10.33.0.0' }), expect: [err('spec.cidr', 'CIDR mask is missing in "10.33.0.0". Did you mean "10.33.0.0/32"?')] },
    { name: 'cidr with host bits', obj: pool({ cidr: '10.33.0.1/17' }), expect: [err('spec.cidr', /"10.33.0.1\/17" has host bits set .* Did you mean "10.33.0.0\/17"\?/)] },
    { name: 'IPv4 block size too big a block', obj: pool({ cidr: '10.0.0.0/16', blockSize: 19 }), expect: [err('spec.blockSize', 'blockSize 19 is out of range for the IPv4 pool 10.0.0.0/16: IPv4 block sizes go from 20 to 32 (default 26)')] },
    { name: 'IPv4 block size beyond 32', obj: pool({ cidr: '10.0.0.0/16', blockSize: 33 }), expect: [err('spec.blockSize', /blockSize 33 is out of range for the IPv4 pool/)] },
    { name: 'IPv6 block size', obj: pool({ cidr: 'fd00::/48', blockSize: 115 }), expect: [err('spec.blockSize', 'blockSize 115 is out of range for the IPv6 pool fd00::/48: IPv6 block sizes go from 116 to 128 (default 122)')] },
    {
      name: 'pool smaller than the default block',
      obj: pool({ cidr: '10.0.0.0/27' }),
      expect: [err('spec.cidr', 'the pool 10.0.0.0/27 is smaller than one /26 block: Calico IPAM needs the pool prefix (/27) to be at most the block size. Use a /26 or larger pool, or blockSize 27')],
    },
    { name: 'small disabled pool', obj: pool({ cidr: '10.0.0.0/27', disabled: true }), expect: [] },
    { name: 'IPIP on IPv6', obj: pool({ cidr: 'fd00::/48', ipipMode: 'Always' }), expect: [err('spec.ipipMode', 'IPIP is not supported on the IPv6 pool fd00::/48: set ipipMode to "Never" (use vxlanMode for an IPv6 overlay)')] },
    { name: 'IPIP and VXLAN', obj: pool({ cidr: '10.0.0.0/16', ipipMode: 'CrossSubnet', vxlanMode: 'Always' }), expect: [err('spec.vxlanMode', 'ipipMode (CrossSubnet) and vxlanMode (Always) cannot both be enabled on one pool: set one of them to "Never"')] },
    { name: 'link-local', obj: pool({ cidr: '169.254.0.0/20' }), expect: [err('spec.cidr', 'the pool 169.254.0.0/20 overlaps the link-local range 169.254.0.0/16, which Calico refuses for pools; choose another range')] },
    { name: 'IPv6 link-local', obj: pool({ cidr: 'fe80::/64' }), expect: [err('spec.cidr', /overlaps the link-local range fe80::\/10/)] },
    { name: 'LoadBalancer pool', obj: pool({ cidr: '10.34.0.0/24', allowedUses: ['LoadBalancer'], nodeSelector: 'all()' }), expect: [] },
    {
      name: 'LoadBalancer pool misuse',
      obj: pool({ cidr: '10.34.0.0/24', allowedUses: ['LoadBalancer', 'Workload'], vxlanMode: 'Always', disableBGPExport: true, nodeSelector: 'rack == "r1"' }),
      expect: [
        err('spec.allowedUses', 'allowedUses cannot combine LoadBalancer with Workload: use a separate pool for Service LoadBalancer addresses'),
        err('spec.vxlanMode', 'a pool with allowedUses LoadBalancer cannot use IPIP or VXLAN: set ipipMode and vxlanMode to "Never"'),
        err('spec.disableBGPExport', /cannot set disableBGPExport: true/),
        err('spec.nodeSelector', 'a pool with allowedUses LoadBalancer must have nodeSelector "all()" (found "rack == \\"r1\\"")'),
      ],
    },
    {
      name: 'v1 compatibility fields',
      obj: pool({ cidr: '10.0.0.0/16', ipip: { enabled: true }, 'nat-outgoing': true }),
      expect: [err('spec.ipip', /spec.ipip is an internal v1-compatibility field/), err('spec.nat-outgoing', /use spec.natOutgoing: true/)],
    },
    {
      name: 'selectors do not parse',
      obj: pool({ cidr: '10.0.0.0/16', nodeSelector: 'rack in "r1"', namespaceSelector: 'team ==' }),
      expect: [err('spec.nodeSelector', /selector "rack in \\"r1\\"" does not parse: unexpected quoted string "r1" after "in" at position 8; expected "\{"/), err('spec.namespaceSelector', /unexpected end of selector after "==" at position 7/)],
    },
    { name: 'wrong types are left to the schema check', obj: pool({ cidr: 42, blockSize: 'big', nodeSelector: ['all()'], allowedUses: 'Workload' }), expect: [] },
  ]);
});

test('BGPFilter rules', () => {
  run([
    {
      name: 'filter',
      obj: filter({
        exportV4: [{ action: 'Accept', matchOperator: 'In', cidr: '10.33.0.0/17', prefixLength: { min: 24, max: 24 } }, { action: 'Reject' }],
        importV6: [{ action: 'Reject', matchOperator: 'NotIn', cidr: 'fd00::/48', interface: 'eth*' }],
      }),
      expect: [],
    },
    { name: 'cidr without matchOperator', obj: filter({ exportV4: [{ action: 'Accept', cidr: '10.0.0.0/8' }] }), expect: [err('spec.exportV4[0].matchOperator', 'matchOperator is required when cidr is set: use "Equal", "NotEqual", "In" or "NotIn" to say how routes compare to "10.0.0.0/8"')] },
    { name: 'matchOperator without cidr', obj: filter({ importV4: [{ action: 'Accept', matchOperator: 'Equal' }] }), expect: [err('spec.importV4[0].cidr', 'cidr is required when matchOperator ("Equal") is set: give the CIDR routes are compared to, or remove matchOperator')] },
    { name: 'prefixLength without cidr', obj: filter({ exportV6: [{ action: 'Accept', prefixLength: { min: 64 } }] }), expect: [err('spec.exportV6[0].prefixLength', /prefixLength needs a cidr/)] },
    { name: 'IPv6 cidr in a V4 list', obj: filter({ exportV4: [{ action: 'Accept', matchOperator: 'In', cidr: 'fd00::/48' }] }), expect: [err('spec.exportV4[0].cidr', '"fd00::/48" is an IPv6 CIDR in exportV4, which holds IPv4 rules: move the rule to exportV6')] },
    { name: 'cidr with host bits', obj: filter({ importV4: [{ action: 'Reject', matchOperator: 'In', cidr: '10.0.0.1/8' }] }), expect: [err('spec.importV4[0].cidr', /has host bits set .* Did you mean "10.0.0.0\/8"\?/)] },
    { name: 'bad interface', obj: filter({ importV4: [{ action: 'Reject', interface: 'eth0; rm' }] }), expect: [err('spec.importV4[0].interface', /interface "eth0; rm" is not valid/)] },
    { name: 'prefix length range empty', obj: filter({ exportV4: [{ action: 'Accept', matchOperator: 'In', cidr: '10.0.0.0/8', prefixLength: { min: 28, max: 24 } }] }), expect: [warn('spec.exportV4[0].prefixLength', 'prefixLength min (28) is greater than max (24), so the rule matches no route: swap them')] },
  ]);
});

test('Installation spec.calicoNetwork rules', () => {
  run([
    { name: 'reference installation with autodetection', obj: installation({ ...AUTODETECT, ipPools: [REFERENCE_IP_POOL] }), expect: [] },
    {
      name: 'reference installation: bare-metal autodetection trap',
      obj: REFERENCE_INSTALLATION,
      expect: [warn('spec.calicoNetwork.nodeAddressAutodetectionV4', /^CrossSubnet encapsulation on bare metal relies on each node's IPv4 address and subnet, but nodeAddressAutodetectionV4 is not set: .*Set nodeAddressAutodetectionV4, e.g. \{cidrs: \["<node network CIDR>"\]\}/)],
    },
    { name: 'BGP with default pools on bare metal', obj: installation({ bgp: 'Enabled' }), expect: [warn('spec.calicoNetwork.nodeAddressAutodetectionV4', /^BGP on bare metal relies on/)] },
    { name: 'managed provider: no bare-metal warning', obj: installation({ ipPools: [{ cidr: '172.16.0.0/16', encapsulation: 'VXLAN' }] }, { kubernetesProvider: 'EKS', cni: { type: 'Calico' } }), expect: [] },
    { name: 'not named default', obj: installation(AUTODETECT, {}, 'main'), expect: [warn('metadata.name', 'the operator only reconciles the Installation named "default", so "main" is ignored: rename it to "default"')] },
    { name: 'VXLAN without BGP', obj: installation({ bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }] }), expect: [] },
    {
      name: 'IPIP without BGP',
      obj: installation({ ...AUTODETECT, bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'IPIPCrossSubnet' }] }),
      expect: [err('spec.calicoNetwork.ipPools[0].encapsulation', 'encapsulation IPIPCrossSubnet needs BGP to program routes, but spec.calicoNetwork.bgp is Disabled: use VXLAN or VXLANCrossSubnet, or set spec.calicoNetwork.bgp: Enabled (or spec.calicoNetwork.clusterRoutingMode: Felix, so that Felix programs the routes)')],
    },
    {
      name: 'default IPIP without BGP',
      obj: installation({ bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17' }] }),
      expect: [err('spec.calicoNetwork.ipPools[0].encapsulation', /^encapsulation IPIP \(the operator's default for IPv4 pools\) needs BGP to program routes/)],
    },
    {
      name: 'unencapsulated without BGP',
      obj: installation({ bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'None' }] }),
      expect: [err('spec.calicoNetwork.ipPools[0].encapsulation', /^an unencapsulated pool \(encapsulation None\) needs BGP to program routes/)],
    },
    {
      name: 'IPIP on IPv6',
      obj: installation({ ...AUTODETECT, ipPools: [{ cidr: 'fd00:10::/48', encapsulation: 'IPIP' }] }),
      expect: [err('spec.calicoNetwork.ipPools[0].encapsulation', 'IPIP encapsulation is not supported by IPv6 pools, but it is set for fd00:10::/48: use VXLAN, VXLANCrossSubnet or None')],
    },
    {
      name: 'VXLAN with host-local IPAM',
      obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }] }, { cni: { type: 'Calico', ipam: { type: 'HostLocal' } } }),
      expect: [err('spec.calicoNetwork.ipPools[0].encapsulation', /VXLAN is invalid for ipPool.encapsulation with Calico CNI and HostLocal IPAM/)],
    },
    {
      name: 'non-Calico CNI',
      obj: installation({ bgp: 'Enabled', hostPorts: 'Enabled', multiInterfaceMode: 'Multus', containerIPForwarding: 'Enabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN', nodeSelector: 'rack == "r1"' }] }, { cni: { type: 'AmazonVPC' } }),
      expect: [
        err('spec.calicoNetwork.ipPools[0].encapsulation', 'VXLAN is invalid for ipPool.encapsulation with the AmazonVPC CNI plugin: it must be None (encapsulation needs the Calico CNI)'),
        err('spec.calicoNetwork.ipPools[0].nodeSelector', 'ipPool.nodeSelector ("rack == \\"r1\\"") must be "all()" when using the AmazonVPC CNI plugin'),
        err('spec.calicoNetwork.bgp', 'BGP is not supported when using the AmazonVPC CNI plugin: set spec.calicoNetwork.bgp: Disabled'),
        err('spec.calicoNetwork.hostPorts', 'spec.calicoNetwork.hostPorts is supported only with the Calico CNI plugin (cni.type is AmazonVPC): remove it'),
        err('spec.calicoNetwork.multiInterfaceMode', /multiInterfaceMode is supported only with the Calico CNI plugin/),
        err('spec.calicoNetwork.containerIPForwarding', /containerIPForwarding is supported only with the Calico CNI plugin/),
        warn('spec.calicoNetwork.nodeAddressAutodetectionV4', /^BGP on bare metal/),
      ],
    },
    { name: 'block size out of range', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN', blockSize: 33 }] }), expect: [err('spec.calicoNetwork.ipPools[0].blockSize', 'blockSize 33 is out of range for the IPv4 pool 10.33.0.0/17: IPv4 block sizes go from 20 to 32 (default 26)')] },
    { name: 'IPv6 block size out of range', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: 'fd00::/64', blockSize: 112 }] }), expect: [err('spec.calicoNetwork.ipPools[0].blockSize', /blockSize 112 is out of range for the IPv6 pool fd00::\/64: IPv6 block sizes go from 116 to 128/)] },
    { name: 'pool smaller than its block', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/25', blockSize: 24, encapsulation: 'VXLAN' }] }), expect: [err('spec.calicoNetwork.ipPools[0].cidr', /the pool 10.33.0.0\/25 is smaller than one \/24 block/)] },
    { name: 'pool cidr with host bits', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.1/17' }] }), expect: [err('spec.calicoNetwork.ipPools[0].cidr', /"10.33.0.1\/17" has host bits set .*Did you mean "10.33.0.0\/17"\?/)] },
    { name: 'pool cidr without mask', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0' }] }), expect: [err('spec.calicoNetwork.ipPools[0].cidr', 'CIDR mask is missing in "10.33.0.0". Did you mean "10.33.0.0/32"?')] },
    { name: 'link-local pool', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '169.254.0.0/16' }] }), expect: [err('spec.calicoNetwork.ipPools[0].cidr', /overlaps the link-local range 169.254.0.0\/16/)] },
    { name: 'pool selector does not parse', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17', nodeSelector: 'all' }] }), expect: [err('spec.calicoNetwork.ipPools[0].nodeSelector', /selector "all" does not parse/)] },
    {
      name: 'duplicate pool CIDR and name',
      obj: installation({ ...AUTODETECT, ipPools: [{ name: 'pods', cidr: '10.33.0.0/17' }, { name: 'pods', cidr: '10.33.0.0/17' }] }),
      expect: [
        err('spec.calicoNetwork.ipPools[1].name', 'IP pool name "pods" is specified more than once (also ipPools[0]): give each pool a distinct name'),
        err('spec.calicoNetwork.ipPools[1].cidr', 'IP pool 10.33.0.0/17 is specified more than once (also ipPools[0]): remove the duplicate'),
      ],
    },
    { name: 'pool name not a DNS name', obj: installation({ ...AUTODETECT, ipPools: [{ name: 'Pods_A', cidr: '10.33.0.0/17' }] }), expect: [err('spec.calicoNetwork.ipPools[0].name', /pool name "Pods_A" is not a valid name: .* \(it becomes the IPPool's name\)/)] },
    { name: 'two IPv4 pools on v3.32.1', obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17' }, { cidr: '10.35.0.0/16' }] }), expect: [] },
    {
      name: 'two IPv4 pools on v3.24.5',
      version: 'v3.24.5',
      obj: installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17' }, { cidr: '10.35.0.0/16' }, { cidr: 'fd00::/64' }] }),
      expect: [err('spec.calicoNetwork.ipPools[1]', 'only one IPv4 pool is allowed in the Installation with Calico v3.24.5 (operator v1.28): keep ipPools[0] and create further pools as IPPool resources')],
    },
    {
      name: 'two autodetection methods',
      obj: installation({ nodeAddressAutodetectionV4: { firstFound: true, interface: 'eth0' }, nodeAddressAutodetectionV6: { cidrs: ['fd00::1/64', 'fd00::'] } }),
      expect: [
        err('spec.calicoNetwork.nodeAddressAutodetectionV4', 'no more than one node address autodetection method can be set per family, found interface, firstFound: keep one (e.g. cidrs with the node network)'),
        err('spec.calicoNetwork.nodeAddressAutodetectionV6.cidrs[1]', 'invalid CIDR for node address autodetection: CIDR mask is missing in "fd00::". Did you mean "fd00::/128"?'),
      ],
    },
    { name: 'APIServer named default', obj: REFERENCE_API_SERVER, expect: [] },
    { name: 'APIServer not named default', obj: { ...REFERENCE_API_SERVER, metadata: { name: 'calico-api' } }, expect: [warn('metadata.name', 'the operator only reconciles the APIServer named "default", so "calico-api" is ignored: rename it to "default"')] },
    { name: 'no calicoNetwork', obj: { apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' }, spec: {} }, expect: [] },
    { name: 'wrong types are left to the schema check', obj: installation({ ipPools: 'many', bgp: 7, nodeAddressAutodetectionV4: { cidrs: 'x' } }, { cni: 'Calico' }), expect: [] },
  ]);
});

test('value parsers: AS numbers, communities, durations', () => {
  assert.deepEqual(parseAsNumber(64517), { ok: true, value: 64517 });
  assert.deepEqual(parseAsNumber('4294967295'), { ok: true, value: 4294967295 });
  assert.deepEqual(parseAsNumber('65535.65535'), { ok: true, value: 4294967295 });
  assert.equal(parseAsNumber('4294967296').ok, false);
  assert.equal(parseAsNumber('1.65536').ok, false);
  assert.equal(parseAsNumber('.1').ok, false);
  assert.equal(parseAsNumber(1.5).ok, false);
  assert.equal(parseAsNumber(true).ok, false);
  assert.deepEqual(parseCommunity('64517:300:100'), { ok: true, value: { kind: 'large', parts: [64517, 300, 100] } });
  assert.deepEqual(parseCommunity('65535:0'), { ok: true, value: { kind: 'standard', parts: [65535, 0] } });
  assert.equal(parseCommunity('1:2:3:4').ok, false);
  assert.equal(parseCommunity(':1').ok, false);
  assert.deepEqual(parseGoDuration('1h30m'), { ok: true, value: 5400e9 });
  assert.deepEqual(parseGoDuration('1.5s'), { ok: true, value: 1.5e9 });
  assert.deepEqual(parseGoDuration('0'), { ok: true, value: 0 });
  assert.deepEqual(parseGoDuration('300ms'), { ok: true, value: 300e6 });
  assert.deepEqual(parseGoDuration('10µs'), { ok: true, value: 10e3 });
  assert.deepEqual(parseGoDuration('-2m'), { ok: true, value: -120e9 });
  for (const bad of ['', '5', '.s', '1x', 's', '1h 30m', '--1s']) assert.equal(parseGoDuration(bad).ok, false, bad);
});

test('the rules never throw on random objects and only report about known fields (property)', () => {
  const kinds: Array<[string, string]> = [
    [V3, 'BGPConfiguration'],
    [V3, 'BGPPeer'],
    [V3, 'IPPool'],
    [V3, 'BGPFilter'],
    ['crd.projectcalico.org/v1', 'BGPPeer'],
    ['operator.tigera.io/v1', 'Installation'],
  ];
  const fieldValue = fc.oneof(
    fc.anything(),
    fc.string(),
    fc.ipV4(),
    fc.ipV6(),
    fc.tuple(fc.ipV4(), fc.integer({ min: -2, max: 40 })).map(([ip, len]) => `${ip}/${len}`),
    fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}:${b}`),
    fc.tuple(fc.nat(), fc.nat(), fc.nat()).map(([a, b, c]) => `${a}:${b}:${c}`),
    fc.array(fc.anything(), { maxLength: 3 }),
  );
  const fields = ['peerIP', 'asNumber', 'node', 'nodeSelector', 'peerSelector', 'password', 'reachableBy', 'cidr', 'blockSize', 'ipipMode', 'allowedUses', 'communities', 'prefixAdvertisements', 'serviceClusterIPs', 'exportV4', 'calicoNetwork', 'nodeMeshPassword', 'maxRestartTime', 'filters', 'ttlSecurity'];
  const spec = fc.oneof(fc.dictionary(fc.constantFrom(...fields), fieldValue), fc.anything());
  const pools = fc.array(fc.record({ cidr: fieldValue, blockSize: fieldValue, encapsulation: fieldValue, nodeSelector: fieldValue, name: fieldValue }, { requiredKeys: [] }), { maxLength: 3 });
  fc.assert(
    fc.property(fc.constantFrom(...kinds), fc.oneof(fc.string(), fc.anything()), spec, pools, fc.constantFrom('v3.24.5', 'v3.31.7', 'v3.32.1') as fc.Arbitrary<CalicoVersion>, ([apiVersion, kind], name, s, ipPools, version) => {
      const obj = { apiVersion, kind, metadata: { name }, spec: kind === 'Installation' && typeof s === 'object' && s !== null ? { ...s, calicoNetwork: { ipPools } } : s } as ManifestObject;
      const found = validateCalicoRules(obj, { calicoVersion: version });
      for (const v of found) {
        assert.equal(typeof v.message, 'string');
        assert.ok(v.message.length > 0);
        assert.ok(v.severity === 'error' || v.severity === 'warning');
      }
    }),
    { numRuns: 500, seed: 20261126 },
  );
  // Whole objects of the wrong shape.
  for (const bad of [{ apiVersion: V3, kind: 'BGPPeer', metadata: 5, spec: 'x' }, { apiVersion: V3, kind: 'IPPool' }, { apiVersion: 7, kind: null }] as unknown as ManifestObject[]) {
    assert.doesNotThrow(() => validateCalicoRules(bad, { calicoVersion: 'v3.32.1' }));
  }
});
