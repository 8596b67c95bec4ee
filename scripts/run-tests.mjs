#!/usr/bin/env node
// Runs every compiled test file (lib/test/**/*.test.js) with node's test runner, in code-point
// order. Node 20's `node --test <dir>` would also run every other .js file under a test/ folder
// (fixtures), and Node 20 does not expand globs itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const walk = (dir) => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.js') ? [join(dir, e.name)] : []));
const only = process.argv.slice(2);
const files = walk(join(root, 'lib', 'test'))
  .map((f) => relative(root, f))
  // only files whose source still exists: tsc never deletes the output of a removed or renamed test
  .filter((f) => existsSync(join(root, f.replace(/^lib[\\/]/, '').replace(/\.js$/, '.ts'))))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
if (files.length === 0) {
  console.error(`no test files match ${only.join(' ') || 'lib/test/**/*.test.js'}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', ...files], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
