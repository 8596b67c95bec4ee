import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BgpPlan, computePlan, NodeInventoryEntry, PlanSession } from '../../src/plan';
import { ManifestObject } from '../../src/model/violation';
import { bgpConfig, filter, installation, peer, pool, V3 } from '../fixtures/reference-objects';

const TWO: NodeInventoryEntry[] = [
  { name: 'n1', ipv4Address: '10.5.0.21/24', labels: { role: 'worker' } },
  { name: 'n2', ipv4Address: '10.5.0.3/24', labels: { role: 'worker' } },
];
const MESH_OFF = bgpConfig({ asNumber: 64700, nodeToNodeMeshEnabled: false });

function only(plan: BgpPlan, name: string): PlanSession[] {
  return plan.nodes.find((n) => n.name === name)!.sessions as PlanSession[];
}

function brief(s: PlanSession): string {
  return `${s.kind} ${s.peerIp}:${s.port} ${s.peerNode ?? '-'} AS${s.remoteAsNumber}<-${s.localAsNumber} ${s.nextHop}${s.passive ? ' passive' : ''}`;
}

describe('peerings between Calico nodes', () => {
  test('a global peer whose address is a node\'s own: that node skips it, the others peer with it (port-less: its listen port), passive by string comparison', () => {
    const objects: ManifestObject[] = [
      MESH_OFF,
      bgpConfig({ listenPort: 1791 }, 'node.n2'),
      peer({ peerIP: '10.5.0.3', asNumber: 64700 }, 'to-n2'),
    ];
    const plan = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: TWO });
    // n1 -> n2: port-less peerIP of a Calico node with its AS uses n2's listenPort; "10.5.0.3" > "10.5.0.21" as strings.
    assert.deepEqual(only(plan, 'n1').map(brief), ['global 10.5.0.3:1791 n2 AS64700<-64700 auto passive']);
    // n2 skips the global peer (its own address) and gets the reverse peering to n1 (node-specific: never passive).
    assert.deepEqual(only(plan, 'n2').map(brief), ['node 10.5.0.21:179 n1 AS64700<-64700 auto']);
    assert.deepEqual(plan.findings, []);
  });

  test('confd recognises a Calico node by the peerIP text: a non-canonical IPv6 text is not one', () => {
    const v6: NodeInventoryEntry[] = [{ name: 'a', ipv6Address: 'fd00:5::21/64' }, { name: 'b', ipv6Address: 'fd00:5::3/64' }];
    const canonical = computePlan([MESH_OFF, peer({ node: 'a', peerIP: 'fd00:5::3', asNumber: 64700 }, 'a-b')], { calicoVersion: 'v3.24.5', nodes: v6 });
    assert.deepEqual(only(canonical, 'b').map(brief), ['node fd00:5::21:179 a AS64700<-64700 auto']);
    const written = computePlan([MESH_OFF, peer({ node: 'a', peerIP: 'FD00:5:0::0003', asNumber: 64700 }, 'a-b')], { calicoVersion: 'v3.24.5', nodes: v6 });
    assert.deepEqual(only(written, 'a').map((s) => `${s.peerIp} ${s.peerNode}`), ['fd00:5::3 null']);
    assert.deepEqual(only(written, 'b'), []);
    assert.deepEqual(written.findings.map((f) => [f.name, f.path, f.severity]), [['a-b', 'spec.peerIP', 'error']]);
    assert.match(written.findings[0].message, /write "fd00:5::3"/);
  });

  test('a peerIP naming a Calico node with another AS gets no reverse peering: a one-sided session', () => {
    const plan = computePlan([MESH_OFF, peer({ node: 'n1', peerIP: '10.5.0.3', asNumber: 65001 }, 'wrong-as')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(plan, 'n1').map(brief), ['node 10.5.0.3:179 n2 AS65001<-64700 auto']);
    assert.deepEqual(only(plan, 'n2'), []);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.severity]), [['Node', 'n1', 'error']]);
    assert.match(plan.findings[0].message, /"n2" has no session back to 10\.5\.0\.21, so it never comes up/);
  });

  test('two sides that disagree on AS numbers are an error', () => {
    const plan = computePlan([
      MESH_OFF,
      peer({ node: 'n1', peerIP: '10.5.0.3', asNumber: 65001 }, 'a-to-b'),
      peer({ node: 'n2', peerIP: '10.5.0.21', asNumber: 64700 }, 'b-to-a'),
    ], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.findings.map((f) => [f.name, f.severity]), [['n1', 'error']]);
    assert.match(plan.findings[0].message, /"n1" expects AS 65001 and speaks AS 64700, "n2" expects AS 64700 and speaks AS 64700/);
  });

  test('a node-specific peering to an address a global peering has is dropped (the global one stays)', () => {
    const plan = computePlan([
      MESH_OFF,
      peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor'),
      peer({ nodeSelector: 'role == "worker"', peerIP: '10.5.0.1', asNumber: 65009, keepOriginalNextHop: true }, 'tor-again'),
    ], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(plan, 'n1').map((s) => `${s.kind} ${s.bgpPeer} AS${s.remoteAsNumber}`), ['global tor AS65000']);
    // No longer silent: a warning on the dropped BGPPeer (test/plan/shadowing.test.ts has the details).
    assert.deepEqual(plan.findings.map((f) => [f.name, f.path, f.severity]), [['tor-again', 'spec.peerIP', 'warning']]);
    assert.match(plan.findings[0].message, /nodes "n1", "n2" peer with 10\.5\.0\.1, which global BGPPeer "tor" .*: asNumber 65009 \(used: 65000\); keepOriginalNextHop true \(used: false\): remove one/);
  });

  test('two BGPPeers making the same node-specific peering: one is kept, and it is a finding', () => {
    const plan = computePlan([
      MESH_OFF,
      peer({ node: 'n1', peerIP: '10.5.0.1', asNumber: 65000 }, 'a'),
      peer({ node: 'n1', peerIP: '10.5.0.1', asNumber: 65001 }, 'b'),
    ], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(plan, 'n1').map((s) => s.bgpPeer), ['a']);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.severity]), [['BGPPeer', 'b', 'warning']]);
  });
});

