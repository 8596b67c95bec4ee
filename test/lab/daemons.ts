/**
 * Reading state from the lab's daemons (test code): BGP session states and routes with their next
 * hops and communities, from `birdc show protocols` / `show route all` (BIRD 1.6 and 2) and
 * `vtysh -c 'show bgp ... json'` (FRR).
 */
import { Lab } from './lab';

/** One path of a route as a daemon holds it. */
export interface RoutePath {
  /** Protocol (BIRD) or peer address (FRR) the path came from. */
  readonly from: string;
  readonly nextHop: string;
  /** Standard communities as `a:b`. */
  readonly communities: readonly string[];
  /** Large communities as `a:b:c`. */
  readonly largeCommunities: readonly string[];
  readonly asPath: string;
}

/** Session state per BIRD protocol name (`Established`, `Active`, `Connect`...). */
export function birdSessions(lab: Lab, host: string, bird16 = false): Map<string, string> {
  const text = lab.birdc(host, 'show protocols', bird16);
  const states = new Map<string, string>();
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 4 || cols[1] !== 'BGP') continue;
    const info = ['Established', 'Active', 'Connect', 'Idle', 'OpenSent', 'OpenConfirm', 'Passive'].find((s) => cols.includes(s));
    states.set(cols[0], info ?? (cols[3] === 'down' ? 'Down' : cols.slice(4).join(' ')));
  }
  return states;
}

/** Routes (prefix -> paths) from `birdc show route all` (BIRD 1.6 and 2 formats). */
export function birdRoutes(lab: Lab, host: string, bird16 = false): Map<string, RoutePath[]> {
  const text = lab.birdc(host, 'show route all', bird16);
  const routes = new Map<string, RoutePath[]>();
  let prefix: string | null = null;
  let cur: { from: string; nextHop: string; communities: string[]; largeCommunities: string[]; asPath: string } | null = null;
  const flush = () => {
    if (prefix && cur) routes.set(prefix, [...(routes.get(prefix) ?? []), cur]);
    cur = null;
  };
  for (const raw of text.split('\n')) {
    if (raw.startsWith('BIRD ') || raw.startsWith('Table ') || raw.trim() === '' || raw.startsWith('0001') || raw.startsWith('1007')) continue;
    const header = /^(\S+)?\s+.*?\[(\S+)/.exec(raw);
    const isAttr = /^\s+(BGP\.|Type:|via |dev |unreachable|blackhole)/.test(raw) || raw.startsWith('\t');
    if (!isAttr && header) {
      flush();
      if (header[1] && /[0-9a-f:.]+\/\d+/.test(header[1])) prefix = header[1];
      const via = /via (\S+)/.exec(raw);
      cur = { from: header[2], nextHop: via ? via[1] : '', communities: [], largeCommunities: [], asPath: '' };
      continue;
    }
    if (!cur) continue;
    const line = raw.trim();
    const c = cur as { from: string; nextHop: string; communities: string[]; largeCommunities: string[]; asPath: string };
    let m: RegExpExecArray | null;
    if ((m = /^BGP\.next_hop: (\S+)/.exec(line))) c.nextHop = m[1];
    else if ((m = /^BGP\.as_path: ?(.*)$/.exec(line))) c.asPath = m[1].trim();
    else if ((m = /^BGP\.large_community: (.*)$/.exec(line))) {
      for (const g of m[1].matchAll(/\((\d+),\s*(\d+),\s*(\d+)\)/g)) c.largeCommunities.push(`${g[1]}:${g[2]}:${g[3]}`);
    } else if ((m = /^BGP\.community: (.*)$/.exec(line))) {
      for (const g of m[1].matchAll(/\((\d+),\s*(\d+)\)/g)) c.communities.push(`${g[1]}:${g[2]}`);
    }
  }
  flush();
  return routes;
}

/** Neighbor address -> state from FRR's `show bgp <afi> unicast summary json`. */
export function frrSessions(lab: Lab, host: string, afi: 'ipv4' | 'ipv6' = 'ipv4'): Map<string, string> {
  const json = JSON.parse(lab.vtysh(host, `show bgp ${afi} unicast summary json`)) as { peers?: Record<string, { state: string }> };
  return new Map(Object.entries(json.peers ?? {}).map(([addr, p]) => [addr, p.state]));
}

interface FrrPathJson {
  readonly nexthops?: readonly { readonly ip?: string }[];
  readonly community?: { readonly string?: string };
  readonly largeCommunity?: { readonly string?: string };
  readonly aspath?: { readonly string?: string };
  readonly peer?: { readonly peerId?: string };
}

/** Prefixes FRR holds (`show bgp <afi> unicast json`). */
export function frrPrefixes(lab: Lab, host: string, afi: 'ipv4' | 'ipv6' = 'ipv4'): string[] {
  const json = JSON.parse(lab.vtysh(host, `show bgp ${afi} unicast json`)) as { routes?: Record<string, unknown> };
  return Object.keys(json.routes ?? {}).sort();
}

/** Paths of one prefix in FRR (`show bgp <afi> unicast <prefix> json`). */
export function frrRoute(lab: Lab, host: string, prefix: string, afi: 'ipv4' | 'ipv6' = 'ipv4'): RoutePath[] {
  const json = JSON.parse(lab.vtysh(host, `show bgp ${afi} unicast ${prefix} json`)) as { paths?: readonly FrrPathJson[] };
  return (json.paths ?? []).map((p) => ({
    from: p.peer?.peerId ?? '',
    nextHop: p.nexthops?.[0]?.ip ?? '',
    communities: (p.community?.string ?? '').split(' ').filter(Boolean).sort(),
    largeCommunities: (p.largeCommunity?.string ?? '').split(' ').filter(Boolean).sort(),
    asPath: p.aspath?.string ?? '',
  }));
}

/** Routes (prefix -> paths) of FRR for every prefix it holds. */
export function frrRoutes(lab: Lab, host: string, afi: 'ipv4' | 'ipv6' = 'ipv4'): Map<string, RoutePath[]> {
  return new Map(frrPrefixes(lab, host, afi).map((p) => [p, frrRoute(lab, host, p, afi)]));
}
