import { Construct } from 'constructs';
import { BgpSessionOptions, CalicoBgpPeer } from '../bgp-peer';
import { PropChecker } from '../prop-checks';
import { RACK_PEERS_FIELDS } from '../prop-shapes';
import { CalicoReleaseProps } from '../../releases/resolve-release';
import { dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from '../../model/names';
import { and, labelEquals } from './selectors';

/** A router the nodes peer with (a ToR switch): its BGPPeer's name, address, AS and session settings. */
export interface RackRouter extends BgpSessionOptions {
  /** Name of the router's BGPPeer (DNS-1123 subdomain), e.g. `tor-r1-a`; also its construct id. */
  readonly name: string;
  /** Address of the router, optionally with a port (`10.1.0.1`, `[fd00::1]:1179`). */
  readonly peerIp: string;
  /** AS number of the router (0-2147483647). */
  readonly asNumber: number;
}

/** One rack: the value of the rack label on its nodes, its routers and, optionally, its own AS. */
export interface RackOptions {
  /** Value of the rack label on the rack's nodes, e.g. `r1` (a label value). */
  readonly name: string;
  /** The rack's routers: one ToR, or a pair (one BGPPeer each, selecting the rack's nodes). */
  readonly routers: readonly RackRouter[];
  /**
   * AS number of the rack's nodes: Calico's "AS per rack" model (Calico over IP fabrics), where a
   * rack's nodes share the AS of their ToR. Written on each node (node settings), not in a
   * BGPConfiguration. Give it for every rack or for none.
   * @default - the cluster AS (BGPConfiguration asNumber), or each node's own with `asPerNode`
   */
  readonly asNumber?: number;
  /**
   * Route-reflector cluster ID of the rack's reflectors (an IPv4 address, e.g. `244.0.1.1`), with
   * route reflectors per rack.
   * @default - none (required with `routeReflectors.perRack`)
   */
  readonly routeReflectorClusterId?: string;
}

/**
 * How nodes of different racks that share one AS get to each other's pods: a route from another
 * rack carries their own AS in its AS path, so BGP loop prevention drops it.
 * - `default-route`: Calico's "downward default" model: the routers send the nodes a default route
 *   (configure that on the routers) and the nodes keep loop prevention.
 * - `allow-own-as`: the rack peers get `numAllowedLocalAsNumbers: 1`, so the nodes accept routes
 *   whose AS path holds their AS once (BIRD `allow local as 1`).
 */
export type SharedAsRoutes = 'default-route' | 'allow-own-as';

/** Top-of-Rack peering per rack: each rack's nodes peer with their own routers. */
export interface RackTopologyOptions {
  /**
   * Node label whose value names the rack (a label key).
   * @default 'rack'
   */
  readonly rackLabel?: string;
  /** The racks. */
  readonly racks: readonly RackOptions[];
  /**
   * Calico's "AS per compute server" model: every node has its own AS (the inventory's
   * `asNumber`, written by the node settings) and peers over eBGP with its routers.
   * @default false
   */
  readonly asPerNode?: boolean;
  /**
   * With one AS shared by the nodes of several racks (no per-rack and no per-node AS): how they
   * reach each other's pods. See {@link SharedAsRoutes}.
   * @default 'default-route'
   */
  readonly sharedAsRoutes?: SharedAsRoutes;
}

/** How the nodes of a rack topology get their AS numbers. */
export type RackAsModel = 'per-rack' | 'per-node' | 'shared';

/** Props of {@link CalicoRackPeers}. */
export interface CalicoRackPeersProps extends RackTopologyOptions, CalicoReleaseProps {
  /**
   * Of each rack's nodes, only those matching this selector peer with the rack's routers (e.g.
   * the rack's route reflectors).
   * @default - every node of the rack
   */
  readonly routerPeersSelector?: string;
  /**
   * Next-hop handling applied to router sessions that set none (`keepOriginalNextHop`), e.g. by
   * route reflectors, so routers send traffic to the node that owns a pod block.
   * @default false
   */
  readonly keepOriginalNextHopByDefault?: boolean;
}

/**
 * Top-of-Rack peering per rack: one BGPPeer per router, selecting the nodes whose rack label is
 * the router's rack (`rack == "r1"`). With an AS per rack or per node the AS numbers are node
 * settings (see {@link CalicoBgpTopology.nodeSettings}).
 */
export class CalicoRackPeers extends Construct {
  /** The rack label key. */
  public readonly rackLabel: string;
  /** The racks as given. */
  public readonly racks: readonly RackOptions[];
  /** How the nodes get their AS numbers. */
  public readonly asModel: RackAsModel;
  /** How racks sharing an AS reach each other (meaningful for the `shared` model). */
  public readonly sharedAsRoutes: SharedAsRoutes;
  /** One BGPPeer per router, rack by rack in the order given. */
  public readonly peers: readonly CalicoBgpPeer[];

  constructor(scope: Construct, id: string, props: CalicoRackPeersProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('CalicoRackPeers', this);
    check.props(props, RACK_PEERS_FIELDS);
    this.rackLabel = props.rackLabel ?? 'rack';
    const keyProblem = labelKeyProblem(this.rackLabel);
    if (keyProblem) check.fail('rackLabel', keyProblem);
    const racks: readonly RackOptions[] = Array.isArray(props.racks) ? props.racks : [];
    if (racks.length === 0) check.fail('racks', 'give at least one rack, each with its routers');
    const routersOf = (rack: RackOptions): readonly RackRouter[] => (Array.isArray(rack.routers) ? rack.routers : []);
    check.selector('routerPeersSelector', props.routerPeersSelector);

    const rackNames = new Set<string>();
    const routerNames = new Set<string>();
    racks.forEach((rack, i) => {
      const valueProblem = labelValueProblem(rack.name);
      if (valueProblem || rack.name === '') check.fail(`racks[${i}].name`, `${valueProblem ?? 'the rack name is empty'}; it is the value of the "${this.rackLabel}" label on the rack's nodes`);
      if (rackNames.has(rack.name)) check.fail(`racks[${i}].name`, `rack ${JSON.stringify(rack.name)} is given twice: list each rack once, with all its routers`);
      rackNames.add(rack.name);
      if (routersOf(rack).length === 0) check.fail(`racks[${i}].routers`, `rack ${JSON.stringify(rack.name)} has no router: give its ToR (or ToR pair)`);
      routersOf(rack).forEach((r, j) => {
        const problem = typeof r.name === 'string' ? dnsSubdomainProblem(r.name) : 'the router has no name';
        if (problem) check.fail(`racks[${i}].routers[${j}].name`, problem);
        if (routerNames.has(r.name)) check.fail(`racks[${i}].routers[${j}].name`, `${JSON.stringify(r.name)} names two routers: each router's BGPPeer needs its own name`);
        routerNames.add(r.name);
      });
      check.asNumber(`racks[${i}].asNumber`, rack.asNumber);
    });

    const withAs = racks.filter((r) => r.asNumber !== undefined);
    if (withAs.length > 0 && withAs.length < racks.length) {
      const without = racks.filter((r) => r.asNumber === undefined).map((r) => JSON.stringify(r.name));
      check.fail('racks', `racks ${without.join(', ')} have no asNumber while others have one: with an AS per rack give every rack its AS`);
    }
    if (withAs.length > 0 && props.asPerNode) {
      check.fail('asPerNode', 'cannot be combined with racks[].asNumber: choose an AS per rack (racks[].asNumber) or an AS per node (asPerNode and the inventory\'s asNumber)');
    }
    if (props.sharedAsRoutes !== undefined && props.sharedAsRoutes !== 'default-route' && props.sharedAsRoutes !== 'allow-own-as') {
      check.fail('sharedAsRoutes', `${JSON.stringify(props.sharedAsRoutes)} is not allowed: use "default-route" or "allow-own-as"`);
    }
    this.racks = racks;
    this.asModel = withAs.length > 0 ? 'per-rack' : props.asPerNode ? 'per-node' : 'shared';
    this.sharedAsRoutes = props.sharedAsRoutes ?? 'default-route';
    const allowOwnAs = this.asModel === 'shared' && this.sharedAsRoutes === 'allow-own-as';

    // Router names are construct ids: two alike cannot both be built.
    check.stopIfFailed();
    const peers: CalicoBgpPeer[] = [];
    for (const rack of racks) {
      for (const router of routersOf(rack)) {
        const keep = props.keepOriginalNextHopByDefault && router.keepOriginalNextHop === undefined && router.nextHopMode === undefined;
        peers.push(new CalicoBgpPeer(this, router.name, {
          ...router,
          calicoVersion: props.calicoVersion,
          nodeSelector: and(this.rackSelector(rack.name), props.routerPeersSelector ?? ''),
          keepOriginalNextHop: keep ? true : router.keepOriginalNextHop,
          numAllowedLocalAsNumbers: router.numAllowedLocalAsNumbers ?? (allowOwnAs ? 1 : undefined),
        }));
      }
    }
    this.peers = peers;
    check.done();
  }

  /** The selector of the nodes of rack `rack` (`rack == "r1"`). */
  public rackSelector(rack: string): string {
    return labelEquals(this.rackLabel, rack);
  }
}