describe('session settings', () => {
  const base = [MESH_OFF, pool({ cidr: '10.244.0.0/16' })];

  test('keepOriginalNextHop keeps the next hop only towards another AS', () => {
    const plan = computePlan([...base,
      peer({ peerIP: '10.5.0.1', asNumber: 65000, keepOriginalNextHop: true }, 'ebgp'),
      peer({ peerIP: '10.5.0.2', asNumber: 64700, keepOriginalNextHop: true }, 'ibgp'),
    ], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(plan, 'n1').map((s) => `${s.bgpPeer} ${s.nextHop}`), ['ebgp keep', 'ibgp auto']);
  });

  test('nextHopMode Self / Keep (v3.31+); v3.24.5 has no such field and ignores it', () => {
    const objects = [...base,
      peer({ peerIP: '10.5.0.1', asNumber: 64700, nextHopMode: 'Keep' }, 'keep-ibgp'),
      peer({ peerIP: '10.5.0.2', asNumber: 65000, nextHopMode: 'Self' }, 'self-ebgp'),
    ];
    assert.deepEqual(only(computePlan(objects, { calicoVersion: 'v3.31.7', nodes: TWO }), 'n1').map((s) => `${s.bgpPeer} ${s.nextHop}`), ['keep-ibgp keep', 'self-ebgp self']);
    const old = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(old, 'n1').map((s) => `${s.bgpPeer} ${s.nextHop}`), ['keep-ibgp auto', 'self-ebgp auto']);
    assert.deepEqual(old.findings.map((f) => [f.name, f.path, f.severity]), [['keep-ibgp', 'spec.nextHopMode', 'warning'], ['self-ebgp', 'spec.nextHopMode', 'warning']]);
    assert.match(old.findings[0].message, /BGPPeer field nextHopMode does not exist in Calico v3\.24\.5/);
  });

  test('ttlSecurity, localASNumber, reachableBy, filters per release; keepaliveTime only in v3.32.1', () => {
    const objects = [...base,
      filter({ importV4: [{ action: 'Reject', cidr: '0.0.0.0/0', matchOperator: 'Equal' }], exportV6: [{ action: 'Accept', cidr: 'fd00::/8', matchOperator: 'In' }] }, 'no-default'),
      peer({ peerIP: '10.5.0.1', asNumber: 65000, ttlSecurity: 1, localASNumber: 65500, reachableBy: '10.5.0.254', filters: ['no-default'], keepaliveTime: '10s', maxRestartTime: '2m',
        sourceAddress: 'None', numAllowedLocalASNumbers: 2, password: { secretKeyRef: { name: 'bgp-secrets', key: 'tor' } } }, 'tor'),
    ];
    const pick = (s: PlanSession) => [s.ttlSecurityHops, s.localAsNumber, s.reachableBy, s.importFilters, s.exportFilters, s.keepaliveSeconds, s.gracefulRestartSeconds, s.sourceAddress, s.numAllowedLocalAsNumbers, s.password];
    const v32 = computePlan(objects, { calicoVersion: 'v3.32.1', nodes: TWO });
    assert.deepEqual(v32.findings, []);
    assert.deepEqual(pick(only(v32, 'n1')[0]), [1, 65500, '10.5.0.254', ['no-default'], [], 10, 120, null, 2, { name: 'bgp-secrets', key: 'tor' }]);
    const v31 = computePlan(objects, { calicoVersion: 'v3.31.7', nodes: TWO });
    assert.deepEqual(pick(only(v31, 'n1')[0]), [1, 65500, '10.5.0.254', ['no-default'], [], null, 120, null, 2, { name: 'bgp-secrets', key: 'tor' }]);
    assert.deepEqual(v31.findings.map((f) => f.path), ['spec.keepaliveTime']);
    const v24 = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(pick(only(v24, 'n1')[0]), [null, 64700, null, [], [], null, 120, null, 2, { name: 'bgp-secrets', key: 'tor' }]);
    assert.deepEqual(v24.findings.map((f) => f.path), ['spec.ttlSecurity', 'spec.reachableBy', 'spec.filters', 'spec.localASNumber', 'spec.keepaliveTime']);
  });

  test('peerings made by peerSelector carry neither keepOriginalNextHop nor numAllowedLocalASNumbers (client.go nodeAsBGPPeers)', () => {
    const nodes: NodeInventoryEntry[] = [
      { name: 'n1', ipv4Address: '10.5.0.21/24', labels: { role: 'worker' }, asNumber: 65001 },
      { name: 'n2', ipv4Address: '10.5.0.3/24', labels: { role: 'edge' }, asNumber: 65002 },
    ];
    const plan = computePlan([MESH_OFF, peer({ nodeSelector: 'role == "worker"', peerSelector: 'role == "edge"', keepOriginalNextHop: true, numAllowedLocalASNumbers: 1 }, 'w-e')], { calicoVersion: 'v3.24.5', nodes });
    assert.deepEqual(only(plan, 'n1').map((s) => `${brief(s)} ${s.numAllowedLocalAsNumbers}`), ['node 10.5.0.3:179 n2 AS65002<-65001 auto null']);
    assert.deepEqual(only(plan, 'n2').map((s) => `${brief(s)} ${s.numAllowedLocalAsNumbers}`), ['node 10.5.0.21:179 n1 AS65001<-65002 auto null']);
  });
});

