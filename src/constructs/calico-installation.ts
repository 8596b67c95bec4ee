import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { crdHasField } from '../releases/crd-store';
import { DEFAULT_BLOCK_SIZE } from '../model/calico-defaults';
import { checkBlockSize } from '../model/calico-rules';
import { PropChecker } from './prop-checks';
import { CALICO_VERSIONS, CalicoVersion } from '../releases/releases';
import { CalicoReleaseProps } from '../releases/resolve-release';
import { INSTALLATION_FIELDS } from './prop-shapes';
import {
  InstallationSpecJson,
  InstallationSpecJsonComponentResources,
  InstallationSpecJsonNodeUpdateStrategy,
} from '../releases/spec-types';
import { PodToleration } from './pod-settings';
import { JsonFields, mergeSpec, requireReleaseField } from './spec-merge';

/** Encapsulation of pod traffic between nodes. `IPIP*` needs BGP; IPv6 pools support `VXLAN*` and `None` only. */
export type PoolEncapsulation = 'IPIP' | 'IPIPCrossSubnet' | 'VXLAN' | 'VXLANCrossSubnet' | 'None';

/** A pod IP pool that the operator creates at install time (it cannot be changed afterwards). */
export interface PodIpPool {
  /** Pool CIDR, IPv4 or IPv6, e.g. `10.33.0.0/17`. */
  readonly cidr: string;
  /**
   * Prefix length of the per-node address blocks carved from the pool (IPv4 20-32, IPv6 116-128).
   * @default 26 for IPv4, 122 for IPv6
   */
  readonly blockSize?: number;
  /**
   * Encapsulation of pod traffic between nodes.
   * @default 'IPIP' for IPv4, 'None' for IPv6 (the operator's defaults)
   */
  readonly encapsulation?: PoolEncapsulation;
  /**
   * SNAT traffic from pods to destinations outside the cluster's pools.
   * @default true
   */
  readonly natOutgoing?: boolean;
  /**
   * Calico selector of the nodes that take blocks from this pool.
   * @default 'all()'
   */
  readonly nodeSelector?: string;
  /**
   * Name of the IPPool object the operator creates, on releases whose Installation schema has
   * `ipPools[].name` (v3.31+; refused on older releases, whose operator names pools itself).
   * @default 'default-ipv4-ippool' / 'default-ipv6-ippool' (first pool of each family), else derived from the CIDR
   */
  readonly name?: string;
  /**
   * Do not advertise the pool's routes over BGP (Installation `disableBGPExport`; v3.31+), e.g. a
   * pool that the routers must not learn.
   * @default false
   */
  readonly disableBgpExport?: boolean;
  /**
   * Stop new allocations from the pool, keeping existing pods' addresses (v3.31+).
   * @default false
   */
  readonly disableNewAllocations?: boolean;
  /**
   * What the pool's addresses are for (v3.31+; `LoadBalancer` pools hand out Service
   * LoadBalancer IPs, which Calico's kube-controllers assign).
   * @default ['Workload', 'Tunnel'] (the operator's)
   */
  readonly allowedUses?: readonly PoolAllowedUse[];
  /**
   * Whether addresses are assigned from the pool automatically or only when asked for by
   * annotation (v3.31+).
   * @default 'Automatic'
   */
  readonly assignmentMode?: PoolAssignmentMode;
}

/** What an IP pool's addresses may be used for. */
export type PoolAllowedUse = 'Workload' | 'Tunnel' | 'LoadBalancer';

/** How addresses are assigned from an IP pool. */
export type PoolAssignmentMode = 'Automatic' | 'Manual';

/** calico-node's Linux dataplane. `Nftables` needs Calico v3.31+. */
export type LinuxDataplane = 'Iptables' | 'BPF' | 'VPP' | 'Nftables';

/** Resource requests and limits of one Calico component (the operator's `componentResources` entry). */
export type ComponentResources = InstallationSpecJsonComponentResources;

/** The update strategy of the calico-node DaemonSet (Kubernetes DaemonSetUpdateStrategy). */
export type NodeUpdateStrategy = InstallationSpecJsonNodeUpdateStrategy;

