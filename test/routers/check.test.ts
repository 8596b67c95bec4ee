import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRouterConfig, routerConfigs } from '../../src/routers';
import { referencePlan, sitePlan } from './plans';

const messages = (found: ReturnType<typeof checkRouterConfig>) => found.map((v) => `${v.severity} ${v.name} ${v.path}: ${v.message}`);

test('generated configurations check clean against their own plan (both platforms, both neighbor modes)', () => {
  const plan = referencePlan();
  for (const neighborMode of ['per-node', 'listen-range'] as const) {
    for (const f of routerConfigs(plan, { neighborMode })) {
      assert.deepEqual(checkRouterConfig(plan, { content: f.content }), [], `${f.path} ${neighborMode}`);
    }
  }
});

test('hand-written FRR: peer-group inheritance, wrong node AS, missing neighbor, passive on both sides, router found by router id', () => {
  const plan = referencePlan();
  const r = plan.routers.find((x) => x.name === 'openwrt-peer')!;
  const passivePlan = { ...plan, routers: [{ ...r, neighbors: r.neighbors.map((n) => (n.node === 'node-2' ? { ...n, nodePassive: true } : n)) }] };
  const conf = [
    'router bgp 64512',
    'bgp router-id 10.31.254.253',            // not indented: still inside router bgp
    'neighbor K8S peer-group',
    'neighbor K8S remote-as 64517',
    'neighbor K8S passive',
    'neighbor 10.31.0.11 peer-group K8S',
    'neighbor 10.31.0.12 peer-group K8S',
    'neighbor 10.31.0.12 remote-as 64518',
    'exit',
    'route-map X permit 10',
    ' neighbor 10.31.0.13 remote-as 64517',   // not in router bgp
  ].join('\n');
  assert.deepEqual(messages(checkRouterConfig(passivePlan, { content: conf, file: 'tor.conf' })), [
    'error openwrt-peer neighbor 10.31.0.12 remote-as: node node-2 (10.31.0.12) speaks from AS 64517 but the router expects AS 64518; the router refuses the session',
    'error openwrt-peer neighbor 10.31.0.12 passive: node node-2 (10.31.0.12) waits for the router to connect (passive) and so does the router: nobody opens the session',
    'error openwrt-peer neighbor 10.31.0.13: node node-3 (10.31.0.13) opens a session to this router (BGPPeer openwrt-peer) but the configuration has no neighbor or listen range for 10.31.0.13',
  ]);
  assert.equal(checkRouterConfig(passivePlan, { content: conf, file: 'tor.conf' })[0].file, 'tor.conf');
});

test('hand-written BIRD 2: templates inherited, listen range, TTL security on one side, unfilled password placeholder', () => {
  const plan = sitePlan({
    nodes: [
      { name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] },
      { name: 'n2', address: '10.31.0.12/16', asNumber: 64517, blocks: [] },
    ],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001, password: { name: 's', key: 'k' } }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const conf = `
    router id 10.31.0.1;
    /* nodes */
    template bgp k8s { local 10.31.0.1 as 65001; ipv4 { import all; export none; }; password "\${BGP_PASSWORD_S_K}"; }
    protocol bgp n1 from k8s { neighbor 10.31.0.11 as 64517; ttl security on; multihop 1; }
    protocol bgp rest from k8s { neighbor range 10.31.0.0/24 external; password "secret"; }   # n2
  `;
  assert.deepEqual(messages(checkRouterConfig(plan, { content: conf })), [
    'warning tor protocol bgp n1 password: node n1 (10.31.0.11): the password is still the placeholder ${BGP_PASSWORD_S_K}; fill it from the Secret (see the file\'s header) before installing, or the session stays down',
    'error tor protocol bgp n1 ttl-security: the router uses TTL security for node n1 (10.31.0.11) but the node sends TTL 64 (Calico\'s multihop) and does not use it; remove it or set ttlSecurity on the BGPPeer',
  ]);
});

test('a configuration for no router of the plan, or that is neither FRR nor BIRD, is reported, not guessed', () => {
  const plan = referencePlan();
  assert.match(messages(checkRouterConfig(plan, { content: 'router bgp 1\n bgp router-id 192.0.2.1\n' }))[0], /cannot tell which router this configuration is for: none of its addresses \(192\.0\.2\.1\) is a router of the plan \(openwrt-peer 10\.31\.254\.253, tiny-unraid-peer 10\.31\.100\.100\); name the router/);
  assert.match(messages(checkRouterConfig(plan, { content: 'hello' }))[0], /neither an FRR configuration .* nor a BIRD 2 one/);
  assert.match(messages(checkRouterConfig(plan, { content: 'router bgp 1', router: 'nope' }))[0], /the plan has no router "nope"; its routers are "openwrt-peer", "tiny-unraid-peer"/);
  // Named explicitly, the router's AS and every missing neighbor are reported.
  assert.deepEqual(messages(checkRouterConfig(plan, { content: 'router bgp 64516\n', router: 'tiny-unraid-peer' })).map((m) => m.split(':')[0]), [
    'error tiny-unraid-peer neighbor 10.31.0.11', 'error tiny-unraid-peer neighbor 10.31.0.12', 'error tiny-unraid-peer neighbor 10.31.0.13',
  ]);
});
