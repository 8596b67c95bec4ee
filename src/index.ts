export * from './releases';
export * from './validation';
export * from './secret-reference';
export * from './bgp-configuration';
export * from './bgp-peer';
export * from './bgp-password-access';
export * from './calico-installation';
export * from './calico-api-server';
export * from './calico-crds';
export * from './calicoctl';
export * from './tigera-operator';
export * from './calico-stage';
export * from './calico-tor-chart';
export * from './calico-app';
export * from './run-app';
/** Generated projectcalico.org/v3 classes (BgpPeer, IpPool, BgpFilter, FelixConfiguration...). */
export * as calico from '../imports/projectcalico.org';
/** Generated operator.tigera.io/v1 classes (Installation, ApiServer). */
export * as tigera from '../imports/operator.tigera.io';