/** How calico-node finds the node's address of one IP family (exactly one field). */
export interface NodeAddressAutodetection {
  /** Use the address inside one of these CIDRs, e.g. the router network `10.31.0.0/16`. */
  readonly cidrs?: readonly string[];
  /** Use the interface whose name matches this regex, e.g. `eth0|bond0`. */
  readonly interface?: string;
  /** Use the address of the interface that routes to this destination. */
  readonly canReach?: string;
  /** Use the Kubernetes node's InternalIP. */
  readonly kubernetesNodeInternalIp?: boolean;
  /** Use the first valid address found (Calico's fallback). */
  readonly firstFound?: boolean;
}

/** Props of {@link CalicoInstallation}. */
export interface CalicoInstallationProps extends CalicoReleaseProps {
  /**
   * Pod IP pools, created by the operator at install time (they cannot be changed afterwards).
   * @default - one IPv4 pool 192.168.0.0/16 (Calico's default)
   */
  readonly podIpPools?: readonly PodIpPool[];
  /**
   * Run BGP (BIRD) on the nodes. Needed for peering with routers and for IPIP.
   * @default true
   */
  readonly bgp?: boolean;
  /**
   * How calico-node detects each node's IPv4 address. On multi-homed bare metal set it (e.g. the
   * router network CIDR), or Calico may pick the wrong address.
   * @default - Calico's default (first found)
   */
  readonly nodeAddressAutodetectionV4?: NodeAddressAutodetection;
  /**
   * How calico-node detects the node IPv6 address (for IPv6 pools).
   * @default - Calico's default (first found, when an IPv6 pool exists)
   */
  readonly nodeAddressAutodetectionV6?: NodeAddressAutodetection;
  /**
   * MTU of pod interfaces (bytes).
   * @default - Calico auto-detects it
   */
  readonly mtu?: number;
  /**
   * Registry of Calico's component images (calico-node, typha...), e.g. a private mirror
   * `registry.example.com/`. The operator image is set with the operator's `registry`.
   * @default - Calico's default registries
   */
  readonly registry?: string;
  /**
   * Names of existing image pull Secrets for Calico's component images (in the Calico namespaces).
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * calico-node's Linux dataplane (Installation `calicoNetwork.linuxDataplane`).
   * @default - the operator's: 'Iptables'
   */
  readonly linuxDataplane?: LinuxDataplane;
  /**
   * Support `hostPort` in pod specs (the portmap CNI plugin; `calicoNetwork.hostPorts`).
   * @default true (the operator's `Enabled`)
   */
  readonly hostPorts?: boolean;
  /**
   * Enable IP forwarding inside pods (`calicoNetwork.containerIPForwarding`), for pods that route,
   * e.g. a VPN or router pod.
   * @default false (the operator's `Disabled`)
   */
  readonly containerIpForwarding?: boolean;
  /**
   * Node labels the Calico control plane (typha, kube-controllers, API server) is scheduled on.
   * @default - no constraint
   */
  readonly controlPlaneNodeSelector?: { readonly [label: string]: string };
  /**
   * Extra tolerations of the Calico control plane's pods.
   * @default - none beyond the operator's own
   */
  readonly controlPlaneTolerations?: readonly PodToleration[];
  /**
   * Replicas of the control plane Deployments (typha counts on its own).
   * @default - the operator's (2)
   */
  readonly controlPlaneReplicas?: number;
  /**
   * Update strategy of the calico-node DaemonSet, e.g. `{ type: 'RollingUpdate', rollingUpdate:
   * { maxUnavailable: '10%' } }`.
   * @default - the operator's
   */
  readonly nodeUpdateStrategy?: NodeUpdateStrategy;
  /**
   * Resource requests and limits per component (`Node`, `Typha`, `KubeControllers`). The
   * operator marks this field deprecated in favour of `calicoNodeDaemonSet`, `typhaDeployment`
   * and `calicoKubeControllersDeployment` (v3.31+, set them in `installationSpec`), which win
   * over it where both are set; it still works in every supported release.
   * @default - none set
   */
  readonly componentResources?: readonly ComponentResources[];
  /**
   * The whole Installation spec, as in the operator's API reference (JSON field names), for what
   * the typed props do not cover. It passes through as is, deep-merged with what the props
   * compute: a field set both here and by a typed prop is an error (set it in one place);
   * `calicoNetwork.ipPools` is refused (use `podIpPools`, which the pool checks cover); every
   * other field wins over the chart's defaults. Fields are checked against the selected release's
   * schema, so a field the release lacks is an error naming the releases that have it.
   * @default - none
   */
  readonly installationSpec?: InstallationSpecJson;
}

