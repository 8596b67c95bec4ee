import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BgpPlan, computePlan, NodeInventoryEntry, PlanNode } from '../../src/plan';
import { bgpConfig, peer, pool } from '../fixtures/reference-objects';

/** `family kind peerIp:port AS remote<-local nextHop [passive] [rr cluster]` for each session of a node. */
function sessions(plan: BgpPlan, name: string): string[] {
  const n = plan.nodes.find((x) => x.name === name);
  assert.ok(n, `node ${name} in plan`);
  return n.sessions.map((s) => `${s.family} ${s.kind} ${s.peerIp}:${s.port} ${s.peerNode ?? s.bgpPeer} AS${s.remoteAsNumber}<-${s.localAsNumber} ${s.nextHop}${s.passive ? ' passive' : ''}${s.routeReflectorClient ? ` rr-client ${s.routeReflectorClusterId}` : ''}`);
}

function node(plan: BgpPlan, name: string): PlanNode {
  return plan.nodes.find((x) => x.name === name)!;
}

describe('full mesh', () => {
  const nodes: NodeInventoryEntry[] = [
    { name: 'a', ipv4Address: '10.0.0.9/24' },
    { name: 'b', ipv4Address: '10.0.0.10/24' },
    { name: 'c', ipv4Address: '10.0.0.11/24' },
  ];

  test('every node peers with every other; the passive side is decided by comparing the addresses as strings', () => {
    // No BGPConfiguration: the mesh is on and the AS is 64512 (confd client.go globalDefaults).
    const plan = computePlan([pool({ cidr: '10.244.0.0/16' })], { calicoVersion: 'v3.24.5', nodes });
    assert.deepEqual(plan.findings, []);
    // "10.0.0.9" > "10.0.0.10" as strings (though 9 < 10 as numbers): b waits for a.
    assert.deepEqual(sessions(plan, 'a'), ['4 mesh 10.0.0.10:179 b AS64512<-64512 auto', '4 mesh 10.0.0.11:179 c AS64512<-64512 auto']);
    assert.deepEqual(sessions(plan, 'b'), ['4 mesh 10.0.0.11:179 c AS64512<-64512 auto passive', '4 mesh 10.0.0.9:179 a AS64512<-64512 auto passive']);
    assert.deepEqual(sessions(plan, 'c'), ['4 mesh 10.0.0.10:179 b AS64512<-64512 auto', '4 mesh 10.0.0.9:179 a AS64512<-64512 auto passive']);
    assert.deepEqual(node(plan, 'a').advertises.map((x) => `${x.cidr} /${x.blockSize}`), ['10.244.0.0/16 /26']);
  });

  test('mesh sessions skip route reflectors, and a reflector has no mesh sessions', () => {
    const plan = computePlan([bgpConfig({ listenPort: 1790, nodeMeshMaxRestartTime: '2m', nodeMeshPassword: { secretKeyRef: { name: 'bgp', key: 'mesh' } } })], {
      calicoVersion: 'v3.32.1', nodes: [...nodes, { name: 'rr', ipv4Address: '10.0.0.50/24', routeReflectorClusterId: '244.0.0.1' }],
    });
    assert.deepEqual(sessions(plan, 'rr'), []);
    assert.deepEqual(sessions(plan, 'a'), ['4 mesh 10.0.0.10:1790 b AS64512<-64512 auto', '4 mesh 10.0.0.11:1790 c AS64512<-64512 auto']);
    const s = node(plan, 'a').sessions[0];
    assert.deepEqual([s.password, s.gracefulRestartSeconds, s.sourceAddress], [{ name: 'bgp', key: 'mesh' }, 120, '10.0.0.9']);
  });

  test('mesh plus an external peer: the router sees every node', () => {
    const plan = computePlan([peer({ peerIP: '10.0.0.1', asNumber: 65000 }, 'edge')], { calicoVersion: 'v3.31.7', nodes });
    assert.deepEqual(sessions(plan, 'a'), ['4 mesh 10.0.0.10:179 b AS64512<-64512 auto', '4 mesh 10.0.0.11:179 c AS64512<-64512 auto', '4 global 10.0.0.1:179 edge AS65000<-64512 auto']);
    assert.deepEqual(plan.routers.map((r) => [r.name, r.neighbors.map((nb) => nb.node)]), [['edge', ['a', 'b', 'c']]]);
  });
});

/** Three racks r1..r3 with two nodes each on 10.<rack>.0.0/24. */
function rackNodes(asOf: (rack: number) => number | undefined): NodeInventoryEntry[] {
  const out: NodeInventoryEntry[] = [];
  for (const r of [1, 2, 3]) {
    for (const i of [11, 12]) {
      const as = asOf(r);
      out.push({ name: `r${r}-n${i}`, labels: { rack: `r${r}` }, ipv4Address: `10.${r}.0.${i}/24`, ...(as !== undefined ? { asNumber: as } : {}) });
    }
  }
  return out;
}

