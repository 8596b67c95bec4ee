/**
 * The router's side of the plan, resolved once and rendered by both generators (frr.ts, bird2.ts):
 * every decision about what the router must do to match the nodes is made here, so FRR and BIRD 2
 * cannot drift apart.
 *
 * Node-side facts come from calico-node's confd templates (projectcalico/calico,
 * confd/etc/calico/confd/templates/bird.cfg.template, bird_ipam.cfg.template, bird_aggr.cfg.template):
 * - every explicit peer (global or node BGPPeer) is a `protocol bgp ... from bgp_template` with
 *   `multihop;` (BIRD's default TTL 64), `graceful restart;`, `connect delay time 2`,
 *   `connect retry time 5`, and `passive on` only for calico-node peers with the higher address;
 * - `ttl security on; multihop N` when the BGPPeer sets ttlSecurity;
 * - `next hop keep` for eBGP peers with keepOriginalNextHop (the node's blocks leave with the
 *   node's own address as next hop, so the router must leave it alone);
 * - BIRD's defaults where Calico writes nothing: hold time 240 s, keepalive 80 s (hold / 3),
 *   graceful restart time 120 s.
 */
import { parseCidr, parseIp } from '../model/net';
import { BgpPlan, PlanAcceptedPrefix, PlanFamily, PlanRouter, PlanRouterNeighbor, PlanSecretRef } from '../plan/types';
import { RouterConfigOptions, RouterExportPolicy, RouterNeighborMode, RouterPlatform } from './options';

/** BIRD's hold time when Calico sets none (seconds). */
export const BIRD_DEFAULT_HOLD_SECONDS = 240;
/** BIRD's graceful restart time when the BGPPeer sets no maxRestartTime (seconds). */
export const BIRD_DEFAULT_RESTART_SECONDS = 120;
/** TTL of BIRD's bare `multihop;` (what Calico writes on explicit peers). */
export const BIRD_DEFAULT_MULTIHOP_TTL = 64;
/** ECMP paths when the options say nothing. */
export const DEFAULT_MAXIMUM_PATHS = 64;

/** How a session crosses the network. */
export type HopPolicy =
  | { readonly kind: 'multihop'; readonly ttl: number }
  | { readonly kind: 'ttl-security'; readonly hops: number }
  | { readonly kind: 'direct' };

/** A password the operator must fill in: the placeholder written in the file and the Secret it comes from. */
export interface PasswordPlaceholder {
  /** Environment-variable style name, e.g. `BGP_PASSWORD_BGP_PASSWORDS_TOR_RACK_B`. */
  readonly variable: string;
  readonly secret: PlanSecretRef;
}

/** Session settings shared by a neighbor, a listen range or an uplink. */
export interface SessionSettings {
  /** Router waits for the node to connect. */
  readonly passive: boolean;
  readonly hops: HopPolicy;
  readonly password: PasswordPlaceholder | null;
  readonly keepaliveSeconds: number;
  readonly holdSeconds: number;
  readonly gracefulRestartSeconds: number;
  /** Same AS on both ends: the router reflects between the nodes (their mesh is off). */
  readonly internal: boolean;
  readonly bfd: boolean;
}

/** One node neighbor of the router. */
export interface ResolvedNeighbor {
  readonly node: string;
  readonly address: string;
  /** Port the node's BIRD listens on (the plan's node listenPort), used when the router connects. */
  readonly nodePort: number;
  readonly asNumber: number;
  readonly rack: string | null;
  readonly settings: SessionSettings;
}

/** A dynamic neighbor range (listen-range mode). */
export interface ResolvedRange {
  readonly cidr: string;
  /** One AS for every node, or `external` when the nodes' ASes differ (all unlike the router's). */
  readonly asNumber: number | 'external';
  readonly settings: SessionSettings;
  readonly nodes: readonly string[];
}

/** An uplink (spine, other ToR). */
export interface ResolvedUplink {
  readonly address: string;
  readonly asNumber: number;
  readonly description: string;
  readonly multihop: number;
  readonly password: PasswordPlaceholder | null;
  readonly allowAsIn: number;
  readonly acceptDefaultRoute: boolean;
}

/** Accepted prefixes that carry the same communities (one route-map entry / filter branch each). */
export interface AcceptGroup {
  readonly communities: readonly string[];
  readonly prefixes: readonly PlanAcceptedPrefix[];
}

