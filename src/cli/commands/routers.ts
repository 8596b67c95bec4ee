import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, Option } from 'commander';
import { readObjectsForPlan } from '../inputs';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS as EXIT_FINDINGS } from '../io';
import { CALICO_VERSIONS, DEFAULT_CALICO_VERSION } from '../../releases/releases';
import { formatViolation } from '../../model/violation';
import { BgpPlan, computePlan } from '../../plan';
import { checkRouterConfig, RouterConfigError, routerConfigs, RouterExportPolicy, RouterNeighborMode } from '../../routers';

/**
 * `cdk8s-calico routers [--format frr|bird2] [--out DIR] [--calico-version V] PATH...`: the
 * routers' end of every session the nodes open, from the same inputs as `plan`. Exit status: 0
 * written, 1 the plan has error findings (nothing written) or `--check` found a mismatch, 2
 * unusable input or usage.
 */

interface RoutersFlags {
  readonly calicoVersion: string;
  readonly format?: 'frr' | 'bird2';
  readonly out?: string;
  readonly exportPolicy: RouterExportPolicy;
  readonly neighborMode: RouterNeighborMode;
  readonly matchCommunities?: boolean;
  readonly bfd?: boolean;
  readonly rackLabel: string;
  readonly check: readonly string[];
}

/** Adds the `routers` command to `program`; `setStatus` receives its exit status. */
export function registerRoutersCommand(program: Command, io: CliIo, setStatus: (status: number) => void): void {
  program
    .command('routers')
    .description(
      'Write the routers\' side of the BGP sessions (FRR frr.conf, BIRD 2 bird.conf) for every external ' +
      'router (a BGPPeer address that is not a Calico node), from the plan of the given objects (the same ' +
      'inputs as plan: Calico objects and the node inventory).',
    )
    .argument('<paths...>', 'YAML files, directories (searched recursively for *.yaml and *.yml, in sorted order) or - for standard input')
    .addOption(new Option('--format <platform>', 'only this platform (default: both)').choices(['frr', 'bird2']))
    .option('--out <dir>', 'write <router>.frr.conf / <router>.bird.conf into this folder (default: print them)')
    .option('--calico-version <version>', `Calico release whose calico-node behaviour applies (${CALICO_VERSIONS.join(', ')})`, DEFAULT_CALICO_VERSION)
    .addOption(new Option('--export-policy <policy>', 'what the routers send the nodes')
      .choices(['none', 'default-route', 'cluster-routes', 'default-and-cluster-routes']).default('none'))
    .addOption(new Option('--neighbor-mode <mode>', 'one neighbor per node, or a dynamic listen range over the nodes\' subnet')
      .choices(['per-node', 'listen-range']).default('per-node'))
    .option('--match-communities', 'import pool routes only with the communities the nodes attach')
    .option('--bfd', 'turn on BFD on the node sessions')
    .option('--rack-label <key>', 'label key whose value names a node\'s rack', 'rack')
    .option('--check <file>', 'instead of writing, check an existing router configuration (FRR frr.conf or `show running-config`, BIRD 2 bird.conf) against the plan; repeatable',
      (value: string, previous: string[]) => [...previous, value], [] as string[])
    .addHelpText('after', [
      '',
      'Passwords are never written: a BGPPeer password becomes a ${BGP_PASSWORD_...} placeholder that the',
      'file\'s header tells how to fill from the Secret (envsubst).',
      '',
      'Exit status:',
      '  0  configurations written (with --check: no mismatch)',
      '  1  the plan has error findings (nothing written; they are printed), or --check found a',
      '     mismatch that keeps a session down (wrong AS, a password on one side only...)',
      '  2  unusable input, options that cannot be met, or bad usage',
      '',
      'Examples:',
      '  cdk8s-calico routers --calico-version v3.24.5 --out routers/ dist/ nodes.yaml',
      '  cdk8s-calico routers --format frr dist/ nodes.yaml | less',
      '  ssh tor-a vtysh -c "show running-config" > tor-a.conf; cdk8s-calico routers --check tor-a.conf dist/ nodes.yaml',
    ].join('\n'))
    .action(async (paths: string[], flags: RoutersFlags) => {
      setStatus(await routersCommand(paths, flags, io));
    });
}

