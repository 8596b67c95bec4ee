import { DEFAULT_LISTEN_PORT } from '../model/calico-defaults';
/**
 * Text form of a BGP plan: per node a table of its sessions like `calicoctl node status` prints
 * them (peer address, peer type, with the plan's details instead of the live state), then what the
 * node advertises; then the routers and the findings.
 */
import { formatViolation } from '../model/violation';
import { BgpPlan, PlanNode, PlanSession } from './types';

const PEER_TYPE: Record<PlanSession['kind'], string> = {
  mesh: 'node-to-node mesh',
  global: 'global',
  node: 'node specific',
  'local-workload': 'local workload',
};

/** Renders rows as a `+---+` bordered table, as calicoctl does. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const row = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line, row(header), line, ...rows.map(row), line];
}

/**
 * Whether both ends of a node-to-node session connect: neither this session nor the peer node's
 * session back to this node is passive. That is the case of peerSelector sessions (route
 * reflectors and their clients) and of the reverse peerings: confd's client.go builds them with
 * nodeAsBGPPeers, which never marks them calico_node, and the templates make only mesh and global
 * protocols to a calico_node passive. BIRD then resolves the collision of the two connections.
 */
function bothConnect(n: PlanNode, s: PlanSession, nodes: ReadonlyMap<string, PlanNode> | undefined): boolean {
  if (s.passive || s.peerNode === null || !nodes) return false;
  const other = nodes.get(s.peerNode);
  const own = s.family === 4 ? n.ipv4Address : n.ipv6Address;
  if (!other || own === null) return false;
  const ownIp = own.slice(0, own.indexOf('/'));
  const back = other.sessions.find((b) => b.family === s.family && b.peerIp === ownIp && b.port === n.listenPort);
  return back !== undefined && !back.passive;
}

function sessionRow(s: PlanSession, both: boolean): string[] {
  const details: string[] = [];
  if (s.passive) details.push('passive');
  if (both) details.push('both connect');
  if (s.routeReflectorClient) details.push(`rr client (cluster ${s.routeReflectorClusterId})`);
  if (s.ttlSecurityHops !== null) details.push(`ttl security ${s.ttlSecurityHops}`);
  if (s.password) details.push(`password ${s.password.name}/${s.password.key}`);
  if (s.gracefulRestartSeconds !== null) details.push(`restart ${s.gracefulRestartSeconds}s`);
  if (s.keepaliveSeconds !== null) details.push(`keepalive ${s.keepaliveSeconds}s`);
  if (s.numAllowedLocalAsNumbers !== null) details.push(`allow local as ${s.numAllowedLocalAsNumbers}`);
  if (s.reachableBy !== null) details.push(`via ${s.reachableBy}`);
  if (s.importFilters.length > 0) details.push(`import ${s.importFilters.join(',')}`);
  if (s.exportFilters.length > 0) details.push(`export ${s.exportFilters.join(',')}`);
  return [
    s.port === DEFAULT_LISTEN_PORT ? s.peerIp : s.family === 6 ? `[${s.peerIp}]:${s.port}` : `${s.peerIp}:${s.port}`,
    PEER_TYPE[s.kind],
    s.peerNode ?? s.bgpPeer ?? '',
    String(s.remoteAsNumber),
    String(s.localAsNumber),
    s.nextHop,
    s.sourceAddress ?? '-',
    details.join(', ') || '-',
  ];
}

/**
 * The text of one node.
 * @param nodes every node of the plan by name, to tell the sessions both sides connect
 * @default no such detail
 */
export function formatPlanNode(n: PlanNode, nodes?: ReadonlyMap<string, PlanNode>): string[] {
  const lines: string[] = [];
  const addrs = [n.ipv4Address, n.ipv6Address].filter((a): a is string => a !== null).join(', ');
  lines.push(`Node ${n.name}: AS ${n.asNumber}, ${addrs}${n.routeReflectorClusterId ? `, route reflector (cluster ID ${n.routeReflectorClusterId})` : ''}`);
  for (const family of [4, 6] as const) {
    const addr = family === 4 ? n.ipv4Address : n.ipv6Address;
    if (addr === null) continue;
    lines.push(`IPv${family} BGP sessions`);
    const rows = n.sessions.filter((s) => s.family === family).map((s) => sessionRow(s, bothConnect(n, s, nodes)));
    if (rows.length === 0) lines.push('No IPv' + family + ' peers.');
    else lines.push(...table(['PEER ADDRESS', 'PEER TYPE', 'PEER', 'PEER AS', 'LOCAL AS', 'NEXT HOP', 'SOURCE', 'DETAILS'], rows));
  }
  lines.push('Advertises');
  if (n.advertises.length === 0) lines.push('  nothing');
  for (const a of n.advertises) {
    const what = a.source === 'pool' ? `pool, blocks /${a.blockSize}` : a.source;
    lines.push(`  ${a.cidr}  ${what}${a.communities.length > 0 ? `  communities ${a.communities.join(' ')}` : ''}`);
  }
  for (const a of n.withheld) lines.push(`  (not exported: ${a.cidr}, pool with disableBGPExport)`);
  return lines;
}

/** The whole plan as text (deterministic). */
export function formatPlanText(plan: BgpPlan, only?: string): string {
  const out: string[] = [`BGP plan for Calico ${plan.calicoVersion}`, ''];
  const byName = new Map(plan.nodes.map((n) => [n.name, n]));
  for (const n of plan.nodes) {
    if (only !== undefined && n.name !== only) continue;
    out.push(...formatPlanNode(n, byName), '');
  }
  const routers = only === undefined ? plan.routers : plan.routers.filter((r) => r.neighbors.some((nb) => nb.node === only));
  if (routers.length > 0) {
    out.push('Routers');
    for (const r of routers) {
      const nbs = only === undefined ? r.neighbors : r.neighbors.filter((nb) => nb.node === only);
      out.push(`  ${r.name} ${r.address}${r.port !== DEFAULT_LISTEN_PORT ? ` port ${r.port}` : ''} AS ${r.asNumber}: ${nbs.length} neighbor(s) (${nbs.slice(0, 4).map((nb) => `${nb.node} ${nb.address} AS ${nb.asNumber}`).join('; ')}${nbs.length > 4 ? '; ...' : ''})`);
    }
    out.push('');
  }
  const findings = only === undefined ? plan.findings : plan.findings.filter((f) => f.kind !== 'Node' || f.name === only);
  const errors = findings.filter((f) => f.severity === 'error').length;
  for (const f of findings) out.push(formatViolation(f));
  out.push(`${errors} error${errors === 1 ? '' : 's'}, ${findings.length - errors} warning${findings.length - errors === 1 ? '' : 's'}`);
  return `${out.join('\n')}\n`;
}
