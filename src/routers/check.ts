/**
 * Checks a router's existing configuration (FRR `frr.conf` / `show running-config`, or BIRD 2
 * `bird.conf`) against the plan before anything is deployed: the mismatches that keep a session out
 * of Established (router AS, a node's AS, a password on one side only, TTL security on one side
 * only, both sides passive, a node the router does not know).
 *
 * The parsers read the statements that decide whether a session comes up; they are not full
 * grammars of FRR or BIRD (unknown statements are skipped).
 */
import { parseCidr, parseIp } from '../model/net';
import { Violation } from '../model/violation';
import { BgpPlan, PlanRouter } from '../plan/types';

/** A router configuration to check. */
export interface RouterConfigCheckInput {
  /** Configuration text. */
  readonly content: string;
  /** Platform; detected from the text when unset (`router bgp` is FRR, `protocol bgp` BIRD). */
  readonly platform?: 'frr' | 'bird2';
  /**
   * Plan router it configures (its name).
   * @default the plan router whose address is the configuration's router id, local address or update source
   */
  readonly router?: string;
  /** File it came from, for the violations. */
  readonly file?: string;
}

/** What a configuration says about one BGP neighbor (or a dynamic range). */
interface ConfiguredPeer {
  /** Address, or CIDR for a listen range. */
  readonly match: string;
  readonly range: boolean;
  remoteAs: number | 'internal' | 'external' | null;
  password: string | null;
  passive: boolean;
  ttlSecurity: number | null;
  shutdown: boolean;
  /** Where it is written (for the violation path). */
  readonly where: string;
}

interface ConfiguredRouter {
  localAs: number | null;
  addresses: Set<string>;
  peers: ConfiguredPeer[];
}

const KIND = 'RouterConfig';
const API = 'cdk8s-calico.io/router';

