/**
 * The Calico releases this library supports. Adding a release is a data change: vendor its
 * schemas under `vendor/calico/<tag>/` and add one entry here.
 */
export interface CalicoRelease {
  /** Calico release tag, e.g. `v3.32.1`. */
  readonly version: string;
  /** Tigera operator image (registry/repository) without tag. */
  readonly operatorImage: string;
  /** Tigera operator version (image tag) that ships with this Calico release. */
  readonly operatorVersion: string;
  /**
   * Whether the operator installs the Calico and Tigera CRDs itself (`-manage-crds=true`).
   * When false, the CRDs ship in the operator manifest and this library emits them.
   */
  readonly operatorManagesCrds: boolean;
  /** Whether the native projectcalico.org/v3 CRDs (no Calico API server) are available. */
  readonly nativeV3Crds: boolean;
  /** calicoctl image (registry/repository) without tag; the tag is the Calico version. */
  readonly calicoctlImage: string;
  /**
   * Absolute path of the calicoctl binary inside `calicoctlImage` (the in-cluster calicoctl runs
   * it, and `kubectl exec` calls it by this path).
   */
  readonly calicoctlBinary: string;
  /** Values an IPPool's `spec.allowedUses` accepts in this release (libcalico-go's validator). */
  readonly ipPoolAllowedUses: readonly string[];
  /** Installation names the operator reconciles (`default`, `tigera-secure`; v3.32 adds `overlay`). */
  readonly installationNames: readonly string[];
  /** Whether the operator accepts more than one Installation pool per IP family (v3.24.5's does not). */
  readonly multiplePoolsPerFamily: boolean;
  /**
   * Names libcalico-go's validator accepts for (Staged)NetworkPolicy and (Staged)GlobalNetworkPolicy
   * (validator/v3 `networkPolicyNameRegex` / `globalNetworkPolicyNameRegex`): `label` = one DNS-1123
   * label (v3.24: no tiers, no dot), `tiered` = a label or `<tier>.<label>` (one dot; tiers).
   */
  readonly policyNames: 'label' | 'tiered';
  /**
   * How validator/v3 `validateEntityRule` checks that `global()` stands alone in a rule's
   * namespaceSelector: `canonical-regex` (v3.24: the canonical selector text must not join
   * `global()` with `&&`/`||`, so `!global()` passes) or `tokens` (later: the selector must be
   * exactly the one token `global()`).
   */
  readonly globalNamespaceSelectorCheck: 'canonical-regex' | 'tokens';
  /** Tiers whose order Calico fixes (validator/v3 `validateTier`): name and required order. */
  readonly wellKnownTierOrders: readonly { readonly name: string; readonly order: number }[];
  /**
   * Linux dataplanes that accept Installation `calicoNetwork.linuxPolicySetupTimeoutSeconds`
   * (operator validateCustomResource); empty where the release has no such field.
   */
  readonly policySetupTimeoutDataplanes: readonly string[];
  /**
   * Whether the BPF dataplane needs an explicit `nodeAddressAutodetectionV6` for IPv6 Installation
   * pools: operator v1.40+ defaults IPv6 autodetection only from the IP pools already in the
   * cluster (installation/defaults.go), so validateCustomResource refuses a new BPF install with an
   * IPv6 pool and no method; v1.28 defaults it from the Installation's own IPv6 pool.
   */
  readonly bpfRequiresAutodetectionV6: boolean;
  /**
   * Installation component overrides (`spec.<field>`) the release's operator checks with
   * `ValidateReplicatedPodResourceOverrides` (pkg/common/validation/overrides.go); empty where the
   * release's Installation has no such fields (operator v1.28.5).
   */
  readonly installationOverrides: readonly string[];
  /**
   * Whether the operator refuses calicoNodeDaemonSet init container overrides named both
   * `mount-bpffs` and `ebpf-bootstrap` (validation.go `validateExclusiveInitContainers`, added with
   * the rename of mount-bpffs to ebpf-bootstrap, tigera/operator#4064, which also put ebpf-bootstrap
   * in the CRD's init container names).
   */
  readonly exclusiveBpfInitContainers: boolean;
}

