/**
 * An emulated calico-node (test code, not library code): the BIRD 1.6 configuration that
 * calico-node's confd would render for one node of the plan, so the lab's routers face what a real
 * node sends. Written from the confd templates of projectcalico/calico (v3.24 line):
 * - confd/etc/calico/confd/templates/bird.cfg.template: `apply_communities()` (a
 *   `bgp_community.add((a, b))` / `bgp_large_community.add((a, b, c))` per prefixAdvertisement),
 *   `router id` = node IPv4, `protocol device` / `protocol direct`, `template bgp bgp_template`
 *   (local as, `multihop`, `gateway recursive`, `import all`, `export filter
 *   calico_export_to_bgp_peers`, `add paths on`, `graceful restart`, `connect delay time 2`,
 *   `connect retry time 5`, `error wait time 5,30`), and one `protocol bgp Global_<ip>` /
 *   `Node_<ip>` / `Mesh_<ip>` per session with `source address`, `passive on`, `graceful restart
 *   time`, `rr client` + `rr cluster id`, `password`, `next hop keep`;
 * - bird_aggr.cfg.template: `protocol static` with a blackhole route per block of the node and per
 *   static route (the advertised service ranges), and `calico_aggr()` (the block itself accepted,
 *   anything beneath it rejected);
 * - bird_ipam.cfg.template: `calico_export_to_bgp_peers` = reject disabled pools, apply
 *   communities, aggregate blocks, accept static routes, accept pool routes, reject the rest.
 * Left out, as the lab needs no forwarding on the node: the kernel protocol (its filter uses the
 * Calico fork's `krt_tunnel`, which stock BIRD 1.6 lacks) and BFD.
 */
import { PlanAdvertisement, PlanNode, PlanSession } from '../../src/plan/types';

export interface EmulatorOptions {
  /** Password values by `secretName/key` (the lab plays the secret store). */
  readonly passwords?: ReadonlyMap<string, string>;
  /**
   * Prefixes this node wrongly advertises on top of Calico's (to show that the router's import
   * policy drops them). Real calico-node never exports these.
   */
  readonly rogueExports?: readonly string[];
  /**
   * The IP pools (CIDRs) of the cluster, for the `net ~ <pool>` accepts of the export filter.
   * The plan lists a node's pools only when it has no BlockAffinities, yet calico-node accepts
   * every route inside a pool (reflected routes of other nodes, borrowed addresses).
   * @default the node's `pool` advertisements
   */
  readonly pools?: readonly string[];
}

const STATIC_SOURCES: ReadonlySet<PlanAdvertisement['source']> = new Set(['serviceClusterIP', 'serviceExternalIP', 'serviceLoadBalancerIP', 'serviceAddress']);

