export * from './bgp-topology';
export * from './network-topology-props';
export * from './node-settings';
export * from './rack-peers';
export * from './route-reflectors';
export { labelEquals, and as andSelectors, not as notSelector, selectorLabelKeys } from './selectors';