/** Supported releases, oldest first. */
export const CALICO_RELEASES = {
  'v3.24.5': {
    version: 'v3.24.5',
    operatorImage: 'quay.io/tigera/operator',
    operatorVersion: 'v1.28.5',
    operatorManagesCrds: false,
    nativeV3Crds: false,
    calicoctlImage: 'docker.io/calico/ctl',
    calicoctlBinary: '/calicoctl',
    ipPoolAllowedUses: ['Workload', 'Tunnel'],
    installationNames: ['default', 'tigera-secure'],
    multiplePoolsPerFamily: false,
    policyNames: 'label',
    globalNamespaceSelectorCheck: 'canonical-regex',
    wellKnownTierOrders: [],
    policySetupTimeoutDataplanes: [],
    bpfRequiresAutodetectionV6: false,
    installationOverrides: [],
    exclusiveBpfInitContainers: false,
  },
  'v3.31.7': {
    version: 'v3.31.7',
    operatorImage: 'quay.io/tigera/operator',
    operatorVersion: 'v1.40.15',
    operatorManagesCrds: true,
    nativeV3Crds: false,
    calicoctlImage: 'quay.io/calico/ctl',
    calicoctlBinary: '/calicoctl',
    ipPoolAllowedUses: ['Workload', 'Tunnel', 'LoadBalancer'],
    installationNames: ['default', 'tigera-secure'],
    multiplePoolsPerFamily: true,
    policyNames: 'tiered',
    globalNamespaceSelectorCheck: 'tokens',
    wellKnownTierOrders: [{ name: 'default', order: 1000000 }, { name: 'adminnetworkpolicy', order: 1000 }, { name: 'baselineadminnetworkpolicy', order: 10000000 }],
    policySetupTimeoutDataplanes: ['Iptables', 'BPF', 'Nftables'],
    bpfRequiresAutodetectionV6: true,
    installationOverrides: ['calicoNodeDaemonSet', 'calicoNodeWindowsDaemonSet', 'calicoKubeControllersDeployment', 'typhaDeployment', 'csiNodeDriverDaemonSet'],
    exclusiveBpfInitContainers: true,
  },
  'v3.32.1': {
    version: 'v3.32.1',
    operatorImage: 'quay.io/tigera/operator',
    operatorVersion: 'v1.42.3',
    operatorManagesCrds: true,
    nativeV3Crds: true,
    calicoctlImage: 'quay.io/calico/ctl',
    calicoctlBinary: '/calicoctl',
    ipPoolAllowedUses: ['Workload', 'Tunnel', 'LoadBalancer'],
    installationNames: ['default', 'tigera-secure', 'overlay'],
    multiplePoolsPerFamily: true,
    policyNames: 'tiered',
    globalNamespaceSelectorCheck: 'tokens',
    wellKnownTierOrders: [{ name: 'default', order: 1000000 }],
    policySetupTimeoutDataplanes: ['Iptables', 'BPF', 'Nftables'],
    bpfRequiresAutodetectionV6: true,
    installationOverrides: ['calicoNodeDaemonSet', 'calicoNodeWindowsDaemonSet', 'calicoKubeControllersDeployment', 'typhaDeployment', 'csiNodeDriverDaemonSet'],
    exclusiveBpfInitContainers: true,
  },
} as const satisfies Record<string, CalicoRelease>;

/** A supported Calico release tag. */
export type CalicoVersion = keyof typeof CALICO_RELEASES;

/** All supported versions, oldest first. */
export const CALICO_VERSIONS = Object.keys(CALICO_RELEASES) as CalicoVersion[];

/** The newest supported release (the table's last entry): the library default. */
export const DEFAULT_CALICO_VERSION: CalicoVersion = CALICO_VERSIONS[CALICO_VERSIONS.length - 1];

/** Whether `v` names a supported release. */
export function isCalicoVersion(v: unknown): v is CalicoVersion {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(CALICO_RELEASES, v);
}

