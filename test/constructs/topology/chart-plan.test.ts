import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdk8s';
import { CalicoTorChart, CalicoTorChartProps, NodeInventoryEntry } from '../../../src';
import { REFERENCE_CLUSTER, REFERENCE_NODES } from '../../../examples/reference/main';

const POOL = { podIpPools: [{ cidr: '10.48.0.0/16', blockSize: 26, encapsulation: 'None' as const }], nodeAddressAutodetectionV4: { cidrs: ['10.0.0.0/8'] } };
function chart(props: CalicoTorChartProps): CalicoTorChart {
  return new CalicoTorChart(Testing.app(), 'site', { calicoVersion: 'v3.32.1', asNumber: 65000, ...POOL, ...props });
}
const findings = (c: CalicoTorChart) => c.calicoViolations().filter((v) => v.kind !== 'Installation').map((v) => `${v.severity} ${v.kind}/${v.name} ${v.path}`);

/** Two racks whose nodes share the cluster AS, each with one ToR. */
function sharedAsNodes(): NodeInventoryEntry[] {
  return [1, 2].flatMap((r) => [11, 12].map((i) => ({ name: `r${r}-n${i}`, labels: { rack: `r${r}` }, ipv4Address: `10.${r}.0.${i}/24` })));
}
const sharedRacks = (sharedAsRoutes?: 'default-route' | 'allow-own-as') => ({
  sharedAsRoutes,
  racks: [1, 2].map((r) => ({ name: `r${r}`, routers: [{ name: `tor-r${r}`, peerIp: `10.${r}.0.1`, asNumber: 65100 + r }] })),
});

