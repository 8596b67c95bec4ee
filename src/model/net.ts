import * as ipaddr from 'ipaddr.js';
import { Parsed, describeValue } from './values';


/**
 * IP address, CIDR, port and BGP peer address helpers (over ipaddr.js), strict in the way Calico
 * is strict. Every parser returns a result object and never throws, so constructs can turn the
 * error text into an early `throw` and validators into a violation message.
 *
 * Ranges are handled as BigInt intervals `[start, end]` so that IPv4 and IPv6 share one code path;
 * overlap and containment searches sort the intervals once (no all-pairs comparison).
 */

/** IP family. */
export type IpFamily = 4 | 6;

/** A parsed IP address. */
export interface IpAddress {
  readonly family: IpFamily;
  /** Numeric value of the address (32 or 128 bits). */
  readonly value: bigint;
  /** Canonical text: dotted quad for IPv4, RFC 5952 for IPv6. */
  readonly text: string;
}

/** A parsed CIDR (network address and prefix length). */
export interface Cidr {
  readonly family: IpFamily;
  /** Prefix length in bits (0-32 for IPv4, 0-128 for IPv6). */
  readonly prefixLength: number;
  /** First address of the range (the network address). */
  readonly start: bigint;
  /** Last address of the range. */
  readonly end: bigint;
  /** Canonical text of the network, e.g. `10.33.0.0/17`. */
  readonly text: string;
  /** Whether the input had host bits set (only possible with `allowHostBits`). */
  readonly hostBitsSet: boolean;
}


/** Options of {@link parseCidr}. */
export interface ParseCidrOptions {
  /**
   * Accept an address without a mask as a single-address network (/32 or /128), as Calico's
   * `cnet.ParseCIDROrIP` does.
   * @default false (a missing mask is an error with a "Did you mean" hint)
   */
  readonly allowBareIp?: boolean;
  /**
   * Accept host bits after the prefix (e.g. `10.0.0.1/24`), as Go's `net.ParseCIDR` does; the
   * result is the masked network with `hostBitsSet: true`.
   * @default false (host bits are an error with the masked network as the fix)
   */
  readonly allowHostBits?: boolean;
}

const BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}


