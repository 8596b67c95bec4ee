import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz } from './harness';

// Fixed seed: the same 20,000 inputs on every run. FUZZ_INPUTS / FUZZ_SEED explore more locally;
// the bench's fuzz row runs 200,000 (node lib/test/fuzz/run.js COUNT SEED).
const COUNT = Number(process.env.FUZZ_INPUTS ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);

test(`fuzz: ${COUNT} malformed inputs (seed ${SEED}) to the reader, validateManifests and the constructs: no crash, every message one bounded line`, { timeout: 240_000 }, () => {
  const report = fuzz(COUNT, SEED);
  assert.equal(report.inputs, COUNT);
  assert.ok(COUNT < 1000 || (report.outcomes['objects read'] > 0 && report.outcomes['constructs built'] > 0 && report.outcomes['violations'] > 0),
    `the inputs reach the validators: ${JSON.stringify(report.outcomes)}`);
  assert.deepEqual(report.failures.slice(0, 5).map((f) => `${f.target}: ${f.error}\n  input: ${JSON.stringify(f.input).slice(0, 300)}`), []);
});
