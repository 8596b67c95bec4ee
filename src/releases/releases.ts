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

