import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { validateCrossResource } from '../../src/validation/cross-resource';
import { ValidateOptions } from '../../src/validation/options';
import { ManifestObject, SourcedObject, Violation } from '../../src/model/violation';
import {
  REFERENCE_BGP_CONFIGURATION,
  REFERENCE_INSTALLATION,
  REFERENCE_OBJECTS,
  REFERENCE_OPENWRT_PEER,
  REFERENCE_PEERS,
  REFERENCE_UNRAID_PEER,
  V3,
  bgpConfig,
  installation,
  peer,
  pool,
} from '../fixtures/reference-objects';

function secret(name: string, namespace: string): ManifestObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: { password: 'c2VjcmV0' } };
}

function sourced(objects: readonly ManifestObject[], file = 'cluster.yaml'): SourcedObject[] {
  return objects.map((object, document) => ({ object, file, document }));
}

function check(objects: readonly ManifestObject[], options: Partial<ValidateOptions> & { expectedNodes?: number } = {}): Violation[] {
  return validateCrossResource(sourced(objects), { calicoVersion: 'v3.32.1', ...options } as ValidateOptions);
}

function summary(vs: readonly Violation[]): string[] {
  return vs.map((v) => `${v.severity} ${v.kind}/${v.name} ${v.path} @${v.file}#${v.document}`);
}

test('the reference cluster raises nothing across resources, complete or not', () => {
  for (const complete of [false, true]) {
    assert.deepEqual(check(REFERENCE_OBJECTS, { complete }), [], `complete=${complete}`);
    assert.deepEqual(check(REFERENCE_OBJECTS, { complete, expectedNodes: 128 }), [], 'a /17 in /24 blocks serves 128 nodes');
  }
  // keepOriginalNextHop towards AS 64512 and 64516 from AS 64517 is eBGP: no warning (checked above).
  // Split over several files, with a partial folder: still nothing.
  const split: SourcedObject[] = [
    { object: REFERENCE_INSTALLATION, file: 'installation.yaml', document: 0 },
    { object: REFERENCE_BGP_CONFIGURATION, file: 'bgp.yaml', document: 0 },
    { object: REFERENCE_OPENWRT_PEER, file: 'bgp.yaml', document: 1 },
    { object: REFERENCE_UNRAID_PEER, file: 'bgp.yaml', document: 2 },
  ];
  assert.deepEqual(validateCrossResource(split, { calicoVersion: 'v3.24.5', complete: true }), []);
  assert.deepEqual(validateCrossResource(split.slice(1), { calicoVersion: 'v3.24.5' }), []);
});

test('pool capacity against the expected node count', () => {
  const found = check(REFERENCE_OBJECTS, { complete: true, expectedNodes: 200 });
  assert.deepEqual(summary(found), ['warning Installation/default spec.calicoNetwork.ipPools[0].cidr @cluster.yaml#0']);
  assert.equal(
    found[0].message,
    'the IPv4 pools 10.33.0.0/17 (blockSize 24) hold 128 block(s), fewer than the 200 expected nodes: every node claims at least one block, so some nodes would only borrow addresses from other nodes\' blocks. Use a larger pool or a larger blockSize number (smaller blocks)',
  );
  assert.deepEqual(check(REFERENCE_OBJECTS, { expectedNodes: 200 }), [], 'skipped when the input may be partial');
  const twoPools = [pool({ cidr: '10.40.0.0/24', blockSize: 26 }, 'a'), pool({ cidr: '10.41.0.0/24', blockSize: 26 }, 'b'), pool({ cidr: '10.42.0.0/24', disabled: true, blockSize: 26 }, 'off')];
  assert.deepEqual(check(twoPools, { complete: true, expectedNodes: 8 }), [], 'two /24 pools in /26 blocks give 8 blocks');
  assert.match(check(twoPools, { complete: true, expectedNodes: 9 })[0].message, /pools 10.40.0.0\/24 \(blockSize 26\), 10.41.0.0\/24 \(blockSize 26\) hold 8 block\(s\), fewer than the 9 expected nodes/);
});

