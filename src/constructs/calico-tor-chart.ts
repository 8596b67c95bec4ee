import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { CalicoBgpConfiguration, CalicoBgpConfigurationProps } from './bgp-configuration';
import { BgpPasswordAccess } from './bgp-password-access';
import { CalicoBgpPeer } from './bgp-peer';
import { CalicoApiServer, CalicoApiServerProps } from './calico-api-server';
import { CalicoGoldmane, CalicoWhisker } from './calico-observability';
import { CalicoFelixConfiguration } from './felix-configuration';
import { FelixConfigurationSpecJson, GoldmaneSpecJson, WhiskerSpecJson } from '../releases/spec-types';
import { CalicoCrds } from './calico-crds';
import { Calicoctl, CalicoctlProps } from './calicoctl';
import { CalicoInstallation, CalicoInstallationProps } from './calico-installation';
import { CalicoStage } from './calico-stage';
import { chartApiObjects, renderObject } from './render';
import { CalicoVersion } from '../releases/releases';
import { ApiMode, CalicoDeploymentProps, CalicoReleaseProps } from '../releases/resolve-release';
import { PropChecker, collectPropProblems } from './prop-checks';
import { TigeraOperator, TigeraOperatorProps } from './tigera-operator';
import { CALICO_VERSION_CONTEXT } from './release-context';
import { CalicoBgpTopology } from './topology/bgp-topology';
import { CalicoNetworkTopologyProps } from './topology/network-topology-props';
import { ArtifactFile, NodeSettings, nodeSettingsFiles } from './topology/node-settings';
import { selectorLabelKeys } from './topology/selectors';
import { BgpPlan, computePlan, formatPlanText, NodeInventoryEntry } from '../plan';
import { RouterConfigError, RouterConfigOptions, routerConfigs } from '../routers';
import { CalicoValidationError, ManifestObject, Violation, formatViolation, validateManifests } from '../validation';
import { CALICO_TOR_CHART_FIELDS } from './prop-shapes';

const CALICO_TOR_CHART = Symbol.for('cdk8s-calico.CalicoTorChart');

/**
 * The chart props whose value becomes an object's `spec` as written, by the object's kind: a
 * violation at `spec.x` of that object is the prop's `x` (tools such as the values CLI use this to
 * point at the prop).
 */
export const PASS_THROUGH_SPEC_PROPS: Readonly<Record<string, string>> = {
  Installation: 'installationSpec',
  APIServer: 'apiServerSpec',
  Goldmane: 'goldmane',
  Whisker: 'whisker',
  FelixConfiguration: 'felixConfiguration',
};

/**
 * Props of {@link CalicoTorChart}: the chart's own, composed with those of the Installation (pod
 * pools, node address detection, MTU, registry) and of the BGPConfiguration `default` (AS number,
 * mesh, advertised service ranges, communities), each documented once, where it is used.
 */
