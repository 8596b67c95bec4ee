import { CalicoTorChartProps, NodeInventoryEntry } from '../../src';

/*
 * Two example sites beside the reference cluster (examples/reference/main.ts), as the README
 * shows them (examples/topologies/docs.ts: the text between the docs:begin/docs:end markers is quoted as
 * it is, and the plans shown there are computed from these props).
 */

// docs:begin rack-site
/** Three racks, each its own AS with a ToR pair in that AS ("AS per rack"); two nodes per rack. */
export const RACK_SITE_NODES: NodeInventoryEntry[] = [1, 2, 3].flatMap((r) => [11, 12].map((i) => ({
  name: `r${r}-node-${i}`,
  labels: { rack: `r${r}` },
  ipv4Address: `10.20.${r}.${i}/24`,
})));

export const RACK_SITE: CalicoTorChartProps = {
  calicoVersion: 'v3.32.1',
  asNumber: 65000,
  podIpPools: [{ cidr: '10.48.0.0/16', blockSize: 26, encapsulation: 'None', natOutgoing: true }],
  nodeAddressAutodetectionV4: { cidrs: ['10.20.0.0/16'] },
  serviceClusterIps: ['10.49.0.0/16'],
  racks: {
    racks: [1, 2, 3].map((r) => ({
      name: `r${r}`,
      asNumber: 65000 + r,
      routers: [
        { name: `tor-r${r}-a`, peerIp: `10.20.${r}.1`, asNumber: 65000 + r },
        { name: `tor-r${r}-b`, peerIp: `10.20.${r}.2`, asNumber: 65000 + r },
      ],
    })),
  },
  nodes: RACK_SITE_NODES,
};
// docs:end rack-site

// docs:begin rr-site
/** Two route reflectors for the whole cluster, peering with the two core routers; three clients. */
export const RR_SITE_NODES: NodeInventoryEntry[] = [
  { name: 'rr-1', labels: { 'route-reflector': 'true' }, ipv4Address: '10.40.0.11/16' },
  { name: 'rr-2', labels: { 'route-reflector': 'true' }, ipv4Address: '10.40.0.12/16' },
  { name: 'worker-1', ipv4Address: '10.40.1.1/16' },
  { name: 'worker-2', ipv4Address: '10.40.1.2/16' },
  { name: 'worker-3', ipv4Address: '10.40.1.3/16' },
];

export const RR_SITE: CalicoTorChartProps = {
  calicoVersion: 'v3.31.7',
  asNumber: 64600,
  podIpPools: [{ cidr: '10.50.0.0/16', blockSize: 26, encapsulation: 'None', natOutgoing: true }],
  nodeAddressAutodetectionV4: { cidrs: ['10.40.0.0/16'] },
  routeReflectors: {
    clusterId: '244.0.0.1',
    routers: [
      { name: 'core-a', peerIp: '10.40.0.1', asNumber: 64512 },
      { name: 'core-b', peerIp: '10.40.0.2', asNumber: 64512 },
    ],
  },
  nodes: RR_SITE_NODES,
};
// docs:end rr-site