test('overlapping pod and Service ranges', () => {
  const cases: Array<{ name: string; objects: ManifestObject[]; expect: Array<[string, RegExp | string]> }> = [
    {
      name: 'two IPPools, one inside the other',
      objects: [pool({ cidr: '10.40.0.0/16' }, 'big'), pool({ cidr: '10.40.8.0/24' }, 'small')],
      expect: [['error IPPool/small spec.cidr @cluster.yaml#1', 'pod IP pool 10.40.8.0/24 lies inside pod IP pool 10.40.0.0/16 (IPPool "big" in cluster.yaml#0, spec.cidr): Calico refuses IP pools that overlap; give each pool its own range']],
    },
    {
      name: 'Installation pool and IPPool with the same CIDR',
      objects: [REFERENCE_INSTALLATION, pool({ cidr: '10.33.0.0/17' }, 'default-ipv4-ippool')],
      expect: [['warning IPPool/default-ipv4-ippool spec.cidr @cluster.yaml#1', /is the same range as pod IP pool 10.33.0.0\/17 \(Installation "default" in cluster.yaml#0, spec.calicoNetwork.ipPools\[0\].cidr\): the operator adopts an existing IPPool/]],
    },
    {
      name: 'pool overlapping the service cluster IPs',
      objects: [installation({ ipPools: [{ cidr: '10.33.0.0/16', encapsulation: 'VXLAN' }] }), REFERENCE_BGP_CONFIGURATION],
      expect: [
        ['error BGPConfiguration/default spec.serviceClusterIPs[0].cidr @cluster.yaml#1', 'service cluster IP range 10.33.128.0/18 lies inside pod IP pool 10.33.0.0/16 (Installation "default" in cluster.yaml#0, spec.calicoNetwork.ipPools[0].cidr): pod, Service cluster, external and LoadBalancer ranges must not overlap, or addresses of one would be routed as the other; choose disjoint ranges'],
        ['error BGPConfiguration/default spec.serviceExternalIPs[0].cidr @cluster.yaml#1', /service external IP range 10.33.192.0\/18 lies inside pod IP pool 10.33.0.0\/16/],
      ],
    },
    {
      name: 'cluster IPs and external IPs overlap',
      objects: [bgpConfig({ serviceClusterIPs: [{ cidr: '10.96.0.0/12' }], serviceExternalIPs: [{ cidr: '10.100.0.0/16' }] })],
      expect: [['error BGPConfiguration/default spec.serviceExternalIPs[0].cidr @cluster.yaml#0', /service external IP range 10.100.0.0\/16 lies inside service cluster IP range 10.96.0.0\/12/]],
    },
    {
      name: 'redundant entries in one list',
      objects: [bgpConfig({ serviceExternalIPs: [{ cidr: '10.33.192.0/18' }, { cidr: '10.33.200.0/24' }] })],
      expect: [['warning BGPConfiguration/default spec.serviceExternalIPs[1].cidr @cluster.yaml#0', /service external IP range 10.33.200.0\/24 lies inside service external IP range 10.33.192.0\/18 .*: the entry is redundant; remove it/]],
    },
    {
      name: 'LoadBalancer pool inside serviceLoadBalancerIPs is the intended setup',
      objects: [bgpConfig({ serviceLoadBalancerIPs: [{ cidr: '10.34.0.0/24' }] }), pool({ cidr: '10.34.0.0/24', allowedUses: ['LoadBalancer'] }, 'lb')],
      expect: [],
    },
    {
      name: 'LoadBalancer pool overlapping a pod pool',
      objects: [pool({ cidr: '10.34.0.0/16' }, 'pods'), pool({ cidr: '10.34.0.0/24', allowedUses: ['LoadBalancer'] }, 'lb')],
      expect: [['error IPPool/lb spec.cidr @cluster.yaml#1', /LoadBalancer IP pool 10.34.0.0\/24 lies inside pod IP pool 10.34.0.0\/16 .*Calico refuses IP pools that overlap/]],
    },
    {
      name: 'a pod pool inside an allowed LB pair is still found',
      objects: [bgpConfig({ serviceLoadBalancerIPs: [{ cidr: '10.34.0.0/16' }] }), pool({ cidr: '10.34.0.0/20', allowedUses: ['LoadBalancer'] }, 'lb'), pool({ cidr: '10.34.1.0/24' }, 'pods')],
      expect: [['error IPPool/pods spec.cidr @cluster.yaml#2', /pod IP pool 10.34.1.0\/24 lies inside LoadBalancer IP pool 10.34.0.0\/20/]],
    },
    {
      name: 'duplicate pools inside one Installation are left to the per-object rule',
      objects: [installation({ ipPools: [{ cidr: '10.33.0.0/17' }, { cidr: '10.33.0.0/17' }] })],
      expect: [],
    },
    {
      name: 'IPv4 and IPv6 never overlap; disjoint ranges are fine',
      objects: [installation({ ipPools: [{ cidr: '10.33.0.0/17' }, { cidr: 'fd00:10::/48' }] }), bgpConfig({ serviceClusterIPs: [{ cidr: '10.33.128.0/18' }, { cidr: 'fd00:20::/112' }] })],
      expect: [],
    },
  ];
  for (const c of cases) {
    const found = check(c.objects);
    assert.deepEqual(summary(found), c.expect.map((e) => e[0]), c.name);
    c.expect.forEach(([, m], i) => (typeof m === 'string' ? assert.equal(found[i].message, m, c.name) : assert.match(found[i].message, m, c.name)));
  }
});

test('overlap search handles thousands of pools (one overlap among 10,000)', () => {
  const pools: ManifestObject[] = [];
  for (let i = 0; i < 10000; i++) pools.push(pool({ cidr: `10.${i >> 8}.${i & 255}.0/24`, blockSize: 26 }, `p${i}`));
  pools.push(pool({ cidr: '10.20.0.0/16' }, 'wide'));
  const found = check(pools);
  assert.equal(found.length, 256, 'every /24 of 10.20.0.0/16 lies inside the wide pool');
  assert.ok(found.every((v) => v.severity === 'error' && /lies inside pod IP pool 10.20.0.0\/16 \(IPPool "wide"/.test(v.message)));
  assert.equal(found[0].name, 'p5120');
});

test('BGP peers inside pod or Service ranges', () => {
  const plan = [REFERENCE_INSTALLATION, REFERENCE_BGP_CONFIGURATION];
  const cases: Array<[string, string | undefined]> = [
    ['10.33.0.5', 'peerIP 10.33.0.5 lies inside the pod IP pool 10.33.0.0/17 (Installation "default" in cluster.yaml#0, spec.calicoNetwork.ipPools[0].cidr): a BGP peer is a router (or node) address on the node network, outside pod and Service ranges; use the router\'s address on the node network'],
    ['10.33.130.1:179', 'peerIP 10.33.130.1 lies inside the service cluster IP range 10.33.128.0/18 (BGPConfiguration "default" in cluster.yaml#1, spec.serviceClusterIPs[0].cidr): a BGP peer is a router (or node) address on the node network, outside pod and Service ranges; use the router\'s address on the node network'],
    ['10.33.255.255', 'peerIP 10.33.255.255 lies inside the service external IP range 10.33.192.0/18 (BGPConfiguration "default" in cluster.yaml#1, spec.serviceExternalIPs[0].cidr): a BGP peer is a router (or node) address on the node network, outside pod and Service ranges; use the router\'s address on the node network'],
    ['10.31.254.253', undefined],
    ['fd00::1', undefined],
    ['not-an-ip', undefined], // reported by the per-object rules
  ];
  for (const [peerIP, message] of cases) {
    // (An IPv6 peer also gets a warning here: the reference nodes have no IPv6 address.)
    const found = check([...plan, peer({ peerIP, asNumber: 64512 })]).filter((v) => v.severity === 'error');
    assert.deepEqual(summary(found), message ? ['error BGPPeer/tor-a spec.peerIP @cluster.yaml#2'] : [], peerIP);
    if (message) assert.equal(found[0].message, message);
  }
});

test('prefixAdvertisements must meet an advertised range', () => {
  const adv = (cidr: string): ManifestObject => bgpConfig({ serviceClusterIPs: [{ cidr: '10.96.0.0/12' }], prefixAdvertisements: [{ cidr, communities: ['64517:120'] }] });
  const pools = [pool({ cidr: '10.33.0.0/17' }, 'pods'), pool({ cidr: '10.50.0.0/16', disableBGPExport: true }, 'private')];
  assert.deepEqual(check([...pools, adv('10.33.0.0/17')], { complete: true }), [], 'the pool itself');
  assert.deepEqual(check([...pools, adv('10.33.4.0/24')], { complete: true }), [], 'a part of a pool');
  assert.deepEqual(check([...pools, adv('10.0.0.0/8')], { complete: true }), [], 'a supernet of a pool');
  assert.deepEqual(check([...pools, adv('10.96.0.0/16')], { complete: true }), [], 'a Service range');
  const hidden = check([...pools, adv('10.50.1.0/24')]);
  assert.deepEqual(summary(hidden), ['warning BGPConfiguration/default spec.prefixAdvertisements[0].cidr @cluster.yaml#2']);
  assert.equal(hidden[0].message, '10.50.1.0/24 is inside the pod IP pool 10.50.0.0/16 (IPPool "private" in cluster.yaml#1, spec.cidr), which has disableBGPExport: true, so no route gets these communities; export the pool or remove the advertisement');
  const nothing = check([...pools, adv('192.168.0.0/16')], { complete: true });
  assert.deepEqual(summary(nothing), ['warning BGPConfiguration/default spec.prefixAdvertisements[0].cidr @cluster.yaml#2']);
  assert.equal(nothing[0].message, '192.168.0.0/16 overlaps no IP pool and no advertised Service range, so no route gets these communities: use a pool CIDR or a serviceClusterIPs/serviceExternalIPs/serviceLoadBalancerIPs CIDR');
  assert.deepEqual(check([adv('192.168.0.0/16')]), [], 'skipped when pools may live elsewhere');
});

test('duplicate objects', () => {
  const found = validateCrossResource(
    [
      { object: REFERENCE_OPENWRT_PEER, file: 'a.yaml', document: 0 },
      { object: peer({ peerIP: '10.31.1.1', asNumber: 64512 }, 'openwrt-peer'), file: 'b.yaml', document: 3 },
      { object: { ...REFERENCE_OPENWRT_PEER, apiVersion: 'crd.projectcalico.org/v1' }, file: 'c.yaml' },
      { object: pool({ cidr: '10.60.0.0/16' }, 'openwrt-peer'), file: 'c.yaml', document: 1 },
      { object: secret('bgp', 'calico-system'), file: 'd.yaml', document: 0 },
      { object: secret('bgp', 'kube-system'), file: 'd.yaml', document: 1 },
      { object: secret('bgp', 'calico-system'), file: 'd.yaml', document: 2 },
    ],
    { calicoVersion: 'v3.32.1' },
  );
  assert.deepEqual(summary(found), [
    'error BGPPeer/openwrt-peer metadata.name @b.yaml#3',
    'error BGPPeer/openwrt-peer metadata.name @c.yaml#undefined', // crd.projectcalico.org/v1 is the storage form of the same object
    'error Secret/bgp metadata.name @d.yaml#2',
  ]);
  assert.equal(found[0].message, 'BGPPeer "openwrt-peer" is defined more than once (first as BGPPeer "openwrt-peer" in a.yaml#0): the later definition silently replaces the earlier one; keep one, or rename one of them');
  assert.match(found[2].message, /^Secret "bgp" in namespace "calico-system" is defined more than once \(first as Secret "bgp" in d.yaml#0\)/);
});

test('node-to-node mesh disabled without any BGPPeer', () => {
  const noMesh = bgpConfig({ nodeToNodeMeshEnabled: false, asNumber: 64517 });
  const found = check([REFERENCE_INSTALLATION, noMesh], { complete: true });
  assert.deepEqual(summary(found), ['error BGPConfiguration/default spec.nodeToNodeMeshEnabled @cluster.yaml#1']);
  assert.equal(
    found[0].message,
    'the node-to-node mesh is disabled and there is no BGPPeer, so nodes learn no routes to each other\'s pods (the pod IP pool 10.33.0.0/17 (Installation "default" in cluster.yaml#0, spec.calicoNetwork.ipPools[0].cidr) uses encapsulation VXLANCrossSubnet, whose routes are distributed by BGP): add BGPPeers (e.g. to the Top-of-Rack routers or to route reflectors), or set nodeToNodeMeshEnabled: true',
  );
  assert.deepEqual(check([REFERENCE_INSTALLATION, noMesh]), [], 'peers may be in another folder');
  assert.deepEqual(check([REFERENCE_INSTALLATION, noMesh, REFERENCE_OPENWRT_PEER], { complete: true }), []);
  assert.deepEqual(check([installation({ ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }] }), noMesh], { complete: true }), [], 'VXLAN routes come from Felix');
  assert.deepEqual(check([pool({ cidr: '10.33.0.0/17', vxlanMode: 'Always' }), noMesh], { complete: true }), []);
  assert.match(check([pool({ cidr: '10.33.0.0/17', ipipMode: 'Always' }), noMesh], { complete: true })[0].message, /uses ipipMode Always, whose routes are distributed by BGP/);
  assert.match(check([noMesh], { complete: true })[0].message, /the pools the operator creates use IPIP/);
  assert.deepEqual(summary(check([installation({ bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }] }), noMesh], { complete: true })), ['warning Installation/default spec.calicoNetwork.bgp @cluster.yaml#0'], 'BGP off: only the "no effect" warning');
});

test('BGP objects with BGP disabled in the Installation', () => {
  const found = check([installation({ bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }] }), ...REFERENCE_PEERS]);
  assert.deepEqual(summary(found), ['warning Installation/default spec.calicoNetwork.bgp @cluster.yaml#0']);
  assert.equal(found[0].message, 'BGP is Disabled, but the input has 2 BGPPeer(s) and 0 BGPConfiguration(s): calico-node runs without BIRD, so they have no effect. Set spec.calicoNetwork.bgp: Enabled, or drop them');
});