/** Everything a generator needs for one router. */
export interface ResolvedRouter {
  readonly name: string;
  readonly bgpPeers: readonly string[];
  readonly calicoVersion: string;
  readonly family: PlanFamily;
  readonly address: string;
  readonly port: number;
  readonly asNumber: number;
  readonly platform: RouterPlatform;
  readonly exportPolicy: RouterExportPolicy;
  readonly neighborMode: RouterNeighborMode;
  /** Per-node neighbors (empty in listen-range mode). */
  readonly neighbors: readonly ResolvedNeighbor[];
  readonly range: ResolvedRange | null;
  readonly uplinks: readonly ResolvedUplink[];
  /** Accepted prefixes, sorted by CIDR text. */
  readonly accepts: readonly PlanAcceptedPrefix[];
  /** Accepted prefixes grouped by their communities (only when matching communities). */
  readonly acceptGroups: readonly AcceptGroup[];
  readonly matchCommunities: boolean;
  readonly maximumPaths: number;
  /** Nodes with different ASes: ECMP across them needs FRR's `as-path multipath-relax`. */
  readonly multipathRelax: boolean;
  readonly passwords: readonly PasswordPlaceholder[];
}

/** A problem that stops generation for a router (bad option or unsatisfiable combination). */
export interface RouterConfigProblem {
  readonly router: string;
  /** Option or plan field at fault, e.g. `routers.tor-a.listenRange`. */
  readonly path: string;
  readonly message: string;
}

/** Raised by routerConfigs with every problem found. */
export class RouterConfigError extends Error {
  public readonly problems: readonly RouterConfigProblem[];
  constructor(problems: readonly RouterConfigProblem[]) {
    super(`cannot write router configurations (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  router ${JSON.stringify(p.router)} ${p.path}: ${p.message}`).join('\n'));
    this.name = 'RouterConfigError';
    this.problems = problems;
  }
}

const PLATFORMS: readonly RouterPlatform[] = ['frr', 'bird2', 'both'];
const EXPORT_POLICIES: readonly RouterExportPolicy[] = ['none', 'default-route', 'cluster-routes', 'default-and-cluster-routes'];
const NEIGHBOR_MODES: readonly RouterNeighborMode[] = ['per-node', 'listen-range'];

/** Code-point order (never localeCompare: output must not depend on the machine's locale). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function quote(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 77)}...` : s);
}

/** Resolves every router of the plan; throws RouterConfigError listing every problem. */
export function resolveRouters(plan: BgpPlan, options: RouterConfigOptions = {}): ResolvedRouter[] {
  const problems: RouterConfigProblem[] = [];
  const routers = [...plan.routers].sort((a, b) => byCodePoint(a.name, b.name));
  const known = new Set(routers.map((r) => r.name));
  for (const name of Object.keys(options.routers ?? {}).sort(byCodePoint)) {
    if (!known.has(name)) {
      problems.push({
        router: name, path: `routers.${name}`,
        message: `no router of the plan has this name; the plan's routers are ${[...known].map((n) => JSON.stringify(n)).join(', ') || 'none'} (a router is named after the first BGPPeer pointing at its address)`,
      });
    }
  }
  checkChoice(problems, '*', 'platform', options.platform, PLATFORMS);
  checkChoice(problems, '*', 'exportPolicy', options.exportPolicy, EXPORT_POLICIES);
  checkChoice(problems, '*', 'neighborMode', options.neighborMode, NEIGHBOR_MODES);
  const maximumPaths = options.maximumPaths ?? DEFAULT_MAXIMUM_PATHS;
  if (!Number.isInteger(maximumPaths) || maximumPaths < 1 || maximumPaths > 128) {
    problems.push({ router: '*', path: 'maximumPaths', message: `${quote(maximumPaths)} is not a whole number from 1 to 128 (FRR's limit); use e.g. 64` });
  }
  const resolved = routers.map((r) => resolveRouter(plan, r, options, maximumPaths, problems));
  if (problems.length > 0) throw new RouterConfigError(problems);
  return resolved;
}

function checkChoice<T extends string>(problems: RouterConfigProblem[], router: string, path: string, value: unknown, allowed: readonly T[]): void {
  if (value !== undefined && !allowed.includes(value as T)) {
    problems.push({ router, path, message: `${quote(value)} is not one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` });
  }
}

