import { boundViolation, Violation } from '../model/violation';

/** How the command line talks to the world: its streams (or test doubles) and its exit statuses. */

/** Exit statuses of the command line. */
export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;
export const EXIT_OUTPUT = 4;

/** Where the command writes and reads (the process streams, or test doubles). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Standard input: all of it, or its chunks as they arrive (a thrown error is reported as an input error). */
  readonly readStdin: () => Promise<string> | AsyncIterable<string | Uint8Array>;
}

/** `n word` or `n words`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A violation as a JSON record: always the same fields, in the same order. */
export function violationRecord(violation: Violation) {
  const v = boundViolation(violation);
  return {
    file: v.file ?? null,
    document: v.document ?? null,
    apiVersion: v.apiVersion,
    kind: v.kind,
    name: v.name,
    path: v.path,
    message: v.message,
    severity: v.severity,
  };
}