test('keepOriginalNextHop towards a peer in the cluster\'s own AS', () => {
  const ibgp = peer({ peerIP: '10.31.0.1', asNumber: 64517, keepOriginalNextHop: true }, 'rr');
  const found = check([REFERENCE_BGP_CONFIGURATION, ...REFERENCE_PEERS, ibgp]);
  assert.deepEqual(summary(found), ['warning BGPPeer/rr spec.keepOriginalNextHop @cluster.yaml#3']);
  assert.equal(found[0].message, 'keepOriginalNextHop has no effect towards AS 64517: Calico only configures "next hop keep" for eBGP peers, and this peer is in the node\'s own AS 64517 (iBGP). Remove it, or peer from a different AS');
  assert.deepEqual(check([REFERENCE_BGP_CONFIGURATION, peer({ peerIP: '10.31.0.1', asNumber: 64517, localASNumber: 65001, keepOriginalNextHop: true })]), [], 'localASNumber makes it eBGP');
  assert.deepEqual(check([ibgp]), [], 'the cluster AS is unknown without the BGPConfiguration');
  assert.match(check([peer({ peerIP: '10.31.0.1', asNumber: 64512, keepOriginalNextHop: true })], { complete: true })[0].message, /towards AS 64512: .*own AS 64512/, 'default AS 64512');
  const keepMode = check([REFERENCE_BGP_CONFIGURATION, peer({ peerIP: '10.31.0.1', asNumber: 64517, nextHopMode: 'Keep' })]);
  assert.deepEqual(keepMode.map((v) => `${v.severity} ${v.path}`), ['warning spec.nextHopMode']);
  assert.match(keepMode[0].message, /^nextHopMode: Keep has no effect towards AS 64517: Calico only configures "next hop keep" for eBGP peers/);
  assert.deepEqual(check([REFERENCE_BGP_CONFIGURATION, peer({ peerIP: '10.31.0.1', asNumber: 64512, nextHopMode: 'Keep' })]), [], 'eBGP: Keep applies');
});

