import * as ipaddr from 'ipaddr.js';

/**
 * OpenAPI `format` checks as the Kubernetes API server runs them on custom resources
 * (kube-openapi strfmt, which wraps Go's net, time and encoding packages). Unknown formats are
 * ignored, as Kubernetes ignores them. Each check returns `undefined` when the value is fine, or
 * the text of the problem (without the path).
 */

/** Integer ranges of the integer formats. */
export const INTEGER_FORMAT_RANGES: Readonly<Record<string, { readonly min: number; readonly max: number; readonly minText: string; readonly maxText: string }>> = {
  int32: { min: -2147483648, max: 2147483647, minText: '-2147483648', maxText: '2147483647' },
  // JSON numbers lose precision beyond 2^53: compare as numbers, show the exact bounds.
  int64: { min: -9223372036854775808, max: 9223372036854775807, minText: '-9223372036854775808', maxText: '9223372036854775807' },
};

const IPV4_OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
/** Dotted-quad IPv4 as Go's net.ParseIP accepts it (no leading zeros since Go 1.17). */
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);
const PREFIX_LENGTH = /^[0-9]{1,3}$/;

/** Whether `s` is an IPv4 address in Go's dotted-quad form. */
export function isIPv4(s: string): boolean {
  return IPV4.test(s);
}

/** Whether `s` is an IPv6 address as Go's net.ParseIP accepts it (embedded IPv4 allowed, no zone). */
export function isIPv6(s: string): boolean {
  if (!s.includes(':') || s.includes('%')) return false;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.') && !IPV4.test(tail)) return false;
  return ipaddr.IPv6.isValid(s);
}

/** Whether `s` is an IPv4 or IPv6 address (Go net.ParseIP). */
export function isIP(s: string): boolean {
  return isIPv4(s) || isIPv6(s);
}

/**
 * Whether `s` is `address/prefix-length` as Go's net.ParseCIDR accepts it. Like Kubernetes'
 * `cidr` format, host bits may be set (`10.0.0.1/24` is accepted).
 */
export function isCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0 || slash !== s.lastIndexOf('/')) return false;
  const addr = s.slice(0, slash);
  const len = s.slice(slash + 1);
  if (!PREFIX_LENGTH.test(len)) return false;
  const bits = Number(len);
  if (isIPv4(addr)) return bits <= 32;
  if (isIPv6(addr)) return bits <= 128;
  return false;
}

/** RFC 3339 date-time as Go's strfmt accepts it (`T` or space; optional fraction; Z or offset). */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1];
}

/** Whether `s` is an RFC 3339 date-time. */
export function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || sec > 60) return false;
  return m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59);
}

/** Standard base64 with padding, as govalidator.IsBase64 (Kubernetes' `byte` format). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
/** Go duration units plus the longer units kube-openapi's duration format also accepts. */
const DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)\s*(ns|us|µs|ms|s|m|h|d|w|second|seconds|minute|minutes|hour|hours|day|days|week|weeks))+$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const MAC = /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}$/;
const HOSTNAME_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/;

function isHostname(s: string): boolean {
  return s.length > 0 && s.length <= 255 && s.split('.').every((l) => HOSTNAME_LABEL.test(l));
}

function isRequestURI(s: string): boolean {
  if (s.startsWith('/')) return !/\s/.test(s);
  try {
    const u = new URL(s);
    return u.protocol.length > 1;
  } catch {
    return false;
  }
}

/** A string format: test and a description of what is allowed. */
interface StringFormat {
  readonly test: (s: string) => boolean;
  readonly expected: string;
}

const STRING_FORMATS: Readonly<Record<string, StringFormat>> = {
  cidr: { test: isCIDR, expected: 'a CIDR in address/prefix-length form (e.g. 10.0.0.0/16 or fd00::/64)' },
  ipv4: { test: isIPv4, expected: 'an IPv4 address (e.g. 10.0.0.1)' },
  ipv6: { test: isIPv6, expected: 'an IPv6 address (e.g. fd00::1)' },
  'date-time': { test: isDateTime, expected: 'an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z)' },
  datetime: { test: isDateTime, expected: 'an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z)' },
  date: {
    test: (s) => {
      const m = DATE.exec(s);
      return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    },
    expected: 'a date in YYYY-MM-DD form',
  },
  byte: { test: (s) => s === '' || BASE64.test(s), expected: 'base64-encoded data (standard alphabet, padded)' },
  duration: { test: (s) => DURATION.test(s), expected: 'a duration (e.g. 30s, 5m, 1h30m)' },
  uuid: { test: (s) => UUID.test(s), expected: 'a UUID' },
  mac: { test: (s) => MAC.test(s), expected: 'a MAC address (e.g. 52:54:00:12:34:56)' },
  hostname: { test: isHostname, expected: 'a hostname (RFC 1123)' },
  uri: { test: isRequestURI, expected: 'an absolute URI or absolute path' },
};


/**
 * Checks a string against a format.
 * @returns undefined when valid or the format is not checked; else what is wrong (without the path).
 */
export function checkStringFormat(format: string, value: string, describe: (v: unknown) => string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(STRING_FORMATS, format)) return undefined;
  const f = STRING_FORMATS[format];
  if (f.test(value)) return undefined;
  if (format === 'cidr' && isIP(value)) {
    return `CIDR mask is missing in "${value}". Did you mean "${value}/${isIPv4(value) ? 32 : 128}"?`;
  }
  return `must be ${f.expected}; got ${describe(value)}`;
}
