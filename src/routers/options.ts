/**
 * Options of the router configuration generators (FRR `frr.conf`, BIRD 2 `bird.conf`).
 *
 * The generators write the routers' end of the sessions that the plan (src/plan) says the nodes
 * open; these options only choose what the plan cannot know: which routing stack runs on each
 * router, what the router sends back to the nodes, and how it lists its neighbors.
 */
import { PlanSecretRef } from '../plan/types';

/** Routing stack of a router. `both` writes one file for each. */
export type RouterPlatform = 'frr' | 'bird2' | 'both';

/**
 * What the router advertises to the nodes.
 * - `none`: nothing (the nodes rely on the underlay for their default route; Calico's own
 *   templates import whatever the router sends).
 * - `default-route`: only a default route (0.0.0.0/0 or ::/0), originated by the router.
 * - `cluster-routes`: the cluster's prefixes that the router learned from other neighbors
 *   (other nodes, other racks through uplinks), with the router as next hop.
 * - `default-and-cluster-routes`: both.
 */
export type RouterExportPolicy = 'none' | 'default-route' | 'cluster-routes' | 'default-and-cluster-routes';

/**
 * How the router lists the nodes.
 * - `per-node`: one neighbor per node session of the plan (the router knows every node).
 * - `listen-range`: a dynamic neighbor range (FRR `bgp listen range`, BIRD 2 `neighbor range`)
 *   covering the nodes' subnet, so nodes added later need no router change. Needs the nodes'
 *   addresses with prefix length in the plan (or {@link RouterOptions.listenRange}) and the same
 *   settings (AS, password, timers) on every node session.
 */
export type RouterNeighborMode = 'per-node' | 'listen-range';

/** Another BGP neighbor of the router that is not a Calico node: a spine, the other ToR of a pair or of another rack. */
export interface RouterUplink {
  /** Neighbor address (IPv4 or IPv6, the family of the router's sessions). */
  readonly address: string;
  /** Neighbor AS number. */
  readonly asNumber: number;
  /** Text for the neighbor's description. @default "uplink" */
  readonly description?: string;
  /**
   * eBGP multihop TTL towards the uplink; 0 or unset for a directly connected neighbor.
   * @default unset (directly connected)
   */
  readonly multihop?: number;
  /**
   * Secret holding the session password (only its name and key are written; the value is a
   * placeholder the operator fills in).
   * @default no password
   */
  readonly password?: PlanSecretRef;
  /**
   * Accept routes carrying the router's own AS this many times (`allowas-in` / BIRD `allow local
   * as`): needed when racks' routers share an AS and learn each other's routes through a spine.
   * @default 1 when another router of the plan has this router's AS, else 0
   */
  readonly allowAsIn?: number;
  /**
   * Whether the router also accepts a default route from the uplink (to pass on to the nodes with
   * the `default-route` export policies it originates its own instead).
   * @default false
   */
  readonly acceptDefaultRoute?: boolean;
}

/** Settings for one router (matched by the plan's router name, the BGPPeer name). */
export interface RouterOptions {
  /** Routing stack. @default the top-level {@link RouterConfigOptions.platform} */
  readonly platform?: RouterPlatform;
  /** What the router sends to the nodes. @default the top-level {@link RouterConfigOptions.exportPolicy} */
  readonly exportPolicy?: RouterExportPolicy;
  /** How the router lists the nodes. @default the top-level {@link RouterConfigOptions.neighborMode} */
  readonly neighborMode?: RouterNeighborMode;
  /**
   * CIDR for `listen-range` mode.
   * @default the smallest network that holds every neighbor node's address with its prefix length
   */
  readonly listenRange?: string;
  /** Other neighbors of this router (spine, other ToRs). @default none */
  readonly uplinks?: readonly RouterUplink[];
}

/** Options of {@link routerConfigs}. */
export interface RouterConfigOptions {
  /** Routing stack of every router not named in {@link routers}. @default 'both' */
  readonly platform?: RouterPlatform;
  /** What every router sends to the nodes. @default 'none' */
  readonly exportPolicy?: RouterExportPolicy;
  /** How every router lists the nodes. @default 'per-node' */
  readonly neighborMode?: RouterNeighborMode;
  /**
   * Import only pool routes that carry every community the nodes attach to them (Calico's
   * `prefixAdvertisements`), on top of the prefix check.
   * @default false (communities are kept, not required)
   */
  readonly matchCommunities?: boolean;
  /** Turn on BFD on the node sessions (the routing stack's BFD daemon must run). @default false */
  readonly bfd?: boolean;
  /**
   * Maximum number of equal-cost paths (ECMP) the router installs for one prefix (FRR
   * `maximum-paths`; BIRD 2 merges paths in its kernel protocol).
   * @default 64
   */
  readonly maximumPaths?: number;
  /** Per-router settings, keyed by the plan's router name (its BGPPeer name). @default none */
  readonly routers?: Readonly<Record<string, RouterOptions>>;
  /** Folder of the written paths. @default 'routers' */
  readonly directory?: string;
}

/** One generated configuration file. */
export interface RouterConfigFile {
  /** Plan router name (the first BGPPeer naming the router's address). */
  readonly router: string;
  readonly platform: 'frr' | 'bird2';
  /** Relative path, e.g. `routers/openwrt-peer.frr.conf`. */
  readonly path: string;
  readonly content: string;
}