export interface CalicoTorChartProps extends ChartProps, CalicoDeploymentProps,
  Omit<CalicoInstallationProps, keyof CalicoReleaseProps | 'bgp'>,
  Omit<CalicoBgpConfigurationProps, 'name'>,
  Omit<CalicoApiServerProps, keyof CalicoReleaseProps>, CalicoNetworkTopologyProps {
  /**
   * Goldmane, Calico's flow aggregator (operator CR of v3.30+; refused on older releases): `true`
   * for the operator's defaults, or its spec (JSON field names).
   * @default false
   */
  readonly goldmane?: boolean | GoldmaneSpecJson;
  /**
   * Whisker, Calico's observability UI (operator CR of v3.30+; refused on older releases), which
   * shows the flows Goldmane aggregates: enable both. `true` for the operator's defaults, or its
   * spec (JSON field names).
   * @default false
   */
  readonly whisker?: boolean | WhiskerSpecJson;
  /**
   * The FelixConfiguration `default` (projectcalico.org/v3, applied with the BGP objects): Felix's
   * settings for every node, JSON field names as in Calico's reference, e.g.
   * `{ prometheusMetricsEnabled: true, bpfExternalServiceMode: 'DSR' }`. Fields are checked
   * against the selected release's schema.
   * @default - none emitted (Calico's defaults; the operator writes the few it manages)
   */
  readonly felixConfiguration?: FelixConfigurationSpecJson;
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
   * {@link CalicoctlProps} and the README's calicoctl section). `true` for the defaults.
   * @default false
   */
  readonly calicoctl?: boolean | Omit<CalicoctlProps, keyof CalicoDeploymentProps>;
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
  /** Goldmane, when enabled. */
  public readonly goldmane?: CalicoGoldmane;
  /** Whisker, when enabled. */
  public readonly whisker?: CalicoWhisker;
  /** The FelixConfiguration `default`, when given. */
  public readonly felixConfiguration?: CalicoFelixConfiguration;
  /** The BGPConfiguration `default`. */
  public readonly bgpConfiguration: CalicoBgpConfiguration;
  /** The Role and RoleBinding that let calico-node read the peers' password Secrets, if any. */
  public readonly bgpPasswordAccess?: BgpPasswordAccess;
  /** One BGPPeer per `torPeers` entry, in the order given. */
  public readonly torPeers: readonly CalicoBgpPeer[];
  /** The BGP topology: `torPeers`, the racks' routers and the route reflectors' BGPPeers. */
  public readonly topology: CalicoBgpTopology;
  /** The node inventory, when given. */
  public readonly inventory?: readonly NodeInventoryEntry[];
  private readonly planFiles: readonly string[];
  private readonly routerConfigOptions?: RouterConfigOptions;
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
    // The constructs inside (BGPPeers, topologies) check their props against this release.
    this.node.setContext(CALICO_VERSION_CONTEXT, version);
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
    if ((props.installationSpec?.calicoNetwork as { bgp?: unknown } | undefined)?.bgp !== undefined) {
      check.fail('installationSpec.calicoNetwork.bgp', 'this chart peers with routers over BGP, so BGP is always Enabled: remove the field');
    }
    this.installation = new CalicoInstallation(this.installationStage, 'Installation', {
      // The chart's props hold the Installation's: passed through, with the release and BGP on.
      ...props,
      calicoVersion: this.calicoVersion,
      bgp: true,
    });
    // Also in native mode: there the operator runs Calico's admission webhooks for it instead of
    // the aggregated API server (Calico docs, "Enable native v3 CRDs").
    this.apiServer = new CalicoApiServer(this.installationStage, 'ApiServer', { ...props, calicoVersion: this.calicoVersion });
    const crSpec = <T>(v: boolean | T | undefined): T | undefined => (typeof v === 'boolean' ? undefined : v);
    if (props.goldmane !== undefined && props.goldmane !== false) {
      this.goldmane = new CalicoGoldmane(this.installationStage, 'Goldmane', { calicoVersion: this.calicoVersion, spec: crSpec(props.goldmane) });
    }
    if (props.whisker !== undefined && props.whisker !== false) {
      this.whisker = new CalicoWhisker(this.installationStage, 'Whisker', { calicoVersion: this.calicoVersion, spec: crSpec(props.whisker) });
    }
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
    this.topology = new CalicoBgpTopology(this.calicoResourcesStage, 'Topology', {
      torPeers: props.torPeers,
      racks: props.racks,
      routeReflectors: props.routeReflectors,
      nodeToNodeMesh: props.nodeToNodeMesh,
    });
    this.torPeers = this.topology.torPeers;
    this.bgpConfiguration = new CalicoBgpConfiguration(this.calicoResourcesStage, 'BgpConfiguration', { ...props, name: 'default' });
    this.inventory = props.nodes;
    this.planFiles = [...new Set(props.planFiles ?? [])];
    this.planFiles.forEach((f, i) => {
      if (f !== 'json' && f !== 'markdown') check.fail(`planFiles[${i}]`, `${JSON.stringify(f)} is not a plan format: use "json" (plan.json) or "markdown" (plan.md)`);
    });
    if (props.planFiles?.length && !props.nodes) check.fail('planFiles', 'the plan needs the node inventory: give nodes (names, labels, addresses)');
    if (props.routerConfigs && !props.nodes) check.fail('routerConfigs', 'router configurations come from the plan, which needs the node inventory: give nodes (names, labels, addresses)');
    if (props.routerConfigs) this.routerConfigOptions = this.defaultRouterOptions(props.routerConfigs === true ? {} : props.routerConfigs);
    if (props.felixConfiguration !== undefined) {
      this.felixConfiguration = new CalicoFelixConfiguration(this.calicoResourcesStage, 'FelixConfiguration', { spec: props.felixConfiguration });
    }
    // calico-node reads password Secrets only with RBAC for them, in its own namespace.
    const passwordSecrets = [...new Set(this.topology.peers.flatMap((p) => (p.password ? [p.password.name] : [])))];
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
    const violations = validateManifests(manifests.map((object) => ({ object })), {
      calicoVersion: this.calicoVersion,
      apiMode: this.apiMode,
      complete: true,
      expectedNodes: this.expectedNodes,
    });
    if (!this.inventory) return violations;
    const derived = this.derive(manifests);
    violations.push(...derived.violations, ...derived.plan.findings);
    if (this.routerConfigOptions) {
      try {
        routerConfigs(derived.plan, this.routerConfigOptions);
      } catch (e) {
        if (!(e instanceof RouterConfigError)) throw e;
        for (const p of e.problems) {
          violations.push({ apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', name: p.router, path: `routerConfigs ${p.path}`, message: p.message, severity: 'error' });
        }
      }
    }
    return violations;
  }

  /**
   * The BGP plan of the chart's objects over the node inventory (with the node settings applied),
   * as calico-node will run it; undefined without an inventory.
   * @param manifests the chart's rendered objects, if already at hand
   */
  public plan(manifests: readonly ManifestObject[] = this.manifests()): BgpPlan | undefined {
    return this.inventory ? this.derive(manifests).plan : undefined;
  }

  /** Node settings and plan, computed once per rendering. */
  private derive(manifests: readonly ManifestObject[]): { settings: readonly NodeSettings[]; violations: readonly Violation[]; plan: BgpPlan } {
    const cached = this.derived.get(manifests);
    if (cached) return cached;
    const d = this.topology.nodeSettings(this.inventory ?? [], selectorLabelKeysOf(manifests));
    const racks = this.topology.racks;
    const plan = computePlan(manifests, {
      calicoVersion: this.calicoVersion,
      nodes: d.nodes,
      rackLabel: racks?.rackLabel,
      routersSendDefaultRoute: racks !== undefined && racks.asModel === 'shared' && racks.sharedAsRoutes === 'default-route',
    });
    const result = { settings: d.settings, violations: d.violations, plan };
    this.derived.set(manifests, result);
    return result;
  }
  private readonly derived = new WeakMap<readonly ManifestObject[], { settings: readonly NodeSettings[]; violations: readonly Violation[]; plan: BgpPlan }>();

  /** Racks sharing one AS that rely on a default route: their routers send one unless told otherwise. */
  private defaultRouterOptions(options: RouterConfigOptions): RouterConfigOptions {
    const racks = this.topology.racks;
    if (!racks || racks.asModel !== 'shared' || racks.sharedAsRoutes !== 'default-route' || options.exportPolicy !== undefined) return options;
    const routers: Record<string, NonNullable<RouterConfigOptions['routers']>[string]> = { ...options.routers };
    for (const peer of racks.peers) routers[peer.name] = { exportPolicy: 'default-route', ...options.routers?.[peer.name] };
    return { ...options, routers };
  }

  /**
   * What each node of the inventory needs on its Kubernetes Node (labels the selectors read, own
   * AS, reflector cluster ID); empty without an inventory.
   */
  public nodeSettings(manifests: readonly ManifestObject[] = this.manifests()): readonly NodeSettings[] {
    return this.inventory ? this.derive(manifests).settings : [];
  }

  /**
   * Files written beside the staged YAML but outside `kustomization.yaml` (never applied by a
   * deploy tool), with an inventory: `node-settings/apply.sh` and `node-settings/nodes.json` when a
   * node needs a setting, `plan.json` / `plan.md` (`planFiles`), `routers/<router>.frr.conf` and
   * `.bird.conf` (`routerConfigs`). Paths are relative to the output directory, sorted.
   * @param manifests the chart's rendered objects, if already at hand
   * @throws RouterConfigError when the router options cannot be met (the chart's validation reports the same)
   */
  public artifacts(manifests: readonly ManifestObject[] = this.manifests()): readonly ArtifactFile[] {
    if (!this.inventory) return [];
    const { settings, plan } = this.derive(manifests);
    const files: ArtifactFile[] = [...nodeSettingsFiles(settings)];
    if (this.planFiles.includes('json')) files.push({ path: 'plan.json', content: `${JSON.stringify(plan, null, 2)}\n` });
    if (this.planFiles.includes('markdown')) files.push({ path: 'plan.md', content: planMarkdown(plan) });
    if (this.routerConfigOptions) files.push(...routerConfigs(plan, this.routerConfigOptions).map((f) => ({ path: f.path, content: f.content })));
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

/** Label keys read by the node selectors of the objects: BGPPeer node/peer selectors, pool node selectors. */
function selectorLabelKeysOf(manifests: readonly ManifestObject[]): string[] {
  const keys = new Set<string>();
  for (const o of manifests) {
    const spec = (o as { spec?: any }).spec;
    if (!spec || typeof spec !== 'object') continue;
    const selectors: unknown[] = [];
    if (o.kind === 'BGPPeer') selectors.push(spec.nodeSelector, spec.peerSelector);
    if (o.kind === 'IPPool') selectors.push(spec.nodeSelector);
    if (o.kind === 'Installation' && Array.isArray(spec.calicoNetwork?.ipPools)) selectors.push(...spec.calicoNetwork.ipPools.map((p: any) => p?.nodeSelector));
    for (const sel of selectors) if (typeof sel === 'string') selectorLabelKeys(sel).forEach((k) => keys.add(k));
  }
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The plan as a Markdown page: the text form (`cdk8s-calico plan`) in a code block, then the findings. */
function planMarkdown(plan: BgpPlan): string {
  const findings = plan.findings.map((f) => `- ${f.severity} ${f.kind}/${f.name}${f.path ? ` ${f.path}` : ''}: ${f.message}`);
  return [
    `# BGP plan (Calico ${plan.calicoVersion})`,
    '',
    'Every node\'s BGP sessions and advertised prefixes, as calico-node will configure BIRD, computed by cdk8s-calico from the staged objects and the node inventory.',
    '',
    '```text',
    formatPlanText(plan).replace(/\n+$/, ''),
    '```',
    '',
    '## Findings',
    '',
    ...(findings.length > 0 ? findings : ['None.']),
    '',
  ].join('\n');
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
