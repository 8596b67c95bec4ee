// The public surface of cdk8s-calico: the constructs and their props, the app, the validation
// entry point and its types, the release table, and the generated classes. Everything else
// (parsers, schema walker, rule helpers, prop checker) is internal.

// Releases
export { CALICO_RELEASES, CALICO_VERSIONS, CalicoRelease, CalicoVersion, DEFAULT_CALICO_VERSION } from './releases/releases';
export { ApiMode, CalicoDeploymentProps, CalicoReleaseProps, ResolvedRelease, resolveRelease } from './releases/resolve-release';

// Model types used in props
export { SecretKeyReference } from './model/secret-reference';

// Constructs
export { BgpBindMode, BgpCommunity, CalicoBgpConfiguration, CalicoBgpConfigurationProps, LogSeverity, PrefixAdvertisement } from './constructs/bgp-configuration';
export { BgpNextHopMode, BgpPeerOptions, CalicoBgpPeer, CalicoBgpPeerProps } from './constructs/bgp-peer';
export { BgpPasswordAccess, BgpPasswordAccessProps } from './constructs/bgp-password-access';
export { CalicoInstallation, CalicoInstallationProps, NodeAddressAutodetection, PodIpPool, PoolEncapsulation } from './constructs/calico-installation';
export { CalicoApiServer, CalicoApiServerProps } from './constructs/calico-api-server';
export { CalicoCrds, CalicoCrdSet, CalicoCrdsEmit, CalicoCrdsProps } from './constructs/calico-crds';
export { CALICOCTL_POD_LABEL, Calicoctl, CalicoctlProps } from './constructs/calicoctl';
export { KubernetesServicesEndpoint, PodToleration } from './constructs/pod-settings';
export { KUBERNETES_SERVICES_ENDPOINT_CONFIG_MAP, TigeraOperator, TigeraOperatorProps } from './constructs/tigera-operator';
export { CalicoStage, CalicoStageProps } from './constructs/calico-stage';
export { CalicoTorChart, CalicoTorChartProps } from './constructs/calico-tor-chart';

// Validation
export { validateManifests } from './validation';
export { ValidateOptions } from './validation/options';
export { CalicoValidationError, ManifestObject, Severity, SourcedObject, Violation, formatViolation } from './model/violation';

// Output
export { CalicoApp, CalicoAppProps, CalicoOutputLayout, SynthesizedFile } from './output/calico-app';
export { FluxKustomizationsOptions, FluxSourceReference } from './output/flux';
export { runApp } from './output/run-app';
export { CalicoSynthResult, CalicoTesting } from './output/testing';

/**
 * Generated classes: `calico` for projectcalico.org/v3 (BgpPeer, IpPool, BgpFilter,
 * FelixConfiguration...), `tigera` for operator.tigera.io/v1 (Installation, ApiServer). Their
 * `addJsonPatch` applies to the written JSON, in JSON field names.
 */
export { calico, tigera } from './constructs/generated';
