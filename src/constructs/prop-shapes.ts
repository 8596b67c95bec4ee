import { PropShape } from './prop-checks';

/**
 * The JavaScript types of every construct's props, for {@link PropChecker.props}: what TypeScript
 * checks at compile time, checked again at run time for JavaScript callers (so `null`, a string
 * for a list or `[null]` is an error naming the construct and prop, not a TypeError). Values are
 * checked by the constructs themselves.
 */

type Fields = { readonly [prop: string]: PropShape };

const STRINGS: PropShape = { list: 'string' };

export const TOLERATION_SHAPE: PropShape = {
  fields: { key: 'string', operator: 'string', value: 'string', effect: 'string', tolerationSeconds: 'number' },
};

export const SECRET_REFERENCE_SHAPE: PropShape = {
  fields: { name: 'string!', key: 'string!' },
  example: '{ name: "bgp-passwords", key: "tor-a" } (a key of a Secret, never the password itself)',
};

export const BGP_PEER_FIELDS: Fields = {
  name: 'string!',
  peerIp: 'string!',
  asNumber: 'number!',
  keepOriginalNextHop: 'boolean',
  nextHopMode: 'string',
  nodeSelector: 'string',
  node: 'string',
  password: SECRET_REFERENCE_SHAPE,
  maxRestartTime: 'string',
  sourceAddress: 'string',
  filters: STRINGS,
};

const COMMUNITIES: PropShape = { list: { fields: { name: 'string!', value: 'string!' } } };
const PREFIX_ADVERTISEMENTS: PropShape = { list: { fields: { cidr: 'string!', communities: { list: 'string', required: true } } } };

export const BGP_CONFIGURATION_FIELDS: Fields = {
  name: 'string',
  asNumber: 'number',
  nodeToNodeMesh: 'boolean',
  logSeverity: 'string',
  listenPort: 'number',
  bindMode: 'string',
  serviceClusterIps: STRINGS,
  serviceExternalIps: STRINGS,
  serviceLoadBalancerIps: STRINGS,
  communities: COMMUNITIES,
  prefixAdvertisements: PREFIX_ADVERTISEMENTS,
};

export const POD_IP_POOL_SHAPE: PropShape = {
  fields: { cidr: 'string!', blockSize: 'number', encapsulation: 'string', natOutgoing: 'boolean', nodeSelector: 'string', name: 'string' },
};

const AUTODETECTION: PropShape = {
  fields: { cidrs: STRINGS, interface: 'string', canReach: 'string', kubernetesNodeInternalIp: 'boolean', firstFound: 'boolean' },
  example: '{ interface: "eth0" } or { cidrs: ["10.31.0.0/16"] }',
};

export const INSTALLATION_FIELDS: Fields = {
  calicoVersion: 'string',
  podIpPools: { list: POD_IP_POOL_SHAPE },
  bgp: 'boolean',
  nodeAddressAutodetectionV4: AUTODETECTION,
  nodeAddressAutodetectionV6: AUTODETECTION,
  mtu: 'number',
  registry: 'string',
  imagePullSecrets: STRINGS,
};

export const TIGERA_OPERATOR_FIELDS: Fields = {
  calicoVersion: 'string',
  apiMode: 'string',
  registry: 'string',
  imagePullSecrets: STRINGS,
  tolerations: { list: TOLERATION_SHAPE },
  extraTolerations: { list: TOLERATION_SHAPE },
  nodeSelector: { labelMap: true },
  kubernetesServicesEndpoint: { fields: { host: 'string!', port: 'number!' } },
};

export const CALICOCTL_FIELDS: Fields = {
  calicoVersion: 'string',
  apiMode: 'string',
  namespace: 'string',
  name: 'string',
  registry: 'string',
  imagePullSecrets: STRINGS,
  tolerations: { list: TOLERATION_SHAPE },
  nodeSelector: { labelMap: true },
  ipFamilies: { list: 'number' },
  apiAccess: 'boolean',
  adminClusterRole: 'boolean',
};

export const CALICO_CRDS_FIELDS: Fields = { calicoVersion: 'string', set: 'string', emit: 'string' };

export const BGP_PASSWORD_ACCESS_FIELDS: Fields = { secretNames: { list: 'string', required: true }, namespace: 'string', name: 'string' };

export const CALICO_TOR_CHART_FIELDS: Fields = {
  namespace: 'string',
  labels: { labelMap: true },
  disableResourceNameHashes: 'boolean',
  calicoVersion: 'string',
  apiMode: 'string',
  operator: { fields: TIGERA_OPERATOR_FIELDS },
  registry: 'string',
  imagePullSecrets: STRINGS,
  crds: 'boolean',
  calicoctl: { boolOr: { fields: CALICOCTL_FIELDS } },
  podIpPools: { list: POD_IP_POOL_SHAPE },
  asNumber: 'number',
  torPeers: { list: { fields: BGP_PEER_FIELDS } },
  nodeToNodeMesh: 'boolean',
  serviceClusterIps: STRINGS,
  serviceExternalIps: STRINGS,
  serviceLoadBalancerIps: STRINGS,
  communities: COMMUNITIES,
  prefixAdvertisements: PREFIX_ADVERTISEMENTS,
  logSeverity: 'string',
  listenPort: 'number',
  bindMode: 'string',
  nodeAddressAutodetectionV4: AUTODETECTION,
  nodeAddressAutodetectionV6: AUTODETECTION,
  expectedNodes: 'number',
  argoCd: 'boolean',
};
