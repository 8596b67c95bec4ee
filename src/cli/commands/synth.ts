import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { CalicoTorChart, PASS_THROUGH_SPEC_PROPS } from '../../constructs/calico-tor-chart';
import { CalicoApp } from '../../output/calico-app';
import { CalicoValidationError, Violation, formatViolation } from '../../validation';
import { LoadedValues, ValuesProblem, formatValuesProblem, loadValues, parsePath, placeChartError } from '../values';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, plural } from '../io';

/** Construct id of the chart built from a values file. */
export const VALUES_CHART_ID = 'calico';

interface SynthFlags {
  readonly values: string;
  readonly out: string;
}

/**
 * `cdk8s-calico synth --values FILE [--out DIR]`: builds the CalicoTorChart that the values file
 * describes and writes its staged output (as CalicoApp does for a TypeScript app).
 */
export function registerSynthCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('synth')
    .description('Build the Calico deployment a values file describes (the CalicoTorChart props as YAML or JSON) and write its staged YAML.')
    .requiredOption('--values <file>', 'values file (YAML or JSON): the CalicoTorChart props; `cdk8s-calico init` writes a starter, `cdk8s-calico schema` prints its JSON Schema')
    .option('--out <dir>', 'output directory, replaced as a whole', 'dist')
    .addHelpText('after', [
      '',
      'Exit status: 0 written (warnings allowed), 1 the chart has errors (nothing written),',
      '2 unusable values file (missing, YAML syntax, a field the schema does not have) or bad usage.',
      '',
      'Example:',
      '  cdk8s-calico init site.yaml && cdk8s-calico synth --values site.yaml --out dist',
    ].join('\n'))
    .action((flags: SynthFlags) => {
      done(synthCommand(flags, io));
    });
}

function synthCommand(flags: SynthFlags, io: CliIo): number {
  let text: string;
  try {
    text = readFileSync(flags.values, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`cdk8s-calico: cannot read values file ${flags.values}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}\n`);
    return EXIT_BAD_INPUT;
  }
  const values = loadValues(text, flags.values);
  if (values.props === undefined) {
    report(io, values.problems, flags.values, 'problem');
    return EXIT_BAD_INPUT;
  }

  const app = new CalicoApp({ outdir: flags.out });
  try {
    new CalicoTorChart(app, VALUES_CHART_ID, values.props);
  } catch (e) {
    // In file order; problems without a line (not placed) last, in the chart's order.
    const problems = chartProblems(e, flags.values, values)
      .map((p, i) => ({ p, i }))
      .sort((a, b) => (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.i - b.i)
      .map(({ p }) => p);
    report(io, problems, flags.values, 'error');
    return EXIT_VIOLATIONS;
  }
  try {
    app.synth();
  } catch (e) {
    if (e instanceof CalicoValidationError) {
      for (const v of e.violations) io.stderr(`${placeViolation(v, flags.values, values)}${formatViolation(v)}\n`);
      io.stderr(`cdk8s-calico: ${plural(e.violations.filter((v) => v.severity === 'error').length, 'error')} in the chart of ${flags.values}; nothing was written.\n`);
    } else {
      io.stderr(`cdk8s-calico: ${(e as Error).message}\n`);
    }
    return EXIT_VIOLATIONS;
  }
  // CalicoApp.synth() has printed the warnings (to the process's stderr, once).
  io.stdout(`cdk8s-calico: wrote ${flags.out} from ${flags.values}${app.warnings.length > 0 ? ` (${plural(app.warnings.length, 'warning')})` : ''}\n`);
  return EXIT_OK;
}

/** A construct's error(s), placed in the values file where they name a prop path it has. */
function chartProblems(e: unknown, file: string, values: LoadedValues): ValuesProblem[] {
  if (e instanceof CalicoValidationError) {
    // Prop problems (the constructs' early checks) name the construct and the prop path.
    return e.violations.filter((v) => v.severity === 'error').map((v) => (v.apiVersion === ''
      ? placeChartError(`${v.kind}${v.name && !v.name.includes('/') ? ` "${v.name}"` : ''}: ${v.path || 'props'}: ${v.message}`, file, values)
      : { file, path: '', message: formatViolation(v) }));
  }
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n').filter((l) => l.trim() !== '').map((line) => placeChartError(line.trim(), file, values));
}

/**
 * `site.yaml:7:5: ` when the violation is in a spec the values give whole (installationSpec.x for
 * Installation spec.x, ...) and the file has that field; else nothing.
 */
function placeViolation(v: Violation, file: string, values: LoadedValues): string {
  const prop = PASS_THROUGH_SPEC_PROPS[v.kind];
  const steps = prop !== undefined && v.path.startsWith('spec.') ? parsePath(v.path.slice('spec.'.length)) : undefined;
  if (!steps) return '';
  const path = [prop, ...steps];
  let cur: unknown = values.props;
  for (const s of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, s)) return '';
    cur = (cur as Record<string, unknown>)[s as string];
  }
  const pos = values.locate(path);
  return pos ? `${file}:${pos.line}:${pos.column}: ` : '';
}

function report(io: CliIo, problems: readonly ValuesProblem[], file: string, word: string): void {
  for (const p of problems) io.stderr(`${formatValuesProblem(p)}\n`);
  io.stderr(`cdk8s-calico: ${plural(problems.length, word)} in ${file}; nothing was written.\n`);
}
