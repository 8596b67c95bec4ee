#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import {
  findManifestFiles,
  formatInputError,
  InputError,
  parseManifests,
  readManifestFile,
  STDIN_NAME,
  STDIN_PATH,
} from './manifest-reader';
import { CALICO_RELEASES, CALICO_VERSIONS, DEFAULT_CALICO_VERSION, isCalicoVersion } from '../releases/releases';
import { ApiMode, formatViolation, isCalicoApiVersion, SourcedObject, validateManifests, Violation } from '../validation';
import { registerPlanCommand } from './commands/plan';
import { registerRoutersCommand } from './commands/routers';

/**
 * The `cdk8s-calico` command line. Commands:
 *
 *   cdk8s-calico validate [--calico-version V] [--format text|json] [--complete]
 *                         [--api-mode apiserver|native-v3-crds] PATH...
 *   cdk8s-calico plan [--calico-version V] [--node NAME] [--format text|json] PATH...
 *                     (src/cli/commands/plan.ts)
 *
 * Exit status: 0 no errors (warnings allowed), 1 validation errors, 2 unusable input or usage
 * (missing file, YAML syntax error, a document that is not a Kubernetes object, unknown option
 * or Calico version), 3 internal error.
 */

/** Exit statuses of the command line. */
export const EXIT_OK = 0;
export const EXIT_VIOLATIONS = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

type Format = 'text' | 'json';
const API_MODES: readonly ApiMode[] = ['apiserver', 'native-v3-crds'];

interface ValidateFlags {
  readonly calicoVersion: string;
  readonly format: Format;
  readonly complete?: boolean;
  readonly apiMode: ApiMode;
}

/** Where the command writes and reads (the process streams, or test doubles). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => Promise<string>;
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
    .addHelpText('after', [
      '',
      'Exit status:',
      '  0  no errors (warnings allowed)',
      '  1  validation errors',
      '  2  unusable input (missing file, YAML syntax error, document that is not a',
      '     Kubernetes object) or bad usage',
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
  const calicoVersion = flags.calicoVersion;
  if (!isCalicoVersion(calicoVersion)) {
    io.stderr(`cdk8s-calico: Calico version "${calicoVersion}" is not supported. Supported versions: ${CALICO_VERSIONS.join(', ')}.\n`);
    return EXIT_BAD_INPUT;
  }
  if (flags.apiMode === 'native-v3-crds' && !CALICO_RELEASES[calicoVersion].nativeV3Crds) {
    const withNative = CALICO_VERSIONS.filter((v) => CALICO_RELEASES[v].nativeV3Crds);
    io.stderr(`cdk8s-calico: --api-mode native-v3-crds is not available in Calico ${calicoVersion}; it needs one of: ${withNative.join(', ')}.\n`);
    return EXIT_BAD_INPUT;
  }

  const found = findManifestFiles(paths);
  const inputErrors: InputError[] = [...found.errors];
  const objects: SourcedObject[] = [];
  const readerWarnings: Violation[] = [];
  const fileNames: string[] = [];
  for (const path of found.files) {
    const name = path === STDIN_PATH ? STDIN_NAME : path;
    fileNames.push(name);
    let text: string;
    if (path === STDIN_PATH) {
      text = await io.readStdin();
    } else {
      const read = readManifestFile(path);
      if (read.error) {
        inputErrors.push(read.error);
        continue;
      }
      text = read.text!;
    }
    const parsed = parseManifests(text, name);
    inputErrors.push(...parsed.errors);
    for (const o of parsed.objects) objects.push(o);
    for (const w of parsed.warnings) readerWarnings.push(w);
  }
  if (inputErrors.length > 0) {
    io.stderr(inputErrors.map((e) => `${formatInputError(e)}\n`).join(''));
    io.stderr(`cdk8s-calico: ${plural(inputErrors.length, 'input error')}; nothing was validated.\n`);
    return EXIT_BAD_INPUT;
  }

  const validated = validateManifests(objects, { calicoVersion, apiMode: flags.apiMode, complete: flags.complete === true });
  const violations = sortByInput([...validated, ...readerWarnings], fileNames);
  const errors = violations.filter((v) => v.severity === 'error').length;

  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify(violations.map(toRecord), null, 2)}\n`);
  } else {
    const calico = objects.filter((o) => isCalicoApiVersion(o.object.apiVersion)).length;
    const lines = violations.map((v) => formatViolation(v));
    lines.push(
      `${plural(errors, 'error')}, ${plural(violations.length - errors, 'warning')} in ${plural(fileNames.length, 'file')} ` +
      `(${plural(objects.length, 'object')}, ${calico} Calico)`,
    );
    io.stdout(`${lines.join('\n')}\n`);
  }
  return errors > 0 ? EXIT_VIOLATIONS : EXIT_OK;
}

/** A violation as a JSON record: always the same fields, in the same order. */
function toRecord(v: Violation) {
  return {
    file: v.file ?? null,
    document: v.document ?? null,
    apiVersion: v.apiVersion,
    kind: v.kind,
    name: v.name,
    path: v.path,
    message: v.message,
    severity: v.severity,
  };
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

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function packageVersion(): string {
  try {
    // lib/src/cli/main.js -> package.json at the package root.
    return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

if (require.main === module) {
  // A closed pipe (`... | head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
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
