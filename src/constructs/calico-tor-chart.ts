import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoBgpConfiguration, CalicoBgpConfigurationProps } from './bgp-configuration';
import { BgpPasswordAccess } from './bgp-password-access';
import { BgpPeerOptions, CalicoBgpPeer } from './bgp-peer';
import { CalicoApiServer } from './calico-api-server';
import { CalicoCrds } from './calico-crds';
import { Calicoctl, CalicoctlProps } from './calicoctl';
import { CalicoInstallation, CalicoInstallationProps } from './calico-installation';
import { CalicoStage } from './calico-stage';
import { chartApiObjects, renderObject } from './render';
import { CalicoVersion } from '../releases/releases';
import { ApiMode, CalicoDeploymentProps, CalicoReleaseProps } from '../releases/resolve-release';
import { PropChecker, collectPropProblems } from './prop-checks';
import { TigeraOperator, TigeraOperatorProps } from './tigera-operator';
import { CalicoValidationError, ManifestObject, Violation, formatViolation, validateManifests } from '../validation';
import { CALICO_TOR_CHART_FIELDS } from './prop-shapes';

const CALICO_TOR_CHART = Symbol.for('cdk8s-calico.CalicoTorChart');

/**
 * Props of {@link CalicoTorChart}: the chart's own, composed with those of the Installation (pod
 * pools, node address detection, MTU, registry) and of the BGPConfiguration `default` (AS number,
 * mesh, advertised service ranges, communities), each documented once, where it is used.
 */
export interface CalicoTorChartProps extends ChartProps, CalicoDeploymentProps,
  Omit<CalicoInstallationProps, keyof CalicoReleaseProps | 'bgp'>,
  Omit<CalicoBgpConfigurationProps, 'name'> {
  /**
   * Settings of the Tigera operator (registry mirror, pull secrets, tolerations, node selector,
   * API server endpoint for clusters without kube-proxy).
   * @default - the release's upstream operator manifest as is
   */
  readonly operator?: Omit<TigeraOperatorProps, keyof CalicoDeploymentProps>;
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
  readonly calicoctl?: boolean | Omit<CalicoctlProps, keyof CalicoDeploymentProps>;
  /**
   * Routers every node (or a selection of nodes) peers with, one BGPPeer each (construct id = the
   * peer's name). With the node-to-node mesh disabled at least one peer is required, or nodes lose
   * their routes to other nodes' pods.
   * @default - none
   */
  readonly torPeers?: readonly BgpPeerOptions[];
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
  private _warnings: readonly Violation[] = [];

  constructor(scope: Construct, id: string, props: CalicoTorChartProps = {}) {
    // Prop types are checked before cdk8s's Chart reads any of them.
    super(scope, id, checkedChartProps(id, props));
    Object.defineProperty(this, CALICO_TOR_CHART, { value: true });
    // The prop problems of every construct of the chart are reported together, at the end.
    const propProblems = collectPropProblems(this);
    const check = new PropChecker('CalicoTorChart', this);
    const { version, apiMode } = check.release(props);
    // Each peer's name is its construct id: checked here, before it becomes one.
    const peerNames = new Set<string>();
    (props.torPeers ?? []).forEach((peer, i) => {
      check.name(`torPeers[${i}].name`, peer?.name);
      if (peerNames.has(peer.name)) check.fail(`torPeers[${i}].name`, `${JSON.stringify(peer.name)} names two peers: give each BGPPeer its own name`);
      peerNames.add(peer.name);
    });
    // Peer names are construct ids: two alike cannot both be built.
    check.stopIfFailed();
    this.calicoVersion = version;
    this.apiMode = apiMode;
    this.expectedNodes = props.expectedNodes;

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
      // The chart's props hold the Installation's: passed through, with the release and BGP on.
      ...props,
      calicoVersion: this.calicoVersion,
      bgp: true,
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
    this.torPeers = (props.torPeers ?? []).map((peer) => new CalicoBgpPeer(this.calicoResourcesStage, peer.name, peer));
    this.bgpConfiguration = new CalicoBgpConfiguration(this.calicoResourcesStage, 'BgpConfiguration', { ...props, name: 'default' });
    // calico-node reads password Secrets only with RBAC for them, in its own namespace.
    const passwordSecrets = this.torPeers.flatMap((p) => (p.password ? [p.password.name] : []));
    if (passwordSecrets.length > 0) {
      this.bgpPasswordAccess = new BgpPasswordAccess(this.calicoResourcesStage, 'BgpPasswordAccess', { secretNames: passwordSecrets });
    }

    if (props.argoCd ?? false) {
      // Computed at render time: objects users add to a stage later get them too.
      for (const stage of this.stages) stage.addArgoCdAnnotations();
    }

    // Synthesis (App.synth, Testing.synth, chart.toJson) fails with a CalicoValidationError that
    // lists every violation; the warnings are kept for the App to print (see printWarningsOnSynth).
    this.node.addValidation({
      validate: () => {
        const violations = this.calicoViolations();
        this._warnings = violations.filter((v) => v.severity !== 'error');
        if (violations.length > this._warnings.length) {
          throw new CalicoValidationError([...violations.filter((v) => v.severity === 'error'), ...this._warnings]);
        }
        return [];
      },
    });
    printWarningsOnSynth(this);
    propProblems.finish();
  }

  /**
   * The warnings found when the chart was last validated (by `App.synth()`, `Testing.synth()` or
   * `toJson()`); empty before. `CalicoApp` keeps its own in `CalicoApp.warnings`.
   */
  public get warnings(): readonly Violation[] {
    return this._warnings;
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
    return chartApiObjects(this).map(renderObject);
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

const PRINTS_WARNINGS = Symbol.for('cdk8s-calico.printsWarnings');

/**
 * Makes the chart's App print the Calico warnings of its CalicoTorCharts to stderr after each
 * successful `synth()`, once per synth (cdk8s validates twice during one, so the validation
 * cannot print). `CalicoApp` (branded with the same symbol) prints them itself; `Testing.synth`
 * prints nothing (the warnings are returned by `CalicoTesting.synth` and `chart.warnings`).
 */
function printWarningsOnSynth(chart: CalicoTorChart): void {
  const app = chart.node.root as unknown as { synth?: (...args: unknown[]) => unknown; [PRINTS_WARNINGS]?: true };
  if (typeof app.synth !== 'function' || app[PRINTS_WARNINGS]) return;
  const synth = app.synth;
  Object.defineProperty(app, PRINTS_WARNINGS, { value: true });
  Object.defineProperty(app, 'synth', {
    configurable: true,
    writable: true,
    value(this: typeof chart.node.root, ...args: unknown[]) {
      const result = synth.apply(this, args);
      for (const c of this.node.findAll()) {
        if (CalicoTorChart.isCalicoTorChart(c)) for (const w of c.warnings) process.stderr.write(`${formatViolation(w)}\n`);
      }
      return result;
    },
  });
}

/**
 * The props, checked for JavaScript types (and the chart namespace) before anything reads them:
 * building the chart from values of the wrong type would end in a TypeError.
 */
function checkedChartProps(id: string, props: CalicoTorChartProps): CalicoTorChartProps {
  const check = new PropChecker(`CalicoTorChart "${id}"`);
  check.props(props, CALICO_TOR_CHART_FIELDS);
  check.namespace('namespace', props.namespace);
  return props;
}
