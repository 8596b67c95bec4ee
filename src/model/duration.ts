import { describeValue, Parsed } from './values';

/** Go durations (`time.ParseDuration`), as Calico's metav1.Duration fields take them. */

const DURATION_UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  '\u00b5s': 1e3, // micro sign
  '\u03bcs': 1e3, // Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const DURATION_HINT = 'expected a Go duration such as "90s", "2m" or "1h30m" (units ns, us, ms, s, m, h)';

/**
 * Parses a Go duration (`time.ParseDuration`, used by metav1.Duration fields such as
 * maxRestartTime and keepaliveTime): an optional sign, then one or more decimal numbers each with
 * a unit; "0" alone is allowed.
 * @returns the duration in nanoseconds.
 */
export function parseGoDuration(input: unknown): Parsed<number> {
  if (typeof input !== 'string') {
    return { ok: false, error: `${describeValue(input)} is not a duration: ${DURATION_HINT}` };
  }
  const bad = (): Parsed<number> => ({ ok: false, error: `${JSON.stringify(input)} is not a valid duration: ${DURATION_HINT}` });
  let s = input;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s[0] === '-' ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, value: 0 };
  if (s === '') return bad();
  let total = 0;
  while (s !== '') {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const whole = m[1];
    const frac = m[3] ?? '';
    if (whole === '' && frac === '') return bad();
    s = s.slice(m[0].length);
    const u = /^[^0-9.]+/.exec(s);
    if (!u) return { ok: false, error: `${JSON.stringify(input)} is not a valid duration: a unit is missing; ${DURATION_HINT}` };
    const scale = DURATION_UNITS[u[0]];
    if (scale === undefined) return { ok: false, error: `${JSON.stringify(input)} is not a valid duration: unknown unit ${JSON.stringify(u[0])}; ${DURATION_HINT}` };
    s = s.slice(u[0].length);
    total += Number(`${whole || '0'}.${frac || '0'}`) * scale;
  }
  if (total > 9223372036854775807) return { ok: false, error: `${JSON.stringify(input)} is too long a duration (over 290 years)` };
  return { ok: true, value: sign * total };
}

