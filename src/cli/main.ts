#!/usr/bin/env node
import { fstatSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { formatInputError } from './manifest-reader';
import { CALICO_VERSIONS, DEFAULT_CALICO_VERSION } from '../releases/releases';
import { ApiMode, resolveRelease } from '../releases/resolve-release';
import { registerInitCommand } from './commands/init';
import { registerSchemaCommand } from './commands/schema';
import { registerSynthCommand } from './commands/synth';
import { isCalicoApiVersion } from '../model/manifest';
import { formatViolation, Violation } from '../model/violation';
import { ManifestValidator } from '../validation';
import { registerPlanCommand } from './commands/plan';
import { readManifestInputs } from './inputs';
import { CliIo, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_OUTPUT, EXIT_VIOLATIONS, plural, violationRecord } from './io';

export { CliIo, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_OUTPUT, EXIT_VIOLATIONS };
import { registerRoutersCommand } from './commands/routers';

/**
 * The `cdk8s-calico` command line. Commands:
 *
 *   cdk8s-calico validate [--calico-version V] [--format text|json] [--complete]
 *                         [--api-mode apiserver|native-v3-crds] PATH...
 *   cdk8s-calico plan [--calico-version V] [--node NAME] [--format text|json] PATH...
 *                     (src/cli/commands/plan.ts)
 *   cdk8s-calico routers [--format frr|bird2] [--out DIR] [--calico-version V] [--check FILE] PATH...
 *                     (src/cli/commands/routers.ts)
 *
 * Exit status: 0 no errors (warnings allowed), 1 validation errors, 2 unusable input or usage
 * (missing file, YAML syntax error, a document that is not a Kubernetes object, unknown option
 * or Calico version), 3 internal error, 4 the output could not be written (e.g. a full disk).
 *
 * Inputs are read as streams, document by document: memory holds one batch of documents and what
 * the cross-resource rules need, not the whole input.
 */

type Format = 'text' | 'json';
const API_MODES: readonly ApiMode[] = ['apiserver', 'native-v3-crds'];

interface ValidateFlags {
  readonly calicoVersion: string;
  readonly format: Format;
  readonly complete?: boolean;
  readonly apiMode: ApiMode;
  readonly followSymlinks?: boolean;
}

/** Runs the command line on `argv` (without the node and script entries) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let status = EXIT_OK;
  const program = new Command('cdk8s-calico')
    .description('Checks Calico and Tigera manifests against the CRD schemas and rules of a Calico release.')
    .version(packageVersion(), '-V, --version', 'print the cdk8s-calico version')
    .helpOption('-h, --help', 'print this help')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('validate')
    .description(
      'Validate every Calico and Tigera object (API groups projectcalico.org, operator.tigera.io, ' +
      'crd.projectcalico.org) in the given manifests; other kinds are ignored. Cross-resource rules run ' +
      'across all inputs together.',
    )
    .argument('<paths...>', 'YAML files, directories (searched recursively for *.yaml and *.yml, in sorted order) or - for standard input')
    .option('--calico-version <version>', `Calico release whose schemas and rules apply (${CALICO_VERSIONS.join(', ')})`, DEFAULT_CALICO_VERSION)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--complete', 'the inputs are the whole Calico configuration: also run rules that need objects absent from the input (pools, peers, BGPConfiguration)')
    .addOption(new Option('--api-mode <mode>', 'how projectcalico.org/v3 objects are served').choices([...API_MODES]).default('apiserver'))
    .option('--follow-symlinks', 'in directories, also follow symbolic links that point out of the directory given')
    .addHelpText('after', [
      '',
      'Exit status:',
      '  0  no errors (warnings allowed)',
      '  1  validation errors',
      '  2  unusable input (missing file, not a regular file, YAML syntax error, document',
      '     that is not a Kubernetes object, input over 512 MiB) or bad usage',
      '  4  the output could not be written',
      '',
      'Examples:',
      '  cdk8s-calico validate dist/',
      '  cdk8s-calico validate --calico-version v3.24.5 --complete calico/*.yaml',
      '  kubectl get bgppeers.projectcalico.org -o yaml | cdk8s-calico validate --format json -',
    ].join('\n'))
    .action(async (paths: string[], flags: ValidateFlags) => {
      status = await validateCommand(paths, flags, io);
    });

  registerPlanCommand(program, io, (s) => { status = s; });
  registerRoutersCommand(program, io, (s) => { status = s; });
  registerSynthCommand(program, io, (s) => { status = s; });
  registerSchemaCommand(program, io, (s) => { status = s; });
  registerInitCommand(program, io, (s) => { status = s; });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version were asked for; anything else is a usage error commander has already printed.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? EXIT_OK : EXIT_BAD_INPUT;
    }
    throw e;
  }
  return status;
}

async function validateCommand(paths: readonly string[], flags: ValidateFlags, io: CliIo): Promise<number> {
  const version = resolveRelease(flags.calicoVersion);
  const resolved = version.ok ? resolveRelease(flags.calicoVersion, flags.apiMode) : version;
  if (!resolved.ok) {
    io.stderr(`cdk8s-calico: ${version.ok ? '--api-mode' : '--calico-version'}: ${resolved.error}\n`);
    return EXIT_BAD_INPUT;
  }
  const calicoVersion = resolved.value.version;

  const validator = new ManifestValidator({ calicoVersion, apiMode: flags.apiMode, complete: flags.complete === true });
  const collected: Violation[] = [];
  let objectCount = 0;
  let calicoCount = 0;
  // Each object is validated as it is parsed, then dropped.
  const inputs = await readManifestInputs(paths, io, { followSymlinks: flags.followSymlinks }, (o) => {
    objectCount++;
    if (isCalicoApiVersion(o.object.apiVersion)) calicoCount++;
    for (const v of validator.add(o)) collected.push(v);
  });
  const inputErrors = inputs.errors;
  const fileNames = inputs.fileNames;
  collected.push(...inputs.warnings);
  if (inputErrors.length > 0) {
    io.stderr(inputErrors.map((e) => `${formatInputError(e)}\n`).join(''));
    io.stderr(`cdk8s-calico: ${plural(inputErrors.length, 'input error')}; nothing was validated.\n`);
    return EXIT_BAD_INPUT;
  }

  for (const v of validator.finish()) collected.push(v);
  const violations = sortByInput(collected, fileNames);
  const errors = violations.filter((v) => v.severity === 'error').length;

  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify(violations.map(violationRecord), null, 2)}\n`);
  } else {
    const lines = violations.map((v) => formatViolation(v));
    lines.push(
      `${plural(errors, 'error')}, ${plural(violations.length - errors, 'warning')} in ${plural(fileNames.length, 'file')} ` +
      `(${plural(objectCount, 'object')}, ${calicoCount} Calico)`,
    );
    io.stdout(`${lines.join('\n')}\n`);
  }
  return errors > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}


/** Orders violations by file (in reading order), then document; violations without a source last. Stable otherwise. */
function sortByInput(violations: Violation[], fileNames: readonly string[]): Violation[] {
  const fileIndex = new Map(fileNames.map((f, i) => [f, i]));
  const rank = (v: Violation) => [v.file !== undefined ? fileIndex.get(v.file) ?? fileNames.length : fileNames.length + 1, v.document ?? Infinity];
  return violations
    .map((v, i) => ({ v, i, r: rank(v) }))
    .sort((a, b) => a.r[0] - b.r[0] || (a.r[1] === b.r[1] ? 0 : a.r[1] - b.r[1]) || a.i - b.i)
    .map((x) => x.v);
}


function packageVersion(): string {
  try {
    // lib/src/cli/main.js -> package.json at the package root.
    return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Standard input as it arrives. A directory (`< dir`) is an error, not an empty input. */
async function* readProcessStdin(): AsyncIterable<Uint8Array> {
  let st;
  try {
    st = fstatSync(0);
  } catch {
    return; // no standard input at all: empty
  }
  if (st.isDirectory()) throw new Error('standard input is a directory; give the directory as PATH instead of - (cdk8s-calico validate DIR)');
  for await (const chunk of process.stdin) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/** The output cannot be written (a full disk, a closed terminal): say so on stderr and exit 4, no stack trace. */
function outputFailed(e: unknown): never {
  const err = e as NodeJS.ErrnoException;
  try {
    process.stderr.write(`cdk8s-calico: cannot write the output to standard output: ${err && err.code ? err.code : ''}${err && err.message ? ` (${err.message})` : ''}\n`);
  } catch {
    // stderr is gone too: the exit status still tells.
  }
  process.exit(EXIT_OUTPUT);
}

if (require.main === module) {
  // Inputs are streamed, so little is live at any time, but V8 lets the heap grow to several
  // times the live size before collecting: a 200 MB input then peaks above 1 GB of RSS. A smaller
  // growing factor keeps the peak near the live size at no measurable cost in time (bench/).
  setFlagsFromString('--heap-growing-percent=30');
  // A closed pipe (`... | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    outputFailed(e);
  });
  runCli(process.argv.slice(2), {
    stdout: (s) => {
      try {
        process.stdout.write(s);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(process.exitCode ?? 0);
        outputFailed(e);
      }
    },
    stderr: (s) => process.stderr.write(s),
    readStdin: readProcessStdin,
  }).then(
    (status) => {
      process.exitCode = status;
    },
    (e: unknown) => {
      process.stderr.write(`cdk8s-calico: internal error: ${e instanceof Error ? e.message : String(e)}\n` +
        'This is a bug in cdk8s-calico; please report it with the input that caused it.\n');
      if (process.env.CDK8S_CALICO_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
      process.exitCode = EXIT_INTERNAL;
    },
  );
}

