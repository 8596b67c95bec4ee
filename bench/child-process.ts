import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** GNU time, used to read the peak memory of commands that are not ours. */
const GNU_TIME = '/usr/bin/time';

/** Outcome of one run of a command. */
export interface TimedRun {
  /** Wall time from spawn to exit, in milliseconds. */
  readonly ms: number;
  /** Peak resident set size of the command (largest process of its tree), in KiB, when known. */
  readonly maxRssKb?: number;
  /** Exit status (null when killed by a signal). */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runTimed}. */
export interface RunOptions {
  /** Working directory. */
  readonly cwd: string;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
  /** Scratch directory for GNU time's report. */
  readonly scratch: string;
  /**
   * Give up after this many milliseconds.
   * @default 600000
   */
  readonly timeoutMs?: number;
}

/**
 * Runs `command args` to completion and measures its wall time; when GNU time is installed the
 * command runs under `/usr/bin/time -f %M` (a fork/exec, well below a millisecond) to read its peak
 * memory as well.
 */
export function runTimed(command: string, args: readonly string[], options: RunOptions): TimedRun {
  const report = join(options.scratch, `time-${process.pid}.txt`);
  const useTime = existsSync(GNU_TIME);
  rmSync(report, { force: true });
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', '%M', '-o', report, command, ...args]] : [command, [...args]];
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 600_000,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error) throw new Error(`cannot run ${command} in ${options.cwd}${existsSync(options.cwd) ? "" : " (the folder is gone)"}: ${r.error.message}`);
  let maxRssKb: number | undefined;
  if (useTime && existsSync(report)) {
    // On failure GNU time writes "Command exited with non-zero status N" before the figure.
    const last = readFileSync(report, 'utf8').trim().split('\n').pop() ?? '';
    const kb = Number(last);
    if (Number.isFinite(kb) && kb > 0) maxRssKb = kb;
  }
  return { ms, maxRssKb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The last lines of a command's output, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