async function routersCommand(paths: readonly string[], flags: RoutersFlags, io: CliIo): Promise<number> {
  const read = await readObjectsForPlan(paths, flags.calicoVersion, io, 'no router configuration was written');
  if ('status' in read) return read.status;
  const { calicoVersion, objects } = read;
  const exportsDefault = flags.exportPolicy === 'default-route' || flags.exportPolicy === 'default-and-cluster-routes';
  const plan = computePlan(objects, { calicoVersion, rackLabel: flags.rackLabel, routersSendDefaultRoute: exportsDefault });
  const errors = plan.findings.filter((f) => f.severity === 'error');
  const warnings = plan.findings.filter((f) => f.severity === 'warning');
  if (warnings.length > 0) io.stderr(warnings.map((w) => `${formatViolation(w)}\n`).join(''));
  if (errors.length > 0) {
    io.stderr(errors.map((e) => `${formatViolation(e)}\n`).join(''));
    io.stderr(`cdk8s-calico: the plan has ${errors.length} error${errors.length === 1 ? '' : 's'}; no router configuration was written (the routers would not match the nodes).\n`);
    return EXIT_FINDINGS;
  }
  if (flags.check.length > 0) return checkCommand(plan, flags.check, io);
  if (plan.routers.length === 0) {
    io.stderr('cdk8s-calico: no external router in the plan (no BGPPeer address outside the Calico nodes, or no node peers with one); nothing to write.\n');
    return EXIT_OK;
  }
  let files;
  try {
    files = routerConfigs(plan, {
      platform: flags.format ?? 'both',
      exportPolicy: flags.exportPolicy,
      neighborMode: flags.neighborMode,
      matchCommunities: flags.matchCommunities === true,
      bfd: flags.bfd === true,
      directory: '',
    });
  } catch (e) {
    if (e instanceof RouterConfigError) {
      io.stderr(`cdk8s-calico: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  if (flags.out === undefined) {
    io.stdout(files.map((f) => `${f.platform === 'frr' ? '!' : '#'} ===== ${f.path} =====\n${f.content}`).join('\n'));
    return EXIT_OK;
  }
  const out = flags.out;
  mkdirSync(out, { recursive: true });
  for (const f of files) {
    const target = join(out, f.path);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.tmp-${process.pid}`;
    writeFileSync(tmp, f.content, { mode: 0o644 });
    renameSync(tmp, target);
  }
  io.stdout(`${files.map((f) => `wrote ${join(out, f.path)}`).join('\n')}\n`);
  return EXIT_OK;
}

function checkCommand(plan: BgpPlan, files: readonly string[], io: CliIo): number {
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  const lines: string[] = [];
  for (const file of files) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (e) {
      io.stderr(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
      unreadable++;
      continue;
    }
    const platform = file.endsWith('.frr.conf') ? 'frr' : file.endsWith('.bird.conf') ? 'bird2' : undefined;
    const found = checkRouterConfig(plan, { content, file, ...(platform ? { platform } : {}) });
    for (const v of found) {
      lines.push(formatViolation(v));
      if (v.severity === 'error') errors++;
      else warnings++;
    }
  }
  if (unreadable > 0) return EXIT_BAD_INPUT;
  lines.push(`${errors} mismatch${errors === 1 ? '' : 'es'} that keep${errors === 1 ? 's' : ''} a session down, ${warnings} warning${warnings === 1 ? '' : 's'} in ${files.length} router configuration${files.length === 1 ? '' : 's'}`);
  io.stdout(`${lines.join('\n')}\n`);
  return errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}