function resolveRouter(plan: BgpPlan, r: PlanRouter, options: RouterConfigOptions, maximumPaths: number, problems: RouterConfigProblem[]): ResolvedRouter {
  const own = options.routers?.[r.name] ?? {};
  const at = `routers.${r.name}`;
  checkChoice(problems, r.name, `${at}.platform`, own.platform, PLATFORMS);
  checkChoice(problems, r.name, `${at}.exportPolicy`, own.exportPolicy, EXPORT_POLICIES);
  checkChoice(problems, r.name, `${at}.neighborMode`, own.neighborMode, NEIGHBOR_MODES);
  const platform = own.platform ?? options.platform ?? 'both';
  const exportPolicy = own.exportPolicy ?? options.exportPolicy ?? 'none';
  const neighborMode = own.neighborMode ?? options.neighborMode ?? 'per-node';
  const passwords = new PasswordNames();

  const neighbors: ResolvedNeighbor[] = [...r.neighbors]
    .sort((a, b) => byCodePoint(a.address, b.address) || byCodePoint(a.node, b.node))
    .map((n) => ({
      node: n.node,
      address: n.address,
      nodePort: plan.nodes.find((x) => x.name === n.node)?.listenPort ?? 179,
      asNumber: n.asNumber,
      rack: n.rack,
      settings: sessionSettings(r, n, passwords, options.bfd === true),
    }));
  const seen = new Map<string, string>();
  for (const n of neighbors) {
    const other = seen.get(n.address);
    if (other !== undefined) {
      problems.push({
        router: r.name, path: 'plan.routers.neighbors',
        message: `nodes ${JSON.stringify(other)} and ${JSON.stringify(n.node)} both open a session from ${n.address}; a router has one neighbor per address, so give each node its own address`,
      });
    }
    seen.set(n.address, n.node);
  }

  let range: ResolvedRange | null = null;
  if (neighborMode === 'listen-range') range = resolveRange(plan, r, own.listenRange, neighbors, `${at}.listenRange`, problems);

  const otherRouterShareAs = plan.routers.some((o) => o.name !== r.name && o.asNumber === r.asNumber);
  const uplinks: ResolvedUplink[] = (own.uplinks ?? []).map((u, i) => {
    const p = `${at}.uplinks[${i}]`;
    const addr = parseIp(u.address);
    if (!addr.ok) problems.push({ router: r.name, path: `${p}.address`, message: addr.error });
    else if (addr.value.family !== r.family) problems.push({ router: r.name, path: `${p}.address`, message: `${addr.value.text} is IPv${addr.value.family} but the router's sessions with the nodes are IPv${r.family}; the generated configuration holds one address family` });
    if (!Number.isInteger(u.asNumber) || u.asNumber < 1 || u.asNumber > 4294967295) problems.push({ router: r.name, path: `${p}.asNumber`, message: `${quote(u.asNumber)} is not an AS number (1 to 4294967295)` });
    const multihop = u.multihop ?? 0;
    if (!Number.isInteger(multihop) || multihop < 0 || multihop > 255) problems.push({ router: r.name, path: `${p}.multihop`, message: `${quote(multihop)} is not a TTL from 0 (directly connected) to 255` });
    const allowAsIn = u.allowAsIn ?? (otherRouterShareAs ? 1 : 0);
    if (!Number.isInteger(allowAsIn) || allowAsIn < 0 || allowAsIn > 10) problems.push({ router: r.name, path: `${p}.allowAsIn`, message: `${quote(allowAsIn)} is not a count from 0 to 10 (FRR's allowas-in limit)` });
    return {
      address: addr.ok ? addr.value.text : String(u.address),
      asNumber: u.asNumber,
      description: u.description ?? 'uplink',
      multihop,
      password: u.password ? passwords.placeholder(u.password) : null,
      allowAsIn,
      acceptDefaultRoute: u.acceptDefaultRoute === true,
    };
  }).sort((a, b) => byCodePoint(a.address, b.address));

  const accepts = r.accepts.filter((a) => a.family === r.family).slice().sort((a, b) => byCodePoint(a.cidr, b.cidr) || a.minLength - b.minLength);
  const groups = new Map<string, PlanAcceptedPrefix[]>();
  for (const a of accepts) {
    const key = [...a.communities].sort(byCodePoint).join(' ');
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  const acceptGroups = [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : byCodePoint(a, b)))
    .map(([key, prefixes]) => ({ communities: key === '' ? [] : key.split(' '), prefixes }));

  return {
    name: r.name,
    bgpPeers: [...r.bgpPeers].sort(byCodePoint),
    calicoVersion: plan.calicoVersion,
    family: r.family,
    address: r.address,
    port: r.port,
    asNumber: r.asNumber,
    platform,
    exportPolicy,
    neighborMode,
    neighbors: range ? [] : neighbors,
    range,
    uplinks,
    accepts,
    acceptGroups,
    matchCommunities: options.matchCommunities === true,
    maximumPaths,
    multipathRelax: new Set(neighbors.map((n) => n.asNumber)).size > 1,
    passwords: passwords.all(),
  };
}