/** Mismatches between a router configuration and the plan, as violations (errors keep a session down). */
export function checkRouterConfig(plan: BgpPlan, input: RouterConfigCheckInput): Violation[] {
  const platform = input.platform ?? (/^\s*router bgp\s/m.test(input.content) ? 'frr' : /\bprotocol\s+bgp\b/.test(input.content) ? 'bird2' : null);
  const out: Violation[] = [];
  const v = (name: string, path: string, message: string, severity: 'error' | 'warning' = 'error') =>
    out.push({ ...(input.file !== undefined ? { file: input.file } : {}), apiVersion: API, kind: KIND, name, path, message, severity });
  if (platform === null) {
    v(input.router ?? '', '', 'neither an FRR configuration (no "router bgp" line) nor a BIRD 2 one (no "protocol bgp" block); give --format or check the file');
    return out;
  }
  const cfg = platform === 'frr' ? parseFrr(input.content) : parseBird(input.content);
  let router: PlanRouter | undefined;
  if (input.router !== undefined) {
    router = plan.routers.find((r) => r.name === input.router);
    if (!router) {
      v(input.router, '', `the plan has no router ${JSON.stringify(input.router)}; its routers are ${plan.routers.map((r) => JSON.stringify(r.name)).join(', ') || 'none'}`);
      return out;
    }
  } else {
    router = plan.routers.find((r) => cfg.addresses.has(r.address));
    if (!router) {
      v('', '', `cannot tell which router this configuration is for: none of its addresses (${[...cfg.addresses].sort().join(', ') || 'no router id, local address or update source'}) is a router of the plan (${plan.routers.map((r) => `${r.name} ${r.address}`).join(', ') || 'none'}); name the router`);
      return out;
    }
  }
  const r = router;
  const peersOf = `BGPPeer${r.bgpPeers.length === 1 ? '' : 's'} ${r.bgpPeers.join(', ')}`;
  if (cfg.localAs === null) {
    v(r.name, platform === 'frr' ? 'router bgp' : 'local as', `no local AS found; ${peersOf} expect${r.bgpPeers.length === 1 ? 's' : ''} AS ${r.asNumber}`);
  } else if (cfg.localAs !== r.asNumber) {
    v(r.name, platform === 'frr' ? 'router bgp' : 'local as',
      `the router's AS is ${cfg.localAs} but ${peersOf} say${r.bgpPeers.length === 1 ? 's' : ''} asNumber ${r.asNumber}: the nodes expect AS ${r.asNumber} and close every session ` +
      `(BGP NOTIFICATION "bad peer AS"); fix the router or the BGPPeer's spec.asNumber`);
  }
  for (const n of [...r.neighbors].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))) {
    const p = findPeer(cfg, n.address);
    const who = `node ${n.node} (${n.address})`;
    if (!p) {
      v(r.name, `neighbor ${n.address}`, `${who} opens a session to this router (${peersOf}) but the configuration has no neighbor or listen range for ${n.address}`);
      continue;
    }
    const path = p.where;
    if (p.remoteAs === null) {
      v(r.name, `${path} remote-as`, `${who}: no remote AS for this neighbor; the node's AS is ${n.asNumber}`);
    } else if (typeof p.remoteAs === 'number' ? p.remoteAs !== n.asNumber : (p.remoteAs === 'internal') !== (n.asNumber === (cfg.localAs ?? r.asNumber))) {
      v(r.name, `${path} remote-as`, `${who} speaks from AS ${n.asNumber} but the router expects ${typeof p.remoteAs === 'number' ? `AS ${p.remoteAs}` : `an ${p.remoteAs} peer`}; the router refuses the session`);
    }
    if (n.password !== null && p.password === null) {
      v(r.name, `${path} password`, `${who} signs its session (TCP MD5) with the password in Secret ${n.password.name} key ${n.password.key}, but the router has no password for it: a password on one side only keeps the session down`);
    } else if (n.password === null && p.password !== null) {
      v(r.name, `${path} password`, `the router has a password for ${who} but the node's BGPPeer sets none: a password on one side only keeps the session down; set spec.password on the BGPPeer or remove it from the router`);
    } else if (p.password !== null && /\$\{BGP_PASSWORD_[A-Z0-9_]+\}/.test(p.password)) {
      v(r.name, `${path} password`, `${who}: the password is still the placeholder ${p.password}; fill it from the Secret (see the file's header) before installing, or the session stays down`, 'warning');
    }
    if (n.nodePassive && p.passive) v(r.name, `${path} passive`, `${who} waits for the router to connect (passive) and so does the router: nobody opens the session`);
    if (n.ttlSecurityHops !== null && p.ttlSecurity === null) {
      v(r.name, `${path} ttl-security`, `${who} uses TTL security (${n.ttlSecurityHops} hop${n.ttlSecurityHops === 1 ? '' : 's'}: it drops packets with a TTL below ${256 - n.ttlSecurityHops}) but the router does not send TTL 255; set ttl-security hops ${n.ttlSecurityHops}`);
    } else if (n.ttlSecurityHops === null && p.ttlSecurity !== null) {
      v(r.name, `${path} ttl-security`, `the router uses TTL security for ${who} but the node sends TTL 64 (Calico's multihop) and does not use it; remove it or set ttlSecurity on the BGPPeer`);
    }
    if (p.shutdown) v(r.name, path, `the neighbor for ${who} is shut down`, 'warning');
  }
  return out;
}

function findPeer(cfg: ConfiguredRouter, address: string): ConfiguredPeer | undefined {
  const exact = cfg.peers.find((p) => !p.range && p.match === address);
  if (exact) return exact;
  const ip = parseIp(address);
  if (!ip.ok) return undefined;
  return cfg.peers.find((p) => {
    if (!p.range) return false;
    const c = parseCidr(p.match, { allowHostBits: true });
    return c.ok && c.value.family === ip.value.family && ip.value.value >= c.value.start && ip.value.value <= c.value.end;
  });
}

function parseAs(text: string | undefined): number | 'internal' | 'external' | null {
  if (text === undefined) return null;
  if (text === 'internal' || text === 'external') return text;
  if (/^\d+$/.test(text)) return Number(text);
  const dotted = /^(\d+)\.(\d+)$/.exec(text);
  return dotted ? Number(dotted[1]) * 65536 + Number(dotted[2]) : null;
}

