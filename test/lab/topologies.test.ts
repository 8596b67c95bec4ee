/**
 * Lab: a two-rack site (AS per rack, a ToR per rack, the ToRs peering with each other) and a
 * route-reflector site, planned by computePlan from Calico objects and an inventory; routers run
 * the generated configurations with the export policy each design needs.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from './lab';
import { labPlans } from './plans';
import { labSkip, nodeRoutes, nodeSessionStates, routerRoutes, startSite, waitAllEstablished } from './site';

test('lab: two racks, AS per rack, ToR per rack (FRR and BIRD 2), cluster-routes export: sessions as planned, every node learns the other rack\'s blocks', { skip: labSkip, timeout: 60_000 }, async (t) => {
  const plan = labPlans()['two racks'];
  assert.deepEqual(plan.findings, []);
  assert.deepEqual(plan.routers.map((r) => [r.name, r.neighbors.map((n) => `${n.node}/AS${n.asNumber}/${n.rack}`)]), [
    ['tor-r1', ['r1-a/AS65001/r1', 'r1-b/AS65001/r1']],
    ['tor-r2', ['r2-a/AS65002/r2', 'r2-b/AS65002/r2']],
  ]);
  const site = await startSite('t', plan, {
    platforms: { 'tor-r1': 'frr', 'tor-r2': 'bird2' },
    routerOptions: {
      exportPolicy: 'cluster-routes',
      routers: {
        'tor-r1': { uplinks: [{ address: '10.31.2.1', asNumber: 65102, description: 'tor-r2' }] },
        'tor-r2': { uplinks: [{ address: '10.31.1.1', asNumber: 65101, description: 'tor-r1' }] },
      },
    },
  });
  t.after(() => site.lab.cleanup());
  const took = await waitAllEstablished(site, 20_000, [{ router: 'tor-r1', address: '10.31.2.1' }, { router: 'tor-r2', address: '10.31.1.1' }]);
  t.diagnostic(`every session Established ${took} ms after the daemons started`);
  // Each node has exactly its rack's ToR.
  assert.deepEqual(nodeSessionStates(site).map((s) => `${s.node} ${s.peer} ${s.state}`), [
    'r1-a tor-r1 Established', 'r1-b tor-r1 Established', 'r2-a tor-r2 Established', 'r2-b tor-r2 Established',
  ]);
  const rackBlocks: Record<string, Record<string, string>> = {
    r1: { '10.33.0.0/26': 'r1-a', '10.33.0.64/26': 'r1-b' },
    r2: { '10.33.0.128/26': 'r2-a', '10.33.0.192/26': 'r2-b' },
  };
  for (const n of plan.nodes) {
    const rack = n.name.slice(0, 2);
    const other = rack === 'r1' ? 'r2' : 'r1';
    const otherAs = other === 'r2' ? '65101 65102 65002' : '65102 65101 65001';
    const routes = await waitFor(`${n.name} learns rack ${other}'s blocks`, 10_000, () => {
      const got = nodeRoutes(site, n.name);
      return Object.keys(rackBlocks[other]).every((b) => got.has(b)) ? got : undefined;
    }, () => JSON.stringify([...nodeRoutes(site, n.name)]));
    for (const block of Object.keys(rackBlocks[other])) {
      assert.deepEqual(routes.get(block)!.map((p) => p.asPath), [otherAs], `${n.name}: ${block} through both ToRs`);
    }
    // Its own rack's blocks come back with its own AS in the path: BIRD drops them (no allow local as).
    for (const block of Object.keys(rackBlocks[rack])) assert.ok(!routes.has(block), `${n.name} must not take ${block} back`);
    assert.ok(!routes.has('0.0.0.0/0'), 'cluster-routes sends no default route');
  }
  // Each ToR holds all four blocks: its own rack's from the nodes, the other's from the other ToR.
  for (const r of ['tor-r1', 'tor-r2']) {
    const routes = routerRoutes(site, r);
    for (const block of [...Object.keys(rackBlocks.r1), ...Object.keys(rackBlocks.r2)]) assert.ok(routes.has(block), `${r} holds ${block}`);
  }
});

for (const platform of ['frr', 'bird2'] as const) {
test(`lab: route reflectors (router on ${platform === 'frr' ? 'FRR' : 'BIRD 2'}, default-route export): reflectors Established with the router and with every client; clients learn each other's blocks, reflectors the default route`, { skip: labSkip, timeout: 60_000 }, async (t) => {
  const plan = labPlans()['route reflectors'];
  assert.deepEqual(plan.findings, []);
  assert.deepEqual(plan.routers.map((r) => [r.name, r.neighbors.map((n) => n.node)]), [['tor', ['rr-1', 'rr-2']]]);
  const site = await startSite(platform === 'frr' ? 'r' : 's', plan, { platforms: { tor: platform }, routerOptions: { exportPolicy: 'default-route' } });
  t.after(() => site.lab.cleanup());
  const took = await waitAllEstablished(site, 40_000);
  t.diagnostic(`every session Established ${took} ms after the daemons started`);
  assert.deepEqual(nodeSessionStates(site).map((s) => `${s.node} ${s.peer} ${s.state}`), [
    'rr-1 tor Established', 'rr-1 rr-2 Established', 'rr-1 w-1 Established', 'rr-1 w-2 Established',
    'rr-2 tor Established', 'rr-2 rr-1 Established', 'rr-2 w-1 Established', 'rr-2 w-2 Established',
    'w-1 rr-1 Established', 'w-1 rr-2 Established',
    'w-2 rr-1 Established', 'w-2 rr-2 Established',
  ]);
  const owners: Record<string, string> = { '10.33.10.0/24': '10.31.0.21', '10.33.11.0/24': '10.31.0.22', '10.33.12.0/24': '10.31.0.31', '10.33.13.0/24': '10.31.0.32' };
  for (const n of plan.nodes) {
    const own = n.advertises.find((a) => a.source === 'block')!.cidr;
    const routes = await waitFor(`${n.name}'s routes`, 10_000, () => {
      const got = nodeRoutes(site, n.name);
      return Object.keys(owners).filter((b) => b !== own).every((b) => got.has(b)) && (n.routeReflectorClusterId === null || got.has('0.0.0.0/0')) ? got : undefined;
    }, () => JSON.stringify([...nodeRoutes(site, n.name)]));
    for (const [block, owner] of Object.entries(owners)) {
      if (block === own) continue;
      assert.ok(routes.get(block)!.every((p) => p.nextHop === owner), `${n.name}: ${block} via its owner ${owner}, got ${JSON.stringify(routes.get(block))}`);
    }
    if (n.routeReflectorClusterId !== null) {
      assert.deepEqual(routes.get('0.0.0.0/0')!.map((p) => p.nextHop), ['10.31.0.1'], `${n.name}: default route from the router`);
    } else {
      // Calico's export filter (bird_ipam.cfg.template) passes on pool and service routes only: a
      // reflector never reflects the router's default route to its clients.
      assert.ok(!routes.has('0.0.0.0/0'), `${n.name} gets no default route through the reflectors`);
    }
  }
  // The router holds every block with its owner as next hop (keepOriginalNextHop on the reflectors' BGPPeer).
  const routes = await waitFor('the router\'s routes', 10_000, () => {
    const got = routerRoutes(site, 'tor');
    return Object.keys(owners).every((b) => got.has(b)) ? got : undefined;
  }, () => JSON.stringify([...routerRoutes(site, 'tor')]));
  for (const [block, owner] of Object.entries(owners)) {
    assert.deepEqual([...new Set(routes.get(block)!.map((p) => p.nextHop))], [owner], `tor: ${block} next hop ${owner}`);
  }
});
}
