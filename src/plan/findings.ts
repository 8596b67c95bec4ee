/**
 * Findings of the BGP plan: what the computed sessions and prefixes tell about the design, as
 * validation violations (kind and name of the object they are about, a field path, what happens
 * and the fix).
 */
import { CALICO_NODE_NAMESPACE, DEFAULT_LISTEN_PORT } from '../model/calico-defaults';
import { Violation } from '../model/violation';
import { codePoint } from './calico-objects';
import type { Peering, PlanContext } from './compute';
import { PlanFamily, PlanNode, PlanRouter, PlanSession } from './types';

const V3 = 'projectcalico.org/v3';

function list(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n)).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** Every finding of a computed plan. */
export function planFindings(ctx: PlanContext, nodes: readonly PlanNode[], routers: readonly PlanRouter[]): Violation[] {
  const out: Violation[] = [];
  const { inputs } = ctx;
  const peersByName = new Map(inputs.peers.map((p) => [p.name, p]));
  const peerObj = (name: string) => peersByName.get(name);
  const peerViolation = (name: string, path: string, message: string, severity: 'error' | 'warning'): Violation => {
    const p = peerObj(name);
    return { apiVersion: V3, kind: 'BGPPeer', name, path, message, severity, ...(p?.file !== undefined ? { file: p.file } : {}), ...(p?.document !== undefined ? { document: p.document } : {}) };
  };
  const nodeViolation = (name: string, path: string, message: string, severity: 'error' | 'warning'): Violation =>
    ({ apiVersion: 'v1', kind: 'Node', name, path, message, severity });

  // Peering conflicts: two BGPPeers emitting the same peering (calico-node keeps one, in map order).
  const seenConflict = new Set<string>();
  for (const c of ctx.conflicts) {
    const k = `${c.bgpPeer}|${c.other}|${c.ip}|${c.port}`;
    if (seenConflict.has(k)) continue;
    seenConflict.add(k);
    out.push(peerViolation(c.bgpPeer, 'spec', `BGPPeer ${JSON.stringify(c.bgpPeer)} and BGPPeer ${JSON.stringify(c.other)} both make ${c.node === null ? 'every node' : `node ${JSON.stringify(c.node)}`} peer with ${c.ip}${c.port ? ` port ${c.port}` : ''}; calico-node keeps only one of them (whichever it reads first), so the other's settings are lost: merge them into one BGPPeer or make their node selections disjoint`, 'warning'));
  }

  // Node-specific BGPPeers to an address a global BGPPeer already covers: confd drops them.
  const shadowGroups = new Map<string, { dropped: Peering; kept: Peering; nodes: Set<string> }>();
  for (const s of ctx.shadowed) {
    const k = `${s.dropped.bgpPeer}|${s.kept.bgpPeer}|${s.dropped.ip.text}|${s.dropped.port}`;
    const g = shadowGroups.get(k) ?? { dropped: s.dropped, kept: s.kept, nodes: new Set<string>() };
    g.nodes.add(s.node);
    shadowGroups.set(k, g);
  }
  for (const k of [...shadowGroups.keys()].sort(codePoint)) {
    const { dropped, kept, nodes: affected } = shadowGroups.get(k)!;
    const p = peerObj(dropped.bgpPeer);
    const names = [...affected].sort(codePoint);
    const ignored = ignoredSettings(dropped, kept, ctx.version === 'v3.32.1');
    const where = `${dropped.ip.text}${dropped.port ? ` port ${dropped.port}` : ''}`;
    const consequence = ignored.length > 0
      ? `these settings of ${JSON.stringify(dropped.bgpPeer)} are therefore ignored there: ${ignored.join('; ')}`
      : `it sets nothing the global one does not, so it has no effect`;
    out.push(peerViolation(dropped.bgpPeer, p?.peerSelector ? 'spec.peerSelector' : 'spec.peerIP',
      `BGPPeer ${JSON.stringify(dropped.bgpPeer)} makes node${names.length > 1 ? 's' : ''} ${list(names)} peer with ${where}, which global BGPPeer ${JSON.stringify(kept.bgpPeer)} (no node, no nodeSelector) already gives every node; calico-node emits the global peerings first and drops a node-specific peering to the same address and port (confd client.go updatePeersV1), so ${JSON.stringify(kept.bgpPeer)} always wins and ${consequence}: remove one of the two BGPPeers, or give ${JSON.stringify(kept.bgpPeer)} a nodeSelector that leaves out the nodes of ${JSON.stringify(dropped.bgpPeer)}`,
      'warning'));
  }

  if (ctx.nodes.length === 0) {
    out.push({ apiVersion: 'cdk8s-calico', kind: 'NodeInventory', name: '', path: '', severity: 'warning', message: 'the plan has no nodes: give an inventory (Kubernetes or Calico Node objects, or typed entries) to see the sessions and prefixes of each node' });
    return out;
  }

  // Password Secrets calico-node cannot read: confd (client.go getPassword) then configures the
  // session without a password, and a router that expects one refuses it.
  if (inputs.secretKeys.size > 0) {
    const check = (ref: { name: string; key: string }, where: (m: string) => Violation) => {
      const keys = inputs.secretKeys.get(`${CALICO_NODE_NAMESPACE}/${ref.name}`);
      if (!keys) out.push(where(`Secret ${JSON.stringify(ref.name)} is not among the inputs in namespace ${CALICO_NODE_NAMESPACE}, where calico-node reads it; calico-node then opens the session without a password: create the Secret there (or give it to the plan)`));
      else if (!keys.has(ref.key)) out.push(where(`Secret ${JSON.stringify(ref.name)} has no key ${JSON.stringify(ref.key)} (it has ${keys.size === 0 ? 'none' : [...keys].sort(codePoint).map((k) => JSON.stringify(k)).join(', ')}); calico-node then opens the session without a password`));
    };
    for (const p of inputs.peers) if (p.password) check(p.password, (m) => peerViolation(p.name, 'spec.password.secretKeyRef', m, 'error'));
    const mesh = inputs.global.meshPassword;
    if (mesh && inputs.global.meshEnabled) check(mesh, (m) => ({ apiVersion: V3, kind: 'BGPConfiguration', name: 'default', path: 'spec.nodeMeshPassword.secretKeyRef', message: m, severity: 'error' }));
  }

  // Selectors that match no node of the inventory.
  for (const p of inputs.peers) {
    if (p.nodeSelector && ctx.matching(p.nodeSelector).length === 0) {
      out.push(peerViolation(p.name, 'spec.nodeSelector', `nodeSelector ${JSON.stringify(p.nodeSelector.text)} matches no node of the inventory, so no node opens this peering: check the selector against the node labels`, 'warning'));
    }
    if (p.peerSelector && ctx.matching(p.peerSelector).length === 0) {
      out.push(peerViolation(p.name, 'spec.peerSelector', `peerSelector ${JSON.stringify(p.peerSelector.text)} matches no node of the inventory, so this BGPPeer peers with nobody: check the selector against the node labels`, 'warning'));
    }
    if (p.node !== '' && !ctx.nodeByName.has(p.node)) {
      out.push(peerViolation(p.name, 'spec.node', `node ${JSON.stringify(p.node)} is not in the inventory, so no node opens this peering: use the name of a node (${list(ctx.nodes.map((n) => n.name), 3)})`, 'warning'));
    }
    for (const f of p.filters) {
      if (!inputs.filters.has(f) && ctx.version !== 'v3.24.5') {
        out.push(peerViolation(p.name, 'spec.filters', `BGPFilter ${JSON.stringify(f)} does not exist among the inputs; calico-node applies no filter for it (routes pass unfiltered): create the BGPFilter or remove the name`, 'error'));
      }
    }
    if (p.peerIp && p.peerHost !== p.peerIp.text) {
      const owner = ctx.nodes.find((n) => n.ipv4?.ip.text === p.peerIp!.text || n.ipv6?.ip.text === p.peerIp!.text);
      if (owner) {
        out.push(peerViolation(p.name, 'spec.peerIP', `peerIP ${JSON.stringify(p.peerHost)} is the address of node ${JSON.stringify(owner.name)} written differently; calico-node compares addresses as text, so it does not treat the peer as a Calico node (no reverse peering, no listen port): write ${JSON.stringify(p.peerIp.text)}`, 'error'));
      }
    }
    if (p.localWorkloadSelector !== null) {
      out.push(peerViolation(p.name, 'spec.localWorkloadSelector', `local-workload sessions (with the pods matching ${JSON.stringify(p.localWorkloadSelector)} on each node) depend on where the pods run; the plan does not list them`, 'warning'));
    }
  }
  for (const pool of inputs.pools) {
    if (ctx.matching(pool.nodeSelector).length === 0) {
      out.push({ apiVersion: pool.apiVersion, kind: pool.kind, name: pool.name, path: pool.kind === 'Installation' ? 'spec.calicoNetwork.ipPools' : 'spec.nodeSelector', severity: 'warning', message: `the nodeSelector ${JSON.stringify(pool.nodeSelector.text)} of pool ${pool.cidr.text} matches no node of the inventory: no pod gets an address from it` });
    }
  }

  // A node with pods of a family but no BGP session of that family.
  for (const n of nodes) {
    const inv = ctx.nodeByName.get(n.name)!;
    for (const family of [4, 6] as PlanFamily[]) {
      const pools = inputs.pools.filter((p) => p.cidr.family === family && !p.disabled && ctx.matchingNames(p.nodeSelector).has(n.name));
      if (pools.length === 0) continue;
      const addr = family === 4 ? inv.ipv4 : inv.ipv6;
      const routedByFelix = pools.every((p) => p.encapsulation === 'VXLAN');
      const severity = routedByFelix ? 'warning' : 'error';
      const consequence = routedByFelix
        ? `the VXLAN pool${pools.length > 1 ? 's' : ''} still reach${pools.length > 1 ? '' : 'es'} other nodes through the overlay, but no router learns the node's IPv${family} pod routes`
        : `its IPv${family} pods are unreachable from other nodes and routers`;
      if (!addr) {
        out.push(nodeViolation(n.name, `ipv${family}Address`, `node ${JSON.stringify(n.name)} has IPv${family} pods (pool ${list(pools.map((p) => p.cidr.text), 3)}) but no IPv${family} address, so calico-node runs no IPv${family} BGP on it and ${consequence}: give the node an IPv${family} address`, severity));
      } else if (!n.sessions.some((s) => s.family === family)) {
        out.push(nodeViolation(n.name, 'sessions', `node ${JSON.stringify(n.name)} has IPv${family} pods (pool ${list(pools.map((p) => p.cidr.text), 3)}) but no IPv${family} BGP session, so ${consequence}: add an IPv${family} BGPPeer for it (or keep the node-to-node mesh)`, severity));
      }
    }
  }

  // Route reflectors without a cluster ID: iBGP peers of clients that do not reflect.
  for (const p of inputs.peers) {
    if (!p.peerSelector) continue;
    const targets = ctx.matching(p.peerSelector);
    const target = new Set(targets.map((t) => t.name));
    const clients = (p.nodeSelector ? ctx.matching(p.nodeSelector) : p.node !== '' ? ctx.nodes.filter((n) => n.name === p.node) : ctx.nodes)
      .filter((c) => !target.has(c.name));
    if (clients.length === 0) continue;
    const lacking = targets.filter((t) => !t.routeReflectorClusterId && clients.some((c) => ctx.nodeAs(c) === ctx.nodeAs(t))).map((t) => t.name);
    if (lacking.length > 0) {
      out.push(peerViolation(p.name, 'spec.peerSelector', `the nodes ${list(lacking)} selected by peerSelector ${JSON.stringify(p.peerSelector.text)} act as route reflectors for ${clients.length} other node(s) of their AS but have no route-reflector cluster ID, so they do not pass one client's routes to another (iBGP never re-advertises iBGP routes): set routeReflectorClusterID on them (spec.bgp.routeReflectorClusterID or annotation projectcalico.org/RouteReflectorClusterID)`, 'error'));
    }
  }

  // Two BIRD protocols of one node to the same neighbor (e.g. the mesh and a BGPPeer): the sessions collide.
  for (const n of nodes) {
    const seen = new Map<string, PlanSession>();
    for (const s of n.sessions) {
      const k = `${s.family}|${s.peerIp}|${s.port}`;
      const prev = seen.get(k);
      if (!prev) { seen.set(k, s); continue; }
      const what = (x: PlanSession) => (x.bgpPeer === null ? 'the node-to-node mesh' : `BGPPeer ${JSON.stringify(x.bgpPeer)} (${x.kind})`);
      out.push(nodeViolation(n.name, 'sessions', `node ${JSON.stringify(n.name)} gets two sessions to ${s.peerIp}${s.port !== DEFAULT_LISTEN_PORT ? ` port ${s.port}` : ''}: from ${what(prev)} and from ${what(s)}; BIRD runs both and they collide: keep one (disable the mesh for peers you list, or drop the BGPPeer)`, 'warning'));
    }
  }

  // Both sides of every node-to-node session.
  const byEnd = new Map<string, Map<string, PlanSession>>();
  for (const n of nodes) {
    const m = new Map<string, PlanSession>();
    for (const s of n.sessions) if (s.peerNode !== null) m.set(`${s.peerIp}|${s.port}`, s);
    byEnd.set(n.name, m);
  }
  const reported = new Set<string>();
  for (const n of nodes) {
    const ownIps = [n.ipv4Address, n.ipv6Address].map((a) => (a === null ? '' : a.slice(0, a.indexOf('/'))));
    for (const s of n.sessions) {
      if (s.peerNode === null) continue;
      const other = byEnd.get(s.peerNode);
      const ownIp = ownIps[s.family === 4 ? 0 : 1];
      if (!other || ownIp === '') continue;
      const back = other.get(`${ownIp}|${n.listenPort}`);
      if (!back) {
        const src = s.bgpPeer === null ? 'the node-to-node mesh' : `BGPPeer ${JSON.stringify(s.bgpPeer)}`;
        out.push(nodeViolation(n.name, 'sessions', `node ${JSON.stringify(n.name)} opens an IPv${s.family} session to node ${JSON.stringify(s.peerNode)} (${s.peerIp}, from ${src}) but ${JSON.stringify(s.peerNode)} has no session back to ${ownIp}${n.listenPort !== DEFAULT_LISTEN_PORT ? ` port ${n.listenPort}` : ''}, so it never comes up: make the BGPPeer's AS and port match the node (calico-node adds the reverse peering only then) or add a BGPPeer for the other side`, 'error'));
        continue;
      }
      const asMismatch = s.remoteAsNumber !== back.localAsNumber || back.remoteAsNumber !== s.localAsNumber;
      if (!asMismatch && !(s.passive && back.passive)) continue;
      const pair = `${[n.name, s.peerNode].sort(codePoint).join('|')}|${s.family}`;
      if (reported.has(pair)) continue;
      reported.add(pair);
      if (asMismatch) {
        out.push(nodeViolation(n.name, 'sessions', `the IPv${s.family} session between nodes ${JSON.stringify(n.name)} and ${JSON.stringify(s.peerNode)} disagrees on AS numbers: ${JSON.stringify(n.name)} expects AS ${s.remoteAsNumber} and speaks AS ${s.localAsNumber}, ${JSON.stringify(s.peerNode)} expects AS ${back.remoteAsNumber} and speaks AS ${back.localAsNumber}; BIRD refuses the OPEN message: give the BGPPeer the peer node's AS number`, 'error'));
      } else {
        out.push(nodeViolation(n.name, 'sessions', `the IPv${s.family} session between nodes ${JSON.stringify(n.name)} and ${JSON.stringify(s.peerNode)} is passive on both sides, so neither connects`, 'error'));
      }
    }
  }

  // One router address given different AS numbers by different BGPPeers: some sessions cannot come up.
  const routerAs = new Map<string, Map<number, Set<string>>>();
  for (const n of nodes) {
    for (const s of n.sessions) {
      if (s.peerNode !== null || s.bgpPeer === null) continue;
      const k = `${s.peerIp}|${s.port}`;
      const m = routerAs.get(k) ?? new Map<number, Set<string>>();
      const set = m.get(s.remoteAsNumber) ?? new Set<string>();
      set.add(s.bgpPeer);
      m.set(s.remoteAsNumber, set);
      routerAs.set(k, m);
    }
  }
  for (const [k, m] of [...routerAs.entries()].sort((a, b) => codePoint(a[0], b[0]))) {
    if (m.size < 2) continue;
    const [ip, port] = k.split('|');
    const parts = [...m.entries()].sort((a, b) => a[0] - b[0]).map(([as, peers]) => `AS ${as} (${list([...peers].sort(codePoint), 3)})`);
    const first = [...[...m.values()][0]].sort(codePoint)[0];
    out.push(peerViolation(first, 'spec.asNumber', `router ${ip}${port !== String(DEFAULT_LISTEN_PORT) ? ` port ${port}` : ''} is given different AS numbers: ${parts.join(', ')}; a router has one AS, so the sessions that expect another one fail: give every BGPPeer of this router the same asNumber`, 'error'));
  }

  // Routers receiving sessions from nodes of more than one rack.
  for (const r of routers) {
    const racks = new Map<string, number>();
    for (const nb of r.neighbors) if (nb.rack !== null) racks.set(nb.rack, (racks.get(nb.rack) ?? 0) + 1);
    if (racks.size > 1) {
      const names = [...racks.keys()].sort(codePoint);
      out.push(peerViolation(r.name, 'spec', `router ${r.address} (BGPPeer ${list(r.bgpPeers, 3)}) gets sessions from nodes of ${racks.size} racks (${ctx.rackLabel}=${names.map((k) => `${k}: ${racks.get(k)} node(s)`).join(', ')}); a top-of-rack router should serve its own rack: restrict the BGPPeer with nodeSelector: ${ctx.rackLabel} == "<rack>"`, 'warning'));
    }
  }

  // Nodes of one AS in several racks, peering eBGP: each drops the others' routes (AS-path loop check).
  if (!ctx.routersSendDefaultRoute) {
    const racksByAs = new Map<number, Map<string, string[]>>();
    for (const n of nodes) {
      const rack = n.labels[ctx.rackLabel];
      if (rack === undefined) continue;
      const ebgp = n.sessions.filter((s) => s.peerNode === null && s.remoteAsNumber !== s.localAsNumber);
      if (ebgp.length === 0 || ebgp.every((s) => s.numAllowedLocalAsNumbers !== null)) continue;
      for (const as of new Set(ebgp.filter((s) => s.numAllowedLocalAsNumbers === null).map((s) => s.localAsNumber))) {
        const m = racksByAs.get(as) ?? new Map<string, string[]>();
        const l = m.get(rack) ?? [];
        l.push(n.name);
        m.set(rack, l);
        racksByAs.set(as, m);
      }
    }
    // Nodes joined by iBGP sessions (mesh, reflectors) learn each other's routes without the AS
    // path check, so racks linked that way do not lose routes: union-find over those sessions.
    const parent = new Map<string, string>();
    const find = (x: string): string => {
      let r = x;
      for (let p = parent.get(r); p !== undefined && p !== r; p = parent.get(r)) r = p;
      // Path compression: every node on the way points at the root.
      for (let y = x, p = parent.get(y); p !== undefined && p !== r; y = p, p = parent.get(y)) parent.set(y, r);
      return r;
    };
    for (const n of nodes) {
      for (const s of n.sessions) {
        if (s.peerNode !== null && s.remoteAsNumber === s.localAsNumber) {
          const a = find(n.name);
          const b = find(s.peerNode);
          if (a !== b) parent.set(a, b);
        }
      }
    }
    for (const [as, racks] of [...racksByAs.entries()].sort((a, b) => a[0] - b[0])) {
      if (racks.size < 2) continue;
      const components = new Set([...racks.values()].flat().map(find));
      if (components.size === 1) continue;
      const names = [...racks.keys()].sort(codePoint);
      const first = racks.get(names[0])![0];
      out.push(nodeViolation(first, 'asNumber', `nodes in ${racks.size} racks (${ctx.rackLabel}=${names.join(', ')}) share AS ${as} and peer eBGP with their routers, so each rack's pod routes arrive at the other racks with AS ${as} in the AS path and BIRD drops them (loop prevention): give each rack its own AS, set numAllowedLocalASNumbers: 1 on the BGPPeers, or have the routers send a default route`, 'warning'));
    }
  }
  return out;
}

