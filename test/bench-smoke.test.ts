import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const BENCH = join(ROOT, 'lib', 'bench', 'bench.js');

/**
 * Runs the benchmark in smoke mode and checks that every row was measured (or skipped for a
 * stated reason) with positive figures. Times are not asserted: the machine is shared and noisy.
 */
test('npm run bench --smoke measures every row and writes them as JSON', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-calico-bench-smoke-'));
  try {
    const json = join(dir, 'bench.json');
    const text = execFileSync(process.execPath, [BENCH, '--smoke', '--json', json], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const result = JSON.parse(readFileSync(json, 'utf8'));
    assert.equal(result.meta.smoke, true);
    assert.equal(result.meta.reps, 1);
    const rows = new Map<string, any>(result.rows.map((r: any) => [r.id, r]));
    const sizes: number[] = result.meta.sizes;
    assert.ok(sizes.length >= 2 && sizes.every((n) => n > 0 && n <= 1000), `smoke sizes are tiny: ${sizes}`);

    const measured = ['floor', 'reference', ...sizes.map((n) => `scale-${n}`), 'deps-size'];
    if (rows.get('validate')?.skipped === undefined) measured.push('validate');
    else assert.match(rows.get('validate').skipped, /cli\.js/);
    for (const id of ['validate-large', 'validate-large-quarter', 'fuzz']) {
      assert.ok(rows.has(id), `row ${id} is in the JSON`);
      if (rows.get(id).skipped === undefined) measured.push(id);
    }
    assert.ok(result.checks.some((c: any) => c.id === 'validate-large-memory'), 'the streaming memory target is reported');
    for (const id of measured) {
      const row = rows.get(id);
      assert.ok(row, `row ${id} is in the JSON`);
      assert.equal(row.error, undefined, `row ${id} did not fail: ${row.error}`);
      assert.equal(row.samples.length, 1, `row ${id} has one sample per repetition`);
      for (const key of ['median', 'min']) assert.ok(row[key] > 0, `row ${id}: ${key} ${row[key]} is positive`);
      assert.ok(row.min <= row.median);
      assert.match(row.label, /\S/);
      assert.ok(text.includes(row.label), `row ${id} is in the printed table`);
    }
    for (const n of sizes) {
      const row = rows.get(`scale-${n}`);
      assert.ok(row.maxRssMb > 10, `scale-${n}: peak memory ${row.maxRssMb} MiB is measured`);
      for (const key of ['loadedMs', 'constructMs', 'synthMs', 'outputBytes']) assert.ok(row.detail[key] > 0, `scale-${n}: ${key} is positive`);
    }
    // More peers, more YAML: the children really synthesized the charts they were asked for.
    assert.ok(rows.get(`scale-${sizes[1]}`).detail.outputBytes > rows.get(`scale-${sizes[0]}`).detail.outputBytes);
    assert.ok(rows.get('deps-size').detail.packages > 3, 'the production tree holds cdk8s, constructs, yaml, ajv...');
    assert.ok(rows.get('deps-size').median > 1024 * 1024, 'the runtime dependencies take more than 1 MiB');

    // Smoke mode leaves out the slow rows, saying why.
    for (const id of ['stock', 'build', 'import']) assert.equal(rows.get(id)?.skipped, '--smoke', `row ${id} is skipped in smoke mode`);

    const checks = new Map<string, any>(result.checks.map((c: any) => [c.id, c]));
    const ours = checks.get('reference-over-floor');
    assert.ok(['met', 'missed'].includes(ours.status));
    assert.ok(Math.abs(ours.value - rows.get('reference').median / rows.get('floor').median) < 1e-9);
    assert.equal(checks.get('stock-over-reference').status, 'n/a', 'no stock row, no stock ratio');
    assert.match(text, /ours \/ floor/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bench rejects a bad option with a usage error instead of running', () => {
  assert.throws(
    () => execFileSync(process.execPath, [BENCH, '--reps', 'zero'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    (e: any) => e.status === 2 && /^bench: --reps takes a positive integer, not "zero"/.test(e.stderr) && !/\n\s+at /.test(e.stderr),
  );
});
