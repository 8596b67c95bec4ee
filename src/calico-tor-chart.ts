import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpBindMode, BgpCommunity, CalicoBgpConfiguration, LogSeverity, PrefixAdvertisement } from './bgp-configuration';
import { BgpPeerOptions, CalicoBgpPeer } from './bgp-peer';
import { CalicoApiServer } from './calico-api-server';
import { CalicoInstallation, NodeAddressAutodetection, PodIpPool } from './calico-installation';
import { CalicoStage } from './calico-stage';
import { chartApiObjects } from './render';
import { CalicoVersion, DEFAULT_CALICO_VERSION, calicoRelease } from './releases';
import { ApiMode, ManifestObject, Violation, formatViolation, validateManifests } from './validation';

/** Props of {@link CalicoTorChart}. */
export interface CalicoTorChartProps extends ChartProps {
  /**
   * Calico release to deploy; chooses the operator, the CRDs and the schemas used for validation.
   * @default DEFAULT_CALICO_VERSION (the newest supported)
   */
  readonly calicoVersion?: CalicoVersion;
  /**
   * How projectcalico.org/v3 objects are served: by the Calico API server (`apiserver`) or by
   * native v3 CRDs without API server (`native-v3-crds`, Calico v3.32+ tech preview).
   * @default 'apiserver'
   */
  readonly apiMode?: ApiMode;
  /**
   * Pod IP pools, created by the operator at install time (they cannot be changed afterwards).
   * @default - one IPv4 pool 192.168.0.0/16 with Calico's defaults
   */
  readonly podIpPools?: readonly PodIpPool[];
  /**
   * AS number of the cluster's nodes.
   * @default 64512
   */
  readonly asNumber?: number;
  /**
   * Routers every node (or a selection of nodes) peers with. With the node-to-node mesh disabled
   * at least one peer is required, or nodes lose their routes to other nodes' pods.
   * @default - none
   */
  readonly torPeers?: readonly BgpPeerOptions[];
  /**
   * Keep Calico's iBGP node-to-node mesh. A ToR design disables it.
   * @default false
   */
  readonly nodeToNodeMesh?: boolean;
  /**
   * Service cluster-IP CIDRs advertised to the peers (the cluster's service CIDR).
   * @default - none advertised
   */
  readonly serviceClusterIps?: readonly string[];
  /**
   * Service external-IP CIDRs advertised to the peers.
   * @default - none advertised
   */
  readonly serviceExternalIps?: readonly string[];
  /**
   * Service LoadBalancer-IP CIDRs advertised to the peers.
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
  /**
   * BIRD log level.
   * @default 'Info'
   */
  readonly logSeverity?: LogSeverity;
  /**
   * BGP listen port (1-65535).
   * @default 179
   */
  readonly listenPort?: number;
  /**
   * Which address BIRD binds to.
   * @default 'NodeIP'
   */
  readonly bindMode?: BgpBindMode;
  /**
   * How calico-node detects each node's IPv4 address; on multi-homed bare metal, set it (e.g. the
   * router network CIDR).
   * @default - Calico's default (first found)
   */
  readonly nodeAddressAutodetectionV4?: NodeAddressAutodetection;
  /**
   * Number of nodes the pools must serve: a warning is raised when a pool has fewer blocks.
   * @default - not checked
   */
  readonly expectedNodes?: number;
  /**
   * Add Argo CD sync waves and sync options to every object.
   * @default false
   */
  readonly argoCd?: boolean;
}

/**
 * A complete Calico deployment for a bare-metal cluster that peers with its Top-of-Rack routers:
 * the Installation (BGP enabled, pod pools), the APIServer, the BGPConfiguration (node-to-node
 * mesh disabled by default) and one BGPPeer per router, split into apply stages.
 */
