import { Construct } from 'constructs';
import { BgpConfiguration, BgpConfigurationSpecBindMode } from '../../imports/projectcalico.org';
import { DEFAULT_AS_NUMBER, DEFAULT_LISTEN_PORT } from '../model/calico-defaults';
import { bgpConfigurationNameProblem, misplacedDefaultOnlyFields } from '../model/calico-rules';
import { PropChecker } from './prop-checks';
import { BGP_CONFIGURATION_FIELDS } from './prop-shapes';

/** The prop of each BGPConfiguration spec field whose name differs. */
const PROP_OF_FIELD: Record<string, string> = {
  nodeToNodeMeshEnabled: 'nodeToNodeMesh',
  serviceClusterIPs: 'serviceClusterIps',
  serviceExternalIPs: 'serviceExternalIps',
  serviceLoadBalancerIPs: 'serviceLoadBalancerIps',
};

/** BIRD log level: Calico's `logSeverityScreen`. */
export type LogSeverity = 'Trace' | 'Debug' | 'Info' | 'Warning' | 'Error' | 'Fatal';

/** Which address BIRD listens on: `NodeIP` (the node's address only) or `None` (all addresses). */
export type BgpBindMode = 'None' | 'NodeIP';

/** A named BGP community that prefix advertisements can refer to. */
export interface BgpCommunity {
  /** Name used in `PrefixAdvertisement.communities`. */
  readonly name: string;
  /**
   * Community value: standard `aa:nn` (16-bit parts) or large `aa:nn:mm` (32-bit parts),
   * e.g. `64517:300:100`.
   */
  readonly value: string;
}

/** Communities attached to routes for a CIDR when Calico advertises it. */
export interface PrefixAdvertisement {
  /** CIDR of the advertised routes, e.g. the pod pool `10.33.0.0/17`. */
  readonly cidr: string;
  /** Community names (from `communities`) or literal values (`64517:120`). */
  readonly communities: readonly string[];
}

/** Props of {@link CalicoBgpConfiguration}. */
export interface CalicoBgpConfigurationProps {
  /**
   * Name of the BGPConfiguration: `default` is the cluster-wide one, `node.<node-name>` overrides one node.
   * @default 'default'
   */
  readonly name?: string;
  /**
   * AS number of the cluster's nodes. Calico's Go API takes 4-byte AS numbers, but every supported
   * release's CRD declares the field as int32, so values above 2147483647 are refused.
   * @default 64512 (Calico's default)
   */
  readonly asNumber?: number;
  /**
   * Whether nodes peer with each other in an iBGP full mesh. Top-of-Rack designs disable it and
   * peer every node with its router instead.
   * @default false
   */
  readonly nodeToNodeMesh?: boolean;
  /**
   * BIRD log level.
   * @default 'Info'
   */
  readonly logSeverity?: LogSeverity;
  /**
   * TCP port BIRD listens on (1-65535).
   * @default 179
   */
  readonly listenPort?: number;
  /**
   * Which address BIRD binds to. Calico's own default is `None` (all addresses); for peering with
   * routers binding to the node IP is what a ToR design wants.
   * @default 'NodeIP'
   */
  readonly bindMode?: BgpBindMode;
  /**
   * Service cluster-IP CIDRs to advertise to the peers.
   * @default - none advertised
   */
  readonly serviceClusterIps?: readonly string[];
  /**
   * Service external-IP CIDRs to advertise to the peers.
   * @default - none advertised
   */
  readonly serviceExternalIps?: readonly string[];
  /**
   * Service LoadBalancer-IP CIDRs to advertise to the peers.
   * @default - none advertised
   */
  readonly serviceLoadBalancerIps?: readonly string[];
  /**
   * Named BGP communities.
   * @default - none
   */
  readonly communities?: readonly BgpCommunity[];
  /**
   * Communities attached per advertised CIDR.
   * @default - none
   */
  readonly prefixAdvertisements?: readonly PrefixAdvertisement[];
}

/**
 * Calico's BGPConfiguration (projectcalico.org/v3): the cluster AS number, the node-to-node mesh,
 * what is advertised to peers and with which communities.
 */
export class CalicoBgpConfiguration extends Construct {
  /** The generated BGPConfiguration object. */
  public readonly resource: BgpConfiguration;
  /** Name of the BGPConfiguration (`default` or `node.<node-name>`). */
  public readonly name: string;
  /** The cluster AS number (written on `default` only). */
  public readonly asNumber: number;
  /** Whether the node-to-node mesh is enabled. */
  public readonly nodeToNodeMesh: boolean;

  constructor(scope: Construct, id: string, props: CalicoBgpConfigurationProps = {}) {
    super(scope, id);
    new PropChecker('CalicoBgpConfiguration').props(props, BGP_CONFIGURATION_FIELDS);
    const name = props.name ?? 'default';
    const check = new PropChecker(`CalicoBgpConfiguration "${name}"`, this);
    check.name('name', name);
    const nameProblem = bgpConfigurationNameProblem(name);
    if (nameProblem) check.fail('name', `${nameProblem.message}; a construct writes only what Calico reads`);
    check.asNumber('asNumber', props.asNumber);
    check.port('listenPort', props.listenPort);
    check.cidrs('serviceClusterIps', props.serviceClusterIps);
    check.cidrs('serviceExternalIps', props.serviceExternalIps);
    check.cidrs('serviceLoadBalancerIps', props.serviceLoadBalancerIps);
    (props.communities ?? []).forEach((c, i) => check.community(`communities[${i}].value`, c.value));
    (props.prefixAdvertisements ?? []).forEach((p, i) => check.cidr(`prefixAdvertisements[${i}].cidr`, p.cidr));
    this.asNumber = props.asNumber ?? DEFAULT_AS_NUMBER;
    this.nodeToNodeMesh = props.nodeToNodeMesh ?? false;
    this.name = name;
    const isDefault = name === 'default';
    const cidrs = (list?: readonly string[]) => (list && list.length > 0 ? list.map((cidr) => ({ cidr })) : undefined);
    const spec = {
      logSeverityScreen: props.logSeverity ?? 'Info',
      nodeToNodeMeshEnabled: isDefault ? this.nodeToNodeMesh : undefined,
      asNumber: isDefault ? this.asNumber : undefined,
      serviceClusterIPs: cidrs(props.serviceClusterIps),
      serviceExternalIPs: cidrs(props.serviceExternalIps),
      serviceLoadBalancerIPs: cidrs(props.serviceLoadBalancerIps),
      listenPort: props.listenPort ?? DEFAULT_LISTEN_PORT,
      bindMode: (props.bindMode ?? 'NodeIP') as BgpConfigurationSpecBindMode,
      communities: props.communities && props.communities.length > 0
        ? props.communities.map((c) => ({ name: c.name, value: c.value })) : undefined,
      prefixAdvertisements: props.prefixAdvertisements && props.prefixAdvertisements.length > 0
        ? props.prefixAdvertisements.map((p) => ({ cidr: p.cidr, communities: [...p.communities] })) : undefined,
    };
    // The spec as given (before the cluster defaults, which only "default" gets).
    const given = { ...spec, asNumber: props.asNumber, nodeToNodeMeshEnabled: props.nodeToNodeMesh };
    for (const field of misplacedDefaultOnlyFields(name, given)) {
      check.fail(PROP_OF_FIELD[field] ?? field, `can only be set on the BGPConfiguration named "default", not on ${JSON.stringify(name)}; set it there (a node's AS number is set on its Calico Node)`);
    }
    this.resource = new BgpConfiguration(this, 'Resource', { metadata: { name }, spec });
    check.done();
  }
}
