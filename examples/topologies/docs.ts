import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CalicoApp, CalicoTorChart, CalicoTorChartProps, NODE_AS_NUMBER_ANNOTATION, NODE_RR_CLUSTER_ID_ANNOTATION } from '../../src';
import { toYaml } from '../../src/output/yaml-output';
import { REFERENCE_CLUSTER } from '../reference/main';
import { RACK_SITE, RR_SITE } from './sites';

/**
 * Writes docs/topology.md: the three example sites (the reference cluster, a 3-rack AS-per-rack
 * site, a route-reflector site) as typed props (quoted from their source files), the YAML the CLI
 * reads (the staged BGP objects and the nodes), and the plan `cdk8s-calico plan` prints for them:
 * every output shown is computed by running the code, never typed by hand. A test checks that the
 * file is in step with the code (`node lib/examples/topologies/docs.js` rewrites it).
 */

/** Repository root (this file runs from lib/examples/topologies/). */
const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'lib', 'src', 'cli', 'main.js');

/** The text between `// docs:begin <name>` and `// docs:end <name>` of a source file. */
function quoteSource(file: string, name: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const begin = text.indexOf(`// docs:begin ${name}\n`);
  const end = text.indexOf(`// docs:end ${name}\n`);
  if (begin < 0 || end < begin) throw new Error(`${file} has no docs:begin/docs:end ${name} markers`);
  return text.slice(begin + `// docs:begin ${name}\n`.length, end).replace(/\n+$/, '');
}

/** One site of the page. */
interface Site {
  readonly title: string;
  readonly intro: string;
  readonly props: CalicoTorChartProps;
  readonly source: { readonly file: string; readonly marker: string; readonly importLine: string };
}

/** Kubernetes Nodes as `kubectl get nodes -o yaml` shows them once the node settings are applied. */
function nodesYaml(chart: CalicoTorChart): string {
  const settings = new Map(chart.nodeSettings().map((s) => [s.name, s]));
  const items = (chart.inventory ?? []).map((n) => {
    const s = settings.get(n.name);
    const annotations: Record<string, string> = {};
    if (n.ipv4Address) annotations['projectcalico.org/IPv4Address'] = n.ipv4Address;
    if (n.ipv6Address) annotations['projectcalico.org/IPv6Address'] = n.ipv6Address;
    if (s?.asNumber != null) annotations[NODE_AS_NUMBER_ANNOTATION] = String(s.asNumber);
    if (s?.routeReflectorClusterId != null) annotations[NODE_RR_CLUSTER_ID_ANNOTATION] = s.routeReflectorClusterId;
    const labels = { ...n.labels };
    return { apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, ...(Object.keys(labels).length > 0 ? { labels } : {}), annotations } };
  });
  return toYaml([{ apiVersion: 'v1', kind: 'List', items }]);
}

