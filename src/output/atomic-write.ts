import * as nodeFs from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Replaces a directory's content as a whole, so that the output is never lost.
 *
 * The new files are staged in a sibling folder (`.<name>.staging`), each file and folder fsynced,
 * then switched in with two renames: `<name>` -> `.<name>.previous`, staging -> `<name>`; the
 * parent is fsynced and the previous output removed. A lock file beside the output
 * (`.<name>.lock`, holding the writer's pid and host) lets one writer at a time in; a lock whose
 * process is gone is taken over.
 *
 * What holds on failure:
 * - Any error (ENOSPC, EACCES, EROFS, EXDEV, EIO...) before the switch: the staging folder is
 *   removed, the output is untouched, the error is thrown.
 * - An error in the switch: the previous output is renamed back before the error is thrown. The
 *   function throws only with the old output in place (or, if even the rename back failed, with a
 *   message saying where the complete old output is).
 * - SIGKILL or power loss at any moment: `<name>` holds the complete old or the complete new output,
 *   except between the two renames of the switch (two system calls), where `<name>` is absent and
 *   `.<name>.previous` holds the complete old output. Plain directories cannot be swapped in one
 *   system call from Node (no renameat2 RENAME_EXCHANGE binding), so the next run repairs this
 *   first: {@link recoverOutputDirectory} puts `.<name>.previous` back when `<name>` is missing and
 *   removes staging folders of killed runs.
 */

/** The file system calls the writer makes (node:fs by default; tests inject failures). */
export interface AtomicWriteFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: string): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  rmSync(path: string, options: { recursive: true; force: true }): void;
  linkSync(existing: string, newPath: string): void;
  unlinkSync(path: string): void;
  readFileSync(path: string, encoding: 'utf8'): string;
  lstatSync(path: string, options: { throwIfNoEntry: false }): { isDirectory(): boolean } | undefined;
  readdirSync(path: string): string[];
}

/** Options of {@link writeDirectoryAtomically}. */
export interface AtomicWriteOptions {
  /**
   * File system layer.
   * @default node:fs
   */
  readonly fs?: AtomicWriteFs;
}

/** Thrown when another live process holds the output directory's lock. */
export class OutputLockedError extends Error {
  constructor(outdir: string, lock: string, holder: string) {
    super(`${outdir} is being written by ${holder} (lock file ${lock}); wait for that run to finish, ` +
      'or remove the lock file if that process is gone');
    this.name = 'OutputLockedError';
  }
}

const FILE_MODE = 0o644;

/** Sibling paths used while writing `outdir`. */
export function atomicWritePaths(outdir: string) {
  const abs = resolve(outdir);
  const parent = dirname(abs);
  const name = basename(abs);
  return {
    outdir: abs,
    parent,
    staging: join(parent, `.${name}.staging`),
    previous: join(parent, `.${name}.previous`),
    lock: join(parent, `.${name}.lock`),
  };
}

/**
 * Replaces `outdir` with exactly `files` (relative paths, `/`-separated, nested folders allowed),
 * atomically as described in this module's comment.
 * @throws Error naming the file or step that failed, with the old output in place; OutputLockedError
 *   when another run is writing the same directory.
 */
export function writeDirectoryAtomically(outdir: string, files: ReadonlyMap<string, string>, options: AtomicWriteOptions = {}): void {
  const fs = options.fs ?? nodeFs;
  const p = atomicWritePaths(outdir);
  const entries = checkedEntries(files);
  fs.mkdirSync(p.parent, { recursive: true });
  const release = acquireLock(fs, p.outdir, p.lock);
  try {
    recover(fs, p);
    stage(fs, p.staging, entries);
    switchIn(fs, p);
  } finally {
    release();
  }
}

/**
 * Repairs what a killed {@link writeDirectoryAtomically} left: puts the previous output back when
 * the output directory is missing, removes staging folders. Takes the lock; a no-op when nothing
 * was left. {@link writeDirectoryAtomically} does this first on every run.
 */
export function recoverOutputDirectory(outdir: string, options: AtomicWriteOptions = {}): void {
  const fs = options.fs ?? nodeFs;
  const p = atomicWritePaths(outdir);
  if (!fs.lstatSync(p.parent, { throwIfNoEntry: false })) return;
  const release = acquireLock(fs, p.outdir, p.lock);
  try {
    recover(fs, p);
  } finally {
    release();
  }
}

