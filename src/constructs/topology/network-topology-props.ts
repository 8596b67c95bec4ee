import { BgpTopologyProps, TopologyNode } from './bgp-topology';

/**
 * The network-model props of {@link CalicoTorChart}: the BGP topology (routers for every node,
 * racks, route reflectors) and the node inventory it is planned against.
 */
export interface CalicoNetworkTopologyProps extends BgpTopologyProps {
  /**
   * The cluster's nodes (name, labels, addresses, own AS, reflector cluster ID). Optional for
   * synthesis; with it the chart derives each node's settings (labels, AS number, reflector
   * cluster ID: written by {@link CalicoTorChart.artifacts} to `node-settings/`, never as Node
   * objects) and checks them against the topology.
   * @default - no inventory: no node settings
   */
  readonly nodes?: readonly TopologyNode[];
}
