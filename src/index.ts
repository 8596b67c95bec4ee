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
export {
  CalicoInstallation, CalicoInstallationProps, ComponentResources, LinuxDataplane, NodeAddressAutodetection, NodeUpdateStrategy, PodIpPool,
  PoolAllowedUse, PoolAssignmentMode, PoolEncapsulation,
} from './constructs/calico-installation';
export { CalicoApiServer, CalicoApiServerProps } from './constructs/calico-api-server';
export { CalicoGoldmane, CalicoGoldmaneProps, CalicoWhisker, CalicoWhiskerProps } from './constructs/calico-observability';
export { CalicoFelixConfiguration, CalicoFelixConfigurationProps } from './constructs/felix-configuration';
export { CalicoCrds, CalicoCrdSet, CalicoCrdsEmit, CalicoCrdsProps } from './constructs/calico-crds';
export { CALICOCTL_POD_LABEL, Calicoctl, CalicoctlProps } from './constructs/calicoctl';
export { KubernetesServicesEndpoint, PodToleration } from './constructs/pod-settings';
export { KUBERNETES_SERVICES_ENDPOINT_CONFIG_MAP, TigeraOperator, TigeraOperatorProps } from './constructs/tigera-operator';
export { CalicoStage, CalicoStageProps } from './constructs/calico-stage';
export { CalicoTorChart, CalicoTorChartProps, PASS_THROUGH_SPEC_PROPS } from './constructs/calico-tor-chart';

// Validation
export { validateManifests } from './validation';
export { ValidateOptions } from './validation/options';
export { CalicoValidationError, ManifestObject, Severity, SourcedObject, Violation, formatViolation } from './model/violation';

// Output
export { CalicoApp, CalicoAppProps, CalicoOutputLayout, SynthesizedFile } from './output/calico-app';
export { FluxKustomizationsOptions, FluxSourceReference } from './output/flux';
export { runApp } from './output/run-app';
export { CalicoSynthResult, CalicoTesting } from './output/testing';

// Network model: topologies, node settings, the BGP plan
export { BgpReversePeering, BgpSessionOptions } from './constructs/bgp-peer';
export { BgpTopologyProps, CalicoBgpTopology, CalicoBgpTopologyProps, TopologyNode, TopologyNodeSettings } from './constructs/topology/bgp-topology';
export { CalicoNetworkTopologyProps, PlanFileFormat } from './constructs/topology/network-topology-props';
export {
  ArtifactFile, NODE_AS_NUMBER_ANNOTATION, NODE_RR_CLUSTER_ID_ANNOTATION, NodeSettings, nodeSettingsFiles, nodeSettingsJson, nodeSettingsScript,
} from './constructs/topology/node-settings';
export { CalicoRackPeers, CalicoRackPeersProps, RackAsModel, RackOptions, RackRouter, RackTopologyOptions, SharedAsRoutes } from './constructs/topology/rack-peers';
export {
  CalicoRouteReflectors, CalicoRouteReflectorsProps, DEFAULT_ROUTE_REFLECTOR_SELECTOR, RouteReflectorOptions, RouteReflectorRacks,
} from './constructs/topology/route-reflectors';
export { CALICO_VERSION_CONTEXT } from './constructs/release-context';
export { BGP_PEER_SPEC_FIELDS, bgpPeerHasField, releasesWithBgpPeerField } from './releases/bgp-peer-fields';
// The BGP plan
export { computePlan, formatPlanText, NodeInventoryEntry, PlanOptions } from './plan';
export {
  AdvertisementSource, BgpPlan, NextHopHandling, PlanAcceptedPrefix, PlanAdvertisement, PlanFamily, PlanNode, PlanRouter,
  PlanRouterNeighbor, PlanSecretRef, PlanSession, SessionKind,
} from './plan/types';
/** JSON-shaped types (JSON field names) of the specs passed through whole: InstallationSpecJson, FelixConfigurationSpecJson... */
export * as specs from './releases/spec-types';

// The routers' side of the sessions (FRR, BIRD 2), and checks of existing router configurations
export {
  checkRouterConfig, RouterConfigCheckInput, RouterConfigError, RouterConfigFile, RouterConfigOptions, RouterConfigProblem,
  RouterExportPolicy, RouterNeighborMode, RouterOptions, RouterPlatform, RouterUplink, routerConfigs,
} from './routers';

/**
 * Generated classes: `calico` for projectcalico.org/v3 (BgpPeer, IpPool, BgpFilter,
 * FelixConfiguration...), `tigera` for operator.tigera.io/v1 (Installation, ApiServer). Their
 * `addJsonPatch` applies to the written JSON, in JSON field names.
 */
export { calico } from './constructs/generated';
export { tigera } from './constructs/generated-tigera';