test('BGP password Secrets must be readable by calico-node in calico-system', () => {
  const withPw = peer({ peerIP: '10.31.254.253', asNumber: 64512, password: { secretKeyRef: { name: 'bgp-passwords', key: 'openwrt' } } });
  const role: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'bgp-passwords-reader', namespace: 'calico-system' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['bgp-passwords'], verbs: ['get', 'list', 'watch'] }] };
  const binding: ManifestObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'calico-read-bgp-passwords', namespace: 'calico-system' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'bgp-passwords-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'calico-node' }] };
  const path = 'warning BGPPeer/tor-a spec.password.secretKeyRef.name @cluster.yaml#0';

  const elsewhere = check([withPw, secret('bgp-passwords', 'default')]);
  assert.deepEqual(summary(elsewhere), [path]);
  assert.equal(elsewhere[0].message, 'Secret "bgp-passwords" is in namespace "default", but Calico reads BGP password Secrets from calico-node\'s own namespace, "calico-system" under the operator: create the Secret there; calico-node\'s ServiceAccount also needs get/list/watch on it (a Role and RoleBinding in "calico-system")');

  assert.deepEqual(check([withPw]), [], 'the Secret may be managed elsewhere');
  const missing = check([withPw], { complete: true });
  assert.deepEqual(summary(missing), [path]);
  assert.match(missing[0].message, /^nothing lets calico-node read Secret "bgp-passwords" \(create the Secret in "calico-system", out of band\): add a Role in "calico-system"/);
  assert.deepEqual(check([withPw, role, binding], { complete: true }), [], 'the Secret itself need not be in the input');

  const noRbac = check([withPw, secret('bgp-passwords', 'calico-system')], { complete: true });
  assert.deepEqual(summary(noRbac), [path]);
  assert.match(noRbac[0].message, /^nothing lets calico-node read Secret "bgp-passwords": add a Role in "calico-system"/);

  assert.deepEqual(check([withPw, secret('bgp-passwords', 'calico-system'), role, binding], { complete: true }), []);
  const wrongName = { ...role, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['other'], verbs: ['get'] }] };
  assert.equal(check([withPw, secret('bgp-passwords', 'calico-system'), wrongName, binding], { complete: true }).length, 1);

  const mesh = bgpConfig({ nodeMeshPassword: { secretKeyRef: { name: 'mesh-pw', key: 'pw' } } });
  assert.deepEqual(summary(check([mesh, secret('mesh-pw', 'kube-system')])), ['warning BGPConfiguration/default spec.nodeMeshPassword.secretKeyRef.name @cluster.yaml#0']);
});

