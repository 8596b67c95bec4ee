// The project's benchmark (`npm run bench`): see bench/README.md or `node lib/bench/bench.js --help`.
// Exit status 1 when a row failed (crash, wrong output); targets missed never change it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RunOptions, TimedRun, runTimed, tail } from './child-process';
import { productionDepsSize } from './deps-size';
import { BenchCheck, BenchRow, check, formatReport, newRow, summarize } from './report';
import { ScaleChildReport } from './scale-child-report';
import { writeStockProject } from './stock-project';
import { validateInputYaml } from './validate-input';
import { writeLargeValidateInput } from './large-validate-input';
import { planInputYaml } from './plan-input';

/** The repository (this file compiles to lib/bench/). */
const ROOT = join(__dirname, '..', '..');
const NODE = process.execPath;

const USAGE = `usage: node lib/bench/bench.js [options]

Measures, side by side, the reference cluster's synth (node lib/examples/reference/app.js), the same chart
through stock cdk8s synth + ts-node, the floor (loading cdk8s, constructs, cdk8s-plus-27),
synth at scale (N per-node BGP peers), cdk8s-calico validate on a generated file, the build
and npm run import, and the installed size of the runtime dependencies.

  --reps N           repetitions of each row (default 5); medians and minimums are reported
  --sizes A,B,...    BGP peer counts of the scale rows (default 100,1000,10000,50000)
  --validate-objects N  objects in the validate input (default 10000)
  --large-validate-objects N  objects in the streaming validate input (default 1400000, about
                     200 MB, run once; a quarter of it is run too, for linearity); 0 skips it
  --fuzz-inputs N    malformed inputs of the fuzz row (default 200000, run once); 0 skips it
  --skip-stock       leave out the stock cdk8s synth + ts-node row
  --skip-build       leave out the build and import rows
  --smoke            tiny sizes, 1 repetition, no stock, no build: a few seconds, for CI
  --json FILE        also write the results as JSON
  --help             this text
`;

