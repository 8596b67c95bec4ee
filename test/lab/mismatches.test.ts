/**
 * Lab, negative cases: a router configured for the wrong AS, a password on the node side only and
 * one on the router side only never reach Established (while a matching router beside them does),
 * and checkRouterConfig reports each of these mismatches from the routers' configurations (FRR's
 * own `show running-config`, the BIRD 2 file) before anything is deployed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computePlan } from '../../src/plan';
import { checkRouterConfig } from '../../src/routers';
import { mismatchObjects, splitAsObjects } from './plans';
import { labSkip, nodeSessionStates, routerSessions, startSite } from './site';
import { waitFor } from './lab';

test('lab: wrong router AS, password on one side only: never Established (matching routers, with and without passwords, are); checkRouterConfig names each mismatch', { skip: labSkip, timeout: 60_000 }, async (t) => {
  const nodePlan = computePlan(mismatchObjects('nodeSide'), { calicoVersion: 'v3.24.5' });
  const routerPlan = computePlan(mismatchObjects('routerSide'), { calicoVersion: 'v3.24.5' });
  assert.deepEqual(nodePlan.findings.filter((f) => f.severity === 'error'), []);
  assert.deepEqual(nodePlan.routers.map((r) => r.name), ['locked-a', 'locked-b', 'openwrt-peer', 'rack-tor', 'spare-tor', 'tiny-unraid-peer']);
  const site = await startSite('m', nodePlan, {
    platforms: { 'locked-a': 'frr', 'locked-b': 'bird2', 'openwrt-peer': 'frr', 'rack-tor': 'bird2', 'spare-tor': 'frr', 'tiny-unraid-peer': 'bird2' },
    routerPlan,
    nodes: { 'k8s-11': { passwords: new Map([['bgp-passwords/tor', 'lab-secret']]) } },
    routerPasswords: { BGP_PASSWORD_BGP_PASSWORDS_TOR: 'lab-secret' },
  });
  t.after(() => site.lab.cleanup());

  const state = () => Object.fromEntries(nodeSessionStates(site).map((s) => [s.peer, s.state]));
  const good = ['locked-a', 'locked-b', 'tiny-unraid-peer'];
  await waitFor('the matching routers Established (passwords filled on both sides for locked-a and locked-b)', 20_000,
    () => (good.every((g) => state()[g] === 'Established') ? true : undefined), () => JSON.stringify(state()));
  // Calico's BIRD retries every 5 s (connect retry time 5): watch two more rounds.
  const until = Date.now() + 9_000;
  while (Date.now() < until) {
    const s = state();
    for (const bad of ['openwrt-peer', 'rack-tor', 'spare-tor']) assert.notEqual(s[bad], 'Established', `${bad} must never come up: ${JSON.stringify(s)}`);
    for (const [router, addr] of [['openwrt-peer', '10.31.0.11'], ['rack-tor', '10.31.0.11'], ['spare-tor', '10.31.0.11']] as const) {
      assert.notEqual(routerSessions(site, router).get(addr), 'Established', `${router}'s side must never come up`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const g of good) assert.equal(state()[g], 'Established');

  // Before deploy: the routers' configurations checked against the nodes' plan.
  const running = (router: string) => site.lab.vtysh(router, 'show running-config');
  const check = (content: string) => checkRouterConfig(nodePlan, { content }).map((v) => `${v.name} ${v.path}: ${v.message}`);
  assert.deepEqual(check(running('openwrt-peer')), [
    'openwrt-peer router bgp: the router\'s AS is 64513 but BGPPeer openwrt-peer says asNumber 64512: the nodes expect AS 64512 and close every session (BGP NOTIFICATION "bad peer AS"); fix the router or the BGPPeer\'s spec.asNumber',
  ]);
  assert.deepEqual(check(site.configs['rack-tor']), [
    'rack-tor protocol bgp calico_10_31_0_11 password: node k8s-11 (10.31.0.11) signs its session (TCP MD5) with the password in Secret bgp-passwords key tor, but the router has no password for it: a password on one side only keeps the session down',
  ]);
  assert.deepEqual(check(running('spare-tor')), [
    'spare-tor neighbor 10.31.0.11 password: the router has a password for node k8s-11 (10.31.0.11) but the node\'s BGPPeer sets none: a password on one side only keeps the session down; set spec.password on the BGPPeer or remove it from the router',
  ]);
  assert.deepEqual(check(site.configs['tiny-unraid-peer']), []);
  assert.deepEqual(check(running('locked-a')), []);
  assert.deepEqual(check(site.configs['locked-b']), []);
});

test('lab: two BGPPeers give one router two AS numbers: computePlan reports it before deploy, and the nodes expecting the other AS never come up', { skip: labSkip, timeout: 60_000 }, async (t) => {
  const plan = computePlan(splitAsObjects(), { calicoVersion: 'v3.24.5' });
  const errors = plan.findings.filter((f) => f.severity === 'error');
  assert.equal(errors.length, 1, JSON.stringify(plan.findings));
  assert.equal(errors[0].kind, 'BGPPeer');
  assert.match(errors[0].message, /router 10\.31\.0\.5 is given different AS numbers: AS 64610 \("split-a"\), AS 64611 \("split-b"\)/);
  assert.deepEqual(plan.routers.map((r) => [r.name, r.asNumber, r.neighbors.map((n) => n.node)]), [['split-a', 64610, ['k8s-11', 'k8s-12']]]);
  // Deployed anyway (the routers command refuses to write from a plan with errors; the library does not check findings).
  const site = await startSite('s', plan, { platforms: { 'split-a': 'frr' } });
  t.after(() => site.lab.cleanup());
  const state = () => Object.fromEntries(nodeSessionStates(site).map((s) => [s.node, s.state]));
  await waitFor('k8s-11 (expects AS 64610) Established', 20_000, () => (state()['k8s-11'] === 'Established' ? true : undefined), () => JSON.stringify(state()));
  const until = Date.now() + 7_000;
  while (Date.now() < until) {
    assert.notEqual(state()['k8s-12'], 'Established', 'k8s-12 expects AS 64611 and must never come up');
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(routerSessions(site, 'split-a').get('10.31.0.12') === 'Established', false);
});
