import { Construct } from 'constructs';
import { CalicoTorChart, CalicoTorChartProps } from '../../src/constructs/calico-tor-chart';
import { runApp } from '../../src/output/run-app';
import { NodeInventoryEntry } from '../../src/plan/inventory';

// docs:begin reference-cluster
/**
 * Three nodes of the reference cluster on the router network 10.31.0.0/16 (the notes name none;
 * these stand for the cluster's nodes, as calico-node records their addresses with the subnet).
 */
export const REFERENCE_NODES: readonly NodeInventoryEntry[] = [11, 12, 13].map((i) => ({
  name: `k8s-${i}`,
  labels: { 'kubernetes.io/hostname': `k8s-${i}` },
  ipv4Address: `10.31.0.${i}/16`,
}));

/**
 * The reference cluster (../shared/reference-cluster.md): Calico v3.24.5 under the Tigera
 * operator, pods 10.33.0.0/17, services 10.33.128.0/18 and 10.33.192.0/18, cluster AS 64517,
 * peering with two routers on the 10.31.0.0/16 network. The notes installed calicoctl on a
 * workstation; here it runs in the cluster (`calicoctl: true`).
 */
export const REFERENCE_CLUSTER: CalicoTorChartProps = {
  calicoVersion: 'v3.24.5',
  podIpPools: [{
    cidr: '10.33.0.0/17',
    blockSize: 24,
    encapsulation: 'VXLANCrossSubnet',
    natOutgoing: true,
    nodeSelector: 'all()',
  }],
  asNumber: 64517,
  serviceClusterIps: ['10.33.128.0/18'],
  serviceExternalIps: ['10.33.192.0/18'],
  communities: [{ name: 'bgp-large-community', value: '64517:300:100' }],
  prefixAdvertisements: [{ cidr: '10.33.0.0/17', communities: ['bgp-large-community', '64517:120'] }],
  torPeers: [
    { name: 'openwrt-peer', peerIp: '10.31.254.253', keepOriginalNextHop: true, asNumber: 64512 },
    { name: 'tiny-unraid-peer', peerIp: '10.31.100.100', keepOriginalNextHop: true, asNumber: 64516 },
  ],
  calicoctl: true,
  // The nodes on the router network: not staged (the YAML is the same without them), they let the
  // chart plan every node's sessions and write the two routers' configurations, which accept any
  // node of 10.31.0.0/16 (listen range), so nodes added later need no router change.
  nodes: REFERENCE_NODES,
  planFiles: ['markdown'],
  routerConfigs: { neighborMode: 'listen-range' },
};
// docs:end reference-cluster

/** The reference cluster's chart in `scope` (an App, usually a CalicoApp). */
export function referenceCluster(scope: Construct): CalicoTorChart {
  return new CalicoTorChart(scope, 'reference', REFERENCE_CLUSTER);
}

if (require.main === module) {
  runApp((app) => referenceCluster(app));
}
