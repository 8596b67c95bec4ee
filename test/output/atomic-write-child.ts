/**
 * Child process of the kill test (test/output/atomic-write.test.ts): writes a new output with
 * writeDirectoryAtomically and SIGKILLs itself at the Nth file-system call (argv: outdir, a JSON file
 * of the files, N; N = 0 never kills and prints the number of calls made).
 */
import * as fs from 'node:fs';
import { AtomicWriteFs, writeDirectoryAtomically } from '../../src/output/atomic-write';

const [outdir, filesFile, killAtText] = process.argv.slice(2);
const killAt = Number(killAtText);
let calls = 0;
const counted = new Proxy(fs, {
  get(target, prop: string) {
    const real = (target as any)[prop];
    if (typeof real !== 'function') return real;
    return (...args: unknown[]) => {
      calls++;
      if (calls === killAt) process.kill(process.pid, 'SIGKILL');
      return real.apply(target, args);
    };
  },
}) as unknown as AtomicWriteFs;

writeDirectoryAtomically(outdir, new Map(Object.entries(JSON.parse(fs.readFileSync(filesFile, 'utf8')) as Record<string, string>)), { fs: counted });
process.stdout.write(`${calls}\n`);