function sessionSettings(r: PlanRouter, n: PlanRouterNeighbor, passwords: PasswordNames, bfd: boolean): SessionSettings {
  const internal = n.asNumber === r.asNumber;
  // Node side: `ttl security on; multihop N` (TTL 255 expected from the router, N hops allowed);
  // else Calico's bare `multihop;` on explicit peers (TTL 64). The router answers in kind.
  const hops: HopPolicy = n.ttlSecurityHops !== null
    ? { kind: 'ttl-security', hops: n.ttlSecurityHops }
    : n.multihop && !internal ? { kind: 'multihop', ttl: BIRD_DEFAULT_MULTIHOP_TTL } : { kind: 'direct' };
  const keepalive = n.keepaliveSeconds ?? Math.floor(BIRD_DEFAULT_HOLD_SECONDS / 3);
  return {
    passive: !n.nodePassive,
    hops,
    password: n.password ? passwords.placeholder(n.password) : null,
    keepaliveSeconds: keepalive,
    holdSeconds: Math.max(BIRD_DEFAULT_HOLD_SECONDS, keepalive * 3),
    gracefulRestartSeconds: n.gracefulRestartSeconds ?? BIRD_DEFAULT_RESTART_SECONDS,
    internal,
    bfd,
  };
}

function sameSettings(a: SessionSettings, b: SessionSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function resolveRange(plan: BgpPlan, r: PlanRouter, explicit: string | undefined, neighbors: readonly ResolvedNeighbor[],
  path: string, problems: RouterConfigProblem[]): ResolvedRange | null {
  const before = problems.length;
  if (neighbors.length === 0) {
    problems.push({ router: r.name, path, message: 'listen-range mode needs at least one node session in the plan to take the session settings from; no node peers with this router' });
    return null;
  }
  let cidr: string | null = null;
  if (explicit !== undefined) {
    const c = parseCidr(explicit);
    if (!c.ok) problems.push({ router: r.name, path, message: c.error });
    else if (c.value.family !== r.family) problems.push({ router: r.name, path, message: `${c.value.text} is IPv${c.value.family}; the router's sessions are IPv${r.family}` });
    else {
      cidr = c.value.text;
      for (const n of neighbors) {
        const a = parseIp(n.address);
        if (a.ok && (a.value.value < c.value.start || a.value.value > c.value.end)) {
          problems.push({ router: r.name, path, message: `node ${JSON.stringify(n.node)} peers from ${n.address}, outside ${c.value.text}; widen the range so it covers every node` });
        }
      }
    }
  } else {
    cidr = coveringNetwork(plan, r, neighbors, path, problems);
  }
  const first = neighbors[0].settings;
  for (const n of neighbors.slice(1)) {
    if (!sameSettings(first, n.settings)) {
      problems.push({
        router: r.name, path: 'neighborMode',
        message: `listen-range mode gives every node the same session settings, but node ${JSON.stringify(n.node)} differs from ${JSON.stringify(neighbors[0].node)} (password, TTL security, timers, passive side or AS kind); use neighborMode "per-node" for this router`,
      });
      break;
    }
  }
  if (!first.passive) {
    problems.push({ router: r.name, path: 'neighborMode', message: 'the nodes wait for the router to connect (passive), but a router cannot open sessions to a listen range; use neighborMode "per-node"' });
  }
  const ases = [...new Set(neighbors.map((n) => n.asNumber))];
  let asNumber: number | 'external' = ases[0];
  if (ases.length > 1) {
    if (ases.includes(r.asNumber)) {
      problems.push({ router: r.name, path: 'neighborMode', message: `some nodes share the router's AS ${r.asNumber} and others do not (${ases.join(', ')}); one listen range cannot be both iBGP and eBGP, use neighborMode "per-node"` });
    }
    asNumber = 'external';
  }
  if (problems.length > before || cidr === null) return null;
  return { cidr, asNumber, settings: first, nodes: neighbors.map((n) => n.node).sort(byCodePoint) };
}

/** The smallest network that holds every neighbor node's address network (address with prefix length in the plan). */
function coveringNetwork(plan: BgpPlan, r: PlanRouter, neighbors: readonly ResolvedNeighbor[], path: string, problems: RouterConfigProblem[]): string | null {
  const bits = r.family === 4 ? 32 : 128;
  let start: bigint | null = null;
  let end: bigint | null = null;
  for (const n of neighbors) {
    const node = plan.nodes.find((x) => x.name === n.node);
    const withPrefix = node ? (r.family === 4 ? node.ipv4Address : node.ipv6Address) : null;
    if (!withPrefix || !withPrefix.includes('/')) {
      problems.push({ router: r.name, path, message: `the plan has no IPv${r.family} address with prefix length for node ${JSON.stringify(n.node)}, so the nodes' subnet is unknown; give the inventory addresses like "10.31.0.11/16" or set listenRange` });
      return null;
    }
    const c = parseCidr(withPrefix, { allowHostBits: true });
    if (!c.ok) {
      problems.push({ router: r.name, path, message: `node ${JSON.stringify(n.node)}: ${c.error}` });
      return null;
    }
    start = start === null || c.value.start < start ? c.value.start : start;
    end = end === null || c.value.end > end ? c.value.end : end;
  }
  if (start === null || end === null) return null;
  let len = bits;
  while (len > 0) {
    const host = BigInt(bits - len);
    const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << host) - 1n);
    if ((start & mask) === (end & mask) && (start & mask) + ((1n << host) - 1n) >= end) break;
    len--;
  }
  const hostBits = BigInt(bits - len);
  const net = start & (((1n << BigInt(bits)) - 1n) ^ ((1n << hostBits) - 1n));
  return `${addressText(r.family, net)}/${len}`;
}

