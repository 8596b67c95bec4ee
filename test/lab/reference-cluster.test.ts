/**
 * Lab: the reference cluster (three emulated calico-nodes on 10.31.0.0/16, AS 64517) and its two
 * routers running the generated configurations, once with openwrt-peer on FRR and tiny-unraid-peer
 * on BIRD 2, once the other way round. Assertions are read from the daemons.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BgpPlan } from '../../src/plan/types';
import { routerConfigs } from '../../src/routers';
import { calicoNodeBirdConfig } from './calico-node-emulator';
import { birdRoutes, birdSessions, frrRoutes, frrSessions, RoutePath } from './daemons';
import { Lab, labUnavailable, waitFor } from './lab';
import { labPlans } from './plans';

const unavailable = labUnavailable();
// CI installs the daemons (.ci/run), so there a missing daemon is a failure, not a skip.
const skip = unavailable !== null && process.env.CI !== 'true' ? `skipped: ${unavailable}` : false;

type Platform = 'frr' | 'bird2';

interface RunningSite {
  readonly lab: Lab;
  readonly plan: BgpPlan;
  readonly platforms: Readonly<Record<string, Platform>>;
}

/** Starts the plan's nodes (emulated) and routers (generated configs) in a new lab. */
function startSite(tag: string, plan: BgpPlan, platforms: Readonly<Record<string, Platform>>, rogue: Readonly<Record<string, readonly string[]>> = {}): RunningSite {
  if (unavailable !== null) throw new Error(unavailable);
  const lab = new Lab(tag);
  const files = routerConfigs(plan, { routers: Object.fromEntries(Object.entries(platforms).map(([k, v]) => [k, { platform: v }])) });
  for (const r of plan.routers) lab.addHost(r.name.slice(0, 6), [`${r.address}/16`]);
  for (const n of plan.nodes) lab.addHost(n.name, [n.ipv4Address!]);
  for (const r of plan.routers) {
    const f = files.find((x) => x.router === r.name && x.platform === platforms[r.name]);
    assert.ok(f, `no ${platforms[r.name]} file for ${r.name}`);
    if (f.platform === 'frr') lab.startFrr(r.name.slice(0, 6), f.content);
    else lab.startBird(r.name.slice(0, 6), f.content);
  }
  for (const n of plan.nodes) lab.startBird(n.name, calicoNodeBirdConfig(n, { rogueExports: rogue[n.name] }), true);
  return { lab, plan, platforms };
}

function routerRoutes(site: RunningSite, router: string): Map<string, RoutePath[]> {
  const host = router.slice(0, 6);
  if (site.platforms[router] === 'frr') return frrRoutes(site.lab, host);
  // BIRD 2: the BGP routes only (not calico_direct's connected network).
  const bgp = new Map<string, RoutePath[]>();
  for (const [prefix, paths] of birdRoutes(site.lab, host)) {
    const fromBgp = paths.filter((p) => p.from !== 'calico_direct' && p.from.startsWith('calico_'));
    if (fromBgp.length > 0) bgp.set(prefix, fromBgp);
  }
  return bgp;
}

function routerSessions(site: RunningSite, router: string): Map<string, string> {
  const host = router.slice(0, 6);
  if (site.platforms[router] === 'frr') return frrSessions(site.lab, host);
  // BIRD 2 protocols are named calico_<address>.
  return new Map([...birdSessions(site.lab, host)].filter(([n]) => n.startsWith('calico_')).map(([n, s]) => [n.replace(/^calico_/, '').replace(/_/g, '.'), s]));
}

function logs(site: RunningSite): string {
  return [...site.plan.routers.map((r) => r.name.slice(0, 6)), ...site.plan.nodes.map((n) => n.name)]
    .map((h) => `--- ${h}\n${site.lab.log(h, 'bird')}${site.lab.log(h, 'bgpd')}`).join('\n');
}

