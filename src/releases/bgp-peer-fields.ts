import { CALICO_VERSIONS, CalicoVersion } from './releases';

/**
 * The `spec` fields of a BGPPeer (projectcalico.org/v3) that each supported release serves, as
 * its vendored CRD declares them (`vendor/calico/<tag>/crds/crd.projectcalico.org/
 * bgppeers.crd.projectcalico.org.yaml`, `spec.versions[0].schema.openAPIV3Schema.properties.spec`).
 * A test reads the vendored CRDs and checks this table against them, so adding a release means
 * adding its row here. The API server prunes a field its release does not know: the peer would
 * silently lose it, so constructs refuse such fields instead.
 */
export const BGP_PEER_SPEC_FIELDS: { readonly [V in CalicoVersion]: readonly string[] } = {
  'v3.24.5': [
    'asNumber', 'keepOriginalNextHop', 'maxRestartTime', 'node', 'nodeSelector', 'numAllowedLocalASNumbers',
    'password', 'peerIP', 'peerSelector', 'sourceAddress',
  ],
  'v3.31.7': [
    'asNumber', 'filters', 'keepOriginalNextHop', 'localASNumber', 'localWorkloadSelector', 'maxRestartTime',
    'nextHopMode', 'node', 'nodeSelector', 'numAllowedLocalASNumbers', 'password', 'peerIP', 'peerSelector',
    'reachableBy', 'reversePeering', 'sourceAddress', 'ttlSecurity',
  ],
  'v3.32.1': [
    'asNumber', 'filters', 'keepOriginalNextHop', 'keepaliveTime', 'localASNumber', 'localWorkloadSelector',
    'maxRestartTime', 'nextHopMode', 'node', 'nodeSelector', 'numAllowedLocalASNumbers', 'password', 'peerIP',
    'peerSelector', 'reachableBy', 'reversePeering', 'sourceAddress', 'ttlSecurity',
  ],
};

/** Whether `version`'s BGPPeer has the spec field `field` (its JSON name, e.g. `keepaliveTime`). */
export function bgpPeerHasField(version: CalicoVersion, field: string): boolean {
  return BGP_PEER_SPEC_FIELDS[version].includes(field);
}

/** The supported releases whose BGPPeer has the spec field `field`, oldest first. */
export function releasesWithBgpPeerField(field: string): CalicoVersion[] {
  return CALICO_VERSIONS.filter((v) => bgpPeerHasField(v, field));
}
