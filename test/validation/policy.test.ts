import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CalicoVersion, CALICO_VERSIONS } from '../../src/releases/releases';
import { validateManifests } from '../../src/validation';
import { validateCalicoRules } from '../../src/validation/rules';
import { portProblem } from '../../src/validation/rules/policy-rule';
import { ManifestObject, Severity, Violation } from '../../src/model/violation';

/**
 * Calico's policy rules (libcalico-go validator/v3 validateRule, validateEntityRule,
 * validateNetworkPolicy, validateGlobalNetworkPolicy, validateStaged*, validateTier,
 * validateNetworkSet, validateHostEndpointSpec), written from the rules: each case is one rule
 * broken (or kept), checked on the releases it concerns.
 */

const V3 = 'projectcalico.org/v3';
const obj = (kind: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): ManifestObject => ({
  apiVersion: V3,
  kind,
  metadata: { name, ...(kind === 'NetworkPolicy' || kind === 'StagedNetworkPolicy' || kind === 'NetworkSet' || kind === 'StagedKubernetesNetworkPolicy' ? { namespace: 'shop' } : {}), ...extra },
  spec,
});
const np = (spec: Record<string, unknown>, name = 'allow-web') => obj('NetworkPolicy', name, spec);
const gnp = (spec: Record<string, unknown>, name = 'allow-dns') => obj('GlobalNetworkPolicy', name, spec);
const ingress = (rule: Record<string, unknown>) => np({ selector: 'app == "web"', ingress: [rule] });
const egress = (rule: Record<string, unknown>) => np({ selector: 'app == "web"', egress: [rule] });

type Found = readonly [Severity, string, RegExp | string];

/** The rule violations (severity, path, message) of one object on one release. */
function rules(o: ManifestObject, version: CalicoVersion = 'v3.31.7'): Violation[] {
  return validateCalicoRules(o, { calicoVersion: version });
}

function expectRules(o: ManifestObject, expected: readonly Found[], versions: readonly CalicoVersion[] = ['v3.31.7']): void {
  for (const version of versions) {
    const got = rules(o, version);
    assert.deepEqual(got.map((v) => `${v.severity} ${v.path}`), expected.map(([s, p]) => `${s} ${p}`), `${version}: ${JSON.stringify(got.map((v) => v.message), null, 1)}`);
    expected.forEach(([, , m], i) => {
      if (typeof m === 'string') assert.equal(got[i].message, m);
      else assert.match(got[i].message, m);
    });
  }
}

test('valid policies raise nothing on any release that has the kind', () => {
  const good = [
    np({ selector: 'app == "web"', types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: 'app == "lb"', nets: ['10.0.0.0/8'] }, destination: { ports: [80, '8000:8080', 'http'] } }], egress: [{ action: 'Allow', protocol: 'UDP', destination: { namespaceSelector: 'global()', selector: 'role == "dns"', ports: [53] } }] }),
    gnp({ selector: 'all()', order: 10, ingress: [{ action: 'Allow', protocol: 'ICMP', icmp: { type: 8, code: 0 } }, { action: 'Allow', protocol: 'ICMPv6', ipVersion: 6, notICMP: { type: 128 } }, { action: 'Deny', source: { nets: ['fd00::/8'], notNets: ['fd00:1::/64'] } }] }),
    gnp({ selector: 'has(host)', preDNAT: true, applyOnForward: true, types: ['Ingress'], ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [22] } }] }, 'host-ssh'),
    obj('GlobalNetworkSet', 'blocked', { nets: ['192.0.2.1', '198.51.100.7/24', '2001:db8::/32'] }),
    obj('NetworkSet', 'partners', { nets: ['203.0.113.0/24'] }),
    obj('HostEndpoint', 'node1-eth0', { node: 'node1', interfaceName: 'eth0', expectedIPs: ['10.31.0.11'], profiles: ['host-defaults'], ports: [{ name: 'ssh', port: 22, protocol: 'TCP' }] }),
  ];
  for (const version of CALICO_VERSIONS) {
    for (const o of good) assert.deepEqual(validateManifests([{ object: o }], { calicoVersion: version }), [], `${version} ${o.kind}`);
  }
});

