/**
 * Lab: the reference cluster, planned by computePlan from dist/'s objects and a three-node
 * inventory on 10.31.0.0/16 (AS 64517), its two routers running the generated configurations:
 * once openwrt-peer on FRR and tiny-unraid-peer on BIRD 2, once the other way round.
 * Every assertion is read from the daemons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { labPlans } from './plans';
import { labSkip, nodeRoutes, nodeSessionStates, routerRoutes, routerSessions, startSite, waitAllEstablished } from './site';
import { waitFor } from './lab';

const SERVICES = ['10.33.128.0/18', '10.33.192.0/18'];

for (const [tag, platforms, neighborMode] of [
  ['a', { 'openwrt-peer': 'frr', 'tiny-unraid-peer': 'bird2' }, 'per-node'],
  ['b', { 'openwrt-peer': 'bird2', 'tiny-unraid-peer': 'frr' }, 'per-node'],
  ['c', { 'openwrt-peer': 'frr', 'tiny-unraid-peer': 'bird2' }, 'listen-range'],
] as const) {
  const label = `${Object.entries(platforms).map(([r, p]) => `${r} on ${p === 'frr' ? 'FRR' : 'BIRD 2'}`).join(', ')}, ${neighborMode} neighbors`;
  test(`lab: reference cluster (${label}): both routers Established from every node; every block with its node as next hop and the communities; both service ranges`, { skip: labSkip, timeout: 60_000 }, async (t) => {
    const plan = labPlans().reference;
    assert.deepEqual(plan.findings, []);
    assert.deepEqual(plan.nodes.map((n) => n.name), ['k8s-11', 'k8s-12', 'k8s-13']);
    // k8s-13 also (wrongly) advertises a default route and another cluster's pool: the routers'
    // import policy must drop both.
    const site = await startSite(tag, plan, { platforms, routerOptions: { neighborMode }, nodes: { 'k8s-13': { rogueExports: ['0.0.0.0/0', '10.40.0.0/24'] } } });
    if (neighborMode === 'listen-range') {
      for (const r of plan.routers) assert.ok(/bgp listen range 10\.31\.0\.0\/16 |neighbor range 10\.31\.0\.0\/16 /.test(site.configs[r.name]), `${r.name} listens on the nodes' subnet`);
    }
    t.after(() => site.lab.cleanup());
    const took = await waitAllEstablished(site, 20_000);
    t.diagnostic(`every session Established ${took} ms after the daemons started`);

    // calicoctl node status of every node: both routers, global, Established.
    assert.deepEqual(nodeSessionStates(site).map((s) => `${s.node} ${s.protocol} ${s.state}`), plan.nodes.flatMap((n) => [
      `${n.name} Global_10_31_100_100 Established`,
      `${n.name} Global_10_31_254_253 Established`,
    ]));
    for (const r of plan.routers) {
      assert.deepEqual([...routerSessions(site, r.name)].sort(), [['10.31.0.11', 'Established'], ['10.31.0.12', 'Established'], ['10.31.0.13', 'Established']]);
    }

    const blocks: Record<string, string> = { '10.33.1.0/24': '10.31.0.11', '10.33.2.0/24': '10.31.0.12', '10.33.3.0/24': '10.31.0.13', '10.33.4.0/24': '10.31.0.13' };
    for (const r of plan.routers) {
      const routes = await waitFor(`${r.name}'s routes from every node`, 10_000, () => {
        const got = routerRoutes(site, r.name);
        return Object.keys(blocks).every((p) => got.has(p)) && SERVICES.every((s) => (got.get(s) ?? []).length === 3) ? got : undefined;
      }, () => JSON.stringify([...routerRoutes(site, r.name)]));
      assert.deepEqual([...routes.keys()].sort(), [...Object.keys(blocks), ...SERVICES].sort(),
        `${r.name} holds exactly the blocks and the service ranges (not k8s-13's default route nor 10.40.0.0/24)`);
      for (const [block, nextHop] of Object.entries(blocks)) {
        const paths = routes.get(block)!;
        assert.deepEqual(paths.map((p) => p.nextHop), [nextHop], `${r.name}: ${block} only from its node, next hop ${nextHop}`);
        assert.deepEqual(paths[0].communities, ['64517:120'], `${r.name}: ${block} community`);
        assert.deepEqual(paths[0].largeCommunities, ['64517:300:100'], `${r.name}: ${block} large community`);
        assert.equal(paths[0].asPath, '64517');
      }
      for (const s of SERVICES) {
        assert.deepEqual(routes.get(s)!.map((p) => p.nextHop).sort(), ['10.31.0.11', '10.31.0.12', '10.31.0.13'], `${r.name}: ${s} from every node`);
        assert.deepEqual(routes.get(s)!.flatMap((p) => [...p.communities, ...p.largeCommunities]), [], `${r.name}: ${s} carries no pool community`);
      }
    }
    // Export policy `none` (the default): the nodes learn nothing from the routers.
    for (const n of plan.nodes) assert.deepEqual([...nodeRoutes(site, n.name).keys()], [], `${n.name} learns nothing`);
  });
}
