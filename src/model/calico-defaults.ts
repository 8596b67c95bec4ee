import { Cidr } from './net';

/**
 * Calico's defaults and the rules about them, each in one place: the constructs apply them to
 * their props, the validation rules and the plan assume exactly the same.
 */

/** AS number of nodes when the BGPConfiguration `default` sets none (libcalico-go numorstring default). */
export const DEFAULT_AS_NUMBER = 64512;

/** Port BIRD listens on when the BGPConfiguration sets none. */
export const DEFAULT_LISTEN_PORT = 179;

/** Namespace where calico-node runs under the Tigera operator (and reads BGP password Secrets). */
export const CALICO_NODE_NAMESPACE = 'calico-system';

/** Default block size per family (libcalico-go clientv3/ippool.go, operator ippool defaults). */
export const DEFAULT_BLOCK_SIZE = { 4: 26, 6: 122 } as const;
/** Allowed block sizes per family (clientv3/ippool.go validateAndSetDefaults). */
export const BLOCK_SIZE_RANGE = { 4: [20, 32], 6: [116, 128] } as const;


/** The effective block size of an IPPool-like spec entry (default per family), when known. */
export function effectiveBlockSize(cidr: Cidr, blockSize: unknown): number {
  return typeof blockSize === 'number' && blockSize !== 0 ? blockSize : DEFAULT_BLOCK_SIZE[cidr.family];
}
