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

/**
 * Characters that must not reach a terminal or log raw: C0 and C1 controls (newline, ESC...), DEL,
 * the Unicode line and paragraph separators, bidirectional overrides and isolates, and the BOM. A
 * name holding a newline or an ANSI escape could otherwise forge or hide output lines.
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every unsafe character (see above) written as an escape: `\n`, `\t`, `\u001b`. */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => NAMED_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * `text` cut to about `max` characters: the start and the end kept (the end of a message holds the
 * fix), the middle replaced by `…(N characters cut)…`. Also cuts any single run of more than 120
 * characters without a space, as an echoed value is (to 100 characters).
 */
export function shortenText(text: string, max: number): string {
  let out = text.replace(/\S{121,}/g, (run) => `${run.slice(0, 100)}…(${run.length - 100} characters cut)`);
  if (out.length > max) {
    const head = Math.floor(max * 0.6);
    const tail = Math.floor(max * 0.3);
    out = `${out.slice(0, head)}…(${out.length - head - tail} characters cut)…${out.slice(out.length - tail)}`;
  }
  return out;
}

/** Longest message of a violation as printed (longer ones are cut in the middle). */
export const MAX_MESSAGE_LENGTH = 1000;
/** Longest kind, name or file name as printed. */
const MAX_FIELD_LENGTH = 260;
/** Longest field path as printed. */
const MAX_PATH_LENGTH = 400;

/** A field name that holds a secret (`password`, `nodeMeshPassword`, `token`...). */
const SECRET_NAME = /(?:password|passwd|secret|token|credential|private[-_]?key)$/i;
/** A field path ending at a secret field. */
const SECRET_PATH = /(?:password|passwd|secret|token|credential|private[-_]?key)["\]]*$/i;
/** A value a message quotes as what was found: `got "..."`, `got string "..."`. */
const GOT_QUOTED = /(\bgot (?:the )?(?:string )?)"(?:[^"\\]|\\.)*"/g;

/** Whether `name` (a field name) holds a secret, e.g. `password`, `nodeMeshPassword`, `apiToken`. */
export function isSecretFieldName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * The string values at secret fields of `object` (not under a `secretKeyRef`, which names a Secret
 * and is no secret), for {@link redactSecrets}. Iterative and bounded.
 */
export function secretValues(object: unknown): string[] {
  const out: string[] = [];
  const stack: Array<[unknown, boolean]> = [[object, false]];
  let visited = 0;
  while (stack.length > 0 && visited++ < 100_000) {
    const [v, underSecret] = stack.pop()!;
    if (typeof v === 'string') {
      if (underSecret && v !== '') out.push(v);
    } else if (typeof v === 'number' || typeof v === 'boolean') {
      if (underSecret) out.push(String(v));
    } else if (Array.isArray(v)) {
      for (const c of v) stack.push([c, underSecret]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        if (k === 'secretKeyRef') continue;
        stack.push([c, underSecret || isSecretFieldName(k)]);
      }
    }
  }
  return out;
}

/** `message` with every occurrence of the secrets (as written, JSON-escaped, or cut at 80 characters) replaced by `<redacted>`. */
export function redactSecrets(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), secret.slice(0, 80), JSON.stringify(secret.slice(0, 80)).slice(1, -1)])) {
      if (form.length > 0) out = out.split(form).join('<redacted>');
    }
  }
  return out;
}

/**
 * The violation as it may be shown: every text field with control characters escaped and cut to a
 * bounded length, and, for a violation at a secret field (`password`...), the value it quotes as
 * found (`got "..."`) replaced by `"<redacted>"` (validateManifests also removes the object's secret
 * values from every message, wherever they are quoted). {@link formatViolation} prints this; JSON
 * output uses it too. Rules and the schema check may echo input values freely: this is the one
 * place that bounds them.
 */
export function boundViolation(v: Violation): Violation {
  const field = (s: string, max: number) => shortenText(escapeControlCharacters(String(s)), max);
  let message = String(v.message);
  if (SECRET_PATH.test(String(v.path))) message = message.replace(GOT_QUOTED, '$1"<redacted>"');
  return {
    ...v,
    ...(v.file !== undefined ? { file: field(v.file, MAX_FIELD_LENGTH) } : {}),
    apiVersion: field(v.apiVersion, MAX_FIELD_LENGTH),
    kind: field(v.kind, MAX_FIELD_LENGTH),
    name: field(v.name, MAX_FIELD_LENGTH),
    path: field(v.path, MAX_PATH_LENGTH),
    message: field(message, MAX_MESSAGE_LENGTH),
  };
}

/**
 * Formats a violation as one line: `file#doc: severity Kind/name path: message`, bounded and
 * escaped ({@link boundViolation}), so the line is one line whatever the input held.
 */
export function formatViolation(violation: Violation): string {
  const v = boundViolation(violation);
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
