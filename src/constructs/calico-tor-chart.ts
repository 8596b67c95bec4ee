import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { BgpBindMode, BgpCommunity, CalicoBgpConfiguration, LogSeverity, PrefixAdvertisement } from './bgp-configuration';
import { BgpPasswordAccess } from './bgp-password-access';
import { BgpPeerOptions, CalicoBgpPeer } from './bgp-peer';
import { CalicoApiServer } from './calico-api-server';
import { CalicoCrds } from './calico-crds';
import { Calicoctl, CalicoctlProps } from './calicoctl';
import { CalicoInstallation, NodeAddressAutodetection, PodIpPool } from './calico-installation';
import { CalicoStage } from './calico-stage';
import { chartApiObjects } from './render';
import { CALICO_RELEASES, CALICO_VERSIONS, CalicoVersion, DEFAULT_CALICO_VERSION, calicoRelease } from '../releases/releases';
import { TigeraOperator, TigeraOperatorProps } from './tigera-operator';
import { ApiMode, ManifestObject, Violation, formatViolation, validateManifests } from '../validation';
import { PropChecker } from './prop-checks';
import { CALICO_TOR_CHART_FIELDS } from './prop-shapes';

const CALICO_TOR_CHART = Symbol.for('cdk8s-calico.CalicoTorChart');

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
   * Settings of the Tigera operator (registry mirror, pull secrets, tolerations, node selector,
   * API server endpoint for clusters without kube-proxy).
   * @default - the release's upstream operator manifest as is
   */
  readonly operator?: Omit<TigeraOperatorProps, 'calicoVersion' | 'apiMode'>;
  /**
   * Registry of Calico's component images (calico-node, typha...), e.g. a private mirror
   * `registry.example.com`. The operator image is set with `operator.registry`.
   * @default - Calico's default registries
   */
  readonly registry?: string;
  /**
   * Names of existing image pull Secrets for Calico's component images.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Emit the CRDs even when the release's operator installs them itself (v3.31+ run the operator
   * with `-manage-crds=true`), e.g. so a deploy tool knows the kinds before the operator runs.
   * v3.24.5's CRDs, and native v3 CRDs, are always emitted.
   * @default false
   */
  readonly crds?: boolean;
  /**
   * An in-cluster calicoctl (DaemonSet) so `kubectl exec ... -- calicoctl node status` works on
   * the nodes without a workstation install; it has no API access unless `apiAccess` is set (see
   * {@link CalicoctlProps} and docs/calicoctl.md). `true` for the defaults.
   * @default false
   */
  readonly calicoctl?: boolean | Omit<CalicoctlProps, 'calicoVersion' | 'apiMode'>;
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
   * How calico-node detects each node's IPv6 address, for IPv6 pools.
   * @default - Calico's default (first found)
   */
  readonly nodeAddressAutodetectionV6?: NodeAddressAutodetection;
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
 * A complete Calico deployment for a bare-metal cluster that peers with its Top-of-Rack routers,
 * split into apply stages: the CRDs (where the operator does not install them), the Tigera
 * operator, the Installation (BGP enabled, pod pools) and APIServer, then the BGPPeers (one per
 * router) and the BGPConfiguration (node-to-node mesh disabled by default).
 */
export class CalicoTorChart extends Chart {
  /**
   * Whether `x` is a CalicoTorChart. (`instanceof` cannot tell: cdk8s's Chart answers it for every
   * chart, and copies of the library loaded twice would not match either.)
   */
  public static isCalicoTorChart(x: unknown): x is CalicoTorChart {
    return x !== null && typeof x === 'object' && CALICO_TOR_CHART in x;
  }

  /** The Calico release. */
  public readonly calicoVersion: CalicoVersion;
  /** How projectcalico.org/v3 objects are served. */
  public readonly apiMode: ApiMode;
  /** Stage 0: CustomResourceDefinitions (empty when the operator installs them). */
  public readonly crdStage: CalicoStage;
  /** Stage 1: the Tigera operator. */
  public readonly operatorStage: CalicoStage;
  /** The CRDs emitted (none when the operator installs them). */
  public readonly crds: CalicoCrds;
  /** The Tigera operator. */
  public readonly operator: TigeraOperator;
  /** The in-cluster calicoctl, when enabled. */
  public readonly calicoctl?: Calicoctl;
  /** Stage 2: Installation and APIServer. */
  public readonly installationStage: CalicoStage;
  /** Stage 3: projectcalico.org/v3 objects (BGPPeers, then the BGPConfiguration). */
  public readonly calicoResourcesStage: CalicoStage;
  /** The Installation. */
  public readonly installation: CalicoInstallation;
  /** The APIServer (in `native-v3-crds` mode it runs Calico's admission webhooks). */
  public readonly apiServer: CalicoApiServer;
  /** The BGPConfiguration `default`. */
  public readonly bgpConfiguration: CalicoBgpConfiguration;
  /** The Role and RoleBinding that let calico-node read the peers' password Secrets, if any. */
  public readonly bgpPasswordAccess?: BgpPasswordAccess;
  /** One BGPPeer per router, in the order given. */
  public readonly torPeers: readonly CalicoBgpPeer[];
  private readonly expectedNodes?: number;

