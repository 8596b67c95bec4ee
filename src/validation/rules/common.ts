import { describeValue, isRecord, Parsed } from '../../model/values';

export { isRecord };
import { parseSelector } from '../../model/selector';
import { ManifestObject, Severity, Violation } from '../../model/violation';

/**
 * Shared pieces of the per-kind rules: a violation collector bound to one object, defensive
 * readers for objects that may have failed the schema (wrong types are skipped, never thrown on),
 * Kubernetes/Calico name checks, Go duration parsing and selector checks.
 */

/** Collects the violations of one object, filling in apiVersion/kind/name. */
export class Findings {
  private readonly found: Violation[] = [];
  private readonly apiVersion: string;
  private readonly kind: string;
  private readonly name: string;

  constructor(obj: ManifestObject) {
    this.apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    this.kind = typeof obj.kind === 'string' ? obj.kind : '';
    this.name = objectName(obj);
  }

  public add(severity: Severity, path: string, message: string): void {
    this.found.push({ apiVersion: this.apiVersion, kind: this.kind, name: this.name, path, message, severity });
  }

  public error(path: string, message: string): void {
    this.add('error', path, message);
  }

  public warning(path: string, message: string): void {
    this.add('warning', path, message);
  }

  /** The violations collected so far, in the order found. */
  public get violations(): Violation[] {
    return this.found;
  }
}


/** `v` if it is a string, else undefined. */
export function asString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** `v` if it is a non-empty string, else undefined. */
export function nonEmpty(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `v` if it is an array, else an empty array. */
export function asArray(v: unknown): readonly unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `v` if it is a finite number, else undefined. */
export function asNumber(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** metadata.name of an object, or '' when missing or not a string. */
export function objectName(obj: ManifestObject): string {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  return isRecord(md) && typeof md.name === 'string' ? md.name : '';
}

/** metadata.namespace of an object, or '' when missing. */
export function objectNamespace(obj: ManifestObject): string {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  return isRecord(md) && typeof md.namespace === 'string' ? md.namespace : '';
}

/** The API group of an apiVersion (`projectcalico.org/v3` -> `projectcalico.org`; `v1` -> ''). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether the object is a projectcalico.org (or crd.projectcalico.org) object of `kind`. */
export function isCalicoKind(obj: ManifestObject, kind: string): boolean {
  const g = apiGroup(obj.apiVersion);
  return obj.kind === kind && (g === 'projectcalico.org' || g === 'crd.projectcalico.org');
}

/** Whether the object is an operator.tigera.io object of `kind`. */
export function isOperatorKind(obj: ManifestObject, kind: string): boolean {
  return obj.kind === kind && apiGroup(obj.apiVersion) === 'operator.tigera.io';
}

/** The spec of an object when it is an object, else undefined. */
export function specOf(obj: ManifestObject): Record<string, unknown> | undefined {
  const spec: unknown = (obj as { spec?: unknown }).spec;
  return isRecord(spec) ? spec : undefined;
}

// ---------------------------------------------------------------------------------------------
// Names

const LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
/** DNS-1123 subdomain: libcalico-go validator/v3 `nameSubdomainFmt`, k8s IsDNS1123Subdomain. */
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL_FMT}(\\.${LABEL_FMT})*$`);
/** Kubernetes DNS1123SubdomainMaxLength. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

/**
 * Why `name` is not a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', starting and
 * ending alphanumeric, at most 253 characters), or undefined when it is. Mirrors libcalico-go
 * `validateObjectMeta`/`validateName` and Kubernetes' rule for custom resource names.
 */
export function dnsSubdomainProblem(name: string): string | undefined {
  if (name.length > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    return `${JSON.stringify(name.slice(0, 40))}... is ${name.length} characters long; at most ${DNS1123_SUBDOMAIN_MAX_LENGTH} are allowed`;
  }
  if (!DNS1123_SUBDOMAIN.test(name)) {
    const suggestion = suggestDnsSubdomain(name);
    return `${JSON.stringify(name)} is not a valid name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit (DNS-1123 subdomain)${suggestion && suggestion !== name ? `, e.g. ${JSON.stringify(suggestion)}` : ''}`;
  }
  return undefined;
}

/** A DNS-1123 subdomain close to `name` (lower-cased, other characters turned into '-'), if any. */
export function suggestDnsSubdomain(name: string): string | undefined {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .split('.')
    .map((part) => part.replace(/^-+|-+$/g, ''))
    .filter((part) => part !== '')
    .join('.')
    .slice(0, DNS1123_SUBDOMAIN_MAX_LENGTH);
  return s !== '' && DNS1123_SUBDOMAIN.test(s) ? s : undefined;
}

/** Checks metadata.name: present and a DNS-1123 subdomain. */
export function checkMetadataName(obj: ManifestObject, f: Findings): string | undefined {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  const name: unknown = isRecord(md) ? md.name : undefined;
  if (name === undefined || name === '') {
    f.error('metadata.name', `${obj.kind} has no name: set metadata.name (lower case letters, digits, '-' and '.')`);
    return undefined;
  }
  if (typeof name !== 'string') return undefined; // wrong type: the schema check reports it
  const problem = dnsSubdomainProblem(name);
  if (problem) f.error('metadata.name', problem);
  return name;
}

// ---------------------------------------------------------------------------------------------
// Durations

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

/** Checks an optional Go duration field (syntax error: error; negative: warning). */
export function checkDuration(value: unknown, path: string, f: Findings): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') return; // wrong type: the schema check reports it
  const d = parseGoDuration(value);
  if (!d.ok) {
    f.error(path, d.error);
  } else if (d.value < 0) {
    f.warning(path, `${JSON.stringify(value)} is negative: Calico's validator lets it through, but a negative time means nothing to BIRD; use a positive duration such as "120s"`);
  }
}

