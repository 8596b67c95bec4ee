import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computePlan, formatPlanText, PlanSession } from '../../src/plan';
import { CALICO_VERSIONS } from '../../src/releases/releases';
import { REFERENCE_OBJECTS } from '../fixtures/reference-objects';

/** The reference cluster's three nodes on 10.31.0.0/16 (../shared/reference-cluster.md), as `kubectl get nodes -o yaml` prints them. */
const NODES = {
  apiVersion: 'v1',
  kind: 'List',
  items: [11, 12, 13].map((i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: `k8s-${i}`,
      labels: { 'kubernetes.io/hostname': `k8s-${i}`, 'kubernetes.io/os': 'linux' },
      annotations: { 'projectcalico.org/IPv4Address': `10.31.0.${i}/16`, 'node.alpha.kubernetes.io/ttl': '0' },
    },
    status: { addresses: [{ type: 'InternalIP', address: `10.31.0.${i}` }] },
  })),
};

const BLOCKS = [11, 12, 13].map((i, k) => ({
  apiVersion: 'crd.projectcalico.org/v1',
  kind: 'BlockAffinity',
  metadata: { name: `k8s-${i}-10-33-${k}-0-24` },
  spec: { node: `k8s-${i}`, cidr: `10.33.${k}.0/24`, state: 'confirmed', deleted: 'false' },
}));

function routerSession(name: string, ip: string, as: number, nodeIp: string): PlanSession {
  return {
    family: 4, kind: 'global', bgpPeer: name, peerIp: ip, port: 179, peerNode: null, remoteAsNumber: as, localAsNumber: 64517,
    nextHop: 'keep', passive: false, ttlSecurityHops: null, password: null, routeReflectorClient: false, routeReflectorClusterId: null,
    sourceAddress: nodeIp, multihop: true, gracefulRestartSeconds: null, keepaliveSeconds: null, importFilters: [], exportFilters: [],
    numAllowedLocalAsNumbers: null, reachableBy: null,
  };
}

describe('plan of the reference cluster', () => {
  for (const version of CALICO_VERSIONS) {
    test(`${version}: two global eBGP sessions per node with the next hop kept, pool and both service ranges`, () => {
      const plan = computePlan([...REFERENCE_OBJECTS, NODES], { calicoVersion: version });
      assert.deepEqual(plan.findings, []);
      assert.deepEqual(plan.nodes.map((n) => n.name), ['k8s-11', 'k8s-12', 'k8s-13']);
      for (const n of plan.nodes) {
        const ip = n.ipv4Address!.split('/')[0];
        assert.equal(n.asNumber, 64517);
        assert.deepEqual(n.sessions, [
          routerSession('tiny-unraid-peer', '10.31.100.100', 64516, ip),
          routerSession('openwrt-peer', '10.31.254.253', 64512, ip),
        ]);
        assert.deepEqual(n.advertises, [
          { family: 4, cidr: '10.33.0.0/17', source: 'pool', communities: ['64517:120', '64517:300:100'], blockSize: 24 },
          { family: 4, cidr: '10.33.128.0/18', source: 'serviceClusterIP', communities: [], blockSize: null },
          { family: 4, cidr: '10.33.192.0/18', source: 'serviceExternalIP', communities: [], blockSize: null },
        ]);
      }
      assert.deepEqual(plan.routers.map((r) => [r.name, r.address, r.asNumber, r.neighbors.map((nb) => `${nb.node}@${nb.address}/AS${nb.asNumber}`)]), [
        ['openwrt-peer', '10.31.254.253', 64512, ['k8s-11@10.31.0.11/AS64517', 'k8s-12@10.31.0.12/AS64517', 'k8s-13@10.31.0.13/AS64517']],
        ['tiny-unraid-peer', '10.31.100.100', 64516, ['k8s-11@10.31.0.11/AS64517', 'k8s-12@10.31.0.12/AS64517', 'k8s-13@10.31.0.13/AS64517']],
      ]);
      assert.deepEqual(plan.routers[0].accepts.map((a) => `${a.cidr} ${a.minLength}-${a.maxLength} ${a.communities.join(',')}`), [
        '10.33.0.0/17 24-32 64517:120,64517:300:100',
        '10.33.128.0/18 18-32 ',
        '10.33.192.0/18 18-32 ',
      ]);
    });
  }

  test('with BlockAffinities each node advertises its own /24 blocks, with the pool\'s communities', () => {
    const plan = computePlan([...REFERENCE_OBJECTS, NODES, ...BLOCKS], { calicoVersion: 'v3.24.5' });
    assert.deepEqual(plan.nodes.map((n) => n.advertises.filter((a) => a.source === 'block').map((a) => `${a.cidr} ${a.communities.join(',')}`)), [
      ['10.33.0.0/24 64517:120,64517:300:100'],
      ['10.33.1.0/24 64517:120,64517:300:100'],
      ['10.33.2.0/24 64517:120,64517:300:100'],
    ]);
    // The routers accept the pool's range from block size to host routes (blocks move between nodes).
    assert.deepEqual(plan.routers[1].accepts.map((a) => `${a.cidr} ${a.minLength}-${a.maxLength} ${a.source}`), ['10.33.0.0/17 24-32 pool', '10.33.128.0/18 18-32 serviceClusterIP', '10.33.192.0/18 18-32 serviceExternalIP']);
    // A pending affinity is not a block of the node yet (confd client.go updateCache).
    const pending = computePlan([...REFERENCE_OBJECTS, NODES, ...BLOCKS.map((b, i) => (i === 0 ? { ...b, spec: { ...b.spec, state: 'pending' } } : b))], { calicoVersion: 'v3.24.5' });
    assert.deepEqual(pending.nodes[0].advertises.filter((a) => a.source === 'block'), []);
  });

  test('the text form shows a calicoctl-like table per node and what it advertises', () => {
    const text = formatPlanText(computePlan([...REFERENCE_OBJECTS, NODES], { calicoVersion: 'v3.24.5' }));
    assert.ok(text.includes('Node k8s-11: AS 64517, 10.31.0.11/16\nIPv4 BGP sessions\n'), text);
    assert.ok(text.includes('| 10.31.254.253 | global    | openwrt-peer     | 64512   | 64517    | keep     | 10.31.0.11 | -       |'), text);
    assert.ok(text.includes('  10.33.0.0/17  pool, blocks /24  communities 64517:120 64517:300:100\n'), text);
    assert.ok(text.endsWith('0 errors, 0 warnings\n'), text);
  });
});