/** Synthesizes the site, writes its staged YAML and nodes.yaml, and runs `cdk8s-calico plan` on them. */
function runPlan(props: CalicoTorChartProps, chart: CalicoTorChart): string {
  const app = new CalicoApp({ outdir: 'unused' });
  new CalicoTorChart(app, 'site', props);
  const dir = mkdtempSync(join(tmpdir(), 'topology-docs-'));
  try {
    for (const f of app.synthFiles()) {
      mkdirSync(dirname(join(dir, 'dist', f.name)), { recursive: true });
      writeFileSync(join(dir, 'dist', f.name), f.content);
    }
    writeFileSync(join(dir, 'nodes.yaml'), nodesYaml(chart));
    const r = spawnSync(process.execPath, [CLI, 'plan', '--calico-version', chart.calicoVersion, 'dist/', 'nodes.yaml'], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cdk8s-calico plan failed (${r.status}): ${r.stderr}`);
    return r.stdout.replace(/\n+$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function siteSection(site: Site): string[] {
  const chart = new CalicoTorChart(new CalicoApp({ outdir: 'unused' }), 'site', site.props);
  const bgpObjects = chart.manifests().filter((o) => o.kind === 'BGPPeer' || o.kind === 'BGPConfiguration');
  const script = chart.artifacts().find((f) => f.path === 'node-settings/apply.sh');
  const out = [
    `## ${site.title}`,
    '',
    site.intro,
    '',
    `Typed props (\`${site.source.file}\`):`,
    '',
    '```ts',
    site.source.importLine,
    '',
    quoteSource(site.source.file, site.source.marker),
    '```',
    '',
    'The BGP objects it stages (in `03-calico-resources.yaml`, BGPConfiguration last):',
    '',
    '```yaml',
    toYaml(bgpObjects).replace(/\n+$/, ''),
    '```',
    '',
  ];
  if (script) {
    out.push(
      'The node settings it writes (`node-settings/apply.sh`; the same as JSON in `node-settings/nodes.json`):',
      '',
      '```sh',
      script.content.replace(/\n+$/, ''),
      '```',
      '',
    );
  }
  out.push(
    'The plan from YAML: the staged files and the nodes as `kubectl get nodes -o yaml` shows them once the node settings are applied (`nodes.yaml`):',
    '',
    '```yaml',
    nodesYaml(chart).replace(/\n+$/, ''),
    '```',
    '',
    '```console',
    `$ cdk8s-calico plan --calico-version ${chart.calicoVersion} dist/ nodes.yaml`,
    runPlan(site.props, chart),
    '```',
    '',
  );
  return out;
}

const SITES: readonly Site[] = [
  {
    title: 'The reference cluster: every node peers with two routers',
    intro: 'The cluster of `../shared/reference-cluster.md`: global peers (`torPeers`), the node-to-node mesh off, eBGP to two routers with the next hop kept. Its nodes need no setting (one AS, no selector reads a label), so no `node-settings/` is written; `npm run synth` writes `plan.md` and the two routers\' configurations.',
    props: REFERENCE_CLUSTER,
    source: { file: 'examples/reference/main.ts', marker: 'reference-cluster', importLine: "import { CalicoTorChartProps, NodeInventoryEntry } from 'cdk8s-calico';" },
  },
  {
    title: 'Three racks, an AS per rack',
    intro: 'Calico\'s "AS per rack" model (Calico over IP fabrics): each rack is a label value (`rack=r1`), its nodes share the AS of their ToR pair and peer with both ToRs over iBGP. The AS numbers are node settings, not staged objects.',
    props: RACK_SITE,
    source: { file: 'examples/topologies/sites.ts', marker: 'rack-site', importLine: "import { CalicoTorChartProps, NodeInventoryEntry } from 'cdk8s-calico';" },
  },
  {
    title: 'Route reflectors',
    intro: 'Two nodes reflect for the whole cluster (cluster ID `244.0.0.1`): the clients peer only with them, they peer with each other as equals (same cluster ID) and with the two core routers, keeping the original next hop. Neither side of a reflector session is passive (confd builds peerSelector peerings without its calico_node mark), so both nodes connect: the plan says `both connect`. The reflectors\' label and cluster ID are node settings.',
    props: RR_SITE,
    source: { file: 'examples/topologies/sites.ts', marker: 'rr-site', importLine: "import { CalicoTorChartProps, NodeInventoryEntry } from 'cdk8s-calico';" },
  },
];

/** The whole page. */
export function topologyDoc(): string {
  const lines = [
    '# BGP topologies, node settings and the plan',
    '',
    '<!-- Generated by examples/topologies/docs.ts (`node lib/examples/topologies/docs.js`): do not edit; a test checks it is current. -->',
    '',
    ...readFileSync(join(ROOT, 'examples', 'topologies', 'topology-intro.md'), 'utf8').replace(/\n+$/, '').split('\n'),
    '',
    ...SITES.flatMap(siteSection),
  ];
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

if (require.main === module) {
  writeFileSync(join(ROOT, 'docs', 'topology.md'), topologyDoc());
}