function bytesToBigInt(bytes: readonly number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function bigIntToAddressText(family: IpFamily, value: bigint): string {
  const n = family === 4 ? 4 : 16;
  const bytes = new Array<number>(n);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return family === 4 ? ipaddr.fromByteArray(bytes).toString() : (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/**
 * Parses an address the way Go's `net.ParseIP` accepts it: IPv4 as four decimal octets without
 * leading zeros, IPv6 in any RFC 4291 text form (embedded IPv4 allowed), no zone (`%eth0`).
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is an IPv4 address, as for Go (`To4() != nil`).
 */
export function parseIp(input: unknown): Parsed<IpAddress> {
  return parseAddress(input, true);
}

function parseAddress(input: unknown, mapIPv4: boolean): Parsed<IpAddress> {
  if (typeof input !== 'string') return fail(`expected an IP address as a string, got ${describeValue(input)}`);
  const text = input;
  if (text === '') return fail('the IP address is empty');
  if (text.includes('.') && !text.includes(':')) {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
      return fail(`${JSON.stringify(text)} is not a valid IPv4 address (expected four decimal numbers 0-255 without leading zeros, e.g. "10.0.0.1")${text.includes('/') ? '; a CIDR is not allowed here' : ''}`);
    }
    const addr = ipaddr.IPv4.parse(text);
    return ok({ family: 4, value: bytesToBigInt(addr.toByteArray()), text: addr.toString() });
  }
  if (text.includes(':') && !text.includes('%') && !text.includes('/') && ipaddr.IPv6.isValid(text)) {
    const addr = ipaddr.IPv6.parse(text);
    if (mapIPv4 && addr.isIPv4MappedAddress()) {
      const v4 = addr.toIPv4Address();
      return ok({ family: 4, value: bytesToBigInt(v4.toByteArray()), text: v4.toString() });
    }
    return ok({ family: 6, value: bytesToBigInt(addr.toByteArray()), text: addr.toRFC5952String() });
  }
  if (text.startsWith('[') && text.endsWith(']')) {
    return fail(`${JSON.stringify(text)} is not a valid IP address: brackets are only written around an IPv6 address followed by a port; write ${JSON.stringify(text.slice(1, -1))}`);
  }
  return fail(`${JSON.stringify(text)} is not a valid IPv4 or IPv6 address${text.includes('/') ? ' (a CIDR is not allowed here, only an address)' : ''}`);
}

/**
 * Parses a CIDR strictly: the mask is required and host bits are refused (unless the options
 * relax either), IPv4 and IPv6.
 */
export function parseCidr(input: unknown, options: ParseCidrOptions = {}): Parsed<Cidr> {
  if (typeof input !== 'string') return fail(`expected a CIDR as a string, got ${describeValue(input)}`);
  const text = input;
  if (text === '') return fail('the CIDR is empty');
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  // A CIDR written in IPv6 syntax keeps an IPv6 prefix length, even for an IPv4-mapped address.
  const addr = parseAddress(addrText, false);
  if (!addr.ok) {
    return fail(`${JSON.stringify(text)} is not a valid CIDR: ${JSON.stringify(addrText)} is not a valid IPv4 or IPv6 address (expected e.g. "10.0.0.0/16" or "fd00::/64")`);
  }
  const bits = BITS[addr.value.family];
  let prefixLength: number;
  if (slash < 0) {
    if (!options.allowBareIp) {
      return fail(`CIDR mask is missing in ${JSON.stringify(text)}. Did you mean "${addr.value.text}/${bits}"?`);
    }
    prefixLength = bits;
  } else {
    const p = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]*)$/.test(p) || Number(p) > bits) {
      return fail(`${JSON.stringify(text)} is not a valid CIDR: the prefix length ${JSON.stringify(p)} must be a whole number from 0 to ${bits} for IPv${addr.value.family}`);
    }
    prefixLength = Number(p);
  }
  const hostBits = BigInt(bits - prefixLength);
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << hostBits) - 1n);
  const start = addr.value.value & mask;
  const end = start | ((1n << hostBits) - 1n);
  const network = `${bigIntToAddressText(addr.value.family, start)}/${prefixLength}`;
  const hostBitsSet = start !== addr.value.value;
  if (hostBitsSet && !options.allowHostBits) {
    return fail(`${JSON.stringify(text)} has host bits set (the address is not the first address of the /${prefixLength} network). Did you mean ${JSON.stringify(network)}?`);
  }
  return ok({ family: addr.value.family, prefixLength, start, end, text: network, hostBitsSet });
}