describe('advertised prefixes', () => {
  test('a node.<name> BGPConfiguration replaces the global prefixAdvertisements for that node; names resolve in the same resource', () => {
    const objects = [
      bgpConfig({ asNumber: 64700, nodeToNodeMeshEnabled: false, communities: [{ name: 'site', value: '64700:1' }], prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['site'] }] }),
      bgpConfig({ communities: [{ name: 'edge', value: '64700:2:3' }], prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['edge', '64700:9'] }] }, 'node.n2'),
      pool({ cidr: '10.244.0.0/16', blockSize: 27 }),
      peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor'),
    ];
    const plan = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.nodes.map((n) => n.advertises.map((a) => `${a.cidr}/${a.blockSize} ${a.communities.join(',')}`)), [
      ['10.244.0.0/16/27 64700:1'],
      ['10.244.0.0/16/27 64700:2:3,64700:9'],
    ]);
    assert.deepEqual(plan.findings, []);
  });

  test('a community name defined nowhere adds nothing and is a finding', () => {
    const plan = computePlan([bgpConfig({ nodeToNodeMeshEnabled: false, prefixAdvertisements: [{ cidr: '10.244.0.0/16', communities: ['nope'] }] }), pool({ cidr: '10.244.0.0/16' }), peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.nodes[0].advertises[0].communities, []);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path]), [['BGPConfiguration', 'default', 'spec.prefixAdvertisements[0].communities[0]']]);
  });

  test('disableBGPExport pools are withheld; pools follow their nodeSelector; LoadBalancer /32 entries are not advertised as ranges', () => {
    const objects = [
      bgpConfig({ nodeToNodeMeshEnabled: false, serviceLoadBalancerIPs: [{ cidr: '10.96.100.0/24' }, { cidr: '10.96.200.7/32' }] }),
      pool({ cidr: '10.244.0.0/16', nodeSelector: 'all()' }, 'pods'),
      pool({ cidr: '10.250.0.0/16', disableBGPExport: true }, 'private'),
      pool({ cidr: '10.251.0.0/16', nodeSelector: 'role == "edge"' }, 'edge-only'),
      peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor'),
    ];
    const plan = computePlan(objects, { calicoVersion: 'v3.31.7', nodes: TWO });
    assert.deepEqual(plan.nodes[0].advertises.map((a) => `${a.cidr} ${a.source}`), ['10.244.0.0/16 pool', '10.96.100.0/24 serviceLoadBalancerIP']);
    assert.deepEqual(plan.nodes[0].withheld.map((a) => a.cidr), ['10.250.0.0/16']);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [['IPPool', 'edge-only', 'spec.nodeSelector', 'warning']]);
  });

  test('externalTrafficPolicy Local services: single addresses from the nodes with endpoints; excluded nodes advertise no service range', () => {
    const nodes = [...TWO, { name: 'n3', ipv4Address: '10.5.0.4/24', labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': 'true' } }];
    const objects: ManifestObject[] = [
      bgpConfig({ nodeToNodeMeshEnabled: false, serviceClusterIPs: [{ cidr: '10.96.0.0/16' }], serviceExternalIPs: [{ cidr: '192.0.2.0/24' }] }),
      peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor'),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.5.5', clusterIPs: ['10.96.5.5'], externalIPs: ['192.0.2.10', '198.51.100.1'], externalTrafficPolicy: 'Local' } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } }, endpoints: [{ addresses: ['10.244.1.2'], nodeName: 'n2', conditions: { ready: true } }] },
    ];
    const plan = computePlan(objects, { calicoVersion: 'v3.24.5', nodes });
    assert.deepEqual(plan.nodes.map((n) => n.advertises.map((a) => `${a.cidr} ${a.source}`)), [
      ['10.96.0.0/16 serviceClusterIP', '192.0.2.0/24 serviceExternalIP'],
      ['10.96.0.0/16 serviceClusterIP', '192.0.2.0/24 serviceExternalIP', '10.96.5.5/32 serviceAddress', '192.0.2.10/32 serviceAddress'],
      [],
    ]);
  });

  test('Installation pools count as IPPools (the operator creates them)', () => {
    const plan = computePlan([MESH_OFF, installation({ ipPools: [{ cidr: '10.60.0.0/16', blockSize: 25, encapsulation: 'None' }] }), peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.nodes[0].advertises.map((a) => `${a.cidr}/${a.blockSize}`), ['10.60.0.0/16/25']);
  });
});

