import { Command, Option } from 'commander';
import { readObjectsForPlan } from '../inputs';
import { CliIo, EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS as EXIT_FINDINGS, violationRecord } from '../io';
import { CALICO_VERSIONS, DEFAULT_CALICO_VERSION } from '../../releases/releases';
import { BgpPlan, computePlan, formatPlanText } from '../../plan';

/**
 * `cdk8s-calico plan [--calico-version V] [--node NAME] [--format text|json] PATH...`: the BGP
 * plan of the given objects (every node's sessions and advertised prefixes, the routers' view and
 * the findings). Exit status: 0 no error findings, 1 error findings, 2 unusable input or usage.
 */

interface PlanFlags {
  readonly calicoVersion: string;
  readonly format: 'text' | 'json';
  readonly node?: string;
  readonly rackLabel: string;
  readonly defaultRoute?: boolean;
}

/** Adds the `plan` command to `program`; `setStatus` receives its exit status. */
export function registerPlanCommand(program: Command, io: CliIo, setStatus: (status: number) => void): void {
  program
    .command('plan')
    .description(
      'Compute what every node\'s calico-node will do, as its confd templates do: the BGP sessions per ' +
      'address family, the prefixes each node advertises (with communities), the routers\' view, and ' +
      'findings. Reads BGPConfiguration, BGPPeer, IPPool, BGPFilter, Installation, Kubernetes and Calico ' +
      'Nodes (the node inventory), BlockAffinity, Service and EndpointSlice objects; other kinds are ignored.',
    )
    .argument('<paths...>', 'YAML files, directories (searched recursively for *.yaml and *.yml, in sorted order) or - for standard input')
    .option('--calico-version <version>', `Calico release whose calico-node behaviour applies (${CALICO_VERSIONS.join(', ')})`, DEFAULT_CALICO_VERSION)
    .option('--node <name>', 'show only this node (its sessions, prefixes, and the findings about it)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--rack-label <key>', 'label key whose value names a node\'s rack', 'rack')
    .option('--default-route', 'the routers send the nodes a default route (nodes sharing an AS across racks still reach each other)')
    .addHelpText('after', [
      '',
      'Exit status:',
      '  0  no error findings (warnings allowed)',
      '  1  error findings (e.g. a node with pods of a family but no session of it)',
      '  2  unusable input (missing file, YAML syntax error, unknown node) or bad usage',
      '',
      'Examples:',
      '  kubectl get nodes -o yaml > nodes.yaml; cdk8s-calico plan --calico-version v3.24.5 dist/ nodes.yaml',
      '  cdk8s-calico plan --node node-1 --format json dist/ nodes.yaml',
    ].join('\n'))
    .action(async (paths: string[], flags: PlanFlags) => {
      setStatus(await planCommand(paths, flags, io));
    });
}

async function planCommand(paths: readonly string[], flags: PlanFlags, io: CliIo): Promise<number> {
  const read = await readObjectsForPlan(paths, flags.calicoVersion, io, 'no plan was computed');
  if ('status' in read) return read.status;
  const { calicoVersion, objects } = read;
  const plan = computePlan(objects, { calicoVersion, rackLabel: flags.rackLabel, routersSendDefaultRoute: flags.defaultRoute === true });
  if (flags.node !== undefined && !plan.nodes.some((n) => n.name === flags.node)) {
    const names = plan.nodes.map((n) => n.name);
    io.stderr(`cdk8s-calico: node ${JSON.stringify(flags.node)} is not in the inventory${names.length > 0 ? ` (nodes: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})` : ': the inputs hold no Node objects'}.\n`);
    return EXIT_BAD_INPUT;
  }
  const shown = flags.node === undefined ? plan : onlyNode(plan, flags.node);
  if (flags.format === 'json') {
    io.stdout(`${JSON.stringify({ ...shown, findings: shown.findings.map(violationRecord) }, null, 2)}\n`);
  } else {
    io.stdout(formatPlanText(shown));
  }
  return shown.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/** The plan restricted to one node: its entry, the routers it peers with (its neighbor only), the findings about it. */
function onlyNode(plan: BgpPlan, node: string): BgpPlan {
  return {
    calicoVersion: plan.calicoVersion,
    nodes: plan.nodes.filter((n) => n.name === node),
    routers: plan.routers
      .filter((r) => r.neighbors.some((nb) => nb.node === node))
      .map((r) => ({ ...r, neighbors: r.neighbors.filter((nb) => nb.node === node) })),
    findings: plan.findings.filter((f) => f.kind !== 'Node' || f.name === node),
  };
}