interface BenchOptions {
  readonly reps: number;
  readonly sizes: number[];
  readonly validateObjects: number;
  readonly largeValidateObjects: number;
  readonly fuzzInputs: number;
  readonly stock: boolean;
  readonly build: boolean;
  readonly smoke: boolean;
  readonly json?: string;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'reps': { type: 'string' },
      'sizes': { type: 'string' },
      'validate-objects': { type: 'string' },
      'large-validate-objects': { type: 'string' },
      'fuzz-inputs': { type: 'string' },
      'skip-stock': { type: 'boolean' },
      'skip-build': { type: 'boolean' },
      'smoke': { type: 'boolean' },
      'json': { type: 'string' },
      'help': { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke ?? false;
  const positive = (name: string, text: string | undefined, dflt: number): number => {
    if (text === undefined) return dflt;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive integer, not "${text}"`);
    return n;
  };
  const sizes = values.sizes === undefined
    ? (smoke ? [10, 100] : [100, 1000, 10_000, 50_000])
    : values.sizes.split(',').map((s) => positive('sizes', s.trim(), 0));
  return {
    reps: positive('reps', values.reps, smoke ? 1 : 5),
    sizes,
    validateObjects: positive('validate-objects', values['validate-objects'], smoke ? 300 : 10_000),
    largeValidateObjects: values['large-validate-objects'] === '0' ? 0 : positive('large-validate-objects', values['large-validate-objects'], smoke ? 20_000 : 1_400_000),
    fuzzInputs: values['fuzz-inputs'] === '0' ? 0 : positive('fuzz-inputs', values['fuzz-inputs'], smoke ? 500 : 200_000),
    stock: !(values['skip-stock'] ?? smoke),
    build: !(values['skip-build'] ?? smoke),
    smoke,
    json: values.json,
  };
}

/** One row and how to take one sample of it. */
interface Measure {
  readonly row: BenchRow;
  /** Runs once before the first sample; may mark the row skipped. */
  readonly setup?: () => void;
  /** Takes one sample; throws to mark the row failed. */
  readonly sample: (rep: number) => void;
}

function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Records a timed child run on `row`, or throws with its output when it failed. */
function record(row: BenchRow, run: TimedRun): void {
  if (run.status !== 0) throw new Error(`exit status ${run.status}\n${tail(`${run.stdout}\n${run.stderr}`)}`);
  row.samples.push(run.ms);
  if (run.maxRssKb !== undefined) row.rssKb.push(run.maxRssKb);
}

function addDetail(row: BenchRow, key: string, value: number): void {
  (row.detailSamples[key] ??= []).push(value);
}

/** Throws unless `dir` holds YAML with at least `minObjects` documents that have a kind. */
function expectManifests(dir: string, minObjects: number): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  const kinds = files.reduce((n, f) => n + (readFileSync(join(dir, f), 'utf8').match(/^kind: /gm)?.length ?? 0), 0);
  if (kinds < minObjects) throw new Error(`expected at least ${minObjects} objects in ${dir}, found ${kinds} in ${files.length} file(s)`);
}

/** A copy of the sources in `dir` (vendor/ and node_modules/ linked) to build and import in. */
function sourceCopy(dir: string): void {
  for (const d of ['src', 'imports', 'test', 'bench', 'scripts', 'examples']) {
    if (existsSync(join(ROOT, d))) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  }
  for (const f of ['package.json', 'tsconfig.json']) cpSync(join(ROOT, f), join(dir, f));
  symlinkSync(join(ROOT, 'vendor'), join(dir, 'vendor'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

function sameTree(a: string, b: string): boolean {
  const list = (d: string): string[] => readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as any).path, e.name).slice(d.length)).sort();
  const fa = list(a);
  const fb = list(b);
  return fa.length === fb.length && fa.every((f, i) => f === fb[i] && readFileSync(join(a, f)).equals(readFileSync(join(b, f))));
}

/** The commit measured, `+dirty` when the working tree has changes. */
function gitDescribe(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `commit ${head}${dirty ? '+dirty' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

/** The file that `npm run synth` runs (`node <file>` in package.json), measured as the README says. */
function synthScriptEntry(): string {
  const script: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.synth;
  const m = /^node ([^\s]+)$/.exec(script);
  if (!m) throw new Error(`package.json scripts.synth is "${script}"; the bench expects "node <file>"`);
  return m[1];
}

function measures(opts: BenchOptions, scratch: string): Measure[] {
  const run = (cwd: string, env?: Record<string, string>): RunOptions => ({ cwd, env, scratch });
  const out: Measure[] = [];

  const floor = newRow('floor', 'floor: node loads cdk8s, constructs, cdk8s-plus-27');
  out.push({ row: floor, sample: () => record(floor, runTimed(NODE, [join(ROOT, 'lib', 'bench', 'floor.js')], run(ROOT))) });

  const synthEntry = synthScriptEntry();
  const reference = newRow('reference', `reference synth: node ${synthEntry} (npm run synth)`);
  out.push({
    row: reference,
    sample: (rep) => {
      const outdir = join(scratch, `reference-${rep}`);
      record(reference, runTimed(NODE, [join(ROOT, synthEntry)], run(ROOT, { CDK8S_OUTDIR: outdir })));
      expectManifests(outdir, 3);
      rmSync(outdir, { recursive: true, force: true });
    },
  });

  const stock = newRow('stock', 'stock: cdk8s synth, ts-node app, same chart');
  // One folder per run: runs in parallel (e.g. the smoke test while a full run goes on) stay apart.
  const stockDir = join(ROOT, '.bench', `stock-${process.pid}`);
  out.push({
    row: stock,
    setup: () => {
      if (!opts.stock) {
        stock.skipped = opts.smoke ? '--smoke' : '--skip-stock';
        return;
      }
      writeStockProject(ROOT, stockDir);
      stock.notes.push('cdk8s.yaml app: npx ts-node main.ts (type-checking), stock App, chart from referenceCluster() of lib/examples/reference/main.js');
    },
    sample: (rep) => {
      const outdir = join(scratch, `stock-${rep}`);
      record(stock, runTimed(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth', '--no-check-upgrade', '--output', outdir], run(stockDir)));
      expectManifests(outdir, 3);
      rmSync(outdir, { recursive: true, force: true });
    },
  });

  for (const size of opts.sizes) {
    const row = newRow(`scale-${size}`, `scale: ${size.toLocaleString('en-US')} BGP peers, synth + validate`);
    out.push({
      row,
      sample: (rep) => {
        const outdir = join(scratch, `scale-${size}-${rep}`);
        const r = runTimed(NODE, [join(ROOT, 'lib', 'bench', 'scale-child.js'), String(size), outdir], run(ROOT));
        if (r.status !== 0) throw new Error(`exit status ${r.status}\n${tail(`${r.stdout}\n${r.stderr}`)}`);
        const report = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as ScaleChildReport;
        if (report.bgpPeersWritten !== size) throw new Error(`expected ${size} BGPPeers in the output, found ${report.bgpPeersWritten}`);
        row.samples.push(r.ms);
        row.rssKb.push(report.maxRssKb);
        addDetail(row, 'loadedMs', report.loadedMs);
        addDetail(row, 'constructMs', report.constructMs);
        addDetail(row, 'synthMs', report.synthMs);
        addDetail(row, 'outputBytes', report.outputBytes);
        rmSync(outdir, { recursive: true, force: true });
      },
    });
  }

  const validate = newRow('validate', `validate: cdk8s-calico validate, ${opts.validateObjects.toLocaleString('en-US')} objects`);
  const cli = join(ROOT, 'lib', 'src', 'cli', 'main.js');
  const input = join(scratch, 'validate-input.yaml');
  out.push({
    row: validate,
    setup: () => {
      if (!existsSync(cli)) {
        validate.skipped = 'lib/src/cli/main.js does not exist yet (the CLI is not built)';
        return;
      }
      writeFileSync(input, validateInputYaml(opts.validateObjects));
      validate.notes.push(`input: ${opts.validateObjects} objects (1 BGPConfiguration, 10% IPPools, 10% Namespace/ConfigMap/Service, the rest BGPPeers)`);
    },
    sample: () => {
      const r = runTimed(NODE, [cli, 'validate', input], run(ROOT));
      record(validate, r);
      // The text summary ends with "(N objects, M Calico)": all of them must have been read.
      const read = /\((\d+) objects?\b/.exec(r.stdout);
      if (read && Number(read[1]) !== opts.validateObjects) throw new Error(`the CLI read ${read[1]} objects, not ${opts.validateObjects}:\n${tail(r.stdout)}`);
    },
  });

  // The BGP plan of a site with a ToR pair and two route reflectors per rack (bench/plan-input.ts),
  // at two sizes (same nodes per rack), so the ratio shows whether the time grows linearly.
  for (const [nodes, racks] of opts.smoke ? [[60, 3], [120, 6]] : [[500, 5], [5000, 50]]) {
    const row = newRow(`plan-${nodes}`, `plan: cdk8s-calico plan, ${nodes.toLocaleString('en-US')} nodes in ${racks} racks`);
    const planInput = join(scratch, `plan-input-${nodes}.yaml`);
    out.push({
      row,
      setup: () => {
        if (!existsSync(cli)) {
          row.skipped = 'lib/src/cli/main.js does not exist yet (the CLI is not built)';
          return;
        }
        writeFileSync(planInput, planInputYaml(nodes, racks));
        row.notes.push(`input: ${nodes} v1 Nodes in ${racks} racks, 2 route reflectors and 2 ToR BGPPeers per rack, reflectors meshed; --format json to stdout`);
      },
      sample: () => {
        const r = runTimed(NODE, [cli, 'plan', '--format', 'json', planInput], run(ROOT));
        record(row, r);
        const plan = JSON.parse(r.stdout) as { nodes: unknown[]; routers: unknown[]; findings: unknown[] };
        if (plan.nodes.length !== nodes || plan.routers.length !== racks * 2 || plan.findings.length !== 0) {
          throw new Error(`expected ${nodes} nodes, ${racks * 2} routers and no findings; got ${plan.nodes.length}, ${plan.routers.length}, ${JSON.stringify(plan.findings).slice(0, 300)}`);
        }
      },
    });
  }

  // Streaming validate (issue 11): a large file, and a quarter of it for linearity; once each.
  for (const [id, count] of [['validate-large', opts.largeValidateObjects], ['validate-large-quarter', Math.floor(opts.largeValidateObjects / 4)]] as const) {
    const row = newRow(id, `validate (streaming): ${count.toLocaleString('en-US')} objects`);
    const file = join(scratch, `${id}.yaml`);
    out.push({
      row,
      setup: () => {
        if (count < 1100) {
          row.skipped = '--large-validate-objects 0';
          return;
        }
        if (!existsSync(cli)) {
          row.skipped = 'lib/src/cli/main.js does not exist yet (the CLI is not built)';
          return;
        }
        const bytes = writeLargeValidateInput(file, count);
        addDetail(row, 'inputBytes', bytes);
        row.notes.push(`input: ${count} objects, ${(bytes / 1e6).toFixed(0)} MB (bench/large-validate-input.ts: 1 BGPConfiguration, 1,000 IPPools, 30% BGPPeers, the rest ConfigMaps/Namespaces); run once`);
      },
      sample: (rep) => {
        if (rep > 0) return;
        const r = runTimed(NODE, [cli, 'validate', file], { ...run(ROOT), timeoutMs: 1_800_000 });
        record(row, r);
        const read = /\((\d+) objects?\b/.exec(r.stdout);
        if (!read || Number(read[1]) !== count) throw new Error(`the CLI read ${read?.[1]} objects, not ${count}:\n${tail(r.stdout)}`);
        rmSync(file, { force: true });
      },
    });
  }

  // The fuzz harness of test/fuzz/ with more inputs than CI runs; once.
  const fuzz = newRow('fuzz', `fuzz: ${opts.fuzzInputs.toLocaleString('en-US')} malformed inputs (reader, validateManifests, constructs)`);
  out.push({
    row: fuzz,
    setup: () => {
      if (opts.fuzzInputs === 0) fuzz.skipped = '--fuzz-inputs 0';
      else if (!existsSync(join(ROOT, 'lib', 'test', 'fuzz', 'run.js'))) fuzz.skipped = 'lib/test/fuzz/run.js does not exist (run npm run build)';
    },
    sample: (rep) => {
      if (rep > 0) return;
      const r = runTimed(NODE, [join(ROOT, 'lib', 'test', 'fuzz', 'run.js'), String(opts.fuzzInputs), '20261201'], { ...run(ROOT), timeoutMs: 3_600_000 });
      record(fuzz, r);
      fuzz.notes.push(tail(r.stdout, 1));
    },
  });

  const copy = join(scratch, 'source-copy');
  const build = newRow('build', 'build: npm run build (CRDs to JSON + tsc), in a copy');
  out.push({
    row: build,
    setup: () => {
      if (!opts.build) {
        build.skipped = opts.smoke ? '--smoke' : '--skip-build';
        return;
      }
      sourceCopy(copy);
      build.notes.push('in a temporary copy of src/, imports/, test/, bench/, scripts/, examples/ (vendor/ and node_modules/ linked), lib/ removed before each run');
    },
    sample: () => {
      rmSync(join(copy, 'lib'), { recursive: true, force: true });
      const r = runTimed('npm', ['run', 'build', '--silent'], run(copy));
      if (r.status !== 0 && !existsSync(join(copy, 'lib', 'examples', 'reference', 'main.js'))) record(build, r);
      if (r.status !== 0) {
        const note = `npm run build exited ${r.status} (type errors in the tree?) but emitted lib/; timed anyway:\n${tail(r.stdout, 5)}`;
        if (!build.notes.some((n) => n.startsWith('npm run build exited'))) build.notes.push(note);
      }
      build.samples.push(r.ms);
      if (r.maxRssKb !== undefined) build.rssKb.push(r.maxRssKb);
    },
  });

  const imp = newRow('import', 'import: npm run import (cdk8s import), in a copy');
  out.push({
    row: imp,
    setup: () => {
      if (!opts.build) {
        imp.skipped = opts.smoke ? '--smoke' : '--skip-build';
        return;
      }
      if (!existsSync(copy)) sourceCopy(copy);
    },
    sample: (rep) => {
      record(imp, runTimed('npm', ['run', 'import', '--silent'], run(copy)));
      if (rep === 0) {
        imp.notes.push(sameTree(join(copy, 'imports'), join(ROOT, 'imports'))
          ? 'regenerated imports/ are byte-identical to the repository\'s'
          : 'regenerated imports/ DIFFER from the repository\'s imports/');
      }
    },
  });

  return out;
}

function main(): void {
  let opts: BenchOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(' ');
  const scratch = mkdtempSync(join(tmpdir(), 'cdk8s-calico-bench-'));
  mkdirSync(join(ROOT, '.bench'), { recursive: true });
  const all = measures(opts, scratch);
  let failed = false;
  try {
    for (const m of all) m.setup?.();
    // Interleaved: each repetition runs every row once, so load drift hits all rows alike.
    for (let rep = 0; rep < opts.reps; rep++) {
      for (const m of all) {
        if (m.row.skipped || m.row.error) continue;
        progress(`[bench] rep ${rep + 1}/${opts.reps}: ${m.row.label}`);
        try {
          m.sample(rep);
        } catch (e) {
          m.row.error = (e as Error).message;
          failed = true;
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(ROOT, '.bench', `stock-${process.pid}`), { recursive: true, force: true });
  }

  const deps = newRow('deps-size', 'runtime dependencies, installed size (npm ls --omit=dev)', 'bytes');
  try {
    const size = productionDepsSize(ROOT);
    deps.samples.push(size.diskBytes);
    deps.detailSamples.packages = [size.packages];
    deps.detailSamples.apparentBytes = [size.apparentBytes];
    deps.notes.push(`${size.packages} packages; ${(size.apparentBytes / 1024 / 1024).toFixed(1)} MiB of file contents, ${(size.diskBytes / 1024 / 1024).toFixed(1)} MiB on disk`);
  } catch (e) {
    deps.error = (e as Error).message;
    failed = true;
  }

  const rows = [...all.map((m) => m.row), deps];
  rows.forEach(summarize);
  const byId = (id: string): BenchRow | undefined => rows.find((r) => r.id === id);
  const med = (id: string): number | undefined => byId(id)?.median;
  const ratio = (a: number | undefined, b: number | undefined): number | undefined => (a !== undefined && b !== undefined ? a / b : undefined);
  const synthOf = (n: number): number | undefined => byId(`scale-${n}`)?.detail.synthMs;
  const checks: BenchCheck[] = [
    check('reference-over-floor', 'ours / floor (reference synth)', ratio(med('reference'), med('floor')), '×', '≤', 1.5),
    check('reference-over-floor-min', 'ours / floor (minimums)', ratio(byId('reference')?.min, byId('floor')?.min), '×'),
    check('stock-over-reference', 'stock / ours', ratio(med('stock'), med('reference')), '×', '≥', 10),
    check('scale-10k-over-1k', '10k / 1k peers (wall time)', ratio(med('scale-10000'), med('scale-1000')), '×', '≤', 12),
    check('scale-10k-over-1k-synth', '10k / 1k peers (in-process synth)', ratio(synthOf(10_000), synthOf(1000)), '×'),
    check('scale-10k-time', '10,000 peers: wall time', med('scale-10000'), 'ms', '≤', 2000),
    check('scale-10k-memory', '10,000 peers: peak RSS', byId('scale-10000')?.maxRssMb, 'MiB', '≤', 400),
    check('scale-50k-time', '50,000 peers: wall time', med('scale-50000'), 'ms', '≤', 10_000),
    check('validate-10k-time', 'validate 10,000 objects', opts.validateObjects === 10_000 ? med('validate') : undefined, 'ms', '≤', 1500),
    check('validate-large-memory', 'validate (streaming) large input: peak RSS', byId('validate-large')?.maxRssMb, 'MiB', '≤', 1024),
    check('validate-large-linear', 'validate (streaming) full / quarter (wall time; 4 is linear)', ratio(med('validate-large'), med('validate-large-quarter')), '×', '≤', 5),
    check('plan-5k-time', 'plan of 5,000 nodes (50 racks, ToR pairs, reflectors per rack)', med('plan-5000'), 'ms', '≤', 1500),
    check('plan-5k-over-floor', 'plan of 5,000 nodes / floor', ratio(med('plan-5000'), med('floor')), '×'),
    check('plan-5k-over-500', 'plan 5,000 / 500 nodes (linear: ≤ 12)', ratio(med('plan-5000'), med('plan-500')), '×', '≤', 12),
  ];

  const commit = gitDescribe();
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const title = `cdk8s-calico bench: ${opts.reps} rep(s)${opts.smoke ? ' (smoke)' : ''}, ${commit}, node ${process.version}, ${process.platform}/${process.arch}, `
    + `${cpus().length} CPU(s), load average at start ${loadAtStart}, at end ${load}, ${new Date().toISOString()}`;
  process.stdout.write(formatReport(title, rows, checks));
  if (opts.json) {
    writeFileSync(opts.json, `${JSON.stringify({
      meta: { commit, loadAverageAtStart: loadAtStart, loadAverageAtEnd: load, node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length, cpuModel: cpus()[0]?.model, reps: opts.reps, smoke: opts.smoke, sizes: opts.sizes, validateObjects: opts.validateObjects, largeValidateObjects: opts.largeValidateObjects, fuzzInputs: opts.fuzzInputs, date: new Date().toISOString() },
      rows,
      checks,
    }, null, 2)}\n`);
  }
  if (failed) process.exitCode = 1;
}

main();
