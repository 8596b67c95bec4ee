import { BLOCK_SIZE_RANGE, DEFAULT_BLOCK_SIZE } from './calico-defaults';
import { Cidr } from './net';

/**
 * Calico's cross-field rules, as functions of a spec (JSON field names), each in one place: the
 * validation rules report them on objects, the constructs on their props (mapping the field to
 * the prop), and the plan assumes them.
 */

/** A problem found by a rule: the spec field (relative path) and the message. */
export type Report = (field: string, message: string) => void;

/**
 * Checks a pool's block size against its CIDR, as libcalico-go clientv3/ippool.go
 * `validateAndSetDefaults` and the operator's pool validation do:
 * IPv4 20-32, IPv6 116-128, and the pool must hold at least one block (prefix <= block size).
 *
 * @param checkFits false for a disabled pool (Calico skips the size check then).
 */
export function checkBlockSize(cidr: Cidr, blockSize: unknown, path: string, report: Report, checkFits = true): void {
  if (blockSize !== undefined && blockSize !== null && typeof blockSize !== 'number') return; // schema reports the type
  const size = blockSize === undefined || blockSize === null || blockSize === 0 ? DEFAULT_BLOCK_SIZE[cidr.family] : blockSize;
  const [min, max] = BLOCK_SIZE_RANGE[cidr.family];
  if (!Number.isInteger(size) || size < min || size > max) {
    report(`${path}.blockSize`, `blockSize ${size} is out of range for the IPv${cidr.family} pool ${cidr.text}: IPv${cidr.family} block sizes go from ${min} to ${max} (default ${DEFAULT_BLOCK_SIZE[cidr.family]})`);
    return;
  }
  if (checkFits && cidr.prefixLength > size) {
    report(`${path}.cidr`, `the pool ${cidr.text} is smaller than one /${size} block: Calico IPAM needs the pool prefix (/${cidr.prefixLength}) to be at most the block size. Use a /${size} or larger pool, or blockSize ${Math.min(max, Math.max(min, cidr.prefixLength))}`);
  }
}

/**
 * Fields Calico accepts only on the BGPConfiguration named "default" (libcalico-go clientv3
 * bgpconfig.go `ValidateDefaultOnlyFields`): scalars, then lists (empty lists are allowed).
 */
export const DEFAULT_ONLY_BGP_FIELDS = {
  scalars: ['nodeToNodeMeshEnabled', 'asNumber'],
  lists: ['serviceLoadBalancerIPs', 'serviceExternalIPs', 'serviceClusterIPs'],
} as const;

/** The default-only fields set in a BGPConfiguration spec named `name` (none when it is "default"). */
export function misplacedDefaultOnlyFields(name: string, spec: Record<string, unknown>): string[] {
  if (name === 'default' || name === '') return [];
  const scalars = DEFAULT_ONLY_BGP_FIELDS.scalars.filter((f) => spec[f] !== undefined && spec[f] !== null);
  const lists = DEFAULT_ONLY_BGP_FIELDS.lists.filter((f) => Array.isArray(spec[f]) && (spec[f] as unknown[]).length > 0);
  return [...scalars, ...lists];
}

/**
 * Why a BGPConfiguration name is never read by Calico (it reads "default" and "node.<nodename>",
 * Calico docs reference/resources/bgpconfig), or undefined. `severity` is how Calico treats it:
 * "node." is refused, any other name is accepted but ignored.
 */
export function bgpConfigurationNameProblem(name: string): { severity: 'error' | 'warning'; message: string } | undefined {
  if (name === 'default' || name === '') return undefined;
  if (name === 'node.') return { severity: 'error', message: 'BGPConfiguration "node." names no node: use "node.<nodename>"' };
  if (!name.startsWith('node.')) {
    return { severity: 'warning', message: `BGPConfiguration ${JSON.stringify(name)} is never read: Calico uses the one named "default" (cluster-wide settings) and "node.<nodename>" (per-node overrides); rename it` };
  }
  return undefined;
}