/** FRR: `router bgp` blocks (not VRF ones), neighbors, peer groups and listen ranges. */
function parseFrr(text: string): ConfiguredRouter {
  const cfg: ConfiguredRouter = { localAs: null, addresses: new Set(), peers: [] };
  type Attrs = { remoteAs?: ConfiguredPeer['remoteAs']; password?: string; passive?: boolean; ttlSecurity?: number; shutdown?: boolean; group?: string };
  const attrs = new Map<string, Attrs>();
  const groups = new Set<string>();
  const ranges: { cidr: string; group: string }[] = [];
  let inBgp = false;
  const get = (k: string) => attrs.get(k) ?? (attrs.set(k, {}), attrs.get(k)!);
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const t = line.trim();
    if (t === '' || t.startsWith('!')) continue;
    const w = t.split(/\s+/);
    if (w[0] === 'router' && w[1] === 'bgp') {
      inBgp = !w.includes('vrf');
      if (inBgp) cfg.localAs = typeof parseAs(w[2]) === 'number' ? (parseAs(w[2]) as number) : null;
      continue;
    }
    // A top-level command ends the router bgp block (its sub-commands are indented in FRR's
    // own output, but hand-written files may not indent them, so name the top-level ones).
    if (!/^\s/.test(line) && /^(exit|end|route-map|ip|ipv6|interface|line|log|hostname|frr|password|debug|access-list|vrf|agentx|bgp (community-list|large-community-list|extcommunity-list|as-path))\b/.test(t)) {
      inBgp = false;
      continue;
    }
    if (!inBgp) continue;
    if (w[0] === 'bgp' && w[1] === 'router-id' && w[2]) cfg.addresses.add(w[2]);
    if (w[0] === 'bgp' && w[1] === 'listen' && w[2] === 'range' && w[3] && w[4] === 'peer-group' && w[5]) ranges.push({ cidr: w[3], group: w[5] });
    if (w[0] !== 'neighbor' || !w[1]) continue;
    const name = w[1];
    const a = get(name);
    switch (w[2]) {
      case 'peer-group':
        if (w[3]) a.group = w[3];
        else groups.add(name);
        break;
      case 'remote-as': a.remoteAs = parseAs(w[3]); break;
      case 'password': a.password = w.slice(3).join(' '); break;
      case 'passive': a.passive = true; break;
      case 'ttl-security': a.ttlSecurity = Number(w[4]); break;
      case 'shutdown': a.shutdown = true; break;
      case 'update-source': if (w[3] && parseIp(w[3]).ok) cfg.addresses.add(w[3]); break;
      default: break;
    }
  }
  const effective = (name: string): Attrs => {
    const own = attrs.get(name) ?? {};
    const group = own.group !== undefined ? attrs.get(own.group) ?? {} : {};
    return { ...group, ...Object.fromEntries(Object.entries(own).filter(([, val]) => val !== undefined)) };
  };
  const toPeer = (match: string, range: boolean, a: Attrs, where: string): ConfiguredPeer => ({
    match, range, remoteAs: a.remoteAs ?? null, password: a.password ?? null, passive: a.passive === true,
    ttlSecurity: a.ttlSecurity ?? null, shutdown: a.shutdown === true, where,
  });
  for (const name of attrs.keys()) {
    if (groups.has(name) || !parseIp(name).ok) continue;
    cfg.peers.push(toPeer(name, false, effective(name), `neighbor ${name}`));
  }
  for (const rg of ranges) cfg.peers.push(toPeer(rg.cidr, true, attrs.get(rg.group) ?? {}, `bgp listen range ${rg.cidr} peer-group ${rg.group}`));
  return cfg;
}

