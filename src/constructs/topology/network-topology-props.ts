import { NodeInventoryEntry } from '../../plan/inventory';
import { RouterConfigOptions } from '../../routers/options';
import { BgpTopologyProps } from './bgp-topology';

/** A file format of the BGP plan artefact. */
export type PlanFileFormat = 'json' | 'markdown';

/**
 * The network-model props of {@link CalicoTorChart}: the BGP topology (routers for every node,
 * racks, route reflectors), the node inventory it is planned against, and the artefacts derived
 * from them (node settings, the plan, router configurations).
 */
export interface CalicoNetworkTopologyProps extends BgpTopologyProps {
  /**
   * The cluster's nodes (name, labels, addresses with prefix length, own AS, reflector cluster
   * ID). Optional for synthesis. With it the chart derives each node's settings (labels, AS
   * number, reflector cluster ID: written to `node-settings/` by `artifacts()`, never as Node
   * objects) and computes the BGP plan over its own objects: the plan's findings (a family without
   * sessions, selectors matching no node, AS reuse across racks...) join the chart's validation.
   * @default - no inventory: no node settings, no plan
   */
  readonly nodes?: readonly NodeInventoryEntry[];
  /**
   * Write the plan beside the staged YAML (needs `nodes`): `json` writes `plan.json` (the shape of
   * `cdk8s-calico plan --format json`), `markdown` writes `plan.md` (every node's sessions and
   * prefixes, as `cdk8s-calico plan` prints them).
   * @default - no plan file
   */
  readonly planFiles?: readonly PlanFileFormat[];
  /**
   * Write the routers' configurations from the plan (needs `nodes`): `routers/<router>.frr.conf`
   * and `.bird.conf`, one per router (named by its BGPPeer). `true` for the defaults; with racks
   * sharing one AS and `sharedAsRoutes: 'default-route'`, the routers' export policy defaults to
   * `default-route`.
   * @default false
   */
  readonly routerConfigs?: boolean | RouterConfigOptions;
}
