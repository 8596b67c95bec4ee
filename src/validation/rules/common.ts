import { isRecord } from '../../model/values';

export { isRecord };
import { parseSelector } from '../../model/selector';
import { dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from '../../model/names';
import { parseGoDuration } from '../../model/duration';
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
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) f.error(path, keyProblem);
    const valueProblem = typeof value === 'string' ? labelValueProblem(value) : undefined;
    if (valueProblem) f.error(path, valueProblem);
  }
}
