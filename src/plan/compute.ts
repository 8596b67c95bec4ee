import { sourcedObjects } from '../model/manifest';
/**
 * The BGP plan: every node's BGP sessions and advertised prefixes, computed from plain objects the
 * way calico-node computes its BIRD configuration. Two stages, as in calico-node:
 *
 * 1. confd's client (confd/pkg/backends/calico/client.go `updatePeersV1`) turns the v3 BGPPeers
 *    into v1 peerings: a global pass (BGPPeers with neither node nor nodeSelector), a node-specific
 *    pass (a node-specific peering to an address and port that a global peering already has is
 *    dropped; the first peering emitted for a key wins), then a reverse pass that adds the missing
 *    other side of every peering between Calico nodes (peerSelector, or a peerIP that is a Calico
 *    node with the BGPPeer's AS). Peers selected by peerSelector are the selected nodes' addresses
 *    (`nodeAsBGPPeers`), with that node's listen port and AS.
 * 2. The templates (confd/etc/calico/confd/templates/bird.cfg.template, bird6.cfg.template) turn
 *    the peerings of one node into BIRD protocols: the node-to-node mesh (skipped on a route
 *    reflector, skips route reflectors and the node itself), the global peers, the node's own
 *    peers; "skip ourselves" compares the peer address with the node's address as strings; a
 *    mesh peering, and a global peering to a Calico node, is passive on the side whose address is
 *    the smaller string (`gt $onode_ip $node_ip` in Go templates compares strings); `rr client`
 *    when the peer has the node's AS and the node has a cluster ID the peer does not share;
 *    `next hop keep` for keepOriginalNextHop only when the AS numbers differ (eBGP).
 *
 * What a node advertises comes from bird_ipam.cfg.template / bird_aggr.cfg.template (its blocks of
 * the pools that are not disableBGPExport, and the addresses it borrows), the service ranges of
 * BGPConfiguration `default` (client.go updateGlobalRoutes, unless the node has the label
 * node.kubernetes.io/exclude-from-external-load-balancers=true), single service addresses of
 * externalTrafficPolicy Local services from nodes with endpoints (confd routes.go), and the
 * communities of `apply_communities()` (bird.cfg.template: the node's `node.<name>`
 * prefixAdvertisements when that BGPConfiguration sets them, else the global ones; every entry whose
 * CIDR contains the prefix adds its communities).
 *
 * Release differences (v3.24.5, v3.31.7, v3.32.1) follow the fields each release's BGPPeer CRD has
 * (vendor/calico/<tag>/crds): v3.24.5 has no ttlSecurity, reachableBy, filters, localASNumber,
 * nextHopMode, reversePeering, localWorkloadSelector; v3.31.7 has them all but keepaliveTime.
 */
import { Cidr, IpAddress, IpFamily, parseCidr } from '../model/net';
import { evaluateSelector } from '../model/selector';
import { DEFAULT_LISTEN_PORT } from '../model/calico-defaults';
import { ManifestObject, SourcedObject, Violation } from '../model/violation';
import { CalicoVersion } from '../releases/releases';
import { BgpPeerSpec, codePoint, PlanInputs, PoolSpec, readPlanInputs, Selector } from './calico-objects';
import { InventoryNode, NodeInventoryEntry, readInventory } from './inventory';
import {
  AdvertisementSource, BgpPlan, NextHopHandling, PlanAcceptedPrefix, PlanAdvertisement, PlanFamily, PlanNode,
  PlanRouter, PlanRouterNeighbor, PlanSession, SessionKind,
} from './types';
import { planFindings } from './findings';

/** Options of {@link computePlan}. */
export interface PlanOptions {
  /** The Calico release whose calico-node behaviour the plan follows. */
  readonly calicoVersion: CalicoVersion;
  /**
   * Inventory entries (typed); they are merged with the Kubernetes and Calico Node objects among
   * the input objects, and win over them field by field.
   * @default only the Node objects of the input
   */
  readonly nodes?: readonly NodeInventoryEntry[];
  /**
   * Label key whose value names a node's rack (for the rack findings and the routers' view).
   * @default 'rack'
   */
  readonly rackLabel?: string;
  /**
   * The routers send the nodes a default route, so nodes that drop each other's routes (the same
   * AS in several racks) still reach each other through the fabric: the AS-reuse finding is then
   * not reported ("downward default" model of Calico's "Calico over IP fabrics").
   * @default false
   */
  readonly routersSendDefaultRoute?: boolean;
}

