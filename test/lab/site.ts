/**
 * A plan brought to life in the lab (test code, not a test file): one namespace per router
 * running its generated FRR or BIRD 2 configuration, one per node running the emulated
 * calico-node (BIRD 1.6), all on one L2 switch.
 */
import assert from 'node:assert/strict';
import { BgpPlan } from '../../src/plan/types';
import { RouterConfigOptions, routerConfigs, RouterOptions } from '../../src/routers';
import { calicoNodeBirdConfig, EmulatorOptions, sessionProtocolName } from './calico-node-emulator';
import { birdRoutes, birdSessions, frrRoutes, frrSessions, RoutePath } from './daemons';
import { Lab, labUnavailable, waitFor } from './lab';

export type Platform = 'frr' | 'bird2';

const unavailable = labUnavailable();
/** node:test `skip` value: a clear message when the lab cannot run here; never in CI, which installs the daemons. */
export const labSkip: string | false = unavailable !== null && process.env.CI !== 'true' ? `skipped: ${unavailable}` : false;

export interface SiteOptions {
  /** Platform per router name. */
  readonly platforms: Readonly<Record<string, Platform>>;
  /** Generator options (the platform per router is set from `platforms`). */
  readonly routerOptions?: RouterConfigOptions;
  /** Generate router configurations from this plan instead (a router configured for something else). */
  readonly routerPlan?: BgpPlan;
  /** Emulator options per node. */
  readonly nodes?: Readonly<Record<string, EmulatorOptions>>;
  /** Fill the routers' password placeholders with these values (variable -> value), as the operator would. */
  readonly routerPasswords?: Readonly<Record<string, string>>;
}

export interface RunningSite {
  readonly lab: Lab;
  readonly plan: BgpPlan;
  readonly platforms: Readonly<Record<string, Platform>>;
  /** The configuration each router runs. */
  readonly configs: Readonly<Record<string, string>>;
}

/** Starts the plan's routers and nodes in a new lab (call `site.lab.cleanup()` in `t.after`). */
export async function startSite(tag: string, plan: BgpPlan, options: SiteOptions): Promise<RunningSite> {
  if (unavailable !== null) throw new Error(unavailable);
  const lab = new Lab(tag);
  try {
    const perRouter: Record<string, RouterOptions> = {};
    for (const [name, platform] of Object.entries(options.platforms)) perRouter[name] = { ...(options.routerOptions?.routers?.[name] ?? {}), platform };
    const files = routerConfigs(options.routerPlan ?? plan, { ...options.routerOptions, routers: perRouter });
    const configs: Record<string, string> = {};
    for (const r of plan.routers) lab.addHost(r.name, [`${r.address}/16`]);
    for (const n of plan.nodes) lab.addHost(n.name, [n.ipv4Address!]);
    for (const r of plan.routers) {
      const platform = options.platforms[r.name];
      const f = files.find((x) => x.router === r.name && x.platform === platform);
      assert.ok(f, `no ${platform} configuration for ${r.name}`);
      let content = f.content;
      for (const [variable, value] of Object.entries(options.routerPasswords ?? {})) content = content.split(`\${${variable}}`).join(value);
      configs[r.name] = content;
      if (platform === 'frr') lab.startFrr(r.name, content);
      else lab.startBird(r.name, content);
    }
    const pools = [...new Set([
      ...plan.routers.flatMap((r) => r.accepts.filter((a) => a.source === 'pool').map((a) => a.cidr)),
      ...plan.nodes.flatMap((n) => n.advertises.filter((a) => a.source === 'pool').map((a) => a.cidr)),
    ])].sort();
    // Nodes that peer with each other (reflectors and clients) both connect: confd makes only
    // mesh peerings, and global peerings to a peerIP that is a Calico node, passive on one side
    // (client.go sets calico_node for those only, not for peerSelector peerings). Started in the
    // same instant, their BIRDs collide, one gets a Cease and `error wait time 5,30`, and pairs
    // stayed out of Established for up to 27 s in trials. Real nodes never boot together: start
    // them 1.5 s apart (less than Calico's 2 s connect delay), which brought every trial under 4 s.
    const nodeToNode = plan.nodes.some((n) => n.sessions.some((x) => x.peerNode !== null));
    const stagger = nodeToNode ? 1500 : 0;
    for (const [i, n] of plan.nodes.entries()) {
      if (stagger > 0 && i > 0) await new Promise((r) => setTimeout(r, stagger));
      lab.startBird(n.name, calicoNodeBirdConfig(n, { pools, ...options.nodes?.[n.name] }), true);
    }
    return { lab, plan, platforms: options.platforms, configs };
  } catch (e) {
    lab.cleanup();
    throw e;
  }
}