/** BIRD 1.6 configuration of a calico-node for `node` (IPv4 sessions only, as bird.cfg). */
export function calicoNodeBirdConfig(node: PlanNode, options: EmulatorOptions = {}): string {
  if (!node.ipv4Address) throw new Error(`node ${node.name} has no IPv4 address; the emulator writes bird.cfg (IPv4) only`);
  const nodeIp = node.ipv4Address.split('/')[0];
  const adv = node.advertises.filter((a) => a.family === 4);
  const blocks = adv.filter((a) => a.source === 'block').map((a) => a.cidr);
  const statics = adv.filter((a) => STATIC_SOURCES.has(a.source)).map((a) => a.cidr);
  const pools = options.pools ?? adv.filter((a) => a.source === 'pool').map((a) => a.cidr);
  const rogue = options.rogueExports ?? [];
  const out: string[] = [];
  out.push(`# Emulated calico-node ${node.name}: what confd renders into bird.cfg for this node's plan.`);
  out.push('function apply_communities ()');
  out.push('{');
  const withCommunities = new Map<string, readonly string[]>();
  for (const a of [...adv].sort((x, y) => (x.source === 'pool' ? -1 : 0) - (y.source === 'pool' ? -1 : 0))) {
    if (a.communities.length > 0 && !withCommunities.has(a.cidr)) withCommunities.set(a.cidr, a.communities);
  }
  for (const [cidr, communities] of withCommunities) {
    out.push(`  if ( net ~ ${cidr} ) then {`);
    for (const c of communities) {
      const p = c.split(':');
      out.push(p.length === 2 ? `    bgp_community.add((${p[0]}, ${p[1]}));` : `    bgp_large_community.add((${p[0]}, ${p[1]}, ${p[2]}));`);
    }
    out.push('  }');
  }
  out.push('}');
  out.push('');
  // bird_aggr.cfg
  if (blocks.length + statics.length + rogue.length > 0) {
    out.push('protocol static {');
    for (const b of blocks) if (!b.endsWith('/32')) out.push(`   route ${b} blackhole;`);
    for (const s of statics) out.push(`   route ${s} blackhole;`);
    for (const r of rogue) out.push(`   route ${r} blackhole;   # not Calico: to test the router's import policy`);
    out.push('}');
  }
  out.push('function calico_aggr ()');
  out.push('{');
  for (const b of blocks) {
    out.push(`  if ( net = ${b} ) then { accept; }`);
    out.push(`  if ( net ~ ${b} ) then { reject; }`);
  }
  out.push('}');
  out.push('');
  // bird_ipam.cfg
  out.push('function reject_disabled_pools ()');
  out.push('{');
  out.push('}');
  out.push('filter calico_export_to_bgp_peers {');
  out.push('  reject_disabled_pools();');
  for (const r of rogue) out.push(`  if ( net = ${r} ) then { accept; }   # not Calico`);
  out.push('  apply_communities();');
  out.push('  calico_aggr();');
  for (const s of statics) out.push(`  if ( net ~ ${s} ) then { accept; }`);
  for (const p of pools) out.push(`  if ( net ~ ${p} ) then { accept; }`);
  out.push('  reject;');
  out.push('}');
  out.push('');
  // bird.cfg
  out.push('log stderr all;   # calico-node runs BIRD in the foreground; the lab keeps its log');
  out.push(`router id ${nodeIp};`);
  if (node.listenPort !== 179) out.push(`listen bgp port ${node.listenPort};`);
  // bird_aggr.cfg.template: a static route to a peer that is reachable only through a gateway.
  const reachable = node.sessions.filter((s) => s.family === 4 && s.reachableBy);
  if (reachable.length > 0) {
    out.push('protocol static {');
    for (const s of reachable) out.push(`   route ${s.peerIp}/32 via ${s.reachableBy};`);
    out.push('}');
  }
  out.push('protocol device {');
  out.push('  debug { states };');
  out.push('  scan time 2;');
  out.push('}');
  out.push('protocol direct {');
  out.push('  debug { states };');
  out.push('  interface -"cali*", -"kube-ipvs*", "*";');
  out.push('}');
  out.push('template bgp bgp_template {');
  out.push('  debug { states };');
  out.push('  description "Connection to BGP peer";');
  out.push(`  local as ${node.asNumber};`);
  out.push('  multihop;');
  out.push('  gateway recursive;');
  out.push('  import all;');
  out.push('  export filter calico_export_to_bgp_peers;');
  out.push('  add paths on;');
  out.push('  graceful restart;');
  out.push('  connect delay time 2;');
  out.push('  connect retry time 5;');
  out.push('  error wait time 5,30;');
  out.push('}');
  for (const s of node.sessions.filter((x) => x.family === 4)) out.push(...sessionProtocol(node, s, options));
  return `${out.join('\n')}\n`;
}

/** The protocol name confd gives a session (`Global_10_31_254_253`, `Node_..._port_1790`, `Mesh_...`). */
export function sessionProtocolName(s: PlanSession): string {
  const kind = s.kind === 'mesh' ? 'Mesh' : s.kind === 'node' ? 'Node' : s.kind === 'global' ? 'Global' : 'Local_Workload';
  return `${kind}_${s.peerIp.split('.').join('_')}${s.port !== 179 ? `_port_${s.port}` : ''}`;
}

function sessionProtocol(node: PlanNode, s: PlanSession, options: EmulatorOptions): string[] {
  const lines = [`protocol bgp ${sessionProtocolName(s)} from bgp_template {`];
  lines.push(`  neighbor ${s.peerIp} ${s.port !== 179 ? `port ${s.port} ` : ''}as ${s.remoteAsNumber};`);
  if (s.localAsNumber !== node.asNumber) lines.push(`  local as ${s.localAsNumber};`);
  if (s.sourceAddress) lines.push(`  source address ${s.sourceAddress};`);
  if (s.passive) lines.push('  passive on;');
  if (s.gracefulRestartSeconds !== null) lines.push(`  graceful restart time ${s.gracefulRestartSeconds};`);
  if (s.routeReflectorClient && s.routeReflectorClusterId) {
    lines.push('  rr client;');
    lines.push(`  rr cluster id ${s.routeReflectorClusterId};`);
  }
  if (s.password) {
    const value = options.passwords?.get(`${s.password.name}/${s.password.key}`);
    if (value === undefined) throw new Error(`emulated node ${node.name}: no lab password for Secret ${s.password.name} key ${s.password.key}`);
    lines.push(`  password "${value}";`);
  }
  if (s.nextHop === 'keep') lines.push('  next hop keep;');
  if (s.nextHop === 'self') lines.push('  next hop self;');
  if (s.ttlSecurityHops !== null) {
    lines.push('  ttl security on;');
    lines.push(`  multihop ${s.ttlSecurityHops};`);
  }
  if (s.keepaliveSeconds !== null) lines.push(`  keepalive time ${s.keepaliveSeconds};`);
  if (s.numAllowedLocalAsNumbers !== null) lines.push(`  allow local as ${s.numAllowedLocalAsNumbers};`);
  lines.push('}');
  return lines;
}