function recover(fs: AtomicWriteFs, p: ReturnType<typeof atomicWritePaths>): void {
  const previous = fs.lstatSync(p.previous, { throwIfNoEntry: false });
  if (previous && !fs.lstatSync(p.outdir, { throwIfNoEntry: false })) {
    // Killed between the two renames of the switch: the old output is complete in `previous`.
    fs.renameSync(p.previous, p.outdir);
    fsyncDir(fs, p.parent);
  }
  fs.rmSync(p.staging, { recursive: true, force: true });
  fs.rmSync(p.previous, { recursive: true, force: true });
  // Lock candidates (`.<name>.lock.<pid>`, `.<name>.lock.stale-<pid>`) of runs that were killed.
  const prefix = `${basename(p.lock)}.`;
  for (const entry of fs.readdirSync(p.parent)) {
    if (!entry.startsWith(prefix)) continue;
    const pid = Number(entry.slice(prefix.length).replace(/^stale-/, ''));
    if (Number.isInteger(pid) && pid !== process.pid && !processRuns(pid)) discard(fs, join(p.parent, entry));
  }
}

/** Relative paths checked (no absolute, empty, `.` or `..` segments; no file that is also a folder), sorted by code point. */
function checkedEntries(files: ReadonlyMap<string, string>): Array<[string, string]> {
  const entries = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const dirs = new Set<string>();
  for (const [path, content] of entries) {
    const segments = path.split('/');
    if (path === '' || path.includes('\0') || path.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new Error(`writeDirectoryAtomically: ${JSON.stringify(path)} is not a relative file path (use '/'-separated names without '.', '..' or empty parts)`);
    }
    if (typeof content !== 'string') throw new Error(`writeDirectoryAtomically: the content of ${JSON.stringify(path)} is not a string`);
    for (let i = 1; i < segments.length; i++) dirs.add(segments.slice(0, i).join('/'));
  }
  for (const [path] of entries) {
    if (dirs.has(path)) throw new Error(`writeDirectoryAtomically: ${JSON.stringify(path)} is both a file and a folder of other files`);
  }
  return entries;
}

function stage(fs: AtomicWriteFs, staging: string, entries: ReadonlyArray<[string, string]>): void {
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    fs.mkdirSync(staging, { recursive: true });
    const dirs = new Set<string>(['']);
    for (const [path, content] of entries) {
      const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
      if (!dirs.has(dir)) {
        fs.mkdirSync(join(staging, dir), { recursive: true });
        for (let d = dir; d !== '' && !dirs.has(d); d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '') dirs.add(d);
      }
      writeFileDurably(fs, join(staging, path), content);
    }
    // Deepest folders first, the staging folder last: every entry is on disk before the switch.
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) fsyncDir(fs, join(staging, d));
  } catch (e) {
    try {
      fs.rmSync(staging, { recursive: true, force: true });
    } catch {
      // The next run removes it.
    }
    throw new Error(`cannot stage the new output in ${staging}: ${errorText(e)}${hint(e)}; the previous output is unchanged`);
  }
}

function switchIn(fs: AtomicWriteFs, p: ReturnType<typeof atomicWritePaths>): void {
  const hadOld = fs.lstatSync(p.outdir, { throwIfNoEntry: false }) !== undefined;
  if (hadOld) {
    try {
      fs.renameSync(p.outdir, p.previous);
    } catch (e) {
      discard(fs, p.staging);
      throw new Error(`cannot replace ${p.outdir}: ${errorText(e)}${hint(e)}; the previous output is unchanged`);
    }
  }
  try {
    fs.renameSync(p.staging, p.outdir);
  } catch (e) {
    if (hadOld) {
      try {
        fs.renameSync(p.previous, p.outdir);
      } catch (e2) {
        throw new Error(`cannot replace ${p.outdir}: ${errorText(e)}; putting the previous output back failed too (${errorText(e2)}): ` +
          `it is complete in ${p.previous}, and the next run puts it back`);
      }
    }
    discard(fs, p.staging);
    throw new Error(`cannot replace ${p.outdir}: ${errorText(e)}${hint(e)}; the previous output is unchanged`);
  }
  fsyncDir(fs, p.parent);
  if (hadOld) {
    try {
      fs.rmSync(p.previous, { recursive: true, force: true });
    } catch {
      // The new output is in place; the next run removes what is left of the old one.
    }
  }
}