/** A v1 peering (confd client.go `bgpPeer`): one neighbor of one node (or of every node, for global peerings). */
export interface Peering extends Pick<BgpPeerSpec,
  'password' | 'sourceAddress' | 'restartSeconds' | 'ttlSecurity' | 'reachableBy' | 'localAsNumber' | 'filters' | 'keepaliveSeconds' | 'nextHopMode'> {
  readonly ip: IpAddress;
  /** Port, 0 when unset (BIRD then connects to 179). */
  readonly port: number;
  readonly asNumber: number;
  readonly rrClusterId: string;
  readonly keepNextHop: boolean;
  /** Whether the address is a Calico node's (explicit peerIP only, as in client.go). */
  readonly calicoNode: boolean;
  readonly numAllowLocalAs: number;
  readonly bgpPeer: string;
  /** Node the address belongs to, when it is a Calico node's. */
  readonly peerNode: string | null;
  /** Whether it came from the reverse pass. */
  readonly reverse: boolean;
}

/** What the plan works on, shared with the findings. */
export interface PlanContext {
  readonly version: CalicoVersion;
  readonly inputs: PlanInputs;
  readonly nodes: readonly InventoryNode[];
  readonly nodeByName: ReadonlyMap<string, InventoryNode>;
  readonly rackLabel: string;
  readonly routersSendDefaultRoute: boolean;
  /** Nodes matching a selector text (cached). */
  matching(sel: Selector): readonly InventoryNode[];
  /** Names of the nodes matching a selector (cached). */
  matchingNames(sel: Selector): ReadonlySet<string>;
  /** Confirmed block affinities per node. */
  readonly affinitiesByNode: ReadonlyMap<string, readonly { cidr: Cidr }[]>;
  nodeAs(n: InventoryNode): number;
  listenPort(n: InventoryNode): number;
  /** Peering conflicts found while emitting (same key, different value). */
  readonly conflicts: { bgpPeer: string; other: string; node: string | null; ip: string; port: number }[];
}


const KIND_ORDER: Record<SessionKind, number> = { mesh: 0, global: 1, node: 2, 'local-workload': 3 };

/**
 * Computes the BGP plan of a set of objects: BGPConfiguration `default` and `node.<name>`,
 * BGPPeer, IPPool (and the pools of an operator Installation), BGPFilter, Kubernetes and Calico
 * Nodes, BlockAffinity, Service and EndpointSlice; other kinds are ignored. Never throws for bad
 * input: problems are findings.
 *
 * @param objects plain manifest objects, or `{ object, file?, document? }` records
 */
export function computePlan(objects: readonly (ManifestObject | SourcedObject)[], options: PlanOptions): BgpPlan {
  const sourced = sourcedObjects(objects);
  const inventory = readInventory(sourced, options.nodes ?? []);
  const inputs = readPlanInputs(sourced, options.calicoVersion);
  const nodes = inventory.nodes;
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const selectorCache = new Map<string, readonly InventoryNode[]>();
  const nameCache = new Map<string, ReadonlySet<string>>();
  const affinitiesByNode = new Map<string, { cidr: Cidr }[]>();
  for (const a of inputs.affinities) {
    const l = affinitiesByNode.get(a.node) ?? [];
    l.push(a);
    affinitiesByNode.set(a.node, l);
  }
  const ctx: PlanContext = {
    version: options.calicoVersion,
    inputs,
    nodes,
    nodeByName,
    rackLabel: options.rackLabel ?? 'rack',
    routersSendDefaultRoute: options.routersSendDefaultRoute === true,
    matching(sel) {
      let r = selectorCache.get(sel.text);
      if (!r) {
        r = nodes.filter((n) => evaluateSelector(sel.ast, n.labels));
        selectorCache.set(sel.text, r);
      }
      return r;
    },
    matchingNames(sel) {
      let r = nameCache.get(sel.text);
      if (!r) {
        r = new Set(ctx.matching(sel).map((n) => n.name));
        nameCache.set(sel.text, r);
      }
      return r;
    },
    affinitiesByNode,
    nodeAs: (n) => n.asNumber ?? inputs.global.asNumber,
    listenPort: (n) => inputs.nodeConfigs.get(n.name)?.listenPort || inputs.global.listenPort,
    conflicts: [],
  };

  const { global, perNode } = computePeerings(ctx);
  const planNodes: PlanNode[] = nodes.map((n) => planNode(ctx, n, global, perNode.get(n.name)));
  const routers = computeRouters(ctx, planNodes);
  const findings: Violation[] = [...inventory.findings, ...inputs.findings, ...planFindings(ctx, planNodes, routers)];
  return { calicoVersion: options.calicoVersion, nodes: planNodes, routers, findings };
}

