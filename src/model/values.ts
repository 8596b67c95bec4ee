import { escapeControlCharacters } from './violation';

/**
 * How values are shown in messages, and the result type of every parser: one place, so that a
 * construct's prop error, a rule's violation and a schema message describe a value the same way.
 */

/** Outcome of a parse: the value, or an error sentence naming the bad input, what is allowed and a fix. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Longest text of a value shown in a message (characters); longer values are cut with `…`. */
export const MAX_SHOWN_CHARS = 80;

/**
 * A value as shown in messages: strings quoted, cut to {@link MAX_SHOWN_CHARS} characters (`…`
 * marks the cut) and with control characters escaped, so an echoed value is short and one line;
 * numbers as is, containers by kind.
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') {
    return escapeControlCharacters(JSON.stringify(v.length > MAX_SHOWN_CHARS ? `${v.slice(0, MAX_SHOWN_CHARS)}…` : v));
  }
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return isPlainObject(v) ? 'an object' : `a ${(v as object).constructor?.name ?? 'non-JSON'} value`;
  return `a ${typeof v}`;
}

/** A value with its JSON kind, for type errors: `string "179"`, `number 1.5`, `a list of 2 items`. */
export function describeTyped(v: unknown): string {
  if (typeof v === 'string') return `string ${describeValue(v)}`;
  if (typeof v === 'number' || typeof v === 'bigint') return `number ${describeValue(v)}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return describeValue(v);
}

/** Whether `v` is a plain JSON object (not an array, Date, class instance...). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Whether `v` is a non-array object (parsed JSON/YAML mappings, props objects). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