function discard(fs: AtomicWriteFs, path: string): void {
  try {
    fs.rmSync(path, { recursive: true, force: true });
  } catch {
    // The next run removes it.
  }
}

function writeFileDurably(fs: AtomicWriteFs, path: string, content: string): void {
  const fd = fs.openSync(path, 'wx', FILE_MODE);
  try {
    // writeSync may write less than asked for only for pipes and the like; a regular file takes it whole or throws.
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(fs: AtomicWriteFs, dir: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32') return; // folders cannot be opened for fsync there
    throw e;
  }
  try {
    fs.fsyncSync(fd);
  } catch (e) {
    // Some file systems do not sync folders (EINVAL); the renames are still ordered by the kernel.
    if ((e as NodeJS.ErrnoException).code !== 'EINVAL' && process.platform !== 'win32') throw e;
  } finally {
    fs.closeSync(fd);
  }
}

interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

/**
 * Takes the lock file with an atomic link(2) of a fully written temporary file (so the lock is never
 * seen half-written). A lock of a process that no longer runs on this host is taken over.
 */
function acquireLock(fs: AtomicWriteFs, outdir: string, lock: string): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname() };
  const mine = `${lock}.${process.pid}`;
  writeTemp(fs, mine, `${JSON.stringify(me)}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        fs.linkSync(mine, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock ${outdir} (${lock}): ${errorText(e)}`);
      }
      const holder = readLock(fs, lock);
      if (holder === 'gone') continue; // released meanwhile
      if (attempt < 3 && holder !== undefined && holder.host === me.host && !processRuns(holder.pid)) {
        takeOverStale(fs, lock, holder);
        continue;
      }
      const who = holder === undefined ? 'another run (unreadable lock file)' : `process ${holder.pid} on ${holder.host}`;
      throw new OutputLockedError(outdir, lock, who);
    }
  } finally {
    try {
      fs.unlinkSync(mine);
    } catch {
      // already gone
    }
  }
  return () => {
    try {
      const holder = readLock(fs, lock);
      if (holder !== 'gone' && holder !== undefined && holder.pid === me.pid && holder.host === me.host) fs.unlinkSync(lock);
    } catch {
      // A lock left behind is taken over as stale by the next run.
    }
  };
}

/** Moves a stale lock aside; puts it back if, meanwhile, it was replaced by a live writer's lock. */
function takeOverStale(fs: AtomicWriteFs, lock: string, stale: LockHolder): void {
  const aside = `${lock}.stale-${process.pid}`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return; // someone else moved it
  }
  const moved = readLock(fs, aside);
  if (moved !== 'gone' && moved !== undefined && (moved.pid !== stale.pid || moved.host !== stale.host)) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // Another writer has taken the lock meanwhile; the next attempt reports it.
    }
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // already gone
  }
}

function readLock(fs: AtomicWriteFs, lock: string): LockHolder | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(lock, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined;
  }
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    return Number.isInteger(v.pid) && typeof v.host === 'string' ? { pid: v.pid!, host: v.host } : undefined;
  } catch {
    return undefined;
  }
}

function writeTemp(fs: AtomicWriteFs, path: string, content: string): void {
  fs.rmSync(path, { recursive: true, force: true });
  const fd = fs.openSync(path, 'wx', FILE_MODE);
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
}

function processRuns(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err && err.message ? err.message : String(e);
}

function hint(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EXDEV': return ' (the output directory is a mount point or on another file system than its parent: give an output folder inside a mounted folder)';
    case 'EBUSY': return ' (the output directory is a mount point or in use: give an output folder inside it)';
    case 'EACCES': case 'EPERM': return ' (no write permission on the parent folder)';
    case 'EROFS': return ' (read-only file system)';
    case 'ENOSPC': return ' (no space left on the device)';
    default: return '';
  }
}
