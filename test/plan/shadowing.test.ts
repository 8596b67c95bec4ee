import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BgpPlan, computePlan, formatPlanText, NodeInventoryEntry, PlanSession } from '../../src/plan';
import { ManifestObject } from '../../src/model/violation';
import { bgpConfig, filter, peer, pool } from '../fixtures/reference-objects';

const RACKS: NodeInventoryEntry[] = [
  { name: 'r1-a', ipv4Address: '10.8.1.11/24', labels: { zone: 'r1' } },
  { name: 'r1-b', ipv4Address: '10.8.1.12/24', labels: { zone: 'r1' } },
  { name: 'r2-a', ipv4Address: '10.8.2.11/24', labels: { zone: 'r2' } },
];
const BASE: ManifestObject[] = [
  bgpConfig({ asNumber: 64800, nodeToNodeMeshEnabled: false }),
  pool({ cidr: '10.248.0.0/16' }),
  filter({ exportV4: [{ action: 'Accept', cidr: '10.248.0.0/16', matchOperator: 'In' }] }, 'pods-only'),
];
const GLOBAL = peer({ peerIP: '192.0.2.1', asNumber: 65000 }, 'spine');
const RACK_ONE = peer({
  nodeSelector: 'zone == "r1"', peerIP: '192.0.2.1', asNumber: 65001, keepOriginalNextHop: true,
  password: { secretKeyRef: { name: 'bgp-secrets', key: 'r1' } }, filters: ['pods-only'],
}, 'tor-r1');

function sessionsOf(plan: BgpPlan, node: string): PlanSession[] {
  return plan.nodes.find((n) => n.name === node)!.sessions as PlanSession[];
}

describe('a node-specific BGPPeer to an address a global BGPPeer covers', () => {
  test('is dropped on every node it selects, whatever the order of the objects, with one warning naming both and the ignored settings', () => {
    const messages: string[] = [];
    for (const objects of [[...BASE, GLOBAL, RACK_ONE], [...BASE, RACK_ONE, GLOBAL]]) {
      const plan = computePlan(objects, { calicoVersion: 'v3.31.7', nodes: RACKS });
      for (const n of ['r1-a', 'r1-b', 'r2-a']) {
        const s = sessionsOf(plan, n);
        assert.deepEqual(s.map((x) => [x.kind, x.bgpPeer, x.peerIp, x.remoteAsNumber, x.password, x.nextHop, x.exportFilters]), [
          ['global', 'spine', '192.0.2.1', 65000, null, 'auto', []],
        ], n);
      }
      assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.path, f.severity]), [['BGPPeer', 'tor-r1', 'spec.peerIP', 'warning']]);
      messages.push(plan.findings[0].message);
    }
    assert.equal(messages[0], messages[1]);
    assert.equal(messages[0],
      'BGPPeer "tor-r1" makes nodes "r1-a", "r1-b" peer with 192.0.2.1, which global BGPPeer "spine" (no node, no nodeSelector) already gives every node; '
      + 'calico-node emits the global peerings first and drops a node-specific peering to the same address and port (confd client.go updatePeersV1), '
      + 'so "spine" always wins and these settings of "tor-r1" are therefore ignored there: asNumber 65001 (used: 65000); password Secret bgp-secrets/r1 (used: none); '
      + 'keepOriginalNextHop true (used: false); filters pods-only (used: none): '
      + 'remove one of the two BGPPeers, or give "spine" a nodeSelector that leaves out the nodes of "tor-r1"');
  });

  test('v3.24.5 has no BGPFilters, so the filters are not among the ignored settings; identical settings: no effect at all', () => {
    const old = computePlan([...BASE, GLOBAL, RACK_ONE], { calicoVersion: 'v3.24.5', nodes: RACKS });
    const shadow = old.findings.filter((f) => f.name === 'tor-r1' && f.path === 'spec.peerIP');
    assert.equal(shadow.length, 1);
    assert.match(shadow[0].message, /ignored there: asNumber 65001 \(used: 65000\); password Secret bgp-secrets\/r1 \(used: none\); keepOriginalNextHop true \(used: false\): remove/);
    const same = computePlan([...BASE, GLOBAL, peer({ node: 'r2-a', peerIP: '192.0.2.1', asNumber: 65000 }, 'tor-r2')], { calicoVersion: 'v3.32.1', nodes: RACKS });
    assert.deepEqual(same.findings.map((f) => [f.name, f.severity]), [['tor-r2', 'warning']]);
    assert.match(same.findings[0].message, /makes node "r2-a" peer with 192\.0\.2\.1, .* so "spine" always wins and it sets nothing the global one does not, so it has no effect: remove one/);
  });

  test('another port is another peering: both sessions exist and nothing is dropped', () => {
    const plan = computePlan([...BASE, GLOBAL, peer({ node: 'r2-a', peerIP: '192.0.2.1:1179', asNumber: 65000 }, 'tor-r2')], { calicoVersion: 'v3.31.7', nodes: RACKS });
    assert.deepEqual(sessionsOf(plan, 'r2-a').map((s) => `${s.kind} ${s.bgpPeer} ${s.peerIp}:${s.port}`), ['global spine 192.0.2.1:179', 'node tor-r2 192.0.2.1:1179']);
    assert.deepEqual(plan.findings, []);
  });

  test('a node-specific peerSelector peering to a node a global BGPPeer already peers with is reported on spec.peerSelector', () => {
    const nodes: NodeInventoryEntry[] = [
      { name: 'rr', ipv4Address: '10.8.0.1/24', labels: { rr: 'true' }, routeReflectorClusterId: '244.0.0.1' },
      { name: 'w', ipv4Address: '10.8.0.2/24' },
    ];
    const plan = computePlan([
      ...BASE,
      peer({ peerIP: '10.8.0.1', asNumber: 64800 }, 'all-to-rr'),
      peer({ nodeSelector: '!has(rr)', peerSelector: 'has(rr)', ttlSecurity: 1 }, 'clients-to-rr'),
    ], { calicoVersion: 'v3.31.7', nodes });
    const f = plan.findings.filter((x) => x.name === 'clients-to-rr');
    assert.deepEqual(f.map((x) => [x.path, x.severity]), [['spec.peerSelector', 'warning']]);
    assert.match(f[0].message, /makes node "w" peer with 10\.8\.0\.1, which global BGPPeer "all-to-rr" .* ignored there: ttlSecurity 1 \(used: 0\): remove/);
    assert.deepEqual(plan.findings.map((x) => x.name), ['clients-to-rr']);
    assert.deepEqual(sessionsOf(plan, 'w').map((s) => [s.kind, s.bgpPeer, s.ttlSecurityHops]), [['global', 'all-to-rr', null]]);
  });
});