export class CalicoTorChart extends Chart {
  /** The Calico release. */
  public readonly calicoVersion: CalicoVersion;
  /** How projectcalico.org/v3 objects are served. */
  public readonly apiMode: ApiMode;
  /** Stage 2: Installation and APIServer. */
  public readonly installationStage: CalicoStage;
  /** Stage 3: projectcalico.org/v3 objects (BGPPeers, then the BGPConfiguration). */
  public readonly calicoResourcesStage: CalicoStage;
  /** The Installation. */
  public readonly installation: CalicoInstallation;
  /** The APIServer (absent in `native-v3-crds` mode). */
  public readonly apiServer?: CalicoApiServer;
  /** The BGPConfiguration `default`. */
  public readonly bgpConfiguration: CalicoBgpConfiguration;
  /** One BGPPeer per router, in the order given. */
  public readonly torPeers: readonly CalicoBgpPeer[];
  private readonly expectedNodes?: number;

  constructor(scope: Construct, id: string, props: CalicoTorChartProps = {}) {
    super(scope, id, props);
    this.calicoVersion = props.calicoVersion ?? DEFAULT_CALICO_VERSION;
    calicoRelease(this.calicoVersion);
    this.apiMode = props.apiMode ?? 'apiserver';
    this.expectedNodes = props.expectedNodes;

    this.installationStage = new CalicoStage(this, 'installation', {
      fileName: '02-calico-installation', syncWave: 1, apiFromEarlierStage: true,
    });
    this.installation = new CalicoInstallation(this.installationStage, 'Installation', {
      calicoVersion: this.calicoVersion,
      ipPools: props.podIpPools,
      bgp: true,
      nodeAddressAutodetectionV4: props.nodeAddressAutodetectionV4,
    });
    if (this.apiMode === 'apiserver') {
      this.apiServer = new CalicoApiServer(this.installationStage, 'ApiServer');
    }

    this.calicoResourcesStage = new CalicoStage(this, 'calico-resources', {
      fileName: '03-calico-resources', syncWave: 2, apiFromEarlierStage: true,
      laterKinds: ['BGPConfiguration'],
    });
    this.torPeers = (props.torPeers ?? []).map((peer, i) => new CalicoBgpPeer(this.calicoResourcesStage, `Peer${i}`, peer));
    this.bgpConfiguration = new CalicoBgpConfiguration(this.calicoResourcesStage, 'BgpConfiguration', {
      asNumber: props.asNumber,
      nodeToNodeMesh: props.nodeToNodeMesh,
      logSeverity: props.logSeverity,
      listenPort: props.listenPort,
      bindMode: props.bindMode,
      serviceClusterIps: props.serviceClusterIps,
      serviceExternalIps: props.serviceExternalIps,
      serviceLoadBalancerIps: props.serviceLoadBalancerIps,
      communities: props.communities,
      prefixAdvertisements: props.prefixAdvertisements,
    });
    // Peers first: disabling the mesh before the peers exist drops pod routes.
    for (const peer of this.torPeers) this.bgpConfiguration.node.addDependency(peer);

    if (props.argoCd ?? false) {
      for (const stage of this.stages) stage.addArgoCdAnnotations();
    }

    this.node.addValidation({
      validate: () => this.calicoViolations().filter((v) => v.severity === 'error').map(formatViolation),
    });
  }

  /** The stages of this chart in apply order (each is written to its own file by CalicoApp). */
  public get stages(): CalicoStage[] {
    return this.node.children.filter(CalicoStage.isStage);
  }

  /** Every object of the chart as JSON, in apply order, without running validation. */
  public manifests(): ManifestObject[] {
    return chartApiObjects(this).map((o) => o.toJson());
  }

  /**
   * Validates the whole chart against the selected release's schemas, Calico's rules and the
   * cross-resource rules. Errors fail synthesis (through `node.addValidation`); warnings are
   * returned too.
   * @param manifests the chart's rendered objects, if already at hand
   */
  public calicoViolations(manifests: readonly ManifestObject[] = this.manifests()): Violation[] {
    return validateManifests(manifests.map((object) => ({ object })), {
      calicoVersion: this.calicoVersion,
      apiMode: this.apiMode,
      complete: true,
      expectedNodes: this.expectedNodes,
    });
  }
}