/** Whether `outer` contains all of `inner` (a CIDR or a single address); false across families. */
export function cidrContains(outer: Cidr, inner: Cidr | IpAddress): boolean {
  if (outer.family !== inner.family) return false;
  if ('value' in inner) return outer.start <= inner.value && inner.value <= outer.end;
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** A closed address interval of one family. */
export interface AddressRange {
  readonly family: IpFamily;
  readonly start: bigint;
  readonly end: bigint;
}

/** Whether two ranges share at least one address; false across families. */
export function rangesOverlap(a: AddressRange, b: AddressRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** A range tagged with what it stands for. */
export interface TaggedRange<T> {
  readonly range: AddressRange;
  readonly ref: T;
}

/** One overlap found by {@link findOverlaps}. */
export interface Overlap<T> {
  /** The range that comes first in address order (for CIDRs: the one containing or equal to `second`). */
  readonly first: T;
  /** The range found inside or equal to `first`. */
  readonly second: T;
}

/** How far down the stack of enclosing ranges a conflict is looked for (CIDR nesting is at most 129 deep). */
const MAX_STACK_WALK = 256;

function compareRanges(a: AddressRange, b: AddressRange): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  if (a.end !== b.end) return a.end > b.end ? -1 : 1; // wider first, so containers precede contents
  return 0;
}

/**
 * Finds overlapping ranges by sorting them once (start ascending, wider first) and sweeping with
 * a stack of the ranges still open: O(n log n), no all-pairs comparison. CIDRs are either nested
 * or disjoint, so every range overlapping an earlier one lies inside one of the open ranges; each
 * range is reported at most once, paired with the innermost open range that `conflicts` with it.
 *
 * @param conflicts decides whether an overlapping pair is a problem (default: always).
 * @returns overlaps in address order; `second` is the range reported.
 */
export function findOverlaps<T>(items: readonly TaggedRange<T>[], conflicts: (a: T, b: T) => boolean = () => true): Overlap<T>[] {
  const order = items.map((_, i) => i).sort((i, j) => compareRanges(items[i].range, items[j].range) || i - j);
  const out: Overlap<T>[] = [];
  const stack: number[] = [];
  for (const i of order) {
    const cur = items[i].range;
    while (stack.length > 0) {
      const top = items[stack[stack.length - 1]].range;
      if (top.family !== cur.family || top.end < cur.start) stack.pop();
      else break;
    }
    for (let k = stack.length - 1, steps = 0; k >= 0 && steps < MAX_STACK_WALK; k--, steps++) {
      const other = items[stack[k]];
      if (rangesOverlap(other.range, cur) && conflicts(other.ref, items[i].ref)) {
        out.push({ first: other.ref, second: items[i].ref });
        break;
      }
    }
    stack.push(i);
  }
  return out;
}

/**
 * A sorted index over CIDR ranges for fast lookups: which range contains an address or a CIDR,
 * and whether any range overlaps a CIDR. Built in O(n log n); each lookup is a binary search plus
 * a walk up the (at most 129 deep) chain of enclosing ranges.
 */
export class RangeIndex<T> {
  private readonly items: TaggedRange<T>[];
  private readonly parent: number[];

  constructor(items: readonly TaggedRange<T>[]) {
    this.items = items.map((it, i) => ({ it, i })).sort((a, b) => compareRanges(a.it.range, b.it.range) || a.i - b.i).map((x) => x.it);
    this.parent = new Array<number>(this.items.length);
    const stack: number[] = [];
    for (let i = 0; i < this.items.length; i++) {
      const cur = this.items[i].range;
      while (stack.length > 0) {
        const top = this.items[stack[stack.length - 1]].range;
        if (top.family !== cur.family || top.end < cur.start) stack.pop();
        else break;
      }
      this.parent[i] = stack.length > 0 ? stack[stack.length - 1] : -1;
      stack.push(i);
    }
  }

  /** Number of ranges indexed. */
  public get size(): number {
    return this.items.length;
  }

  /** Index of the last range (in sort order) starting at or before `start` in `family`, or -1. */
  private lastStartingAtOrBefore(family: IpFamily, start: bigint): number {
    let lo = 0;
    let hi = this.items.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.items[mid].range;
      if (r.family < family || (r.family === family && r.start <= start)) {
        if (r.family === family) found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * The innermost ranges containing `target` (an address or a range), innermost first, for which
   * `accept` holds (default: all).
   */
  public containing(target: IpAddress | AddressRange, accept: (ref: T) => boolean = () => true): T[] {
    const family = target.family;
    const start = 'value' in target ? target.value : target.start;
    const end = 'value' in target ? target.value : target.end;
    const out: T[] = [];
    let j = this.lastStartingAtOrBefore(family, start);
    let steps = 0;
    while (j >= 0 && steps++ < MAX_STACK_WALK) {
      const r = this.items[j].range;
      if (r.start <= start && r.end >= end && accept(this.items[j].ref)) out.push(this.items[j].ref);
      j = this.parent[j];
    }
    return out;
  }

  /** Whether any range overlaps `range` (contains it, lies inside it or partly covers it). */
  public overlapsAny(range: AddressRange, accept: (ref: T) => boolean = () => true): boolean {
    if (this.containing({ family: range.family, start: range.start, end: range.start }, accept).length > 0) return true;
    // Any range starting inside [start, end]?
    let j = this.lastStartingAtOrBefore(range.family, range.start) + 1;
    for (let steps = 0; j < this.items.length && steps < MAX_STACK_WALK; j++, steps++) {
      const r = this.items[j].range;
      if (r.family !== range.family || r.start > range.end) return false;
      if (accept(this.items[j].ref)) return true;
    }
    return false;
  }
}

/** Parses a TCP/UDP port: an integer (or decimal string) from 1 to 65535. */
export function parsePort(input: unknown): Parsed<number> {
  let n: number;
  if (typeof input === 'number') {
    n = input;
  } else if (typeof input === 'string' && /^[0-9]+$/.test(input)) {
    n = Number(input);
  } else {
    return fail(`port ${describeValue(input)} is not a number: a port is a whole number from 1 to 65535`);
  }
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    return fail(`port ${describeValue(input)} is out of range: a port is a whole number from 1 to 65535`);
  }
  return ok(n);
}

/** A BGP peer address: an IP and an optional port. */
export interface PeerAddress {
  readonly ip: IpAddress;
  /** Port to connect to, when given (1-65535). */
  readonly port?: number;
}

// The two host:port forms libcalico-go's processIPPort recognises (validator/v3/validator.go).
const IPV4_PORT = /^([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+):([0-9]+)$/;
const IPV6_PORT = /^\[([0-9a-fA-F:.]+)\]:([0-9]+)$/;
const PEER_FORMS = '"<IP>", "<IPv4>:<port>" or "[<IPv6>]:<port>"';

/**
 * Parses a BGPPeer `peerIP`: `<IP>`, `<IPv4>:<port>` or `[<IPv6>]:<port>` (port 1-65535).
 * Mirrors libcalico-go `processIPPort`: an unbracketed IPv6 address such as `fd00::1:179` is an
 * address (the last group is not a port).
 */
export function parsePeerAddress(input: unknown): Parsed<PeerAddress> {
  if (typeof input !== 'string') return fail(`expected a peer address as a string (${PEER_FORMS}), got ${describeValue(input)}`);
  let host = input;
  let portText: string | undefined;
  const v4 = IPV4_PORT.exec(input);
  const v6 = IPV6_PORT.exec(input);
  if (v4) {
    const colon = input.lastIndexOf(':');
    host = input.slice(0, colon);
    portText = input.slice(colon + 1);
  } else if (v6) {
    host = v6[1];
    portText = v6[2];
  }
  let port: number | undefined;
  if (portText !== undefined) {
    const p = parsePort(portText);
    if (!p.ok) return fail(`${JSON.stringify(input)} is not a valid peer address: the port ${portText} is out of range (a port is a whole number from 1 to 65535)`);
    port = p.value;
  }
  const ip = parseIp(host);
  if (!ip.ok) {
    return fail(`${JSON.stringify(input)} is not a valid peer address: ${ip.error}. Allowed forms: ${PEER_FORMS}`);
  }
  return ok(port === undefined ? { ip: ip.value } : { ip: ip.value, port });
}

/** Whether a CIDR overlaps the link-local range of its family (169.254.0.0/16 or fe80::/10). */
export function overlapsLinkLocal(cidr: Cidr): string | undefined {
  const ll = cidr.family === 4 ? LINK_LOCAL_V4 : LINK_LOCAL_V6;
  return rangesOverlap(cidr, ll) ? ll.text : undefined;
}

const LINK_LOCAL_V4 = (parseCidr('169.254.0.0/16') as { ok: true; value: Cidr }).value;
const LINK_LOCAL_V6 = (parseCidr('fe80::/10') as { ok: true; value: Cidr }).value;
