import { CALICO_NODE_NAMESPACE } from './calico-defaults';
import { describeValue, Parsed } from './values';

/**
 * BGP value types shared by BGPConfiguration, BGPPeer and BGPFilter: AS numbers and communities.
 */

/** Largest AS number (4-byte ASN, RFC 6793). */
export const MAX_AS_NUMBER = 4294967295;

const AS_HINT = 'use a whole number from 0 to 4294967295, or the dotted form "<0-65535>.<0-65535>" (e.g. "1.10" = 65546)';

/**
 * Parses an AS number as Calico's `numorstring.ASNumber` does: a JSON number (uint32), or a string
 * holding a decimal uint32 or the dotted "asdot" form `high.low` with two 16-bit parts
 * (api/pkg/lib/numorstring/asnumber.go `ASNumberFromString`).
 */
export function parseAsNumber(input: unknown): Parsed<number> {
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 0 || input > MAX_AS_NUMBER) {
      return { ok: false, error: `AS number ${input} is out of range: ${AS_HINT}` };
    }
    return { ok: true, value: input };
  }
  if (typeof input !== 'string') return { ok: false, error: `AS number ${describeValue(input)} is not a number: ${AS_HINT}` };
  if (/^[0-9]+$/.test(input)) {
    const n = BigInt(input);
    if (n <= BigInt(MAX_AS_NUMBER)) return { ok: true, value: Number(n) };
    return { ok: false, error: `AS number ${JSON.stringify(input)} is out of range: ${AS_HINT}` };
  }
  const parts = input.split('.');
  if (parts.length === 2 && parts.every((p) => /^[0-9]+$/.test(p) && BigInt(p) <= 65535n)) {
    return { ok: true, value: Number(BigInt(parts[0]) * 65536n + BigInt(parts[1])) };
  }
  return { ok: false, error: `AS number ${JSON.stringify(input)} is not valid: ${AS_HINT}` };
}

/** A BGP community value: standard `aa:nn` (RFC 1997) or large `aa:nn:mm` (RFC 8092). */
export interface CommunityValue {
  readonly kind: 'standard' | 'large';
  readonly parts: readonly number[];
}

// libcalico-go validator/v3: standardCommunity `^(\d+):(\d+)$`, largeCommunity `^(\d+):(\d+):(\d+)$`.
const STANDARD = /^([0-9]+):([0-9]+)$/;
const LARGE = /^([0-9]+):([0-9]+):([0-9]+)$/;

/** Outcome of {@link classifyCommunity}. */
export type CommunityClass =
  | { readonly format: 'none' }
  | { readonly format: 'standard' | 'large'; readonly value?: CommunityValue; readonly error?: string };

/**
 * Classifies a string as libcalico-go's `isValidCommunity` does: `none` when it has neither
 * community shape (it may then be a community name), else standard/large with an error when a
 * part is too big (16-bit parts for standard, 32-bit for large: `validateCommunityValue`).
 */
export function classifyCommunity(text: string): CommunityClass {
  const std = STANDARD.exec(text);
  const large = std ? null : LARGE.exec(text);
  const m = std ?? large;
  if (!m) return { format: 'none' };
  const kind = std ? 'standard' : 'large';
  const max = std ? 65535n : 4294967295n;
  const nums = m.slice(1).map((p) => BigInt(p));
  if (nums.some((n) => n > max)) {
    return {
      format: kind,
      error: std
        ? `community ${JSON.stringify(text)} is not valid: a standard community is "aa:nn" with both parts from 0 to 65535 (16-bit); use a large community "aa:nn:mm" for 32-bit parts`
        : `community ${JSON.stringify(text)} is not valid: a large community is "aa:nn:mm" with each part from 0 to 4294967295 (32-bit)`,
    };
  }
  return { format: kind, value: { kind, parts: nums.map(Number) } };
}

/**
 * Parses a community value strictly (for a `communities[].value`): the standard or large form.
 */
export function parseCommunity(input: unknown): Parsed<CommunityValue> {
  if (typeof input !== 'string') {
    return { ok: false, error: `community ${describeValue(input)} is not valid: use "aa:nn" (two 16-bit numbers) or "aa:nn:mm" (three 32-bit numbers), e.g. "64512:100"` };
  }
  const c = classifyCommunity(input);
  if (c.format === 'none') {
    return { ok: false, error: `community ${JSON.stringify(input)} is not valid: use "aa:nn" (two 16-bit numbers) or "aa:nn:mm" (three 32-bit numbers), e.g. "64512:100"` };
  }
  if (c.error || !c.value) return { ok: false, error: c.error ?? 'invalid community' };
  return { ok: true, value: c.value };
}


/**
 * Checks a BGPPassword (`BGPPeer.spec.password`, `BGPConfiguration.spec.nodeMeshPassword`): only
 * `secretKeyRef` exists in Calico's API (api/pkg/apis/projectcalico/v3 BGPPassword), naming a
 * key of a Secret in calico-node's own namespace. A clear-text password is refused.
 */
export function checkPassword(value: unknown, path: string, report: (path: string, message: string) => void): void {
  if (value === undefined || value === null) return;
  const fix = `use ${path}.secretKeyRef: {name: <Secret name>, key: <key>} naming a Secret in calico-node's namespace ("${CALICO_NODE_NAMESPACE}" under the operator)`;
  if (typeof value !== 'object' || Array.isArray(value)) {
    report(path, `a BGP password is never written in clear text: ${fix}`);
    return;
  }
  const ref = (value as Record<string, unknown>).secretKeyRef;
  const others = Object.keys(value).filter((k) => k !== 'secretKeyRef');
  if (ref === undefined || ref === null) {
    report(path, `${others.length > 0 ? `${others.map((k) => JSON.stringify(k)).join(', ')} is not a way to give a BGP password; ` : 'the password is empty; '}${fix}`);
    return;
  }
  if (typeof ref !== 'object' || Array.isArray(ref)) return; // wrong type: the schema check reports it
  const r = ref as Record<string, unknown>;
  if (typeof r.name !== 'string' || r.name === '') {
    report(`${path}.secretKeyRef.name`, `secretKeyRef names no Secret: set name to the Secret holding the password (in namespace "${CALICO_NODE_NAMESPACE}")`);
  }
  if (typeof r.key !== 'string' || r.key === '') {
    report(`${path}.secretKeyRef.key`, 'secretKeyRef names no key: set key to the entry of the Secret that holds the password');
  }
}