/** BGP routes a router holds (FRR: its BGP table; BIRD 2: routes from its BGP protocols). */
export function routerRoutes(site: RunningSite, router: string): Map<string, RoutePath[]> {
  if (site.platforms[router] === 'frr') return frrRoutes(site.lab, router);
  const bgp = new Map<string, RoutePath[]>();
  for (const [prefix, paths] of birdRoutes(site.lab, router)) {
    const fromBgp = paths.filter((p) => p.from !== 'calico_direct' && p.from !== 'calico_default' && p.from.startsWith('calico_'));
    if (fromBgp.length > 0) bgp.set(prefix, fromBgp);
  }
  return bgp;
}

/** Neighbor address -> session state, as the router sees it. */
export function routerSessions(site: RunningSite, router: string): Map<string, string> {
  if (site.platforms[router] === 'frr') return frrSessions(site.lab, router);
  const out = new Map<string, string>();
  for (const [name, state] of birdSessions(site.lab, router)) {
    const m = /^calico_(?:uplink_)?(\d+_\d+_\d+_\d+)$/.exec(name);
    if (m) out.set(m[1].replace(/_/g, '.'), state);
    // Listen-range mode: BIRD spawns calico_node_<n> protocols; their neighbor is in `show protocols all`.
    if (/^calico_node_\d+$/.test(name)) {
      const addr = /Neighbor address:\s+(\S+)/.exec(site.lab.birdc(router, `show protocols all ${name}`));
      if (addr) out.set(addr[1], state);
    }
  }
  return out;
}

/** BGP routes a node learned from its peers (BIRD 1.6 on the node). */
export function nodeRoutes(site: RunningSite, node: string): Map<string, RoutePath[]> {
  const out = new Map<string, RoutePath[]>();
  for (const [prefix, paths] of birdRoutes(site.lab, node, true)) {
    const learned = paths.filter((p) => /^(Global|Node|Mesh)_/.test(p.from));
    if (learned.length > 0) out.set(prefix, learned);
  }
  return out;
}

/** Every session of the plan with its state on the node's side (protocol name -> state). */
export function nodeSessionStates(site: RunningSite): { node: string; protocol: string; peer: string; state: string }[] {
  const out: { node: string; protocol: string; peer: string; state: string }[] = [];
  for (const n of site.plan.nodes) {
    const states = birdSessions(site.lab, n.name, true);
    for (const s of n.sessions.filter((x) => x.family === 4)) {
      const protocol = sessionProtocolName(s);
      out.push({ node: n.name, protocol, peer: s.peerNode ?? s.bgpPeer ?? s.peerIp, state: states.get(protocol) ?? 'missing' });
    }
  }
  return out;
}

/** Daemon logs, for failure messages. */
export function siteLogs(site: RunningSite): string {
  return [...site.plan.routers.map((r) => r.name), ...site.plan.nodes.map((n) => n.name)]
    .map((h) => `--- ${h}\n${site.lab.log(h, 'bird')}${site.lab.log(h, 'bgpd')}`).join('\n');
}

/** Waits until every session of the plan is Established on the nodes' and the routers' side. */
export async function waitAllEstablished(site: RunningSite, timeoutMs: number, uplinks: readonly { router: string; address: string }[] = []): Promise<number> {
  const started = Date.now();
  await waitFor('every session of the plan Established on both sides', timeoutMs, () => {
    if (nodeSessionStates(site).some((s) => s.state !== 'Established')) return undefined;
    for (const r of site.plan.routers) {
      const s = routerSessions(site, r.name);
      for (const n of r.neighbors) if (s.get(n.address) !== 'Established') return undefined;
    }
    for (const u of uplinks) if (routerSessions(site, u.router).get(u.address) !== 'Established') return undefined;
    return true;
  }, () => `${JSON.stringify(nodeSessionStates(site))}\n${JSON.stringify(site.plan.routers.map((r) => [r.name, [...routerSessions(site, r.name)]]))}\n${siteLogs(site)}`);
  return Date.now() - started;
}
