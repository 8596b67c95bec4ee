import { Construct } from 'constructs';
import {
  Installation,
  InstallationSpecCalicoNetworkBgp,
  InstallationSpecCalicoNetworkIpPools,
  InstallationSpecCalicoNetworkIpPoolsEncapsulation,
  InstallationSpecCalicoNetworkIpPoolsNatOutgoing,
  InstallationSpecCalicoNetworkNodeAddressAutodetectionV4,
  InstallationSpecCalicoNetworkNodeAddressAutodetectionV6,
} from '../../imports/operator.tigera.io';
import { crdHasField } from '../releases/crd-store';
import { DEFAULT_BLOCK_SIZE } from '../model/calico-defaults';
import { checkBlockSize } from '../model/calico-rules';
import { PropChecker } from './prop-checks';
import { CALICO_VERSIONS } from '../releases/releases';
import { CalicoReleaseProps } from '../releases/resolve-release';
import { INSTALLATION_FIELDS } from './prop-shapes';

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
}

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
}

const INSTALLATION_CRD = 'installations.operator.tigera.io';

/**
 * The operator's Installation (operator.tigera.io/v1, name `default`): Calico networking with BGP
 * and the pod IP pools.
 */
export class CalicoInstallation extends Construct {
  /** The generated Installation object. */
  public readonly resource: Installation;
  /** The pools with defaults applied. */
  public readonly ipPools: readonly Required<Omit<PodIpPool, 'name'>>[];

  constructor(scope: Construct, id: string, props: CalicoInstallationProps = {}) {
    super(scope, id);
    const check = new PropChecker('CalicoInstallation', this);
    check.props(props, INSTALLATION_FIELDS);
    const { version } = check.release(props);
    check.registry('registry', props.registry, true);
    const pools = props.podIpPools ?? [{ cidr: '192.168.0.0/16' }];
    const canNamePools = crdHasField(version, INSTALLATION_CRD, ['spec', 'calicoNetwork', 'ipPools', 'name']);

    check.cidrs('nodeAddressAutodetectionV4.cidrs', props.nodeAddressAutodetectionV4?.cidrs);
    check.cidrs('nodeAddressAutodetectionV6.cidrs', props.nodeAddressAutodetectionV6?.cidrs);
    check.integer('mtu', props.mtu, 576, 9216);
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
      return {
        cidr: p.cidr,
        blockSize: p.blockSize ?? DEFAULT_BLOCK_SIZE[v6 ? 6 : 4],
        encapsulation: p.encapsulation ?? (v6 ? 'None' : 'IPIP'),
        natOutgoing: p.natOutgoing ?? true,
        nodeSelector: p.nodeSelector ?? 'all()',
      };
    });
    const ipPools: InstallationSpecCalicoNetworkIpPools[] = this.ipPools.map((p, i) => ({
      name: canNamePools ? poolName(pools[i], named) : undefined,
      blockSize: p.blockSize,
      cidr: p.cidr,
      encapsulation: p.encapsulation as InstallationSpecCalicoNetworkIpPoolsEncapsulation,
      natOutgoing: (p.natOutgoing ? 'Enabled' : 'Disabled') as InstallationSpecCalicoNetworkIpPoolsNatOutgoing,
      nodeSelector: p.nodeSelector,
    }));

    this.resource = new Installation(this, 'Resource', {
      metadata: { name: 'default' },
      spec: {
        registry: props.registry,
        imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
        calicoNetwork: {
          bgp: (props.bgp ?? true) ? InstallationSpecCalicoNetworkBgp.ENABLED : InstallationSpecCalicoNetworkBgp.DISABLED,
          ipPools,
          mtu: props.mtu,
          nodeAddressAutodetectionV4: autodetection(props.nodeAddressAutodetectionV4),
          nodeAddressAutodetectionV6: autodetection(props.nodeAddressAutodetectionV6) as InstallationSpecCalicoNetworkNodeAddressAutodetectionV6 | undefined,
        },
      },
    });
    check.done();
  }
}

function poolName(pool: PodIpPool, taken: Set<string>): string {
  const family = pool.cidr.includes(':') ? 'ipv6' : 'ipv4';
  let name = pool.name ?? `default-${family}-ippool`;
  if (!pool.name && taken.has(name)) name = `${family}-ippool-${pool.cidr.toLowerCase().replace(/[^0-9a-f]+/g, '-').replace(/^-|-$/g, '')}`;
  taken.add(name);
  return name;
}

function autodetection(a?: NodeAddressAutodetection): InstallationSpecCalicoNetworkNodeAddressAutodetectionV4 | undefined {
  if (!a) return undefined;
  return {
    cidrs: a.cidrs ? [...a.cidrs] : undefined,
    interface: a.interface,
    canReach: a.canReach,
    kubernetes: a.kubernetesNodeInternalIp ? ('NodeInternalIP' as any) : undefined,
    firstFound: a.firstFound,
  };
}
