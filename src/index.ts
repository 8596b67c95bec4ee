export * from './releases/releases';
export * from './validation';
export * from './model/secret-reference';
export * from './constructs/bgp-configuration';
export * from './constructs/bgp-peer';
export * from './constructs/bgp-password-access';
export * from './constructs/calico-installation';
export * from './constructs/calico-api-server';
export * from './constructs/calico-crds';
export * from './constructs/calicoctl';
export * from './constructs/tigera-operator';
export * from './constructs/calico-stage';
export * from './constructs/calico-tor-chart';
export * from './output/calico-app';
export * from './output/run-app';
export * from './output/atomic-write';
/** Generated projectcalico.org/v3 classes (BgpPeer, IpPool, BgpFilter, FelixConfiguration...). */
export * as calico from '../imports/projectcalico.org';
/** Generated operator.tigera.io/v1 classes (Installation, ApiServer). */
export * as tigera from '../imports/operator.tigera.io';