const INSTALLATION_CRD = 'installations.operator.tigera.io';

/**
 * The operator's Installation (operator.tigera.io/v1, name `default`): Calico networking with BGP
 * and the pod IP pools.
 */
export class CalicoInstallation extends Construct {
  /**
   * The Installation object. A plain ApiObject whose spec is JSON as written (JSON field names):
   * `addJsonPatch` on it applies to the output as is.
   */
  public readonly resource: ApiObject;
  /** The pools with defaults applied. */
  public readonly ipPools: readonly Required<Pick<PodIpPool, 'cidr' | 'blockSize' | 'encapsulation' | 'natOutgoing' | 'nodeSelector'>>[];

  constructor(scope: Construct, id: string, props: CalicoInstallationProps = {}) {
    super(scope, id);
    const check = new PropChecker('CalicoInstallation', this);
    check.props(props, INSTALLATION_FIELDS);
    const { version, release } = check.release(props);
    const pools = props.podIpPools ?? [{ cidr: '192.168.0.0/16' }];
    const canNamePools = crdHasField(version, INSTALLATION_CRD, ['spec', 'calicoNetwork', 'ipPools', 'name']);
    const field = (prop: string, path: readonly string[], value: unknown) =>
      requireReleaseField(check, version, INSTALLATION_CRD, 'Installation', prop, ['spec', ...path], value);

    check.cidrs('nodeAddressAutodetectionV4.cidrs', props.nodeAddressAutodetectionV4?.cidrs);
    check.cidrs('nodeAddressAutodetectionV6.cidrs', props.nodeAddressAutodetectionV6?.cidrs);
    check.integer('mtu', props.mtu, 576, 9216);
    field('linuxDataplane', ['calicoNetwork', 'linuxDataplane'], props.linuxDataplane);
    // Deployment replicas: a non-negative int32 (the operator's *int32, Kubernetes' DeploymentSpec).
    check.integer('controlPlaneReplicas', props.controlPlaneReplicas, 0, 2147483647);
    // The operator's InstallationSpec.Registry: "must end with a slash", or UseDefault; the prop
    // takes the registry with or without the slash (as the operator's prop does, without).
    const checkedRegistry = props.registry === undefined || props.registry === 'UseDefault' ? props.registry
      : check.registry('registry', props.registry.replace(/\/$/, ''));
    const registry = checkedRegistry === undefined || checkedRegistry === 'UseDefault' ? checkedRegistry : `${checkedRegistry}/`;
    const pullSecrets = props.imagePullSecrets && check.imagePullSecrets('imagePullSecrets', props.imagePullSecrets);
    const nodeSelector = props.controlPlaneNodeSelector && check.nodeSelector('controlPlaneNodeSelector', props.controlPlaneNodeSelector);
    const tolerations = props.controlPlaneTolerations && check.tolerations('controlPlaneTolerations', props.controlPlaneTolerations);
    checkUpdateStrategy(check, props.nodeUpdateStrategy);
    (props.componentResources ?? []).forEach((c, i) => {
      field(`componentResources[${i}].componentName`, ['componentResources', 'componentName'], c.componentName);
    });
    const named = new Set<string>();
    this.ipPools = pools.map((p, i) => {
      const cidr = check.cidr(`podIpPools[${i}].cidr`, p.cidr);
      const v6 = cidr?.family === 6;
      if (cidr) checkBlockSize(cidr, p.blockSize, `podIpPools[${i}]`, (prop, message) => check.fail(prop, message));
      check.selector(`podIpPools[${i}].nodeSelector`, p.nodeSelector);
      if (p.name !== undefined && !canNamePools) {
        const releases = CALICO_VERSIONS.filter((v) => crdHasField(v, INSTALLATION_CRD, ['spec', 'calicoNetwork', 'ipPools', 'name']));
        check.fail(`podIpPools[${i}].name`, `Calico ${version}'s Installation cannot name its pools (the operator names them; ipPools[].name exists in ${releases.join(', ')}): remove it`);
      }
      if (p.name !== undefined) check.name(`podIpPools[${i}].name`, p.name);
      field(`podIpPools[${i}].disableBgpExport`, ['calicoNetwork', 'ipPools', 'disableBGPExport'], p.disableBgpExport);
      field(`podIpPools[${i}].disableNewAllocations`, ['calicoNetwork', 'ipPools', 'disableNewAllocations'], p.disableNewAllocations);
      field(`podIpPools[${i}].allowedUses`, ['calicoNetwork', 'ipPools', 'allowedUses'], p.allowedUses);
      field(`podIpPools[${i}].assignmentMode`, ['calicoNetwork', 'ipPools', 'assignmentMode'], p.assignmentMode);
      checkPoolUses(check, `podIpPools[${i}]`, version, release.ipPoolAllowedUses, p);
      return {
        cidr: p.cidr,
        blockSize: p.blockSize ?? DEFAULT_BLOCK_SIZE[v6 ? 6 : 4],
        encapsulation: p.encapsulation ?? (v6 ? 'None' : 'IPIP'),
        natOutgoing: p.natOutgoing ?? true,
        nodeSelector: p.nodeSelector ?? 'all()',
      };
    });
    const ipPools = this.ipPools.map((p, i) => ({
      name: canNamePools ? poolName(pools[i], named) : undefined,
      blockSize: p.blockSize,
      cidr: p.cidr,
      encapsulation: p.encapsulation,
      natOutgoing: p.natOutgoing ? 'Enabled' : 'Disabled',
      nodeSelector: p.nodeSelector,
      disableBGPExport: pools[i].disableBgpExport,
      disableNewAllocations: pools[i].disableNewAllocations,
      allowedUses: pools[i].allowedUses,
      assignmentMode: pools[i].assignmentMode,
    }));

    const enabled = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'Enabled' : 'Disabled');
    const typed = (prop: string, path: string[], value: unknown) => ({ prop, path, value });
    const spec = mergeSpec(check, 'installationSpec', props.installationSpec, {
      // Pools are computed from podIpPools (with its checks and defaults), never taken raw.
      managed: [{ path: ['calicoNetwork', 'ipPools'], use: 'podIpPools' }],
      explicit: [
        typed('registry', ['registry'], registry),
        typed('imagePullSecrets', ['imagePullSecrets'], pullSecrets?.map((name) => ({ name }))),
        typed('bgp', ['calicoNetwork', 'bgp'], enabled(props.bgp)),
        typed('mtu', ['calicoNetwork', 'mtu'], props.mtu),
        typed('nodeAddressAutodetectionV4', ['calicoNetwork', 'nodeAddressAutodetectionV4'], autodetection(props.nodeAddressAutodetectionV4)),
        typed('nodeAddressAutodetectionV6', ['calicoNetwork', 'nodeAddressAutodetectionV6'], autodetection(props.nodeAddressAutodetectionV6)),
        typed('linuxDataplane', ['calicoNetwork', 'linuxDataplane'], props.linuxDataplane),
        typed('hostPorts', ['calicoNetwork', 'hostPorts'], enabled(props.hostPorts)),
        typed('containerIpForwarding', ['calicoNetwork', 'containerIPForwarding'], enabled(props.containerIpForwarding)),
        typed('controlPlaneNodeSelector', ['controlPlaneNodeSelector'], nodeSelector),
        typed('controlPlaneTolerations', ['controlPlaneTolerations'], tolerations),
        typed('controlPlaneReplicas', ['controlPlaneReplicas'], props.controlPlaneReplicas),
        typed('nodeUpdateStrategy', ['nodeUpdateStrategy'], props.nodeUpdateStrategy),
        typed('componentResources', ['componentResources'], props.componentResources),
        typed('podIpPools', ['calicoNetwork', 'ipPools'], ipPools),
      ],
      // BGP is on unless a prop or the spec says otherwise (the chart sets the prop: it peers with routers).
      defaults: [typed('bgp', ['calicoNetwork', 'bgp'], 'Enabled')],
    });

    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'operator.tigera.io/v1',
      kind: 'Installation',
      metadata: { name: 'default' },
      spec,
    });
    check.done();
  }
}