describe('findings', () => {
  test('the README\'s dual-stack example: IPv6 pods, the mesh off, only IPv4 peers', () => {
    const nodes: NodeInventoryEntry[] = [{ name: 'n1', ipv4Address: '10.41.0.11/16', ipv6Address: 'fd00:41::11/64' }];
    const objects = [
      bgpConfig({ asNumber: 65010, nodeToNodeMeshEnabled: false }),
      installation({ ipPools: [{ cidr: '10.40.0.0/16', blockSize: 26, encapsulation: 'None' }, { cidr: 'fd00:10:40::/48' }] }),
      peer({ peerIP: '10.41.0.1', asNumber: 65001, keepOriginalNextHop: true }, 'tor'),
    ];
    const plan = computePlan(objects, { calicoVersion: 'v3.32.1', nodes });
    assert.deepEqual(plan.nodes[0].advertises.map((a) => `${a.family} ${a.cidr}/${a.blockSize}`), ['4 10.40.0.0/16/26', '6 fd00:10:40::/48/122']);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [['Node', 'n1', 'sessions', 'error']]);
    assert.match(plan.findings[0].message, /has IPv6 pods \(pool "fd00:10:40::\/48"\) but no IPv6 BGP session, so its IPv6 pods are unreachable/);
    // With an IPv6 peer the finding goes away.
    const fixed = computePlan([...objects, peer({ peerIP: 'fd00:41::1', asNumber: 65001 }, 'tor-v6')], { calicoVersion: 'v3.32.1', nodes });
    assert.deepEqual(fixed.findings, []);
    assert.deepEqual(fixed.nodes[0].sessions.map((s) => `${s.family} ${s.peerIp} ${s.sourceAddress}`), ['4 10.41.0.1 10.41.0.11', '6 fd00:41::1 fd00:41::11']);
  });

  test('a node with pods of a family but no address of it; VXLAN pools make it a warning', () => {
    const plan = computePlan([MESH_OFF, pool({ cidr: 'fd00:99::/48', vxlanMode: 'Always' }), peer({ peerIP: '10.5.0.1', asNumber: 65000 }, 'tor')], { calicoVersion: 'v3.31.7', nodes: [TWO[0]] });
    assert.deepEqual(plan.findings.map((f) => [f.name, f.path, f.severity]), [['n1', 'ipv6Address', 'warning']]);
  });

  test('selectors and node names that match no node of the inventory', () => {
    const plan = computePlan([MESH_OFF, peer({ nodeSelector: 'rack == "r9"', peerIP: '10.5.0.1', asNumber: 65000 }, 'r9'), peer({ node: 'ghost', peerIP: '10.5.0.2', asNumber: 65000 }, 'ghost'),
      peer({ nodeSelector: 'all()', peerSelector: 'has(nothing)' }, 'nobody')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.findings.map((f) => [f.name, f.path, f.severity]), [['ghost', 'spec.node', 'warning'], ['nobody', 'spec.peerSelector', 'warning'], ['r9', 'spec.nodeSelector', 'warning']]);
  });

  test('password Secrets: when Secrets are given, a missing Secret or key is an error (calico-node then sets no password); values never appear', () => {
    const secret = (data: Record<string, string>, namespace = 'calico-system'): ManifestObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bgp', namespace }, type: 'Opaque', data });
    const objects = [MESH_OFF, peer({ peerIP: '10.5.0.1', asNumber: 65000, password: { secretKeyRef: { name: 'bgp', key: 'tor' } } }, 'tor')];
    // No Secret among the inputs: nothing to check.
    assert.deepEqual(computePlan(objects, { calicoVersion: 'v3.24.5', nodes: TWO }).findings, []);
    assert.deepEqual(computePlan([...objects, secret({ tor: 'czNjcjN0' })], { calicoVersion: 'v3.24.5', nodes: TWO }).findings, []);
    const wrongKey = computePlan([...objects, secret({ other: 'czNjcjN0' })], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(wrongKey.findings.map((f) => [f.name, f.path, f.severity]), [['tor', 'spec.password.secretKeyRef', 'error']]);
    assert.match(wrongKey.findings[0].message, /Secret "bgp" has no key "tor" \(it has "other"\)/);
    const elsewhere = computePlan([...objects, secret({ tor: 'czNjcjN0' }, 'default')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.match(elsewhere.findings[0].message, /not among the inputs in namespace calico-system/);
    assert.ok(!JSON.stringify([wrongKey, elsewhere]).includes('czNjcjN0'), 'no Secret value in the plan');
  });

  test('the mesh and a BGPPeer to the same node: two sessions that collide', () => {
    const plan = computePlan([bgpConfig({ asNumber: 64700 }), peer({ node: 'n1', peerIP: '10.5.0.3', asNumber: 64700 }, 'n1-n2')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(only(plan, 'n1').map(brief), ['mesh 10.5.0.3:179 n2 AS64700<-64700 auto passive', 'node 10.5.0.3:179 n2 AS64700<-64700 auto']);
    assert.deepEqual(plan.findings.map((f) => [f.name, f.severity]), [['n1', 'warning'], ['n2', 'warning']]);
    assert.match(plan.findings[0].message, /two sessions to 10\.5\.0\.3: from the node-to-node mesh and from BGPPeer "n1-n2" \(node\)/);
  });

  test('one router address with two AS numbers is an error', () => {
    const plan = computePlan([MESH_OFF, peer({ node: 'n1', peerIP: '10.5.0.1', asNumber: 65000 }, 'tor-n1'), peer({ node: 'n2', peerIP: '10.5.0.1', asNumber: 65001 }, 'tor-n2')], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.findings.map((f) => [f.name, f.path, f.severity]), [['tor-n1', 'spec.asNumber', 'error']]);
    assert.match(plan.findings[0].message, /router 10\.5\.0\.1 is given different AS numbers: AS 65000 \("tor-n1"\), AS 65001 \("tor-n2"\)/);
  });

  test('a BGPFilter that does not exist is an error', () => {
    const plan = computePlan([MESH_OFF, peer({ peerIP: '10.5.0.1', asNumber: 65000, filters: ['missing'] }, 'tor')], { calicoVersion: 'v3.31.7', nodes: TWO });
    assert.deepEqual(plan.findings.map((f) => [f.name, f.path, f.severity]), [['tor', 'spec.filters', 'error']]);
  });

  test('bad values are findings, never exceptions', () => {
    const plan = computePlan([
      { apiVersion: V3, kind: 'BGPPeer', metadata: { name: 'bad' }, spec: { peerIP: '10.5.0.300', asNumber: 'lots' } },
      { apiVersion: V3, kind: 'BGPPeer', metadata: { name: 'bad-sel' }, spec: { nodeSelector: 'rack ==', peerIP: '10.5.0.1', asNumber: 1 } },
      bgpConfig({ asNumber: -1, serviceClusterIPs: [{ cidr: '10.96.0.1/12' }] }),
    ], { calicoVersion: 'v3.24.5', nodes: TWO });
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [
      ['BGPPeer', 'bad', 'spec.peerIP', 'error'],
      ['BGPPeer', 'bad', 'spec.asNumber', 'error'],
      ['BGPPeer', 'bad-sel', 'spec.nodeSelector', 'error'],
      ['BGPConfiguration', 'default', 'spec.asNumber', 'error'],
      ['BGPConfiguration', 'default', 'spec.serviceClusterIPs[0].cidr', 'error'],
    ]);
    assert.deepEqual(plan.nodes.map((n) => n.sessions.length), [1, 1]); // the mesh (default AS 64512) still stands
  });
});