async function allEstablished(site: RunningSite, timeoutMs: number): Promise<void> {
  await waitFor('every node session Established on both sides', timeoutMs, () => {
    for (const n of site.plan.nodes) {
      const s = birdSessions(site.lab, n.name, true);
      for (const r of site.plan.routers) {
        const name = `Global_${r.address.replace(/\./g, '_')}`;
        if (s.get(name) !== 'Established') return undefined;
      }
    }
    for (const r of site.plan.routers) {
      const s = routerSessions(site, r.name);
      for (const n of r.neighbors) if (s.get(n.address) !== 'Established') return undefined;
    }
    return true;
  }, () => logs(site));
}

for (const [label, platforms] of [
  ['openwrt-peer on FRR, tiny-unraid-peer on BIRD 2', { 'openwrt-peer': 'frr', 'tiny-unraid-peer': 'bird2' }],
  ['openwrt-peer on BIRD 2, tiny-unraid-peer on FRR', { 'openwrt-peer': 'bird2', 'tiny-unraid-peer': 'frr' }],
] as const) {
  test(`lab: reference cluster, ${label}: every session Established, every block with its node as next hop and the communities`, { skip, timeout: 60_000 }, async (t) => {
    const plan = labPlans().reference;
    // node-3 also (wrongly) advertises a default route and another cluster's pool: the routers' import policy must drop them.
    const site = startSite(label.startsWith('openwrt-peer on FRR') ? 'a' : 'b', plan, platforms, { 'node-3': ['0.0.0.0/0', '10.40.0.0/24'] });
    t.after(() => site.lab.cleanup());
    const started = Date.now();
    await allEstablished(site, 20_000);
    t.diagnostic(`all sessions Established ${Date.now() - started} ms after the daemons started`);

    for (const r of plan.routers) {
      const expected = new Map<string, string[]>();
      for (const n of plan.nodes) {
        for (const a of n.advertises) if (a.source === 'block') expected.set(a.cidr, [n.ipv4Address!.split('/')[0]]);
      }
      const services = ['10.33.128.0/18', '10.33.192.0/18'];
      const routes = await waitFor(`${r.name}'s routes`, 10_000, () => {
        const got = routerRoutes(site, r.name);
        return [...expected.keys(), ...services].every((p) => got.has(p)) && (got.get(services[0]) ?? []).length === plan.nodes.length ? got : undefined;
      }, () => JSON.stringify([...routerRoutes(site, r.name)]));
      assert.deepEqual([...routes.keys()].sort(), [...expected.keys(), ...services].sort(), `${r.name} holds exactly the blocks and the service ranges (no default route, no 10.40.0.0/24)`);
      for (const [block, [nextHop]] of expected) {
        const paths = routes.get(block)!;
        assert.deepEqual(paths.map((p) => p.nextHop), [nextHop], `${r.name}: ${block} from its node only, next hop ${nextHop}`);
        assert.deepEqual(paths[0].communities, ['64517:120'], `${r.name}: ${block} standard community`);
        assert.deepEqual(paths[0].largeCommunities, ['64517:300:100'], `${r.name}: ${block} large community`);
        assert.equal(paths[0].asPath, '64517', `${r.name}: ${block} AS path`);
      }
      for (const s of services) {
        assert.deepEqual(routes.get(s)!.map((p) => p.nextHop).sort(), plan.nodes.map((n) => n.ipv4Address!.split('/')[0]).sort(), `${r.name}: ${s} from every node`);
        assert.deepEqual(routes.get(s)!.flatMap((p) => [...p.communities, ...p.largeCommunities]), [], `${r.name}: ${s} carries no pool community`);
      }
    }
    // Export policy `none`: the nodes learn nothing from the routers.
    for (const n of plan.nodes) {
      const learned = [...birdRoutes(site.lab, n.name, true).entries()].filter(([, ps]) => ps.some((p) => p.from.startsWith('Global_')));
      assert.deepEqual(learned, [], `${n.name} learns nothing from the routers`);
    }
    assert.ok(Date.now() - started < 45_000);
  });
}