describe('the plan through CalicoTorChart', () => {
  test('reference cluster with three nodes: two global eBGP sessions per node, next hop kept, no finding', () => {
    const c = new CalicoTorChart(Testing.app(), 'ref', { ...REFERENCE_CLUSTER, nodes: REFERENCE_NODES, planFiles: ['json', 'markdown'], routerConfigs: true });
    const plan = c.plan()!;
    assert.deepEqual(plan.findings, []);
    for (const n of plan.nodes) {
      assert.deepEqual(n.sessions.map((s) => `${s.kind} ${s.bgpPeer} ${s.peerIp} AS ${s.remoteAsNumber} local ${s.localAsNumber} ${s.nextHop}`), [
        'global tiny-unraid-peer 10.31.100.100 AS 64516 local 64517 keep',
        'global openwrt-peer 10.31.254.253 AS 64512 local 64517 keep',
      ]);
    }
    const files = c.artifacts();
    assert.deepEqual(files.map((f) => f.path), [
      'plan.json', 'plan.md',
      'routers/openwrt-peer.bird.conf', 'routers/openwrt-peer.frr.conf', 'routers/tiny-unraid-peer.bird.conf', 'routers/tiny-unraid-peer.frr.conf',
    ], 'no node settings: the reference nodes need none');
    assert.deepEqual(JSON.parse(files[0].content), JSON.parse(JSON.stringify(plan)));
    assert.match(files[1].content, /^# BGP plan \(Calico v3\.24\.5\)\n/);
    assert.match(files[1].content, /\| 10\.31\.254\.253 \| global {4}\| openwrt-peer {5}\| 64512 {3}\| 64517 {4}\| keep {5}\| 10\.31\.0\.11 \|/);
    assert.match(files[1].content, /## Findings\n\nNone\.\n$/);
    assert.match(files[3].content, /neighbor 10\.31\.0\.13 remote-as 64517/);
    // The staged objects are the same with or without the inventory.
    const bare = { ...REFERENCE_CLUSTER, nodes: undefined, planFiles: undefined, routerConfigs: undefined };
    assert.deepEqual(c.manifests(), new CalicoTorChart(Testing.app(), 'ref', bare).manifests());
  });

  test('the reference app plans its nodes and writes both routers\' configurations, listening on the node network', () => {
    const c = new CalicoTorChart(Testing.app(), 'ref', REFERENCE_CLUSTER);
    assert.deepEqual(c.artifacts().map((f) => f.path), [
      'plan.md', 'routers/openwrt-peer.bird.conf', 'routers/openwrt-peer.frr.conf', 'routers/tiny-unraid-peer.bird.conf', 'routers/tiny-unraid-peer.frr.conf',
    ]);
    const frr = c.artifacts().find((f) => f.path === 'routers/tiny-unraid-peer.frr.conf')!.content;
    assert.match(frr, /\n router bgp 64516\n|\nrouter bgp 64516\n/);
    assert.match(frr, /bgp listen range 10\.31\.0\.0\/16 peer-group CALICO-NODES/);
    assert.match(frr, /neighbor CALICO-NODES remote-as 64517/);
    assert.deepEqual(c.calicoViolations().filter((v) => v.kind !== 'Installation'), []);
  });

  test('racks sharing one AS: the AS-reuse finding is gone with allow-own-as or the default route, and shown for hand-made rack peers', () => {
    const handMade = chart({
      nodes: sharedAsNodes(),
      torPeers: [1, 2].map((r) => ({ name: `tor-r${r}`, peerIp: `10.${r}.0.1`, asNumber: 65100 + r, nodeSelector: `rack == "r${r}"` })),
    });
    assert.deepEqual(findings(handMade), ['warning Node/r1-n11 asNumber']);
    assert.match(handMade.calicoViolations().find((v) => v.kind === 'Node')!.message, /share AS 65000 and peer eBGP with their routers/);
    assert.deepEqual(findings(chart({ nodes: sharedAsNodes(), racks: sharedRacks('allow-own-as') })), []);
    assert.deepEqual(findings(chart({ nodes: sharedAsNodes(), racks: sharedRacks() })), []);
  });

  test('racks sharing one AS with the default route: their routers are configured to send one', () => {
    const c = chart({ nodes: sharedAsNodes(), racks: sharedRacks(), routerConfigs: { platform: 'frr' } });
    const frr = c.artifacts().find((f) => f.path === 'routers/tor-r1.frr.conf')!.content;
    assert.match(frr, /default-originate/);
    const allow = chart({ nodes: sharedAsNodes(), racks: sharedRacks('allow-own-as'), routerConfigs: { platform: 'frr' } });
    assert.doesNotMatch(allow.artifacts().find((f) => f.path === 'routers/tor-r1.frr.conf')!.content, /default-originate/);
  });

  test('plan errors fail synthesis: IPv6 pods with only IPv4 peers', () => {
    const c = chart({
      podIpPools: [{ cidr: '10.48.0.0/16', encapsulation: 'None' }, { cidr: 'fd00:48::/48', encapsulation: 'None' }],
      nodeAddressAutodetectionV6: { cidrs: ['fd00:31::/64'] },
      torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65100 }],
      nodes: [{ name: 'n1', ipv4Address: '10.31.0.11/16', ipv6Address: 'fd00:31::11/64' }],
    });
    assert.throws(() => Testing.synth(c), /error Node\/n1 sessions: node "n1" has IPv6 pods \(pool "fd00:48::\/48"\) but no IPv6 BGP session/);
  });

  test('selectors that match no node of the inventory are reported', () => {
    const c = chart({ routeReflectors: { clusterId: '244.0.0.1' }, nodes: [{ name: 'w-1', ipv4Address: '10.40.1.1/16' }] });
    assert.ok(findings(c).includes('warning BGPPeer/route-reflector-clients spec.peerSelector'), findings(c).join('\n'));
  });

  test('plan files and router configurations need the inventory', () => {
    assert.throws(() => chart({ torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65100 }], planFiles: ['json'] }), /planFiles: the plan needs the node inventory/);
    assert.throws(() => chart({ torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65100 }], routerConfigs: true }), /routerConfigs: router configurations come from the plan/);
    assert.throws(() => chart({ nodes: [], planFiles: ['yaml' as any] }), /planFiles\[0\]: "yaml" is not a plan format/);
  });

  test('router options the plan cannot meet are chart errors', () => {
    const c = chart({
      torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65100 }],
      nodes: [{ name: 'n1', ipv4Address: '10.31.0.11/16' }],
      routerConfigs: { routers: { tor: { listenRange: 'not-a-cidr', neighborMode: 'listen-range' } } },
    });
    const errors = c.calicoViolations().filter((v) => v.severity === 'error');
    assert.equal(errors.length, 1);
    assert.equal(errors[0].name, 'tor');
    assert.match(errors[0].path, /^routerConfigs /);
  });
});
