import { Construct } from 'constructs';
import { BgpSessionOptions, CalicoBgpPeer } from '../bgp-peer';
import { PropChecker } from '../prop-checks';
import { ROUTE_REFLECTORS_FIELDS } from '../prop-shapes';
import { parseIp } from '../../model/net';
import { CalicoReleaseProps } from '../../releases/resolve-release';
import { dnsSubdomainProblem } from '../../model/names';
import { RackRouter } from './rack-peers';
import { and, not } from './selectors';

/** The default selector of route-reflector nodes, as in Calico's docs ("Configure BGP peering"). */
export const DEFAULT_ROUTE_REFLECTOR_SELECTOR = 'route-reflector == "true"';

/**
 * Route reflectors: some Calico nodes reflect routes, the others (their clients) peer only with
 * them instead of with every node. A node is a reflector when it has a route-reflector cluster ID
 * (on its Node, written by the node settings); a selector of their labels chooses them here.
 */
export interface RouteReflectorOptions {
  /**
   * Calico selector of the reflector nodes (their labels; the node settings write the labels of
   * the inventory's nodes).
   * @default 'route-reflector == "true"'
   */
  readonly selector?: string;
  /**
   * Cluster ID of the reflectors when they serve the whole cluster: an IPv4 address, typically an
   * unused one such as `244.0.0.1`. Reflectors with the same cluster ID do not reflect to each
   * other (they peer as non-clients).
   * @default - none (required unless `perRack`)
   */
  readonly clusterId?: string;
  /**
   * Reflectors per rack (with `racks`): each rack's nodes peer with the reflectors of their own
   * rack, which mesh within the rack, use the rack's `routeReflectorClusterId` and alone peer with
   * the rack's routers.
   * @default false
   */
  readonly perRack?: boolean;
  /**
   * Routers the reflectors peer with, when there are no racks (with racks, the racks' routers
   * peer with the reflectors of their rack). One BGPPeer each, selecting the reflectors. A
   * reflector passes its clients' routes on, so these sessions (and the racks' router sessions)
   * keep the original next hop (`keepOriginalNextHop: true`, applied by Calico on eBGP sessions)
   * unless the router sets `keepOriginalNextHop` or `nextHopMode` itself: the router then sends
   * traffic straight to the node that owns a pod block, as in Calico's own RR-to-ToR setup.
   * @default - none
   */
  readonly routers?: readonly RackRouter[];
  /**
   * Session settings of the client-reflector and reflector-reflector sessions (node-to-node).
   * @default - Calico's defaults
   */
  readonly sessions?: Omit<BgpSessionOptions, 'reachableBy'>;
  /**
   * Prefix of the names of the node-to-node BGPPeers: `<prefix>-clients`, `<prefix>-mesh`
   * (per rack: `<prefix>-clients-<rack>`, `<prefix>-mesh-<rack>`).
   * @default 'route-reflector'
   */
  readonly namePrefix?: string;
}

/** Racks as the reflectors see them: the rack selector and each rack's name. */
export interface RouteReflectorRacks {
  /** The selector of one rack's nodes. */
  readonly rackSelector: (rack: string) => string;
  /** The racks' names (label values) and reflector cluster IDs. */
  readonly racks: ReadonlyArray<{ readonly name: string; readonly routeReflectorClusterId?: string }>;
}

/** Props of {@link CalicoRouteReflectors}. */
export interface CalicoRouteReflectorsProps extends RouteReflectorOptions, CalicoReleaseProps {
  /**
   * The racks, for reflectors per rack.
   * @default - none (reflectors serve the whole cluster)
   */
  readonly racks?: RouteReflectorRacks;
}

/**
 * The BGPPeers of a route-reflector design (Calico docs, "Configure a node to act as a route
 * reflector"): clients peer with their reflectors (`nodeSelector: !<rr>`, `peerSelector: <rr>`;
 * Calico adds the reverse sessions), reflectors peer with each other (`<rr>` to `<rr>`) and with
 * the routers. calico-node treats an iBGP peer as its client when the local node has a cluster ID
 * and the peer has none or another one (confd bgp_processor.go buildPeerFromData), so
 * reflectors sharing a cluster ID peer as equals.
 */
export class CalicoRouteReflectors extends Construct {
  /** The reflector selector. */
  public readonly selector: string;
  /** The cluster-wide cluster ID, if not per rack. */
  public readonly clusterId?: string;
  /** Whether reflectors are per rack. */
  public readonly perRack: boolean;
  /** The BGPPeers: node-to-node first (clients, mesh), then the routers. */
  public readonly peers: readonly CalicoBgpPeer[];
  private readonly rackInfo?: RouteReflectorRacks;

