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

