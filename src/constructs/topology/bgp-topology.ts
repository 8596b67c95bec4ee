import { Construct } from 'constructs';
import { CalicoBgpConfiguration, CalicoBgpConfigurationProps } from '../bgp-configuration';
import { BgpPeerOptions, CalicoBgpPeer } from '../bgp-peer';
import { PropChecker } from '../prop-checks';
import { BGP_TOPOLOGY_FIELDS } from '../prop-shapes';
import { parseAsNumber } from '../../model/bgp-values';
import { evaluateSelector, parseSelector } from '../../model/selector';
import { Violation } from '../../model/violation';
import { CalicoReleaseProps } from '../../releases/resolve-release';
import { NodeSettings } from './node-settings';
import { CalicoRackPeers, RackTopologyOptions } from './rack-peers';
import { CalicoRouteReflectors, DEFAULT_ROUTE_REFLECTOR_SELECTOR, RouteReflectorOptions } from './route-reflectors';

/**
 * The BGP topology in the terms platform engineers use (Calico's "Configure BGP peering" and
 * "Calico over IP fabrics"): full mesh, routers every node peers with, routers per rack (with an
 * AS per rack, per node, or one shared AS), route reflectors (cluster-wide or per rack). The parts
 * combine: racks with reflectors per rack is the design for racks of more than ~100 nodes.
 */
export interface BgpTopologyProps {
  /**
   * Routers every node (or a selection of nodes) peers with, one BGPPeer each (construct id = the
   * peer's name): the reference cluster's ToR design, or the external peers of a full mesh. With
   * the mesh disabled and no racks or reflectors, at least one peer is required, or nodes lose
   * their routes to other nodes' pods.
   * @default - none
   */
  readonly torPeers?: readonly BgpPeerOptions[];
  /**
   * Top-of-Rack routers per rack: each rack's nodes (a value of the rack label) peer with their
   * rack's routers. Needs the node-to-node mesh off.
   * @default - no racks
   */
  readonly racks?: RackTopologyOptions;
  /**
   * Route reflectors: clients peer with their reflectors, reflectors with each other and with the
   * routers (`racks`' routers, or `routeReflectors.routers`). Needs the node-to-node mesh off.
   * @default - no route reflectors
   */
  readonly routeReflectors?: RouteReflectorOptions;
}

/** Props of {@link CalicoBgpTopology}. */
export interface CalicoBgpTopologyProps extends BgpTopologyProps, CalicoReleaseProps {
  /**
   * Keep Calico's iBGP node-to-node mesh (full mesh, for small clusters; with `torPeers` it is
   * "mesh plus external peers"). Racks and route reflectors need it off.
   * @default false
   */
  readonly nodeToNodeMesh?: boolean;
  /**
   * Also write the BGPConfiguration `default`, with these settings and the topology's mesh
   * setting (for users' own charts; CalicoTorChart writes its own).
   * @default - no BGPConfiguration
   */
  readonly bgpConfiguration?: Omit<CalicoBgpConfigurationProps, 'name' | 'nodeToNodeMesh'>;
}

/** A node as the topology sees it: any node inventory entry (name, labels, own AS, cluster ID). */
export interface TopologyNode {
  /** Kubernetes node name. */
  readonly name: string;
  /**
   * The node's labels, as the selectors see them.
   * @default - no labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * The node's own AS (a number, or a decimal / dotted `1.10` string).
   * @default - none: the rack's (AS per rack) or the cluster AS
   */
  readonly asNumber?: number | string;
  /**
   * The node's route-reflector cluster ID (an IPv4 address).
   * @default - none: the reflector cluster's, if the reflector selector matches the node
   */
  readonly routeReflectorClusterId?: string;
}

/** What {@link CalicoBgpTopology.nodeSettings} derives from an inventory. */
export interface TopologyNodeSettings<T extends TopologyNode = TopologyNode> {
  /** The settings each node needs (one entry per inventory node, by name). */
  readonly settings: readonly NodeSettings[];
  /**
   * The inventory with the topology's AS numbers and cluster IDs filled in: what the nodes will
   * look like once the settings are applied (the plan's input).
   */
  readonly nodes: readonly T[];
  /** Problems: conflicting settings, nodes in no rack, reflectors without a cluster ID. */
  readonly violations: readonly Violation[];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The BGPPeers (and, if asked, the BGPConfiguration) of a BGP topology, and the per-node settings
 * it needs (see {@link nodeSettings}). Peers are in a fixed order: `torPeers`, the racks'
 * routers, then the route reflectors' peers.
 */
export class CalicoBgpTopology extends Construct {
  /** Every BGPPeer of the topology, in order. */
  public readonly peers: readonly CalicoBgpPeer[];
  /** The `torPeers` BGPPeers. */
  public readonly torPeers: readonly CalicoBgpPeer[];
  /** The per-rack routers, when racks are given. */
  public readonly racks?: CalicoRackPeers;
  /** The route reflectors, when given. */
  public readonly routeReflectors?: CalicoRouteReflectors;
  /** Whether the node-to-node mesh is on. */
  public readonly nodeToNodeMesh: boolean;
  /** The BGPConfiguration `default`, when `bgpConfiguration` is given. */
  public readonly bgpConfiguration?: CalicoBgpConfiguration;

