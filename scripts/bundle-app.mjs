#!/usr/bin/env node
// Build step: bundles the reference app (lib/examples/reference/main.js and the library modules it
// loads, ~40 files) into one file, lib/examples/reference/app.js, so `npm run synth` does not pay
// Node's per-module resolution and loading (~10 ms of a ~250 ms synth). cdk8s, constructs,
// cdk8s-plus-27 and the CEL library stay external. It sits two folders below lib/, like
// lib/src/releases/crd-store.js, so paths relative to __dirname (lib/calico) still hold.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const folder = join(root, 'lib', 'examples', 'reference');
await build({
  entryPoints: [join(folder, 'main.js')],
  outfile: join(folder, 'app.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['cdk8s', 'constructs', 'cdk8s-plus-27', '@marcbachmann/cel-js'],
  logLevel: 'warning',
  legalComments: 'none',
});