function addressText(family: PlanFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((value >> BigInt(i * 16)) & 0xffffn).toString(16));
  const parsed = parseIp(groups.join(':'));
  return parsed.ok ? parsed.value.text : groups.join(':');
}

/** Placeholder names for Secret keys, unique within one file. */
class PasswordNames {
  private readonly byRef = new Map<string, PasswordPlaceholder>();
  private readonly used = new Set<string>();
  placeholder(secret: PlanSecretRef): PasswordPlaceholder {
    const key = `${secret.name}\u0000${secret.key}`;
    const found = this.byRef.get(key);
    if (found) return found;
    const base = `BGP_PASSWORD_${`${secret.name}_${secret.key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
    let variable = base;
    for (let i = 2; this.used.has(variable); i++) variable = `${base}_${i}`;
    this.used.add(variable);
    const p = { variable, secret: { name: secret.name, key: secret.key } };
    this.byRef.set(key, p);
    return p;
  }
  all(): PasswordPlaceholder[] {
    return [...this.byRef.values()].sort((a, b) => byCodePoint(a.variable, b.variable));
  }
}

/** Splits a community as Calico writes it (`aa:nn` standard, `aa:nn:mm` large). */
export function communityParts(c: string): { readonly large: boolean; readonly parts: readonly string[] } {
  const parts = c.split(':');
  return { large: parts.length === 3, parts };
}

/** Header lines shared by both generators (without comment markers). */
export function headerLines(r: ResolvedRouter, platformName: string): string[] {
  const lines = [
    `${platformName} configuration for router ${r.name} (${r.address}, AS ${r.asNumber}), generated by cdk8s-calico`,
    `from the BGP plan of Calico ${r.calicoVersion} (BGPPeer${r.bgpPeers.length === 1 ? '' : 's'} ${r.bgpPeers.join(', ')}). Regenerate it rather than editing it.`,
    `Node sessions: ${r.range ? `listen range ${r.range.cidr} (nodes today: ${r.range.nodes.join(', ')})` : r.neighbors.length === 0 ? 'none (no node peers with this router)' : r.neighbors.map((n) => `${n.node} ${n.address} AS ${n.asNumber}`).join('; ')}.`,
    `Export to the nodes: ${r.exportPolicy}.`,
  ];
  if (r.port !== 179) lines.push(`The nodes connect to port ${r.port}: make the BGP daemon listen there (see below).`);
  if (r.passwords.length > 0) {
    lines.push('PASSWORDS: this file holds placeholders, never a password. Fill each from the Secret named');
    lines.push('below (the same Secret calico-node reads, in namespace calico-system) when installing, e.g.');
    for (const p of r.passwords) {
      lines.push(`  export ${p.variable}="$(kubectl -n calico-system get secret ${p.secret.name} -o jsonpath='{.data.${p.secret.key.replace(/\./g, '\\.')}}' | base64 -d)"`);
    }
    lines.push(`  envsubst '${r.passwords.map((p) => `$${p.variable}`).join(' ')}' < THIS_FILE > INSTALLED_FILE`);
    lines.push('  (naming the variables keeps envsubst off everything else; keep INSTALLED_FILE readable by root and the daemon only)');
    lines.push('Placeholders: ' + r.passwords.map((p) => `${p.variable} = Secret ${p.secret.name} key ${p.secret.key}`).join('; '));
  }
  return lines;
}