/** A ToR pair per rack, each BGPPeer restricted to its rack. */
function torPairs(asOf: (rack: number) => number, extra: Record<string, unknown> = {}) {
  return [1, 2, 3].flatMap((r) => ['a', 'b'].map((side, k) => peer({ peerIP: `10.${r}.0.${k + 1}`, asNumber: asOf(r), nodeSelector: `rack == "r${r}"`, ...extra }, `tor-r${r}-${side}`)));
}

describe('AS per rack (Calico over IP fabrics)', () => {
  const objects = [bgpConfig({ asNumber: 65100, nodeToNodeMeshEnabled: false }), pool({ cidr: '10.244.0.0/16', blockSize: 26 }), ...torPairs((r) => 65100 + r)];

  test('each node peers iBGP with its own rack\'s ToR pair, in the rack\'s AS', () => {
    const plan = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: rackNodes((r) => 65100 + r) });
    assert.deepEqual(plan.findings, []);
    assert.deepEqual(sessions(plan, 'r2-n11'), ['4 node 10.2.0.1:179 tor-r2-a AS65102<-65102 auto', '4 node 10.2.0.2:179 tor-r2-b AS65102<-65102 auto']);
    assert.deepEqual(plan.routers.map((r) => `${r.name} ${r.address} AS${r.asNumber}: ${r.neighbors.map((nb) => `${nb.node}/${nb.rack}/AS${nb.asNumber}`).join(' ')}`), [
      'tor-r1-a 10.1.0.1 AS65101: r1-n11/r1/AS65101 r1-n12/r1/AS65101',
      'tor-r1-b 10.1.0.2 AS65101: r1-n11/r1/AS65101 r1-n12/r1/AS65101',
      'tor-r2-a 10.2.0.1 AS65102: r2-n11/r2/AS65102 r2-n12/r2/AS65102',
      'tor-r2-b 10.2.0.2 AS65102: r2-n11/r2/AS65102 r2-n12/r2/AS65102',
      'tor-r3-a 10.3.0.1 AS65103: r3-n11/r3/AS65103 r3-n12/r3/AS65103',
      'tor-r3-b 10.3.0.2 AS65103: r3-n11/r3/AS65103 r3-n12/r3/AS65103',
    ]);
  });

  test('a router peered by nodes of several racks is a finding', () => {
    const plan = computePlan([...objects, peer({ peerIP: '10.9.0.1', asNumber: 65000 }, 'spine')], { calicoVersion: 'v3.24.5', nodes: rackNodes((r) => 65100 + r) });
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.severity]), [['BGPPeer', 'spine', 'warning']]);
    assert.match(plan.findings[0].message, /^router 10\.9\.0\.1 \(BGPPeer "spine"\) gets sessions from nodes of 3 racks \(rack=r1: 2 node\(s\), r2: 2 node\(s\), r3: 2 node\(s\)\); a top-of-rack router should serve its own rack/);
  });

  test('the rack label is an option', () => {
    const zoned = rackNodes((r) => 65100 + r).map((n) => ({ ...n, labels: { 'topology.kubernetes.io/zone': n.labels!.rack } }));
    const objects2 = [bgpConfig({ asNumber: 65100, nodeToNodeMeshEnabled: false }), peer({ peerIP: '10.9.0.1', asNumber: 65000 }, 'spine')];
    assert.deepEqual(computePlan(objects2, { calicoVersion: 'v3.24.5', nodes: zoned }).findings, []);
    const plan = computePlan(objects2, { calicoVersion: 'v3.24.5', nodes: zoned, rackLabel: 'topology.kubernetes.io/zone' });
    assert.deepEqual(plan.routers[0].neighbors.map((nb) => nb.rack), ['r1', 'r1', 'r2', 'r2', 'r3', 'r3']);
    // AS per rack: one router finding, no AS reuse.
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.path]), [['BGPPeer', 'spec']]);
    assert.match(plan.findings[0].message, /3 racks \(topology\.kubernetes\.io\/zone=r1: 2 node\(s\)/);
  });

  test('one AS for the nodes of every rack, eBGP to the ToRs: each rack drops the others\' routes unless allowed or a default route comes down', () => {
    const shared = [bgpConfig({ asNumber: 65100, nodeToNodeMeshEnabled: false }), pool({ cidr: '10.244.0.0/16' })];
    const plan = computePlan([...shared, ...torPairs((r) => 65000 + r, { keepOriginalNextHop: true })], { calicoVersion: 'v3.31.7', nodes: rackNodes(() => undefined) });
    assert.deepEqual(sessions(plan, 'r1-n11'), ['4 node 10.1.0.1:179 tor-r1-a AS65001<-65100 keep', '4 node 10.1.0.2:179 tor-r1-b AS65001<-65100 keep']);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [['Node', 'r1-n11', 'asNumber', 'warning']]);
    assert.match(plan.findings[0].message, /nodes in 3 racks \(rack=r1, r2, r3\) share AS 65100 .* numAllowedLocalASNumbers/);
    const allowed = computePlan([...shared, ...torPairs((r) => 65000 + r, { numAllowedLocalASNumbers: 1 })], { calicoVersion: 'v3.31.7', nodes: rackNodes(() => undefined) });
    assert.deepEqual(allowed.findings, []);
    assert.equal(node(allowed, 'r1-n11').sessions[0].numAllowedLocalAsNumbers, 1);
    const downward = computePlan([...shared, ...torPairs((r) => 65000 + r)], { calicoVersion: 'v3.31.7', nodes: rackNodes(() => undefined), routersSendDefaultRoute: true });
    assert.deepEqual(downward.findings, []);
  });
});

