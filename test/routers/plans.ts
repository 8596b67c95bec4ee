/**
 * Hand-built BGP plans for the router generator tests and the lab (not a test file). They have the
 * shape src/plan/types.ts gives the plan, filled the way calico-node would behave for a ToR design
 * (global or per-rack BGPPeers to external routers, mesh off, optional route reflectors), so the
 * generators can be tested independently of computePlan.
 */
import { BgpPlan, PlanAcceptedPrefix, PlanAdvertisement, PlanNode, PlanRouter, PlanSecretRef, PlanSession } from '../../src/plan/types';

export interface SiteNode {
  readonly name: string;
  /** Address with prefix length, e.g. `10.31.0.11/16`. */
  readonly address: string;
  readonly asNumber: number;
  readonly rack?: string;
  /** Blocks this node holds (BlockAffinities). */
  readonly blocks: readonly string[];
  /** Route-reflector cluster ID when the node is a reflector. */
  readonly routeReflectorClusterId?: string;
}

export interface SiteRouter {
  readonly name: string;
  readonly address: string;
  readonly asNumber: number;
  /** Nodes that peer with it (default: every node, a global peer). */
  readonly nodes?: readonly string[];
  readonly password?: PlanSecretRef;
  readonly ttlSecurityHops?: number;
  readonly keepOriginalNextHop?: boolean;
}

export interface Site {
  readonly nodes: readonly SiteNode[];
  readonly routers: readonly SiteRouter[];
  readonly pool: { readonly cidr: string; readonly blockSize: number };
  readonly serviceClusterIps?: readonly string[];
  readonly serviceExternalIps?: readonly string[];
  /** Communities of the pool's prefixes (prefixAdvertisements). */
  readonly poolCommunities?: readonly string[];
}

const hostOf = (cidr: string) => cidr.split('/')[0];