  constructor(scope: Construct, id: string, props: CalicoRouteReflectorsProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('CalicoRouteReflectors', this);
    check.props(props, ROUTE_REFLECTORS_FIELDS);
    this.selector = props.selector ?? DEFAULT_ROUTE_REFLECTOR_SELECTOR;
    check.selector('selector', this.selector);
    if (this.selector.trim() === '' || this.selector.trim() === 'all()') {
      check.fail('selector', 'selects every node: then no node is a client; select the reflector nodes only, e.g. route-reflector == "true"');
    }
    this.perRack = props.perRack ?? false;
    const prefix = props.namePrefix ?? 'route-reflector';
    const prefixProblem = dnsSubdomainProblem(`${prefix}-clients`);
    if (prefixProblem) check.fail('namePrefix', prefixProblem);
    const clusterIdProblem = (v: string) => {
      const ip = parseIp(v);
      if (!ip.ok || ip.value.family !== 4) {
        // libcalico-go reads the cluster ID with ValidateIPv4Network (k8s/resources/node.go).
        return `${JSON.stringify(v)} is not a route-reflector cluster ID: Calico takes an IPv4 address (4 bytes), e.g. "244.0.0.1"`;
      }
      return undefined;
    };
    if (this.perRack) {
      if (!props.racks) check.fail('perRack', 'reflectors per rack need racks: set the racks (with their routers) too');
      if (props.clusterId !== undefined) check.fail('clusterId', 'with perRack each rack has its own cluster ID (racks[].routeReflectorClusterId): remove clusterId');
      if (props.routers !== undefined) check.fail('routers', 'with racks, the racks\' routers peer with the reflectors of their rack: give the routers in racks[].routers');
      (props.racks?.racks ?? []).forEach((r, i) => {
        if (r.routeReflectorClusterId === undefined) {
          check.fail(`racks[${i}].routeReflectorClusterId`, `rack ${JSON.stringify(r.name)} has no reflector cluster ID: with reflectors per rack give each rack one (an IPv4 address, e.g. "244.0.${i + 1}.1")`);
          return;
        }
        const p = clusterIdProblem(r.routeReflectorClusterId);
        if (p) check.fail(`racks[${i}].routeReflectorClusterId`, p);
      });
    } else {
      if (props.clusterId === undefined) {
        check.fail('clusterId', 'reflectors need a cluster ID: give one IPv4 address (e.g. "244.0.0.1"), or set perRack with a cluster ID per rack');
      } else {
        const p = clusterIdProblem(props.clusterId);
        if (p) check.fail('clusterId', p);
      }
      if (props.racks && props.routers !== undefined) check.fail('routers', 'with racks, the racks\' routers peer with the reflectors of their rack: give the routers in racks[].routers');
    }
    this.clusterId = props.clusterId;
    this.rackInfo = props.racks;

    // Router names are construct ids: two alike cannot both be built.
    check.stopIfFailed();
    const rr = this.selector;
    const sessions = { ...props.sessions, calicoVersion: props.calicoVersion };
    const peers: CalicoBgpPeer[] = [];
    if (this.perRack && props.racks) {
      for (const rack of props.racks.racks) {
        const inRack = props.racks.rackSelector(rack.name);
        peers.push(new CalicoBgpPeer(this, `${prefix}-clients-${rack.name}`, {
          ...sessions, name: `${prefix}-clients-${rack.name}`, nodeSelector: and(inRack, not(rr)), peerSelector: and(inRack, rr),
        }));
      }
      for (const rack of props.racks.racks) {
        const inRack = props.racks.rackSelector(rack.name);
        peers.push(new CalicoBgpPeer(this, `${prefix}-mesh-${rack.name}`, {
          ...sessions, name: `${prefix}-mesh-${rack.name}`, nodeSelector: and(inRack, rr), peerSelector: and(inRack, rr),
        }));
      }
    } else {
      peers.push(new CalicoBgpPeer(this, `${prefix}-clients`, { ...sessions, name: `${prefix}-clients`, nodeSelector: not(rr), peerSelector: rr }));
      peers.push(new CalicoBgpPeer(this, `${prefix}-mesh`, { ...sessions, name: `${prefix}-mesh`, nodeSelector: rr, peerSelector: rr }));
    }
    for (const router of props.routers ?? []) {
      // Reflectors pass on their clients' routes: keep the owning node as next hop (as Calico's
      // own RR-to-ToR setup does) unless the router's options choose.
      const keep = router.keepOriginalNextHop === undefined && router.nextHopMode === undefined;
      peers.push(new CalicoBgpPeer(this, router.name, {
        ...router, calicoVersion: props.calicoVersion, nodeSelector: rr, keepOriginalNextHop: keep ? true : router.keepOriginalNextHop,
      }));
    }
    this.peers = peers;
    check.done();
  }

  /**
   * The cluster ID a reflector node gets: the cluster-wide one, or its rack's (`rack` is the
   * value of its rack label); undefined when per rack and the node is in no known rack.
   */
  public clusterIdFor(rack: string | undefined): string | undefined {
    if (!this.perRack) return this.clusterId;
    return this.rackInfo?.racks.find((r) => r.name === rack)?.routeReflectorClusterId;
  }
}