test('Rule: ports need TCP, UDP or SCTP, by name or number; ICMP and other protocols have none', () => {
  expectRules(ingress({ action: 'Allow', destination: { ports: [80] } }), [['error', 'spec.ingress[0].destination.ports', 'destination.ports needs the rule\'s protocol to be TCP, UDP or SCTP (ports exist only for them), but protocol is not set: set protocol: TCP (or UDP, SCTP), or remove ports']], CALICO_VERSIONS);
  expectRules(ingress({ action: 'Allow', protocol: 'ICMP', source: { notPorts: [1024] } }), [['error', 'spec.ingress[0].source.notPorts', /but protocol is "ICMP"/]]);
  expectRules(ingress({ action: 'Allow', protocol: 132, destination: { ports: [9899] } }), []);
  expectRules(ingress({ action: 'Allow', protocol: '17', destination: { ports: [53] } }), []);
  expectRules(ingress({ action: 'Allow', protocol: 'UDPLite', destination: { ports: [53] } }), [['error', 'spec.ingress[0].destination.ports', /protocol is "UDPLite"/]]);
});

test('Rule: protocol names are case-sensitive; numbers 1-255', () => {
  expectRules(ingress({ action: 'Allow', protocol: 'tcp' }), [['error', 'spec.ingress[0].protocol', 'protocol "tcp" is not a protocol Calico knows (names are case-sensitive): use "TCP", "UDP", "ICMP", "ICMPv6", "SCTP" or "UDPLite" or a number from 1 to 255; here "TCP"']]);
  expectRules(ingress({ action: 'Allow', protocol: 0 }), [['error', 'spec.ingress[0].protocol', /^protocol 0 is not valid/]]);
  expectRules(ingress({ action: 'Allow', notProtocol: 256 }), [['error', 'spec.ingress[0].notProtocol', /^protocol 256 is out of range/]]);
});

test('Rule: port values (numorstring.Port and the portName tag)', () => {
  assert.equal(portProblem(65535), undefined);
  assert.equal(portProblem('1:65535'), undefined);
  assert.equal(portProblem('metrics-2'), undefined);
  assert.match(portProblem(0) ?? '', /^port 0 is not valid/);
  assert.match(portProblem(65536) ?? '', /out of range/);
  assert.match(portProblem('90:80') ?? '', /runs backwards \(minimum 90 is greater than maximum 80\): write "80:90"/);
  assert.match(portProblem('0:10') ?? '', /starts at 0/);
  assert.match(portProblem('HTTP') ?? '', /not a valid port name/);
  assert.match(portProblem('a--b') ?? '', /not a valid port name/);
  assert.match(portProblem('very-long-port-name') ?? '', /not a valid port name/);
  assert.match(portProblem('80/tcp') ?? '', /neither a number, a range "min:max" nor a port name/);
  expectRules(ingress({ action: 'Allow', protocol: 'TCP', destination: { ports: [80, '443:80'] } }), [['error', 'spec.ingress[0].destination.ports[1]', /"443:80" runs backwards/]]);
});

test('Rule: action and ipVersion (schema enums on v3.32.1, Calico\'s tags before)', () => {
  const bad = ingress({ action: 'allow', ipVersion: 5 });
  expectRules(bad, [
    ['error', 'spec.ingress[0].action', 'action "allow" is not allowed (case-sensitive): use "Allow", "Deny", "Log" or "Pass"; here "Allow"'],
    ['error', 'spec.ingress[0].ipVersion', 'ipVersion 5 is not allowed: use 4 or 6, or leave it out to match both'],
  ], ['v3.24.5', 'v3.31.7']);
  // v3.32.1's CRD has the enums: the schema reports them, once.
  expectRules(bad, [], ['v3.32.1']);
  const all = validateManifests([{ object: bad }], { calicoVersion: 'v3.32.1' });
  assert.deepEqual(all.map((v) => v.path), ['spec.ingress[0].action', 'spec.ingress[0].ipVersion']);
  expectRules(ingress({ protocol: 'TCP' }), [['error', 'spec.ingress[0].action', 'the rule has no action: set action to "Allow", "Deny", "Log" or "Pass"']], ['v3.24.5']);
});

