import { parseGoDuration } from '../../model/duration';
import { Findings } from '../../model/manifest';
import { dnsSubdomainProblem, labelKeyProblem, labelValueProblem } from '../../model/names';
import { parseSelector } from '../../model/selector';
import { isRecord } from '../../model/values';
import { ManifestObject } from '../../model/violation';

/**
 * Checks shared by the per-kind rules, reported into a {@link Findings}: metadata names and
 * labels, durations, selectors, and how allowed values are listed.
 */


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