/** BIRD 2: `protocol bgp` and `template bgp` blocks, their top-level statements, templates inherited. */
function parseBird(text: string): ConfiguredRouter {
  const cfg: ConfiguredRouter = { localAs: null, addresses: new Set(), peers: [] };
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/#[^\n]*/g, ' ');
  const routerId = /(?:^|[;\s])router\s+id\s+([0-9.]+)\s*;/.exec(src);
  if (routerId) cfg.addresses.add(routerId[1]);
  type Attrs = { local?: string; localAs?: number | null; neighbor?: string; range?: boolean; remoteAs?: ConfiguredPeer['remoteAs']; password?: string; passive?: boolean; ttlSecurity?: boolean; multihop?: number; disabled?: boolean };
  const templates = new Map<string, Attrs>();
  const protocols: { name: string; attrs: Attrs }[] = [];
  const re = /\b(protocol|template)\s+bgp\s*([A-Za-z_][\w]*)?\s*(?:from\s+([A-Za-z_][\w]*))?\s*\{/g;
  let m: RegExpExecArray | null;
  let anon = 0;
  while ((m = re.exec(src))) {
    let depth = 1;
    let i = re.lastIndex;
    const top: string[] = [];
    let cur = '';
    let quoted = false;
    for (; i < src.length && depth > 0; i++) {
      const ch = src[i];
      if (ch === '"') quoted = !quoted;
      if (quoted || ch === '"') {
        if (depth === 1) cur += ch;
        continue;
      }
      if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 1) cur = '';
        continue;
      }
      if (depth === 1) {
        if (ch === ';') {
          top.push(cur.trim());
          cur = '';
        } else cur += ch;
      }
    }
    re.lastIndex = i;
    const parent = m[3] ? templates.get(m[3]) ?? {} : {};
    const a: Attrs = { ...parent };
    for (const st of top) {
      const w = st.split(/\s+/).filter(Boolean);
      if (w.length === 0) continue;
      if (w[0] === 'local') {
        for (let k = 1; k < w.length; k++) {
          if (w[k] === 'as') { a.localAs = typeof parseAs(w[k + 1]) === 'number' ? (parseAs(w[k + 1]) as number) : null; k++; } else if (w[k] === 'port') k++;
          else if (parseIp(w[k]).ok) a.local = w[k];
        }
      } else if (w[0] === 'neighbor') {
        let k = 1;
        if (w[k] === 'range') { a.range = true; a.neighbor = w[k + 1]; k += 2; } else if (w[k] && (parseIp(w[k]).ok)) { a.range = false; a.neighbor = w[k]; k++; }
        for (; k < w.length; k++) {
          if (w[k] === 'port') k++;
          else if (w[k] === 'as') { a.remoteAs = parseAs(w[k + 1]); k++; } else if (w[k] === 'internal' || w[k] === 'external') a.remoteAs = w[k] as 'internal' | 'external';
        }
      } else if (w[0] === 'password') {
        a.password = st.slice(st.indexOf('password') + 8).trim().replace(/^"|"$/g, '');
      } else if (w[0] === 'passive') {
        a.passive = w[1] === undefined || ['on', 'yes'].includes(w[1]);
      } else if (w[0] === 'ttl' && w[1] === 'security') {
        a.ttlSecurity = w[2] === undefined || ['on', 'yes'].includes(w[2]);
      } else if (w[0] === 'multihop') {
        a.multihop = w[1] !== undefined ? Number(w[1]) : 64;
      } else if (w[0] === 'disabled') {
        a.disabled = w[1] === undefined || ['on', 'yes'].includes(w[1]);
      }
    }
    if (m[1] === 'template') templates.set(m[2] ?? '', a);
    else protocols.push({ name: m[2] ?? `bgp${++anon}`, attrs: a });
  }
  for (const { name, attrs: a } of protocols) {
    if (a.localAs !== undefined && a.localAs !== null && cfg.localAs === null) cfg.localAs = a.localAs;
    if (a.local) cfg.addresses.add(a.local);
    if (!a.neighbor) continue;
    cfg.peers.push({
      match: a.neighbor, range: a.range === true, remoteAs: a.remoteAs ?? null, password: a.password ?? null,
      passive: a.passive === true || a.range === true, ttlSecurity: a.ttlSecurity ? (a.multihop ?? 1) : null,
      shutdown: a.disabled === true, where: `protocol bgp ${name}`,
    });
  }
  return cfg;
}