test('Rule: ICMP type and code per IP version', () => {
  expectRules(ingress({ action: 'Allow', protocol: 'ICMP', ipVersion: 6, icmp: { type: 8 } }), [['error', 'spec.ingress[0].ipVersion', 'protocol ICMP is IPv4 only, but ipVersion is 6: use protocol ICMPv6 for IPv6, or ipVersion 4']], CALICO_VERSIONS);
  expectRules(ingress({ action: 'Allow', notProtocol: 'ICMPv6', ipVersion: 4 }), [['error', 'spec.ingress[0].ipVersion', /protocol ICMPv6 is IPv6 only, but ipVersion is 4/]], CALICO_VERSIONS);
  expectRules(ingress({ action: 'Allow', protocol: 'ICMP', icmp: { code: 1 } }), [['error', 'spec.ingress[0].icmp.code', /icmp.code \(1\) is set without icmp.type/]]);
  expectRules(ingress({ action: 'Allow', protocol: 'TCP', icmp: { type: 8 } }), [['error', 'spec.ingress[0].icmp', 'icmp matches need protocol ICMP or ICMPv6, written by name, but protocol is "TCP": set protocol: ICMP (IPv4) or ICMPv6 (IPv6)']]);
  // By number the Go validator does not see ICMP (it compares with the named protocol).
  expectRules(ingress({ action: 'Allow', protocol: 1, icmp: { type: 8 } }), [['error', 'spec.ingress[0].icmp', /but protocol is 1/]]);
  expectRules(ingress({ action: 'Allow', protocol: 'ICMP', icmp: { type: 255, code: 256 } }), [
    ['error', 'spec.ingress[0].icmp.type', 'ICMP type 255 is out of range: use 0 to 254 (e.g. 8 for echo request)'],
    ['error', 'spec.ingress[0].icmp.code', 'ICMP code 256 is out of range: use 0 to 255'],
  ], ['v3.24.5', 'v3.31.7']);
});

test('Rule: nets are masked CIDRs of one family, matching ipVersion', () => {
  expectRules(ingress({ action: 'Deny', source: { nets: ['10.0.0.0/8'] }, destination: { notNets: ['fd00::/8'] } }), [
    ['error', 'spec.ingress[0].destination.notNets[0]', '"fd00::/8" is IPv6 but source.nets[0] ("10.0.0.0/8") is IPv4: one rule matches one IP family; put the IPv6 CIDRs in a rule of their own'],
  ], CALICO_VERSIONS);
  expectRules(ingress({ action: 'Deny', ipVersion: 6, source: { nets: ['10.0.0.0/8'] } }), [['error', 'spec.ingress[0].source.nets[0]', /is an IPv4 CIDR but the rule has ipVersion 6/]]);
  expectRules(ingress({ action: 'Deny', source: { nets: ['10.0.0.1/8', '10.1.0.0'] } }), [
    ['error', 'spec.ingress[0].source.nets[0]', /host bits set.*Did you mean "10.0.0.0\/8"/],
    ['error', 'spec.ingress[0].source.nets[1]', /CIDR mask is missing in "10.1.0.0". Did you mean "10.1.0.0\/32"/],
  ]);
});