/** A plan of a ToR site (mesh off; route reflectors peer with their clients and each other). */
export function sitePlan(site: Site): BgpPlan {
  const reflectors = site.nodes.filter((n) => n.routeReflectorClusterId !== undefined);
  const peersOf = (r: SiteRouter) => (r.nodes ?? site.nodes.map((n) => n.name));
  const services: PlanAdvertisement[] = [
    ...(site.serviceClusterIps ?? []).map((cidr) => ({ family: 4 as const, cidr, source: 'serviceClusterIP' as const, communities: [], blockSize: null })),
    ...(site.serviceExternalIps ?? []).map((cidr) => ({ family: 4 as const, cidr, source: 'serviceExternalIP' as const, communities: [], blockSize: null })),
  ];
  const nodes: PlanNode[] = site.nodes.map((n) => {
    const sessions: PlanSession[] = [];
    for (const r of site.routers) {
      if (!peersOf(r).includes(n.name)) continue;
      sessions.push(session(n, {
        kind: 'global', bgpPeer: r.name, peerIp: r.address, peerNode: null, remoteAsNumber: r.asNumber,
        nextHop: r.keepOriginalNextHop !== false && r.asNumber !== n.asNumber ? 'keep' : 'auto',
        password: r.password ?? null, ttlSecurityHops: r.ttlSecurityHops ?? null,
      }));
    }
    // Route reflection inside a rack (or the cluster): clients peer with reflectors, reflectors with each other.
    for (const rr of reflectors) {
      if (rr.name === n.name || (rr.rack !== undefined && n.rack !== undefined && rr.rack !== n.rack && n.routeReflectorClusterId === undefined)) continue;
      sessions.push(session(n, {
        kind: 'node', bgpPeer: 'peer-with-reflectors', peerIp: hostOf(rr.address), peerNode: rr.name, remoteAsNumber: rr.asNumber,
        nextHop: 'auto', password: null, ttlSecurityHops: null,
        passive: hostOf(rr.address) > hostOf(n.address),
        routeReflectorClient: false, routeReflectorClusterId: null,
      }));
    }
    if (n.routeReflectorClusterId !== undefined) {
      for (const c of site.nodes) {
        if (c.name === n.name || c.routeReflectorClusterId !== undefined) continue;
        if (n.rack !== undefined && c.rack !== undefined && c.rack !== n.rack) continue;
        sessions.push(session(n, {
          kind: 'node', bgpPeer: 'reflector-to-clients', peerIp: hostOf(c.address), peerNode: c.name, remoteAsNumber: c.asNumber,
          nextHop: 'auto', password: null, ttlSecurityHops: null,
          passive: hostOf(c.address) > hostOf(n.address),
          routeReflectorClient: true, routeReflectorClusterId: n.routeReflectorClusterId,
        }));
      }
    }
    const blocks: PlanAdvertisement[] = n.blocks.map((cidr) => ({ family: 4, cidr, source: 'block', communities: site.poolCommunities ?? [], blockSize: null }));
    return {
      name: n.name, asNumber: n.asNumber, ipv4Address: n.address, ipv6Address: null,
      routeReflectorClusterId: n.routeReflectorClusterId ?? null,
      listenPort: 179, labels: (n.rack !== undefined ? { rack: n.rack } : {}) as Record<string, string>, withheld: [],
      sessions, advertises: [
        { family: 4, cidr: site.pool.cidr, source: 'pool', communities: site.poolCommunities ?? [], blockSize: site.pool.blockSize },
        ...blocks, ...services,
      ],
    };
  });
  const accepts: PlanAcceptedPrefix[] = [
    { family: 4, cidr: site.pool.cidr, minLength: site.pool.blockSize, maxLength: 32, source: 'pool', communities: site.poolCommunities ?? [] },
    ...services.map((s) => ({ family: 4 as const, cidr: s.cidr, minLength: Number(s.cidr.split('/')[1]), maxLength: 32, source: s.source, communities: [] })),
  ];
  const routers: PlanRouter[] = site.routers.map((r) => ({
    name: r.name, bgpPeers: [r.name], family: 4, address: r.address, port: 179, asNumber: r.asNumber,
    neighbors: site.nodes.filter((n) => peersOf(r).includes(n.name)).map((n) => ({
      node: n.name, address: hostOf(n.address), asNumber: n.asNumber, nodePassive: false,
      ttlSecurityHops: r.ttlSecurityHops ?? null, multihop: true, password: r.password ?? null,
      keepaliveSeconds: null, gracefulRestartSeconds: null,
      nextHop: r.keepOriginalNextHop !== false && r.asNumber !== n.asNumber ? 'keep' : 'auto', rack: n.rack ?? null,
    })),
    accepts,
  }));
  return {
    calicoVersion: 'v3.24.5',
    nodes: [...nodes].sort((a, b) => (a.name < b.name ? -1 : 1)),
    routers: [...routers].sort((a, b) => (a.name < b.name ? -1 : 1)),
    findings: [],
  };
}

function session(n: SiteNode, s: Partial<Omit<PlanSession, 'numAllowedLocalAsNumbers' | 'reachableBy'>> & Pick<PlanSession, 'kind' | 'bgpPeer' | 'peerIp' | 'peerNode' | 'remoteAsNumber' | 'nextHop' | 'password' | 'ttlSecurityHops'>): PlanSession {
  return {
    family: 4, port: 179, localAsNumber: n.asNumber, passive: false,
    routeReflectorClient: false, routeReflectorClusterId: null,
    sourceAddress: hostOf(n.address), multihop: true, gracefulRestartSeconds: null, keepaliveSeconds: null,
    importFilters: [], exportFilters: [], numAllowedLocalAsNumbers: null, reachableBy: null,
    ...s,
  };
}

/** The reference cluster with three nodes (one /24 block each) and its two global routers. */
export function referencePlan(): BgpPlan {
  return sitePlan({
    nodes: [
      { name: 'node-1', address: '10.31.0.11/16', asNumber: 64517, blocks: ['10.33.1.0/24'] },
      { name: 'node-2', address: '10.31.0.12/16', asNumber: 64517, blocks: ['10.33.2.0/24'] },
      { name: 'node-3', address: '10.31.0.13/16', asNumber: 64517, blocks: ['10.33.3.0/24', '10.33.4.0/24'] },
    ],
    routers: [
      { name: 'openwrt-peer', address: '10.31.254.253', asNumber: 64512 },
      { name: 'tiny-unraid-peer', address: '10.31.100.100', asNumber: 64516 },
    ],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
    serviceClusterIps: ['10.33.128.0/18'],
    serviceExternalIps: ['10.33.192.0/18'],
    poolCommunities: ['64517:120', '64517:300:100'],
  });
}
