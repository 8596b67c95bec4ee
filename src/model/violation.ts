/** How bad a violation is: errors stop synthesis; warnings are reported and allowed. */
export type Severity = 'error' | 'warning';

/** One problem found in a Kubernetes/Calico object. */
export interface Violation {
  /** File the object was read from (CLI input), if any. */
  readonly file?: string;
  /** Zero-based index of the YAML document within `file`, if any. */
  readonly document?: number;
  readonly apiVersion: string;
  readonly kind: string;
  /** metadata.name of the object (empty when missing). */
  readonly name: string;
  /** Field path inside the object, e.g. `spec.calicoNetwork.ipPools[0].cidr` (empty for the whole object). */
  readonly path: string;
  /** What is wrong, what is allowed and, where possible, how to fix it. */
  readonly message: string;
  readonly severity: Severity;
}

/** A plain Kubernetes object as it appears in a manifest. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** A manifest object with where it came from (for CLI input). */
export interface SourcedObject {
  readonly object: ManifestObject;
  readonly file?: string;
  readonly document?: number;
}

/** Formats a violation as one line: `file#doc: severity Kind/name path: message`. */
export function formatViolation(v: Violation): string {
  const where = v.file !== undefined ? `${v.file}${v.document !== undefined ? `#${v.document}` : ''}: ` : '';
  const obj = `${v.kind}/${v.name || '<unnamed>'}`;
  return `${where}${v.severity} ${obj}${v.path ? ` ${v.path}` : ''}: ${v.message}`;
}

/** Thrown when objects fail validation; carries every violation found (errors and warnings). */
export class CalicoValidationError extends Error {
  /** All violations, errors first. */
  public readonly violations: readonly Violation[];

  constructor(violations: readonly Violation[]) {
    const errors = violations.filter((v) => v.severity === 'error');
    super(`Calico validation failed with ${errors.length} error(s):\n${violations.map((v) => `  ${formatViolation(v)}`).join('\n')}`);
    this.name = 'CalicoValidationError';
    this.violations = violations;
  }
}