  constructor(scope: Construct, id: string, props: CalicoBgpTopologyProps = {}) {
    super(scope, id);
    const check: PropChecker = new PropChecker('CalicoBgpTopology', this);
    check.props(props, BGP_TOPOLOGY_FIELDS);
    this.nodeToNodeMesh = props.nodeToNodeMesh ?? false;
    if (this.nodeToNodeMesh && (props.racks || props.routeReflectors)) {
      check.fail('nodeToNodeMesh', `${props.racks ? 'racks' : 'routeReflectors'} replace the node-to-node mesh: with both, every node still peers with every other node (and Calico leaves reflectors out of the mesh); set nodeToNodeMesh to false`);
    }
    if (props.routeReflectors && props.racks?.asPerNode) {
      check.fail('routeReflectors', 'route reflectors serve iBGP clients (nodes of the reflector\'s AS), but asPerNode gives every node its own AS: use one of the two');
    }
    if (props.routeReflectors && props.racks && !props.routeReflectors.perRack && (props.racks.racks ?? []).some((r) => r.asNumber !== undefined)) {
      check.fail('routeReflectors.perRack', 'with an AS per rack, cluster-wide reflectors would peer over eBGP with other racks\' nodes and reflect nothing: set perRack (a reflector cluster per rack)');
    }
    const names = new Map<string, string>();
    const claim = (name: string, where: string) => {
      const other = names.get(name);
      if (other !== undefined) check.fail(where, `${JSON.stringify(name)} names two BGPPeers (also ${other}): give each its own name`);
      names.set(name, where);
    };
    (props.torPeers ?? []).forEach((p, i) => {
      check.name(`torPeers[${i}].name`, p?.name);
      claim(p.name, `torPeers[${i}]`);
    });
    (props.racks?.racks ?? []).forEach((r, i) => (r.routers ?? []).forEach((router, j) => {
      if (typeof router?.name === 'string') claim(router.name, `racks.racks[${i}].routers[${j}]`);
    }));
    (props.routeReflectors?.routers ?? []).forEach((router, j) => {
      if (typeof router?.name === 'string') claim(router.name, `routeReflectors.routers[${j}]`);
    });

    // Peer names are construct ids: two alike cannot both be built.
    check.stopIfFailed();
    this.torPeers = (props.torPeers ?? []).map((peer) => new CalicoBgpPeer(this, peer.name, { ...peer, calicoVersion: props.calicoVersion }));
    if (props.racks) {
      this.racks = new CalicoRackPeers(this, 'Racks', {
        ...props.racks,
        calicoVersion: props.calicoVersion,
        // With reflectors, only they peer with the routers (clients get the routes reflected).
        routerPeersSelector: props.routeReflectors ? (props.routeReflectors.selector ?? DEFAULT_ROUTE_REFLECTOR_SELECTOR) : undefined,
        keepOriginalNextHopByDefault: props.routeReflectors !== undefined,
      });
    }
    if (props.routeReflectors) {
      const racks = this.racks;
      this.routeReflectors = new CalicoRouteReflectors(this, 'RouteReflectors', {
        ...props.routeReflectors,
        calicoVersion: props.calicoVersion,
        racks: racks ? { rackSelector: (rack) => racks.rackSelector(rack), racks: racks.racks } : undefined,
      });
    }
    this.peers = [...this.torPeers, ...(this.racks?.peers ?? []), ...(this.routeReflectors?.peers ?? [])];
    const seen = new Set<string>();
    for (const p of this.peers) {
      if (seen.has(p.name)) check.fail('peers', `${JSON.stringify(p.name)} names two BGPPeers (a router or peer has the name of one the topology writes): rename it`);
      seen.add(p.name);
    }
    if (props.bgpConfiguration) {
      this.bgpConfiguration = new CalicoBgpConfiguration(this, 'BgpConfiguration', {
        ...props.bgpConfiguration, name: 'default', nodeToNodeMesh: this.nodeToNodeMesh,
      });
    }
    check.done();
  }