test('EntityRule: selectors parse; global() only alone in namespaceSelector', () => {
  expectRules(ingress({ action: 'Allow', source: { selector: 'app = "x"' } }), [['error', 'spec.ingress[0].source.selector', /does not parse/]]);
  expectRules(ingress({ action: 'Allow', source: { selector: 'global()' } }), [['error', 'spec.ingress[0].source.selector', /^source.selector "global\(\)" uses global\(\), which Calico allows only in a rule's source\/destination namespaceSelector/]], CALICO_VERSIONS);
  const joined = ingress({ action: 'Allow', source: { namespaceSelector: 'global() && has(x)' } });
  expectRules(joined, [['error', 'spec.ingress[0].source.namespaceSelector', /uses global\(\) together with other terms/]], CALICO_VERSIONS);
  // v3.24 matched the canonical text for global() joined with && or ||: a negation passed; later
  // releases require the single token global().
  const negated = ingress({ action: 'Allow', source: { namespaceSelector: '!global()' } });
  expectRules(negated, [], ['v3.24.5']);
  expectRules(negated, [['error', 'spec.ingress[0].source.namespaceSelector', /uses global\(\) together with other terms/]], ['v3.31.7', 'v3.32.1']);
  expectRules(ingress({ action: 'Allow', source: { namespaceSelector: ' global( ) ' } }), [], CALICO_VERSIONS);
});

test('EntityRule: services exclude selectors, nets and service accounts; sides and namespaces', () => {
  expectRules(egress({ action: 'Allow', destination: { services: { name: 'api', namespace: 'shop' }, selector: 'a == "b"', nets: ['10.0.0.0/8'] } }), [
    ['error', 'spec.egress[0].destination.services', 'destination.services cannot be combined with selector, nets in the same rule (a service rule matches the Service\'s endpoints and their addresses): split it into two rules, or drop selector, nets'],
  ]);
  expectRules(egress({ action: 'Allow', protocol: 'TCP', destination: { services: { name: 'api' }, ports: [443] } }), [['error', 'spec.egress[0].destination.ports', /cannot be combined with destination.services/]]);
  expectRules(egress({ action: 'Allow', source: { services: { name: 'api' } } }), [['error', 'spec.egress[0].source.services', /not allowed in the source of an egress rule/]]);
  expectRules(ingress({ action: 'Allow', destination: { services: { name: 'api' } } }), [['error', 'spec.ingress[0].destination.services', /not allowed in the destination of an ingress rule/]]);
  expectRules(egress({ action: 'Allow', destination: { services: { namespace: 'shop' } } }), [['error', 'spec.egress[0].destination.services.name', /names no Service/]]);
  expectRules(gnp({ selector: 'all()', egress: [{ action: 'Allow', destination: { services: { name: 'kube-dns' } } }] }), [['error', 'spec.egress[0].destination.services.namespace', /must name the Service's namespace/]]);
});

test('Rule: HTTP matches only in Allow ingress rules with TCP; methods and paths', () => {
  expectRules(egress({ action: 'Allow', http: { methods: ['GET'] } }), [['error', 'spec.egress[0].http', /not allowed in egress rules/]]);
  expectRules(ingress({ action: 'Deny', protocol: 'UDP', http: { methods: ['GET', 'GET'], paths: [{ exact: '/a', prefix: '/b' }, { prefix: 'api' }, {}] } }), [
    ['error', 'spec.ingress[0].http', /only valid in Allow rules, but action is "Deny"/],
    ['error', 'spec.ingress[0].protocol', /must have protocol TCP \(written by name\) or none, but protocol is "UDP"/],
    ['error', 'spec.ingress[0].http.methods', 'HTTP method "GET" is listed more than once: list each method once'],
    ['error', 'spec.ingress[0].http.paths[0]', /sets both exact and prefix/],
    ['error', 'spec.ingress[0].http.paths[1].prefix', /HTTP path "api" is not valid: it must start with '\/'/],
    ['error', 'spec.ingress[0].http.paths[2]', /sets neither exact nor prefix/],
  ], ['v3.24.5', 'v3.31.7']);
});

test('Policy: global() in the policy selectors; types; rule metadata annotations', () => {
  expectRules(np({ selector: 'global()', serviceAccountSelector: 'has(global())' }), [
    ['error', 'spec.serviceAccountSelector', /does not parse/],
    ['error', 'spec.selector', /^spec.selector "global\(\)" uses global\(\)/],
    ['error', 'spec.serviceAccountSelector', /uses global\(\)/],
  ]);
  expectRules(gnp({ selector: 'all()', namespaceSelector: 'global()' }), [['error', 'spec.namespaceSelector', /uses global\(\)/]]);
  expectRules(np({ selector: 'all()', types: ['Ingress', 'Ingress', 'ingress'] }), [
    ['error', 'spec.types[1]', 'policy type "Ingress" is listed more than once: list each of "Ingress" and "Egress" at most once'],
    ['error', 'spec.types[2]', /policy type "ingress" is not allowed \(case-sensitive\).*here "Ingress"/],
  ], ['v3.24.5']);
  expectRules(ingress({ action: 'Allow', metadata: { annotations: { 'bad key!': 'x' } } }), [['error', 'spec.ingress[0].metadata.annotations["bad key!"]', /annotation key "bad key!" is not valid/]]);
});

test('GlobalNetworkPolicy: preDNAT, doNotTrack and applyOnForward', () => {
  expectRules(gnp({ selector: 'has(host)', preDNAT: true, doNotTrack: true, types: ['Egress'], egress: [{ action: 'Deny' }] }), [
    ['error', 'spec.preDNAT', /preDNAT and doNotTrack cannot both be true/],
    ['error', 'spec.egress', /a preDNAT policy cannot have egress rules/],
    ['error', 'spec.types', /cannot have type Egress/],
    ['error', 'spec.applyOnForward', 'applyOnForward must be true when preDNAT is true: set applyOnForward: true'],
  ], ['v3.24.5', 'v3.31.7']);
  // v3.32.1's CRD has the same rules in CEL: validateManifests reports Calico's wording once.
  const all = validateManifests([{ object: gnp({ selector: 'has(host)', doNotTrack: true }) }], { calicoVersion: 'v3.32.1' });
  assert.deepEqual(all.map((v) => [v.path, v.message]), [['spec.applyOnForward', 'applyOnForward must be true when doNotTrack is true: set applyOnForward: true']]);
});

test('policy names: one label in v3.24.5 (no tiers); "<tier>.<name>" from v3.31', () => {
  expectRules(gnp({ selector: 'all()' }, 'platform.allow-dns'), [['error', 'metadata.name', 'GlobalNetworkPolicy name "platform.allow-dns" is not valid in Calico v3.24.5 (Calico v3.24.5 has no tiers, so a policy name has no \'.\'): use one DNS-1123 label: lower case letters, digits and \'-\', starting and ending with a letter or digit, no \'.\', e.g. "platform-allow-dns"']], ['v3.24.5']);
  expectRules(gnp({ selector: 'all()' }, 'platform.allow-dns'), [], ['v3.31.7', 'v3.32.1']);
  expectRules(gnp({ selector: 'all()' }, 'a.b.c'), [['error', 'metadata.name', /not valid in Calico v3.31.7: use a DNS-1123 label .* optionally prefixed by a tier name/]], ['v3.31.7']);
  expectRules(np({ selector: 'all()' }, 'knp.default.allow.web'), [], CALICO_VERSIONS);
  expectRules(np({ selector: 'all()' }, 'web.a.b'), [['error', 'metadata.name', /NetworkPolicy name "web.a.b" is not valid/]], ['v3.31.7']);
});

test('staged policies: stagedAction values; Delete carries nothing but the tier', () => {
  const staged = (spec: Record<string, unknown>) => obj('StagedGlobalNetworkPolicy', 'try-deny', spec);
  expectRules(staged({ stagedAction: 'Delete', tier: 'default' }), []);
  expectRules(staged({ stagedAction: 'Delete', tier: 'default', selector: 'all()', ingress: [] }), [['error', 'spec.stagedAction', 'stagedAction Delete stages the removal of the policy, so the other spec fields must be empty (except tier), but ingress, selector are set: remove them, or use stagedAction Set']]);
  expectRules(staged({ stagedAction: 'Set', selector: 'global()' }), [['error', 'spec.selector', /uses global\(\)/]]);
  expectRules(obj('StagedNetworkPolicy', 'try', { stagedAction: 'Learn', selector: 'all()', ingress: [{ action: 'Allow', destination: { ports: [80] } }] }), [['error', 'spec.ingress[0].destination.ports', /needs the rule's protocol/]]);
  const sknp = (spec: Record<string, unknown>) => obj('StagedKubernetesNetworkPolicy', 'try-k8s', spec);
  expectRules(sknp({ stagedAction: 'Delete', podSelector: {} }), []); // an empty LabelSelector is the zero value
  expectRules(sknp({ stagedAction: 'Delete', podSelector: { matchLabels: { app: 'web' } } }), [['error', 'spec.stagedAction', /but podSelector is set/]]);
  expectRules(staged({ stagedAction: 'Delete', order: 0 }), [['error', 'spec.stagedAction', /but order is set/]]); // order is a pointer: 0 is set
  expectRules(sknp({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] } }], ports: [{ protocol: 'ICMP', port: 0 }] }] }), [
    ['error', 'spec.ingress[0].ports[0].protocol', /"ICMP" is not valid: use "TCP", "UDP" or "SCTP"/],
    ['error', 'spec.ingress[0].ports[0].port', /port 0 is out of range/],
    ['error', 'spec.ingress[0].from[0].ipBlock.except[0]', /"10.1.0.0\/24" is not inside ipBlock.cidr "10.0.0.0\/16"/],
  ]);
});

test('Tier: one DNS label of at most 63 characters; the fixed tiers keep their order', () => {
  const tier = (name: string, spec: Record<string, unknown>) => obj('Tier', name, spec);
  expectRules(tier('security', { order: 100 }), []);
  expectRules(tier('team.a', { order: 100 }), [['error', 'metadata.name', /tier name "team.a" is not valid: .*without '\.'/]]);
  expectRules(tier('t'.repeat(64), {}), [['error', 'metadata.name', /is 64 characters long; a tier name is at most 63/]]);
  expectRules(tier('default', { order: 100 }), [['error', 'spec.order', 'the default tier must have order 1000000 (Calico creates it with that order), but order is 100: set spec.order: 1000000']], ['v3.31.7', 'v3.32.1']);
  expectRules(tier('adminnetworkpolicy', {}), [['error', 'spec.order', /the adminnetworkpolicy tier must have order 1000 .* but order is not set/]], ['v3.31.7']);
});

test('NetworkSet / GlobalNetworkSet: nets are addresses or CIDRs; the namespace label is reserved', () => {
  expectRules(obj('GlobalNetworkSet', 'bad', { nets: ['10.0.0.300/8', '10.0.0.0/33'] }), [
    ['error', 'spec.nets[0]', /^nets: "10.0.0.300\/8" is not a valid CIDR/],
    ['error', 'spec.nets[1]', /the prefix length "33" must be a whole number from 0 to 32/],
  ]);
  expectRules(obj('NetworkSet', 'labelled', { nets: ['10.0.0.0/8'] }, { labels: { 'projectcalico.org/namespace': 'shop' } }), [
    ['error', 'metadata.labels["projectcalico.org/namespace"]', /the label projectcalico.org\/namespace is reserved/],
  ]);
});

test('HostEndpoint: a node, an interface or expected IPs, valid ports', () => {
  expectRules(obj('HostEndpoint', 'h', { expectedIPs: ['10.0.0.1'] }), [['error', 'spec.node', /names no node/]]);
  expectRules(obj('HostEndpoint', 'h', { node: 'n1' }), [['error', 'spec', /neither interfaceName nor expectedIPs/]]);
  expectRules(obj('HostEndpoint', 'h', { node: 'N_1', interfaceName: 'an-interface-name-too-long', expectedIPs: ['10.0.0.1/32'], ports: [{ name: 'dns', port: 53, protocol: 'ICMP' }, { port: 0, protocol: 'TCP' }] }), [
    ['error', 'spec.node', /node "N_1" is not a valid name/],
    ['error', 'spec.interfaceName', /is not a valid interface name/],
    ['error', 'spec.expectedIPs[0]', /a CIDR is not allowed here/],
    ['error', 'spec.ports[0].protocol', 'protocol "ICMP" has no ports: a named port uses TCP, UDP or SCTP'],
    ['error', 'spec.ports[1].name', /the port has no name/],
    ['error', 'spec.ports[1].port', /port 0 is out of range/],
  ]);
});

test('the policy rules stay fast: 2,000 policies with 5 rules each in well under a second', () => {
  const objects = Array.from({ length: 2000 }, (_, i) => ({
    object: np({ selector: `app == "a${i}"`, ingress: Array.from({ length: 5 }, (_, j) => ({ action: 'Allow', protocol: 'TCP', source: { nets: [`10.${j}.0.0/16`], selector: 'role == "x"' }, destination: { ports: [80 + j] } })) }, `p-${i}`),
  }));
  const start = process.hrtime.bigint();
  const found = validateManifests(objects, { calicoVersion: 'v3.31.7' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  assert.deepEqual(found, []);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('the policy, endpoint and IPAM rules never throw on random objects (property)', () => {
  const kinds = ['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'Tier', 'NetworkSet', 'GlobalNetworkSet', 'HostEndpoint', 'Node', 'WorkloadEndpoint', 'Profile', 'IPAMConfig', 'BlockAffinity', 'IPReservation', 'CalicoNodeStatus', 'FelixConfiguration', 'KubeControllersConfiguration'];
  const value = fc.oneof(fc.anything(), fc.string(), fc.integer({ min: -5, max: 70000 }), fc.ipV4(), fc.array(fc.anything(), { maxLength: 3 }));
  const entity = fc.dictionary(fc.constantFrom('nets', 'notNets', 'selector', 'namespaceSelector', 'ports', 'notPorts', 'services', 'serviceAccounts'), value);
  const rule = fc.oneof(fc.record({ action: value, protocol: value, notProtocol: value, ipVersion: value, icmp: value, notICMP: value, http: value, source: entity, destination: entity, metadata: value }, { requiredKeys: [] }), fc.anything());
  const fields = ['selector', 'types', 'stagedAction', 'tier', 'order', 'nets', 'node', 'interfaceName', 'expectedIPs', 'ports', 'bgp', 'ipNetworks', 'ipNATs', 'labelsToApply', 'maxBlocksPerHost', 'deleted', 'reservedCIDRs', 'classes', 'kubeNodePortRanges', 'routeTableRanges', 'logSeverityScreen', 'controllers', 'podSelector', 'policyTypes', 'preDNAT', 'doNotTrack'];
  const spec = fc.oneof(fc.record({ ingress: fc.array(rule, { maxLength: 3 }), egress: fc.array(rule, { maxLength: 2 }), extra: fc.dictionary(fc.constantFrom(...fields), value) }).map(({ extra, ...r }) => ({ ...r, ...extra })), fc.anything());
  fc.assert(
    fc.property(fc.constantFrom(...kinds), fc.oneof(fc.string(), fc.anything()), spec, fc.constantFrom(...CALICO_VERSIONS), (kind, name, s, version) => {
      const o = { apiVersion: V3, kind, metadata: { name, namespace: 'ns', annotations: { a: 'b' } }, spec: s } as unknown as ManifestObject;
      for (const v of validateManifests([{ object: o }], { calicoVersion: version })) {
        assert.ok(typeof v.message === 'string' && v.message.length > 0);
      }
    }),
    { numRuns: 400, seed: 20261201 },
  );
});