// ---------------------------------------------------------------------------------------------
// Stage 1: v1 peerings (confd client.go updatePeersV1)

function computePeerings(ctx: PlanContext): { global: Map<string, Peering>; perNode: Map<string, Map<string, Peering>> } {
  const { inputs, version } = ctx;
  const global = new Map<string, Peering>();
  const perNode = new Map<string, Map<string, Peering>>();
  // Calico node addresses (client.go nodeIPs) and the nodes having each address.
  const byIp = new Map<string, InventoryNode[]>();
  for (const n of ctx.nodes) {
    for (const a of [n.ipv4, n.ipv6]) {
      if (!a) continue;
      const l = byIp.get(a.ip.text) ?? [];
      l.push(n);
      byIp.set(a.ip.text, l);
    }
  }
  const key = (ip: IpAddress, port: number) => `${ip.text}|${port}`;
  const emit = (node: string | null, peer: Peering) => {
    const k = key(peer.ip, peer.port);
    const existing = node === null ? global.get(k) : perNode.get(node)?.get(k);
    if (existing) {
      // First wins (client.go emit: "If we already have an entry for that path, it wins").
      if (existing.bgpPeer !== peer.bgpPeer && !existing.reverse && !peer.reverse) {
        ctx.conflicts.push({ bgpPeer: peer.bgpPeer, other: existing.bgpPeer, node, ip: peer.ip.text, port: peer.port });
      }
      return;
    }
    if (node === null) {
      global.set(k, peer);
      return;
    }
    // A node-specific peering to an address/port that has a global peering is dropped.
    if (global.has(k)) return;
    let m = perNode.get(node);
    if (!m) { m = new Map(); perNode.set(node, m); }
    m.set(k, peer);
  };
  const newer = version !== 'v3.24.5';

  /** client.go nodesWithIPPortAndAS. */
  const nodesWithIpPortAndAs = (ip: string, asNumber: number, port: number): InventoryNode[] => {
    const as = asNumber === 0 ? inputs.global.asNumber : asNumber;
    return (byIp.get(ip) ?? []).filter((n) => {
      if (ctx.nodeAs(n) !== as) return false;
      if (port !== 0) {
        const np = inputs.nodeConfigs.get(n.name)?.listenPort;
        if (np && port !== np) return false;
        else if (inputs.global.listenPort !== 0 && inputs.global.listenPort !== port) return false;
      }
      return true;
    });
  };
  /** client.go nodeAsBGPPeers (+ setPeerConfigFieldsFromV3Resource). */
  const nodeAsPeers = (n: InventoryNode, v4: boolean, v6: boolean, p: BgpPeerSpec, reverse: boolean): Peering[] => {
    const out: Peering[] = [];
    for (const a of [v4 ? n.ipv4 : undefined, v6 ? n.ipv6 : undefined]) {
      if (!a) continue;
      out.push({
        ip: a.ip,
        port: ctx.listenPort(n),
        asNumber: ctx.nodeAs(n),
        rrClusterId: n.routeReflectorClusterId ?? '',
        ...commonFields(p, newer),
        keepNextHop: false,
        calicoNode: false,
        numAllowLocalAs: 0,
        ttlSecurity: newer ? p.ttlSecurity : 0,
        reachableBy: newer ? p.reachableBy : null,
        bgpPeer: p.name,
        peerNode: n.name,
        reverse,
      });
    }
    return out;
  };

  for (const globalPass of [true, false]) {
    for (const p of inputs.peers) {
      if (p.localWorkloadSelector !== null) continue; // local-workload peers: see findings
      const isGlobal = p.nodeSelector === null && p.node === '';
      if (globalPass !== isGlobal) continue;
      const localNodes = p.nodeSelector ? ctx.matching(p.nodeSelector).map((n) => n.name) : p.node !== '' ? [p.node] : [];
      let peers: Peering[] = [];
      if (p.peerSelector) {
        for (const n of ctx.matching(p.peerSelector)) peers.push(...nodeAsPeers(n, true, true, p, false));
      } else if (p.peerIp) {
        let port = p.peerPort;
        if (port === 0) {
          const ns = nodesWithIpPortAndAs(p.peerHost, p.asNumber, 0);
          if (ns.length > 0) port = ctx.listenPort(ns[0]);
        }
        const calicoNodes = byIp.get(p.peerHost);
        peers = [{
          ip: p.peerIp,
          port,
          asNumber: p.asNumber,
          rrClusterId: '',
          ...commonFields(p, newer),
          keepNextHop: p.keepOriginalNextHop,
          calicoNode: calicoNodes !== undefined,
          numAllowLocalAs: p.numAllowedLocalAsNumbers,
          ttlSecurity: p.ttlSecurity,
          reachableBy: p.reachableBy,
          bgpPeer: p.name,
          peerNode: calicoNodes ? calicoNodes[0].name : null,
          reverse: false,
        }];
      }
      for (const peer of peers) {
        if (globalPass) emit(null, peer);
        else for (const ln of localNodes) emit(ln, peer);
      }
    }
  }

  // Reverse pass: the other side of peerings between Calico nodes.
  for (const p of inputs.peers) {
    if (p.localWorkloadSelector !== null) continue;
    // reversePeering Manual (v3.31+): no implicit reverse peering (PR projectcalico/calico#10675).
    if (newer && p.reversePeering === 'Manual') continue;
    let localNodes: InventoryNode[];
    let v4 = false;
    let v6 = false;
    if (p.peerSelector) {
      localNodes = [...ctx.matching(p.peerSelector)];
      v4 = true;
      v6 = true;
    } else if (p.peerIp) {
      localNodes = nodesWithIpPortAndAs(p.peerHost, p.asNumber, p.peerPort);
      if (p.peerIp.family === 6) v6 = true; else v4 = true;
    } else {
      continue;
    }
    if (localNodes.length === 0) continue;
    const peerNodes = p.nodeSelector ? ctx.matching(p.nodeSelector) : p.node !== ''
      ? (ctx.nodeByName.get(p.node) ? [ctx.nodeByName.get(p.node)!] : [])
      : ctx.nodes;
    const peers: Peering[] = [];
    for (const n of peerNodes) peers.push(...nodeAsPeers(n, v4, v6, p, true));
    for (const peer of peers) for (const ln of localNodes) emit(ln.name, peer);
  }
  return { global, perNode };
}