  /**
   * The per-node settings the topology needs on each node of `inventory`, and the inventory as it
   * will be once they are applied. For every node: the labels (of those the inventory gives) whose
   * keys the chart's selectors read (`labelKeys`), the AS of its rack (AS per rack) or its own
   * (AS per node, required), and, for the nodes the reflector selector matches, the cluster ID of
   * their reflector cluster. A setting the inventory already gives differently is an error.
   * @param inventory the nodes, with their labels
   * @param labelKeys label keys read by the selectors of the chart (BGPPeers, pools)
   */
  public nodeSettings<T extends TopologyNode>(inventory: readonly T[], labelKeys: readonly string[]): TopologyNodeSettings<T> {
    const violations: Violation[] = [];
    const problem = (node: string, path: string, message: string, severity: 'error' | 'warning' = 'error') =>
      violations.push({ apiVersion: 'v1', kind: 'Node', name: node, path, message, severity });
    const keys = new Set(labelKeys);
    const racks = this.racks;
    const rr = this.routeReflectors;
    const rrAst = rr ? parseSelector(rr.selector) : undefined;
    const settings: NodeSettings[] = [];
    const nodes: T[] = [];
    for (const node of [...inventory].sort((a, b) => cmp(a.name, b.name))) {
      const labels = node.labels ?? {};
      const ownAs = node.asNumber === undefined ? undefined : parseAsNumber(node.asNumber);
      if (ownAs && !ownAs.ok) {
        problem(node.name, 'asNumber', ownAs.error);
        continue;
      }
      let asNumber: number | null = ownAs?.value ?? null;
      let clusterId: string | null = node.routeReflectorClusterId ?? null;
      const rackName = racks ? labels[racks.rackLabel] : undefined;
      const rack = racks?.racks.find((r) => r.name === rackName);
      if (racks && !rack) {
        problem(node.name, `metadata.labels[${JSON.stringify(racks.rackLabel)}]`, rackName === undefined
          ? `node has no "${racks.rackLabel}" label, so it is in no rack and peers with no router: label it with its rack (one of ${racks.racks.map((r) => JSON.stringify(r.name)).join(', ')})`
          : `rack ${JSON.stringify(rackName)} is not one of the racks (${racks.racks.map((r) => JSON.stringify(r.name)).join(', ')}), so the node peers with no router: add the rack or fix the label`,
        'warning');
      }
      if (racks?.asModel === 'per-rack' && rack?.asNumber !== undefined) {
        if (asNumber !== null && asNumber !== rack.asNumber) {
          problem(node.name, 'asNumber', `node has AS ${asNumber} but its rack ${JSON.stringify(rack.name)} has AS ${rack.asNumber} (AS per rack): remove the node's own AS, or move it to a rack of that AS`);
        }
        asNumber = rack.asNumber;
      }
      if (racks?.asModel === 'per-node' && asNumber === null) {
        problem(node.name, 'asNumber', 'node has no AS number, but with asPerNode (AS per compute server) every node needs its own: give the inventory entry an asNumber');
      }
      const isReflector = rrAst?.ok === true && evaluateSelector(rrAst.ast, labels);
      if (rr && isReflector) {
        const id = rr.clusterIdFor(rackName);
        if (id === undefined) {
          problem(node.name, `metadata.labels[${JSON.stringify(racks?.rackLabel ?? 'rack')}]`, `node is a route reflector (it matches ${JSON.stringify(rr.selector)}) but is in no known rack, so it has no cluster ID: label it with its rack`);
        } else if (clusterId !== null && clusterId !== id) {
          problem(node.name, 'routeReflectorClusterId', `node has route-reflector cluster ID ${JSON.stringify(clusterId)} but its reflector cluster uses ${JSON.stringify(id)}: remove the node's own, or change the topology's`);
        } else {
          clusterId = id;
        }
      } else if (clusterId !== null) {
        problem(node.name, 'routeReflectorClusterId', rr
          ? `node has route-reflector cluster ID ${JSON.stringify(clusterId)}, so calico-node makes it a reflector (and leaves it out of the mesh), but the reflector selector ${JSON.stringify(rr.selector)} does not match its labels, so no client peers with it: label it as a reflector or remove the cluster ID`
          : `node has route-reflector cluster ID ${JSON.stringify(clusterId)}, so calico-node makes it a reflector (and leaves it out of the mesh), but the topology has no route reflectors: remove the cluster ID or add routeReflectors`);
      }
      const selected: Record<string, string> = {};
      for (const k of Object.keys(labels).sort(cmp)) if (keys.has(k)) selected[k] = labels[k];
      settings.push({ name: node.name, labels: selected, asNumber, routeReflectorClusterId: clusterId });
      nodes.push({ ...node, asNumber: asNumber ?? undefined, routeReflectorClusterId: clusterId ?? undefined });
    }
    return { settings, nodes, violations };
  }
}
