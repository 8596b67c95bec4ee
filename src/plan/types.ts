/**
 * The BGP plan: what every node's calico-node (BIRD, configured by confd) will do, computed from
 * plain Calico/Kubernetes objects. Its JSON form is what `cdk8s-calico plan --format json` prints.
 * Plain data only (no constructs), so the CLI computes it from YAML too.
 */
import { Violation } from '../model/violation';

/** IP address family of a session or prefix. */
export type PlanFamily = 4 | 6;

/** Where a session comes from, as `calicoctl node status` names it. */
export type SessionKind = 'mesh' | 'global' | 'node' | 'local-workload';

/** Next-hop handling on a session: next-hop-self, keep the original next hop, or BIRD's default. */
export type NextHopHandling = 'self' | 'keep' | 'auto';

/** A reference to a key of a Secret in calico-node's namespace (never the value). */
export interface PlanSecretRef {
  readonly name: string;
  readonly key: string;
}

/** One BGP session as seen from one node. */
export interface PlanSession {
  readonly family: PlanFamily;
  readonly kind: SessionKind;
  /** Name of the BGPPeer it comes from (null for mesh sessions). */
  readonly bgpPeer: string | null;
  readonly peerIp: string;
  readonly port: number;
  /** Peer node name when the peer is a Calico node, else null. */
  readonly peerNode: string | null;
  readonly remoteAsNumber: number;
  /** Effective local AS of this node on this session (localASNumber override included). */
  readonly localAsNumber: number;
  readonly nextHop: NextHopHandling;
  /** Whether this side waits for the other to connect (BIRD `passive on`). */
  readonly passive: boolean;
  /** TTL security hop count (BIRD `ttl security on` + `multihop N`), null when off. */
  readonly ttlSecurityHops: number | null;
  readonly password: PlanSecretRef | null;
  /** Whether the peer is a route-reflector client of this node (this node reflects to it). */
  readonly routeReflectorClient: boolean;
  /** Cluster ID this node uses as reflector on this session, else null. */
  readonly routeReflectorClusterId: string | null;
  /** Source address BIRD uses (the node's address of the family), null when unset. */
  readonly sourceAddress: string | null;
  /** Whether BIRD sets `multihop` on the session (Calico does on explicit peers). */
  readonly multihop: boolean;
  readonly gracefulRestartSeconds: number | null;
  readonly keepaliveSeconds: number | null;
  /** BGPFilters applied on import (only those with rules for this family, in BGPPeer order). */
  readonly importFilters: readonly string[];
  /** BGPFilters applied on export (only those with rules for this family, in BGPPeer order). */
  readonly exportFilters: readonly string[];
  /** BIRD `allow local as N` (BGPPeer numAllowedLocalASNumbers), null when off. */
  readonly numAllowedLocalAsNumbers: number | null;
  /** Gateway calico-node routes the peer address through (BGPPeer reachableBy, v3.31+), else null. */
  readonly reachableBy: string | null;
}

/** Why a prefix is advertised. */
export type AdvertisementSource = 'pool' | 'block' | 'serviceClusterIP' | 'serviceExternalIP'
  | 'serviceLoadBalancerIP' | 'serviceAddress';

/** One prefix a node advertises (to every session that exports it). */
export interface PlanAdvertisement {
  readonly family: PlanFamily;
  readonly cidr: string;
  readonly source: AdvertisementSource;
  /** Communities attached, as Calico writes them (`64517:120`, `64517:300:100`), sorted by code point. */
  readonly communities: readonly string[];
  /**
   * For source `pool`: the block prefix length the node advertises its blocks with (the pool's
   * blockSize); the node also advertises single addresses (/32, /128) borrowed from other blocks.
   * Null for other sources.
   */
  readonly blockSize: number | null;
}

/** One node of the plan. */
export interface PlanNode {
  readonly name: string;
  readonly asNumber: number;
  /** Node IPv4 address with prefix length (`10.31.0.11/16`), null when it has none. */
  readonly ipv4Address: string | null;
  readonly ipv6Address: string | null;
  readonly routeReflectorClusterId: string | null;
  /** Port BIRD listens on (node.<name> or default BGPConfiguration listenPort, else 179). */
  readonly listenPort: number;
  /** Node labels (selectors see these). */
  readonly labels: Readonly<Record<string, string>>;
  /** Sorted by family, then kind (mesh, global, node, local-workload), then peer address and port. */
  readonly sessions: readonly PlanSession[];
  /** Sorted by family, then source, then address. */
  readonly advertises: readonly PlanAdvertisement[];
  /** Pool prefixes the node has but never exports (IPPool disableBGPExport). */
  readonly withheld: readonly PlanAdvertisement[];
}

/** A node's session as the external router sees it: one neighbor of the router. */
export interface PlanRouterNeighbor {
  readonly node: string;
  /** The node's address the session comes from (its source address of the family). */
  readonly address: string;
  /** The node's effective local AS on this session (the router's remote AS). */
  readonly asNumber: number;
  /** Whether the node side is passive (then the router must connect). */
  readonly nodePassive: boolean;
  readonly ttlSecurityHops: number | null;
  readonly multihop: boolean;
  readonly password: PlanSecretRef | null;
  readonly keepaliveSeconds: number | null;
  readonly gracefulRestartSeconds: number | null;
  readonly nextHop: NextHopHandling;
  /** Value of the rack label of the node, when the inventory knows racks, else null. */
  readonly rack: string | null;
}

/** A prefix range the router may accept from the nodes (pool CIDR from block size to host routes, ...). */
export interface PlanAcceptedPrefix {
  readonly family: PlanFamily;
  readonly cidr: string;
  /** Shortest prefix length accepted (e.g. the pool's prefix length, or its block size). */
  readonly minLength: number;
  /** Longest prefix length accepted (32/128: host routes). */
  readonly maxLength: number;
  readonly source: AdvertisementSource;
  readonly communities: readonly string[];
}

/** An external router (a BGPPeer address that is not a Calico node) and its side of the sessions. */
export interface PlanRouter {
  /** File name stem: the first (code-point order) BGPPeer naming this address. */
  readonly name: string;
  /** Every BGPPeer that points at this address. */
  readonly bgpPeers: readonly string[];
  readonly family: PlanFamily;
  readonly address: string;
  /** Port the nodes connect to. */
  readonly port: number;
  /** The router's AS (BGPPeer spec.asNumber; the smallest when BGPPeers disagree, which is a finding). */
  readonly asNumber: number;
  readonly neighbors: readonly PlanRouterNeighbor[];
  readonly accepts: readonly PlanAcceptedPrefix[];
}


/** The whole plan. Arrays are sorted (nodes and routers by name, by code point). */
export interface BgpPlan {
  readonly calicoVersion: string;
  readonly nodes: readonly PlanNode[];
  readonly routers: readonly PlanRouter[];
  /** Problems the plan finds (a family without sessions, selectors matching no node...). */
  readonly findings: readonly Violation[];
}