/** A DaemonSetUpdateStrategy (apps/v1): type RollingUpdate or OnDelete, maxUnavailable/maxSurge a count or a percentage. */
function checkUpdateStrategy(check: PropChecker, s: NodeUpdateStrategy | undefined): void {
  if (s === undefined) return;
  if (s.type !== undefined && s.type !== 'RollingUpdate' && s.type !== 'OnDelete') {
    check.fail('nodeUpdateStrategy.type', `${JSON.stringify(s.type)} is not a DaemonSet update strategy: use "RollingUpdate" or "OnDelete"`);
  }
  if (s.type === 'OnDelete' && s.rollingUpdate !== undefined) {
    check.fail('nodeUpdateStrategy.rollingUpdate', 'is only allowed with type "RollingUpdate"');
  }
  for (const key of ['maxUnavailable', 'maxSurge'] as const) {
    const v = s.rollingUpdate?.[key];
    if (v === undefined) continue;
    const ok = typeof v === 'number' ? Number.isInteger(v) && v >= 0 : /^(100|[1-9]?[0-9])%$/.test(v);
    if (!ok) check.fail(`nodeUpdateStrategy.rollingUpdate.${key}`, `${JSON.stringify(v)} is not allowed: use a whole number of nodes (>= 0) or a percentage from "0%" to "100%"`);
  }
}