describe('route reflectors', () => {
  const nodes: NodeInventoryEntry[] = [
    { name: 'rr-1', ipv4Address: '10.0.1.1/16', labels: { 'route-reflector': 'true' }, routeReflectorClusterId: '244.0.0.1' },
    { name: 'rr-2', ipv4Address: '10.0.2.1/16', labels: { 'route-reflector': 'true' }, routeReflectorClusterId: '244.0.0.1' },
    { name: 'w-1', ipv4Address: '10.0.3.1/16' },
    { name: 'w-2', ipv4Address: '10.0.3.2/16' },
  ];
  const objects = [
    bgpConfig({ asNumber: 64600, nodeToNodeMeshEnabled: false, listenPort: 1790 }),
    pool({ cidr: '10.244.0.0/16' }),
    peer({ nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)' }, 'peer-with-rrs'),
    peer({ nodeSelector: 'has(route-reflector)', peerSelector: 'has(route-reflector)' }, 'rr-mesh'),
  ];

  test('clients peer with both reflectors; reflectors get the reverse sessions as rr clients, and peer with each other', () => {
    for (const version of ['v3.24.5', 'v3.32.1'] as const) {
      const plan = computePlan(objects, { calicoVersion: version, nodes });
      assert.deepEqual(plan.findings, [], version);
      assert.deepEqual(sessions(plan, 'w-1'), ['4 node 10.0.1.1:1790 rr-1 AS64600<-64600 auto', '4 node 10.0.2.1:1790 rr-2 AS64600<-64600 auto']);
      assert.deepEqual(sessions(plan, 'rr-1'), [
        '4 node 10.0.2.1:1790 rr-2 AS64600<-64600 auto',
        '4 node 10.0.3.1:1790 w-1 AS64600<-64600 auto rr-client 244.0.0.1',
        '4 node 10.0.3.2:1790 w-2 AS64600<-64600 auto rr-client 244.0.0.1',
      ]);
      assert.deepEqual(plan.routers, []);
    }
  });

  test('a reflector without a cluster ID is an error', () => {
    const plan = computePlan(objects, { calicoVersion: 'v3.24.5', nodes: nodes.map((n) => (n.name === 'rr-2' ? { ...n, routeReflectorClusterId: undefined } : n)) });
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [['BGPPeer', 'peer-with-rrs', 'spec.peerSelector', 'error']]);
    assert.match(plan.findings[0].message, /"rr-2" selected by peerSelector "has\(route-reflector\)" act as route reflectors for 2 other node\(s\)/);
    // Without its cluster ID rr-2 no longer reflects: its sessions to the clients are plain iBGP.
    assert.deepEqual(sessions(plan, 'rr-2').slice(1), ['4 node 10.0.3.1:1790 w-1 AS64600<-64600 auto', '4 node 10.0.3.2:1790 w-2 AS64600<-64600 auto']);
  });

  test('reversePeering Manual (v3.31+) leaves out the reverse sessions: the clients\' sessions never come up', () => {
    const manual = objects.map((o) => (o.metadata?.name === 'peer-with-rrs' ? peer({ nodeSelector: '!has(route-reflector)', peerSelector: 'has(route-reflector)', reversePeering: 'Manual' }, 'peer-with-rrs') : o));
    const plan = computePlan(manual, { calicoVersion: 'v3.31.7', nodes });
    assert.deepEqual(sessions(plan, 'rr-1'), ['4 node 10.0.2.1:1790 rr-2 AS64600<-64600 auto']);
    assert.deepEqual(plan.findings.map((f) => `${f.name} ${f.severity} ${f.message.slice(0, 106)}`), [
      'w-1 error node "w-1" opens an IPv4 session to node "rr-1" (10.0.1.1, from BGPPeer "peer-with-rrs") but "rr-1" has no',
      'w-1 error node "w-1" opens an IPv4 session to node "rr-2" (10.0.2.1, from BGPPeer "peer-with-rrs") but "rr-2" has no',
      'w-2 error node "w-2" opens an IPv4 session to node "rr-1" (10.0.1.1, from BGPPeer "peer-with-rrs") but "rr-1" has no',
      'w-2 error node "w-2" opens an IPv4 session to node "rr-2" (10.0.2.1, from BGPPeer "peer-with-rrs") but "rr-2" has no',
    ]);
    // v3.24.5 has no reversePeering: the field is ignored, and the reverse sessions are there.
    const old = computePlan(manual, { calicoVersion: 'v3.24.5', nodes });
    assert.equal(sessions(old, 'rr-1').length, 3);
    assert.deepEqual(old.findings.map((f) => [f.name, f.path, f.severity]), [['peer-with-rrs', 'spec.reversePeering', 'warning']]);
  });
});
