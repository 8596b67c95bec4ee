/** `node lib/test/fuzz/run.js [COUNT] [SEED]`: runs the fuzzer (test/fuzz/harness.ts); exit 1 when it found a failure. */
import { fuzz } from './harness';

const count = Number(process.argv[2] ?? 20_000);
const seed = Number(process.argv[3] ?? 20261201);
const report = fuzz(count, seed);
for (const f of report.failures.slice(0, 20)) process.stdout.write(`FAIL ${f.target}: ${f.error}\n  input: ${JSON.stringify(f.input).slice(0, 400)}\n`);
process.stdout.write(`${report.inputs} inputs (${Object.entries(report.byTarget).map(([k, v]) => `${k} ${v}`).join(', ')}), seed ${seed}; ${Object.entries(report.outcomes).map(([k, v]) => `${v} ${k}`).join(', ')}; ${report.failures.length} failures, ${report.ms} ms\n`);
process.exitCode = report.failures.length > 0 ? 1 : 0;