/**
 * Pool uses and assignment mode as the operator takes them (operator api/v1 IPPool:
 * IPPoolAllowedUse Workload/Tunnel/LoadBalancer, AssignmentMode Automatic/Manual); the uses a
 * release accepts come from the release table.
 */
function checkPoolUses(check: PropChecker, prop: string, version: CalicoVersion, uses: readonly string[], p: PodIpPool): void {
  for (const u of p.allowedUses ?? []) {
    if (!uses.includes(u)) check.fail(`${prop}.allowedUses`, `${JSON.stringify(u)} is not an allowed use in Calico ${version}: use ${uses.map((x) => JSON.stringify(x)).join(', ')}`);
  }
  if (p.allowedUses !== undefined && new Set(p.allowedUses).size !== p.allowedUses.length) {
    check.fail(`${prop}.allowedUses`, 'lists a use twice: list each once');
  }
  if (p.assignmentMode !== undefined && p.assignmentMode !== 'Automatic' && p.assignmentMode !== 'Manual') {
    check.fail(`${prop}.assignmentMode`, `${JSON.stringify(p.assignmentMode)} is not an assignment mode: use "Automatic" or "Manual"`);
  }
}

function poolName(pool: PodIpPool, taken: Set<string>): string {
  const family = pool.cidr.includes(':') ? 'ipv6' : 'ipv4';
  let name = pool.name ?? `default-${family}-ippool`;
  if (!pool.name && taken.has(name)) name = `${family}-ippool-${pool.cidr.toLowerCase().replace(/[^0-9a-f]+/g, '-').replace(/^-|-$/g, '')}`;
  taken.add(name);
  return name;
}

function autodetection(a?: NodeAddressAutodetection): JsonFields | undefined {
  if (!a) return undefined;
  return {
    cidrs: a.cidrs ? [...a.cidrs] : undefined,
    interface: a.interface,
    canReach: a.canReach,
    kubernetes: a.kubernetesNodeInternalIp ? 'NodeInternalIP' : undefined,
    firstFound: a.firstFound,
  };
}