/** Fields client.go setPeerConfigFieldsFromV3Resource sets on every peering of a BGPPeer. */
function commonFields(p: BgpPeerSpec, newer: boolean) {
  return {
    password: p.password,
    sourceAddress: p.sourceAddress,
    restartSeconds: p.restartSeconds,
    localAsNumber: newer ? p.localAsNumber : null,
    filters: newer ? p.filters : [],
    keepaliveSeconds: p.keepaliveSeconds,
    nextHopMode: newer ? p.nextHopMode : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Stage 2: one node's BIRD protocols (bird.cfg.template / bird6.cfg.template)

function planNode(ctx: PlanContext, n: InventoryNode, global: Map<string, Peering>, own: Map<string, Peering> | undefined): PlanNode {
  const sessions: PlanSession[] = [];
  const nodeAs = ctx.nodeAs(n);
  const clusterId = n.routeReflectorClusterId ?? '';
  for (const family of [4, 6] as const) {
    const addr = family === 4 ? n.ipv4 : n.ipv6;
    if (!addr) continue; // "IPv4 disabled on this node."
    const ownIp = addr.ip.text;
    // Node-to-node mesh: not on a route reflector.
    if (clusterId === '' && ctx.inputs.global.meshEnabled) {
      for (const m of ctx.nodes) {
        const ma = family === 4 ? m.ipv4 : m.ipv6;
        if (!ma || ma.ip.text === ownIp || m.routeReflectorClusterId) continue;
        const peerAs = ctx.nodeAs(m);
        sessions.push({
          family, kind: 'mesh', bgpPeer: null, peerIp: ma.ip.text, port: ctx.listenPort(m) || DEFAULT_LISTEN_PORT, peerNode: m.name,
          remoteAsNumber: peerAs, localAsNumber: nodeAs, nextHop: 'auto',
          passive: ma.ip.text > ownIp,
          ttlSecurityHops: null, password: ctx.inputs.global.meshPassword, routeReflectorClient: false, routeReflectorClusterId: null,
          sourceAddress: ownIp,
          // v3.24.5's bgp_template sets `multihop` on every protocol; the later templates set nothing on
          // mesh protocols, and BIRD's default is multihop for iBGP, direct for eBGP.
          multihop: ctx.version === 'v3.24.5' || peerAs === nodeAs,
          gracefulRestartSeconds: ctx.inputs.global.meshRestartSeconds, keepaliveSeconds: null,
          importFilters: [], exportFilters: [], numAllowedLocalAsNumbers: null, reachableBy: null,
        });
      }
    }
    const add = (kind: SessionKind, p: Peering) => {
      if (p.ip.family !== family || p.ip.text === ownIp) return; // "Skipping ourselves"
      sessions.push(session(ctx, family, kind, p, ownIp, nodeAs, clusterId));
    };
    for (const p of global.values()) add('global', p);
    if (own) for (const p of own.values()) add('node', p);
  }
  sessions.sort((a, b) => a.family - b.family || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || codePoint(a.peerIp, b.peerIp) || a.port - b.port);
  const adv = advertisements(ctx, n);
  return {
    name: n.name,
    asNumber: nodeAs,
    ipv4Address: n.ipv4?.text ?? null,
    ipv6Address: n.ipv6?.text ?? null,
    routeReflectorClusterId: n.routeReflectorClusterId ?? null,
    listenPort: ctx.listenPort(n) || DEFAULT_LISTEN_PORT,
    labels: n.labels,
    sessions,
    advertises: adv.advertises,
    withheld: adv.withheld,
  };
}

function session(ctx: PlanContext, family: PlanFamily, kind: SessionKind, p: Peering, ownIp: string, nodeAs: number, clusterId: string): PlanSession {
  // The templates compare the peer AS with the node's AS ($node_as_num), not with a local-as override.
  const ebgp = p.asNumber !== nodeAs;
  let nextHop: NextHopHandling = 'auto';
  if (p.keepNextHop && ebgp) nextHop = 'keep';
  if (p.nextHopMode === 'Self') nextHop = 'self';
  if (p.nextHopMode === 'Keep') nextHop = 'keep';
  const rrClient = !ebgp && clusterId !== '' && p.rrClusterId !== clusterId;
  const filters = (dir: 'import' | 'export') => p.filters.filter((f) => {
    const spec = ctx.inputs.filters.get(f);
    if (!spec) return false;
    return dir === 'import' ? (family === 4 ? spec.import4 : spec.import6) : (family === 4 ? spec.export4 : spec.export6);
  });
  return {
    family,
    kind,
    bgpPeer: p.bgpPeer,
    peerIp: p.ip.text,
    port: p.port || DEFAULT_LISTEN_PORT,
    peerNode: p.peerNode,
    remoteAsNumber: p.asNumber,
    localAsNumber: p.localAsNumber ?? nodeAs,
    nextHop,
    // Only global (and local-workload) protocols get the calico_node passive rule in the templates.
    passive: kind === 'global' && p.calicoNode && p.ip.text > ownIp,
    ttlSecurityHops: p.ttlSecurity > 0 ? p.ttlSecurity : null,
    password: p.password,
    routeReflectorClient: rrClient,
    routeReflectorClusterId: rrClient ? clusterId : null,
    sourceAddress: p.sourceAddress === 'UseNodeIP' ? ownIp : null,
    multihop: true,
    gracefulRestartSeconds: p.restartSeconds,
    keepaliveSeconds: ctx.version === 'v3.32.1' ? p.keepaliveSeconds : null,
    importFilters: filters('import'),
    exportFilters: filters('export'),
    numAllowedLocalAsNumbers: p.numAllowLocalAs > 0 ? p.numAllowLocalAs : null,
    reachableBy: p.reachableBy,
  };
}

// ---------------------------------------------------------------------------------------------
// Advertised prefixes

const SOURCE_ORDER: Record<AdvertisementSource, number> = {
  block: 0, pool: 1, serviceClusterIP: 2, serviceExternalIP: 3, serviceLoadBalancerIP: 4, serviceAddress: 5,
};

function contains(outer: Cidr, inner: { family: IpFamily; start: bigint; end: bigint }): boolean {
  return outer.family === inner.family && outer.start <= inner.start && inner.end <= outer.end;
}

function advertisements(ctx: PlanContext, n: InventoryNode): { advertises: PlanAdvertisement[]; withheld: PlanAdvertisement[] } {
  const { inputs } = ctx;
  const prefixAdv = inputs.nodeConfigs.get(n.name)?.prefixAdvertisements ?? inputs.global.prefixAdvertisements ?? [];
  const communities = (c: { family: IpFamily; start: bigint; end: bigint }) => {
    const set = new Set<string>();
    for (const pa of prefixAdv) if (contains(pa.cidr, c)) for (const v of pa.communities) set.add(v);
    return [...set].sort(codePoint);
  };
  const out: PlanAdvertisement[] = [];
  const withheld: PlanAdvertisement[] = [];
  const hasFamily = (f: IpFamily) => (f === 4 ? n.ipv4 : n.ipv6) !== undefined;
  for (const pool of inputs.pools) {
    if (!hasFamily(pool.cidr.family)) continue;
    const blocks = (ctx.affinitiesByNode.get(n.name) ?? []).filter((a) => contains(pool.cidr, a.cidr));
    const useBlocks = inputs.affinities.length > 0;
    const selected = ctx.matchingNames(pool.nodeSelector).has(n.name) && !pool.disabled;
    const entries: PlanAdvertisement[] = useBlocks
      ? blocks.map((b) => ({ family: b.cidr.family, cidr: b.cidr.text, source: 'block' as const, communities: communities(b.cidr), blockSize: null }))
      : selected ? [{ family: pool.cidr.family, cidr: pool.cidr.text, source: 'pool' as const, communities: communities(pool.cidr), blockSize: pool.blockSize }] : [];
    (pool.disableBgpExport ? withheld : out).push(...entries);
  }
  const excluded = n.labels['node.kubernetes.io/exclude-from-external-load-balancers'] === 'true';
  if (!excluded) {
    const svc = (list: readonly Cidr[], source: AdvertisementSource, skipSingle: boolean) => {
      for (const c of list) {
        if (!hasFamily(c.family)) continue;
        // client.go onLoadBalancerIPsUpdate: single /32 and /128 LB addresses are per service.
        if (skipSingle && c.prefixLength === (c.family === 4 ? 32 : 128)) continue;
        out.push({ family: c.family, cidr: c.text, source, communities: communities(c), blockSize: null });
      }
    };
    svc(inputs.global.serviceClusterIps, 'serviceClusterIP', false);
    svc(inputs.global.serviceExternalIps, 'serviceExternalIP', false);
    svc(inputs.global.serviceLoadBalancerIps, 'serviceLoadBalancerIP', true);
    // Services with externalTrafficPolicy Local: their addresses as /32 or /128 from nodes with endpoints (routes.go).
    const seen = new Set<string>();
    for (const s of inputs.services) {
      if (!s.localTrafficPolicy || !inputs.endpointNodes.get(`${s.namespace}/${s.name}`)?.has(n.name)) continue;
      const single = (ip: IpAddress, ranges: readonly Cidr[], any: boolean) => {
        if (!hasFamily(ip.family)) return;
        const host = { family: ip.family, start: ip.value, end: ip.value };
        if (!(any ? ranges.length > 0 : ranges.some((r) => contains(r, host)))) return;
        const text = `${ip.text}/${ip.family === 4 ? 32 : 128}`;
        if (seen.has(text)) return;
        seen.add(text);
        out.push({ family: ip.family, cidr: text, source: 'serviceAddress', communities: communities(host), blockSize: null });
      };
      for (const ip of s.clusterIps) single(ip, inputs.global.serviceClusterIps, true);
      for (const ip of s.externalIps) single(ip, inputs.global.serviceExternalIps, false);
      for (const ip of s.loadBalancerIps) single(ip, inputs.global.serviceLoadBalancerIps, false);
    }
  }
  const order = (a: PlanAdvertisement, b: PlanAdvertisement) => a.family - b.family || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || compareCidrText(a.cidr, b.cidr);
  return { advertises: out.sort(order), withheld: withheld.sort(order) };
}

function compareCidrText(a: string, b: string): number {
  const x = parseCidr(a, { allowHostBits: true });
  const y = parseCidr(b, { allowHostBits: true });
  if (x.ok && y.ok) {
    if (x.value.start !== y.value.start) return x.value.start < y.value.start ? -1 : 1;
    return x.value.prefixLength - y.value.prefixLength;
  }
  return codePoint(a, b);
}

// ---------------------------------------------------------------------------------------------
// The routers' view

function computeRouters(ctx: PlanContext, nodes: readonly PlanNode[]): PlanRouter[] {
  const poolOfBlock = new Map<string, PoolSpec | null>();
  const byKey = new Map<string, { family: PlanFamily; address: string; port: number; peers: Set<string>; asNumbers: Set<number>; neighbors: PlanRouterNeighbor[]; accepts: Map<string, PlanAcceptedPrefix> }>();
  for (const n of nodes) {
    for (const s of n.sessions) {
      if (s.peerNode !== null || s.bgpPeer === null || (s.kind !== 'global' && s.kind !== 'node')) continue;
      const k = `${s.family}|${s.peerIp}|${s.port}`;
      let r = byKey.get(k);
      if (!r) {
        r = { family: s.family, address: s.peerIp, port: s.port, peers: new Set(), asNumbers: new Set(), neighbors: [], accepts: new Map() };
        byKey.set(k, r);
      }
      r.peers.add(s.bgpPeer);
      r.asNumbers.add(s.remoteAsNumber);
      const addr = s.family === 4 ? n.ipv4Address : n.ipv6Address;
      r.neighbors.push({
        node: n.name,
        address: s.sourceAddress ?? (addr ? addr.slice(0, addr.indexOf('/')) : ''),
        asNumber: s.localAsNumber,
        nodePassive: s.passive,
        ttlSecurityHops: s.ttlSecurityHops,
        multihop: s.multihop,
        password: s.password,
        keepaliveSeconds: s.keepaliveSeconds,
        gracefulRestartSeconds: s.gracefulRestartSeconds,
        nextHop: s.nextHop,
        rack: n.labels[ctx.rackLabel] ?? null,
      });
      for (const a of n.advertises) {
        if (a.family !== s.family) continue;
        const max = a.family === 4 ? 32 : 128;
        const len = Number(a.cidr.slice(a.cidr.indexOf('/') + 1));
        let acc: PlanAcceptedPrefix;
        if (a.source === 'block') {
          // A block belongs to a pool: accept the pool's range (blocks move between nodes).
          let pool = poolOfBlock.get(a.cidr);
          if (pool === undefined) {
            const block = parseCidr(a.cidr);
            pool = (block.ok ? ctx.inputs.pools.find((p) => contains(p.cidr, block.value)) : undefined) ?? null;
            poolOfBlock.set(a.cidr, pool);
          }
          acc = pool
            ? { family: a.family, cidr: pool.cidr.text, minLength: pool.blockSize, maxLength: max, source: 'pool', communities: a.communities }
            : { family: a.family, cidr: a.cidr, minLength: len, maxLength: max, source: 'block', communities: a.communities };
        } else if (a.source === 'pool') {
          acc = { family: a.family, cidr: a.cidr, minLength: a.blockSize ?? len, maxLength: max, source: 'pool', communities: a.communities };
        } else if (a.source === 'serviceAddress') {
          continue; // covered by the service ranges (the address lies in one)
        } else {
          // The range itself, and single addresses of Local services inside it.
          acc = { family: a.family, cidr: a.cidr, minLength: len, maxLength: max, source: a.source, communities: a.communities };
        }
        const ak = `${acc.cidr}|${acc.source}`;
        const prev = r.accepts.get(ak);
        if (prev) {
          const union = [...new Set([...prev.communities, ...acc.communities])].sort(codePoint);
          r.accepts.set(ak, { ...prev, communities: union });
        } else {
          r.accepts.set(ak, acc);
        }
      }
    }
  }
  const routers: PlanRouter[] = [];
  for (const r of byKey.values()) {
    const peers = [...r.peers].sort(codePoint);
    routers.push({
      name: peers[0],
      bgpPeers: peers,
      family: r.family,
      address: r.address,
      port: r.port,
      asNumber: Math.min(...r.asNumbers),
      neighbors: r.neighbors.sort((a, b) => codePoint(a.node, b.node)),
      accepts: [...r.accepts.values()].sort((a, b) => compareCidrText(a.cidr, b.cidr) || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source]),
    });
  }
  return routers.sort((a, b) => codePoint(a.name, b.name) || a.family - b.family || codePoint(a.address, b.address) || a.port - b.port);
}