test('violations are ordered by input position, whatever the rule', () => {
  const objects = [
    pool({ cidr: '10.40.0.0/16' }, 'big'),
    peer({ peerIP: '10.40.0.9', asNumber: 64512 }, 'in-pool'),
    pool({ cidr: '10.40.8.0/24' }, 'small'),
    peer({ peerIP: '10.40.0.10', asNumber: 64512 }, 'in-pool'),
  ];
  const found = check(objects);
  assert.deepEqual(summary(found), [
    'error BGPPeer/in-pool spec.peerIP @cluster.yaml#1',
    'error IPPool/small spec.cidr @cluster.yaml#2',
    'error BGPPeer/in-pool metadata.name @cluster.yaml#3',
    'error BGPPeer/in-pool spec.peerIP @cluster.yaml#3',
  ]);
  assert.deepEqual(check(objects), found, 'same input, same output');
});

test('cross-resource rules never throw on random object sets (property)', () => {
  const cidrArb = fc.oneof(fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 33 })).map(([ip, n]) => `${ip}/${n}`), fc.ipV6().map((ip) => `${ip}/64`), fc.string(), fc.anything());
  const objArb = fc.oneof(
    fc.record({ cidr: cidrArb, disableBGPExport: fc.anything(), allowedUses: fc.anything(), blockSize: fc.anything() }).map((s) => pool(s)),
    fc.record({ peerIP: fc.oneof(fc.ipV4(), fc.ipV6(), fc.string(), fc.anything()), asNumber: fc.anything(), keepOriginalNextHop: fc.boolean(), password: fc.anything() }).map((s) => peer(s)),
    fc.record({ nodeToNodeMeshEnabled: fc.anything(), asNumber: fc.anything(), serviceClusterIPs: fc.array(fc.record({ cidr: cidrArb })), prefixAdvertisements: fc.anything() }).map((s) => bgpConfig(s)),
    fc.record({ ipPools: fc.array(fc.record({ cidr: cidrArb, encapsulation: fc.anything() })), bgp: fc.anything() }).map((cn) => installation(cn)),
    fc.anything().map((a) => ({ apiVersion: V3, kind: 'IPPool', metadata: a, spec: a }) as ManifestObject),
    fc.string().map((n) => secret(n, 'calico-system')),
  );
  fc.assert(
    fc.property(fc.array(objArb, { maxLength: 8 }), fc.boolean(), fc.option(fc.integer({ min: -5, max: 5000 })), (objects, complete, expectedNodes) => {
      const found = check(objects, { complete, expectedNodes: expectedNodes ?? undefined });
      for (const v of found) assert.ok(v.message.length > 0 && (v.severity === 'error' || v.severity === 'warning'));
    }),
    { numRuns: 300, seed: 20261126 },
  );
  assert.deepEqual(validateCrossResource([null, { object: null }, { object: 7 }] as unknown as SourcedObject[], { calicoVersion: 'v3.32.1', complete: true }), []);
});