  constructor(scope: Construct, id: string, props: CalicoTorChartProps = {}) {
    // Prop types are checked before cdk8s's Chart reads any of them.
    super(scope, id, checkedChartProps(id, props));
    Object.defineProperty(this, CALICO_TOR_CHART, { value: true });
    this.calicoVersion = props.calicoVersion ?? DEFAULT_CALICO_VERSION;
    this.apiMode = props.apiMode ?? 'apiserver';
    this.expectedNodes = props.expectedNodes;

    const release = calicoRelease(this.calicoVersion);
    if (this.apiMode === 'native-v3-crds' && !release.nativeV3Crds) {
      const newer = CALICO_VERSIONS.filter((v) => CALICO_RELEASES[v].nativeV3Crds);
      throw new Error(`CalicoTorChart: apiMode "native-v3-crds" is not available in Calico ${this.calicoVersion}. `
        + `Native projectcalico.org/v3 CRDs need ${newer.join(' or ')}; use apiMode "apiserver" with ${this.calicoVersion}.`);
    }
    if (this.apiMode !== 'apiserver' && this.apiMode !== 'native-v3-crds') {
      throw new Error(`CalicoTorChart: apiMode "${this.apiMode}" is not supported. Use "apiserver" or "native-v3-crds".`);
    }

    this.crdStage = new CalicoStage(this, 'crds', { fileName: '00-crds', syncWave: 0 });
    // Native mode: the projectcalico.org/v3 CRDs must exist before the operator starts, which
    // picks its mode from the CRDs present.
    this.crds = new CalicoCrds(this.crdStage, 'Crds', {
      calicoVersion: this.calicoVersion,
      set: this.apiMode,
      emit: (props.crds ?? false) || this.apiMode === 'native-v3-crds' ? 'always' : 'when-operator-does-not-manage',
    });

    this.operatorStage = new CalicoStage(this, 'operator', { fileName: '01-tigera-operator', syncWave: 1 });
    this.operator = new TigeraOperator(this.operatorStage, 'TigeraOperator', {
      ...props.operator,
      calicoVersion: this.calicoVersion,
      apiMode: this.apiMode,
    });

    this.installationStage = new CalicoStage(this, 'installation', {
      fileName: '02-calico-installation', syncWave: 2, apiFromEarlierStage: true,
    });
    this.installation = new CalicoInstallation(this.installationStage, 'Installation', {
      calicoVersion: this.calicoVersion,
      ipPools: props.podIpPools,
      bgp: true,
      nodeAddressAutodetectionV4: props.nodeAddressAutodetectionV4,
      nodeAddressAutodetectionV6: props.nodeAddressAutodetectionV6,
      registry: props.registry,
      imagePullSecrets: props.imagePullSecrets,
    });
    // Also in native mode: there the operator runs Calico's admission webhooks for it instead of
    // the aggregated API server (Calico docs, "Enable native v3 CRDs").
    this.apiServer = new CalicoApiServer(this.installationStage, 'ApiServer');
    if (props.calicoctl) {
      // BIRD6 (and its socket) runs only where calico-node has an IPv6 address, i.e. with an IPv6 pool.
      const v6 = this.installation.ipPools.some((p) => p.cidr.includes(':'));
      this.calicoctl = new Calicoctl(this.installationStage, 'Calicoctl', {
        ipFamilies: v6 ? [4, 6] : [4],
        ...(props.calicoctl === true ? {} : props.calicoctl),
        calicoVersion: this.calicoVersion,
        apiMode: this.apiMode,
      });
    }

    // The stage writes its BGPConfiguration after every BGPPeer (laterKinds), also after peers that
    // users add later: disabling the mesh before the peers exist drops pod routes.
    this.calicoResourcesStage = new CalicoStage(this, 'calico-resources', {
      fileName: '03-calico-resources', syncWave: 3, apiFromEarlierStage: true,
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
    // calico-node reads password Secrets only with RBAC for them, in its own namespace.
    const passwordSecrets = this.torPeers.flatMap((p) => (p.options.password ? [p.options.password.name] : []));
    if (passwordSecrets.length > 0) {
      this.bgpPasswordAccess = new BgpPasswordAccess(this.calicoResourcesStage, 'BgpPasswordAccess', { secretNames: passwordSecrets });
    }

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

  /**
   * Renders the chart (as `Testing.synth()` and `App.synth()` do, validation included), in apply
   * order: within a stage, its later kinds (the BGPConfiguration) after the other objects.
   */
  public override toJson(): any[] {
    super.toJson();
    return this.manifests();
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

function checkedChartProps(id: string, props: CalicoTorChartProps): CalicoTorChartProps {
  const check = new PropChecker(`CalicoTorChart "${id}"`);
  check.props(props, CALICO_TOR_CHART_FIELDS);
  check.namespace('namespace', props.namespace);
  return props;
}
