/**
 * The BGP plan: what every node's calico-node will do (sessions, advertised prefixes, the
 * routers' view, findings), computed from plain objects before anything is deployed.
 */
export * from './types';
export { computePlan, PlanOptions } from './compute';
export { NodeInventoryEntry, InventoryNode, InventoryResult, NodeAddress, readInventory, checkInventory, NODE_ANNOTATIONS, isKubernetesNode, isCalicoNode } from './inventory';
export { formatPlanText, formatPlanNode } from './format';