/**
 * The settings of a dropped peering that differ from the peering used instead, named by their
 * BGPPeer fields, with the dropped value and the one used (`asNumber 65001 (used: 65000)`).
 */
function ignoredSettings(dropped: Peering, kept: Peering, keepalive: boolean): string[] {
  const secret = (r: Peering['password']) => (r ? `Secret ${r.name}/${r.key}` : 'none');
  const text = (v: string | number | boolean | null | readonly string[]): string =>
    v === null ? 'unset' : Array.isArray(v) ? (v.length === 0 ? 'none' : v.join(',')) : String(v);
  const fields: [string, string, string][] = [
    ['asNumber', text(dropped.asNumber), text(kept.asNumber)],
    ['password', secret(dropped.password), secret(kept.password)],
    ['keepOriginalNextHop', text(dropped.keepNextHop), text(kept.keepNextHop)],
    ['filters', text(dropped.filters), text(kept.filters)],
    ['sourceAddress', text(dropped.sourceAddress), text(kept.sourceAddress)],
    ['maxRestartTime', text(dropped.restartSeconds === null ? null : `${dropped.restartSeconds}s`), text(kept.restartSeconds === null ? null : `${kept.restartSeconds}s`)],
    ['ttlSecurity', text(dropped.ttlSecurity), text(kept.ttlSecurity)],
    ['reachableBy', text(dropped.reachableBy), text(kept.reachableBy)],
    ['localASNumber', text(dropped.localAsNumber), text(kept.localAsNumber)],
    ['numAllowedLocalASNumbers', text(dropped.numAllowLocalAs), text(kept.numAllowLocalAs)],
    ['nextHopMode', text(dropped.nextHopMode), text(kept.nextHopMode)],
  ];
  if (keepalive) {
    fields.push(['keepaliveTime', text(dropped.keepaliveSeconds === null ? null : `${dropped.keepaliveSeconds}s`), text(kept.keepaliveSeconds === null ? null : `${kept.keepaliveSeconds}s`)]);
  }
  return fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${a} (used: ${b})`);
}