describe('sessions made by peerSelector: both sides connect', () => {
  const nodes: NodeInventoryEntry[] = [
    { name: 'rr-1', ipv4Address: '10.9.0.1/24', labels: { rr: 'true' }, routeReflectorClusterId: '244.0.0.9' },
    { name: 'w-1', ipv4Address: '10.9.0.20/24' },
    { name: 'w-2', ipv4Address: '10.9.0.3/24' },
  ];
  const objects = [...BASE, peer({ nodeSelector: '!has(rr)', peerSelector: 'has(rr)' }, 'to-rr')];

  test('neither the client nor the reflector is passive (client.go never marks nodeAsBGPPeers peerings calico_node), in every release', () => {
    for (const version of ['v3.24.5', 'v3.31.7', 'v3.32.1'] as const) {
      const plan = computePlan(objects, { calicoVersion: version, nodes });
      assert.deepEqual(plan.findings, [], version);
      const all = plan.nodes.flatMap((n) => n.sessions.map((s) => `${n.name}->${s.peerNode} ${s.kind} passive=${s.passive}`));
      assert.deepEqual(all, [
        'rr-1->w-1 node passive=false', 'rr-1->w-2 node passive=false',
        'w-1->rr-1 node passive=false', 'w-2->rr-1 node passive=false',
      ], version);
    }
  });

  test('the text says so in DETAILS; a mesh session (one passive side) does not', () => {
    const text = formatPlanText(computePlan(objects, { calicoVersion: 'v3.31.7', nodes }));
    const rows = text.split('\n').filter((l) => l.startsWith('| 10.9.'));
    assert.equal(rows.length, 4);
    assert.equal(rows.filter((r) => r.includes('both connect')).length, 4);
    const mesh = formatPlanText(computePlan([bgpConfig({ asNumber: 64800 }), pool({ cidr: '10.248.0.0/16' })], { calicoVersion: 'v3.31.7', nodes: nodes.slice(1) }));
    assert.ok(!mesh.includes('both connect'));
    assert.equal(mesh.split('\n').filter((l) => l.includes('| passive')).length, 1);
  });

  test('a global peerIP to a node: passive on the side whose peer address is the greater string, and both connect where it is the smaller', () => {
    // w-1 (10.9.0.20) peers globally with w-2 (10.9.0.3): "10.9.0.3" > "10.9.0.20", so w-1 is passive,
    // and w-2's reverse session (node-specific) connects. With the target w-1 instead, w-2 is not passive.
    const twoNodes = nodes.slice(1);
    const toW2 = computePlan([...BASE, peer({ peerIP: '10.9.0.3', asNumber: 64800 }, 'to-w2')], { calicoVersion: 'v3.31.7', nodes: twoNodes });
    assert.deepEqual(toW2.nodes.map((n) => n.sessions.map((s) => `${n.name} ${s.kind} passive=${s.passive}`)).flat(), ['w-1 global passive=true', 'w-2 node passive=false']);
    assert.ok(!formatPlanText(toW2).includes('both connect'));
    const toW1 = computePlan([...BASE, peer({ peerIP: '10.9.0.20', asNumber: 64800 }, 'to-w1')], { calicoVersion: 'v3.31.7', nodes: twoNodes });
    assert.deepEqual(toW1.nodes.map((n) => n.sessions.map((s) => `${n.name} ${s.kind} passive=${s.passive}`)).flat(), ['w-1 node passive=false', 'w-2 global passive=false']);
    assert.equal(formatPlanText(toW1).split('\n').filter((l) => l.includes('both connect')).length, 2);
  });
});
