import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';
import {
  atomicWritePaths, AtomicWriteFs, OutputLockedError, recoverOutputDirectory, writeDirectoryAtomically,
} from '../../src/output/atomic-write';
import { prng } from '../fixtures/prng';

const CHILD = join(__dirname, 'atomic-write-child.js');

/** Every file under `dir` (relative path -> content), or undefined when `dir` does not exist. */
function readTree(dir: string): Map<string, string> | undefined {
  if (!fs.existsSync(dir)) return undefined;
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function sorted(m: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function scratch(): string {
  return fs.mkdtempSync(join(tmpdir(), 'atomic-write-'));
}

const OLD = new Map([
  ['01-a.yaml', 'old: a\n'],
  ['node-settings/worker-1.yaml', 'old: w1\n'],
  ['routers/deep/x.conf', 'old: x\n'],
]);
const NEW = new Map([
  ['01-a.yaml', 'new: a\n'],
  ['02-b.yaml', 'new: b\n'.repeat(50)],
  ['plan.json', '{"new":true}\n'],
  ['routers/openwrt-peer.frr.conf', 'router bgp 64512\n'],
]);


/** node:fs with one call failing with `code` the first time `when` says so. */
function failingFs(code: string, when: (call: string, args: unknown[]) => boolean): AtomicWriteFs & { failed: boolean } {
  const state = { failed: false };
  return new Proxy(fs, {
    get(target, prop: string) {
      if (prop === 'failed') return state.failed;
      const real = (target as any)[prop];
      if (typeof real !== 'function') return real;
      return (...args: unknown[]) => {
        if (!state.failed && when(prop, args)) {
          state.failed = true;
          throw Object.assign(new Error(`${code}: injected failure, ${prop} '${String(args[0])}'`), { code });
        }
        return real.apply(target, args);
      };
    },
  }) as unknown as AtomicWriteFs & { failed: boolean };
}

describe('writeDirectoryAtomically', () => {
  test('writes nested files, replaces the old output as a whole and leaves nothing beside it', () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      writeDirectoryAtomically(out, OLD);
      assert.deepEqual(readTree(out), sorted(OLD));
      writeDirectoryAtomically(out, NEW);
      assert.deepEqual(readTree(out), sorted(NEW));
      assert.deepEqual(fs.readdirSync(dir), ['dist']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('refuses paths that leave the directory or clash, before touching anything', () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      writeDirectoryAtomically(out, OLD);
      for (const bad of ['../x.yaml', '/etc/x', 'a//b', './a', '', 'a\\b']) {
        assert.throws(() => writeDirectoryAtomically(out, new Map([[bad, 'x']])), /is not a relative file path/, bad);
      }
      assert.throws(() => writeDirectoryAtomically(out, new Map([['a', 'x'], ['a/b', 'y']])), /"a" is both a file and a folder/);
      assert.deepEqual(readTree(out), sorted(OLD));
      assert.deepEqual(fs.readdirSync(dir), ['dist']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  // Each injected error: the call throws, names the cause, and the old output is exactly as it was.
  const failures: Array<[string, string, (call: string, args: unknown[]) => boolean, RegExp]> = [
    ['ENOSPC while writing the second file', 'ENOSPC', (c, a) => c === 'writeSync' && String((a[1] as string)).startsWith('new: b'), /ENOSPC.*no space left on the device.*previous output is unchanged/],
    ['EACCES creating the staging folder', 'EACCES', (c, a) => c === 'mkdirSync' && String(a[0]).endsWith('.dist.staging'), /EACCES.*no write permission.*previous output is unchanged/],
    ['EROFS opening a file', 'EROFS', (c, a) => c === 'openSync' && String(a[0]).endsWith('plan.json'), /EROFS.*read-only file system.*previous output is unchanged/],
    ['EIO on fsync of a file', 'EIO', (c) => c === 'fsyncSync', /EIO.*previous output is unchanged/],
    ['EXDEV moving the old output aside', 'EXDEV', (c, a) => c === 'renameSync' && String(a[1]).endsWith('.dist.previous'), /EXDEV.*mount point.*previous output is unchanged/],
    ['EXDEV moving the new output in (the old one is put back)', 'EXDEV', (c, a) => c === 'renameSync' && String(a[0]).endsWith('.dist.staging'), /EXDEV.*previous output is unchanged/],
    ['ENOSPC moving the new output in', 'ENOSPC', (c, a) => c === 'renameSync' && String(a[0]).endsWith('.dist.staging'), /ENOSPC.*previous output is unchanged/],
  ];
  for (const [what, code, when, message] of failures) {
    test(`${what}: the error is reported and the old output stays complete`, () => {
      const dir = scratch();
      try {
        const out = join(dir, 'dist');
        writeDirectoryAtomically(out, OLD);
        const injected = failingFs(code, when);
        assert.throws(() => writeDirectoryAtomically(out, NEW, { fs: injected }), message);
        assert.equal(injected.failed, true, 'the failure was injected');
        assert.deepEqual(readTree(out), sorted(OLD));
        assert.deepEqual(fs.readdirSync(dir), ['dist'], 'no staging folder or lock is left');
        writeDirectoryAtomically(out, NEW); // the next run works
        assert.deepEqual(readTree(out), sorted(NEW));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('a real read-only parent (when not root): EACCES, nothing changed', { skip: process.getuid?.() === 0 ? 'root ignores permissions; the injected EACCES test covers it' : false }, () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      writeDirectoryAtomically(out, OLD);
      fs.chmodSync(dir, 0o555);
      assert.throws(() => writeDirectoryAtomically(out, NEW), /EACCES|permission/);
      fs.chmodSync(dir, 0o755);
      assert.deepEqual(readTree(out), sorted(OLD));
    } finally {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what a killed run left is repaired by the next run: staging removed, a missing output put back from .previous', () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      const p = atomicWritePaths(out);
      writeDirectoryAtomically(out, OLD);
      // Killed while staging: a partial staging folder and a lock candidate of a dead process.
      fs.mkdirSync(join(p.staging, 'routers'), { recursive: true });
      fs.writeFileSync(join(p.staging, 'routers', 'half'), 'partial');
      const dead = deadPid();
      fs.writeFileSync(`${p.lock}.${dead}`, '{}');
      writeDirectoryAtomically(out, NEW);
      assert.deepEqual(readTree(out), sorted(NEW));
      assert.deepEqual(fs.readdirSync(dir), ['dist']);
      // Killed between the two renames: no output, the complete old one in .previous.
      fs.renameSync(out, p.previous);
      recoverOutputDirectory(out);
      assert.deepEqual(readTree(out), sorted(NEW));
      assert.deepEqual(fs.readdirSync(dir), ['dist']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a lock held by a live process: the second writer fails clearly and changes nothing', () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      writeDirectoryAtomically(out, OLD);
      const lock = atomicWritePaths(out).lock;
      fs.writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname() }));
      assert.throws(() => writeDirectoryAtomically(out, NEW), (e: unknown) => e instanceof OutputLockedError
        && new RegExp(`is being written by process ${process.ppid} on .*lock file .*\\.dist\\.lock`).test(e.message));
      assert.deepEqual(readTree(out), sorted(OLD));
      assert.ok(fs.existsSync(lock), 'the other writer\'s lock is left alone');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stale lock (its process is gone) is taken over', () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      fs.writeFileSync(atomicWritePaths(out).lock, JSON.stringify({ pid: deadPid(), host: hostname() }));
      writeDirectoryAtomically(out, NEW);
      assert.deepEqual(readTree(out), sorted(NEW));
      assert.deepEqual(fs.readdirSync(dir), ['dist']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two concurrent writers into one directory: each wins or fails with the lock error; the output is always one of them, whole', async () => {
    const dir = scratch();
    try {
      const out = join(dir, 'dist');
      const big = (tag: string) => new Map(Array.from({ length: 40 }, (_, i) => [`f${i}/x.yaml`, `${tag}\n`.repeat(2000)] as [string, string]));
      const A = big('a');
      const B = big('b');
      let lockErrors = 0;
      for (let round = 0; round < 4; round++) {
        const runs = await Promise.all([A, B].map((files) => runChild(out, files, 0)));
        for (const r of runs) {
          assert.ok(r.code === 0 || /is being written by process \d+/.test(r.stderr), `code ${r.code}: ${r.stderr}`);
          if (r.code !== 0) lockErrors++;
        }
        const tree = readTree(out);
        assert.ok(tree !== undefined && (sameMap(tree, A) || sameMap(tree, B)), 'output is one whole version');
        assert.deepEqual(fs.readdirSync(dir), ['dist']);
      }
      assert.ok(lockErrors <= 4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SIGKILL at random points (seeded, 200 trials): the output is always the complete old or the complete new one', async () => {
    const dir = scratch();
    try {
      const rand = prng(20261201);
      // How many file-system calls one write makes.
      const probe = join(dir, 'probe');
      writeDirectoryAtomically(probe, OLD);
      const counted = await runChild(probe, NEW, 0);
      assert.equal(counted.code, 0, counted.stderr);
      const calls = Number(counted.stdout.trim());
      assert.ok(calls > 20, `a write makes ${calls} calls`);

      const trials = 200;
      let window = 0;
      let sawOld = 0;
      let sawNew = 0;
      // Most trials stop at a chosen fs call; one in five after a random delay instead.
      const plan = Array.from({ length: trials }, (_, t) => (t % 5 === 4
        ? { killAt: 0, delay: 20 + Math.floor(rand() * 80) }
        : { killAt: 1 + Math.floor(rand() * calls), delay: 0 }));
      const outcomes = await pool(trials, 4, async (t) => {
        const out = join(dir, `out-${t}`);
        writeDirectoryAtomically(out, OLD);
        const r = await runChild(out, NEW, plan[t].killAt, plan[t].delay);
        return { out, r, killAt: plan[t].killAt || `~${plan[t].delay}ms` };
      });
      for (const { out, r, killAt } of outcomes) {
        const p = atomicWritePaths(out);
        let tree = readTree(out);
        if (tree === undefined) {
          // Between the two renames of the switch: the complete old output waits in .previous.
          window++;
          assert.deepEqual(readTree(p.previous), sorted(OLD), `killAt ${killAt}: .previous holds the old output`);
          recoverOutputDirectory(out);
          tree = readTree(out);
        }
        assert.ok(tree !== undefined, `killAt ${killAt} (${r.signal ?? r.code}): output missing after recovery`);
        const isOld = sameMap(tree, OLD);
        const isNew = sameMap(tree, NEW);
        assert.ok(isOld || isNew, `killAt ${killAt} (${r.signal ?? r.code}): output is neither the old nor the new one: ${[...tree.keys()].join(', ')}`);
        if (isOld) sawOld++;
        else sawNew++;
        if (r.signal === null) assert.ok(isNew, 'a run that finished wrote the new output');
        // The next run cleans up and writes.
        writeDirectoryAtomically(out, OLD);
        assert.deepEqual(readTree(out), sorted(OLD));
      }
      assert.ok(sawOld > 0 && sawNew > 0, `kills before and after the switch (old ${sawOld}, new ${sawNew}, window ${window})`);
      assert.ok(window > 0, "some kills fall between the two renames, and recovery puts the old output back");
      assert.deepEqual(fs.readdirSync(dir).filter((e) => e.startsWith('.')), [], 'nothing is left beside the outputs');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

function sameMap(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

interface ChildResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

let childRuns = 0;

function runChild(outdir: string, files: ReadonlyMap<string, string>, killAt: number, killAfterMs = 0): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const filesFile = `${outdir}.files-${++childRuns}.json`;
    fs.writeFileSync(filesFile, JSON.stringify(Object.fromEntries(files)));
    const child = spawn(process.execPath, [CHILD, outdir, filesFile, String(killAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs > 0 ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      fs.rmSync(filesFile, { force: true });
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
}

async function pool<T>(n: number, width: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results = new Array<T>(n);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      results[i] = await run(i);
    }
  }));
  return results;
}