// ---------------------------------------------------------------------------------------------
// Selectors

/**
 * Checks an optional selector field (libcalico-go `selector` validation tag: selector.Validate).
 * An empty string means "not set".
 */
export function checkSelector(value: unknown, path: string, f: Findings): void {
  if (typeof value !== 'string' || value === '') return;
  const r = parseSelector(value);
  if (!r.ok) {
    f.error(path, `selector ${JSON.stringify(value)} does not parse: ${r.error.message}. Selectors look like 'all()', 'has(rack)' or 'rack == "r1" && zone in {"a", "b"}'`);
  }
}

/** Formats a list of allowed values for a message: `"A", "B" or "C"`. */
export function oneOf(values: readonly string[]): string {
  const q = values.map((v) => JSON.stringify(v));
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** A Kubernetes qualified name: `[prefix/]name`, name of 1-63 alphanumerics, '-', '_', '.' (apimachinery IsQualifiedName). */
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Checks metadata.labels as the Kubernetes API server does (apimachinery validation
 * IsQualifiedName / IsValidLabelValue): keys are `[dns-subdomain/]name`, values are empty or a
 * label name of at most 63 characters. (Types are the schema check's.)
 */
export function checkLabels(obj: ManifestObject, f: Findings): void {
  const md: unknown = (obj as { metadata?: unknown }).metadata;
  const labels: unknown = isRecord(md) ? md.labels : undefined;
  if (!isRecord(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    const path = `metadata.labels[${JSON.stringify(key)}]`;
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (!LABEL_NAME.test(name) || (prefix !== undefined && dnsSubdomainProblem(prefix) !== undefined)) {
      f.error(path, `label key ${JSON.stringify(key)} is not valid: use [prefix/]name, where the name is 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, and the optional prefix a DNS subdomain (e.g. "topology.kubernetes.io/zone")`);
    }
    if (typeof value === 'string' && value !== '' && !LABEL_NAME.test(value)) {
      f.error(path, `label value ${JSON.stringify(value)} is not valid: use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, or the empty string`);
    }
  }
}
