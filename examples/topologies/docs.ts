import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CalicoApp, CalicoTorChart, CalicoTorChartProps, NODE_AS_NUMBER_ANNOTATION, NODE_RR_CLUSTER_ID_ANNOTATION } from '../../src';
import { toYaml } from '../../src/output/yaml-output';
import { REFERENCE_CLUSTER } from '../reference/main';
import { RACK_SITE, RR_SITE } from './sites';

/**
 * Writes the README's example sites, between the TOPOLOGY_BEGIN and TOPOLOGY_END marker lines: the
 * three sites (the reference cluster, a 3-rack AS-per-rack site, a route-reflector site) as typed
 * props (quoted from their source files), the YAML the CLI reads (the staged BGP objects and the
 * nodes), and the plan `cdk8s-calico plan` prints for them: every output shown is computed by
 * running the code, never typed by hand. A test checks that the README is in step with the code
 * (`npm run build && node lib/examples/topologies/docs.js` rewrites the section).
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
    `### ${site.title}`,
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
    '<details><summary>The BGP objects it stages (in <code>03-calico-resources.yaml</code>, BGPConfiguration last)</summary>',
    '',
    '```yaml',
    toYaml(bgpObjects).replace(/\n+$/, ''),
    '```',
    '',
    '</details>',
    '',
  ];
  if (script) {
    out.push(
      '<details><summary>The node settings it writes (<code>node-settings/apply.sh</code>; the same as JSON in <code>node-settings/nodes.json</code>)</summary>',
      '',
      '```sh',
      script.content.replace(/\n+$/, ''),
      '```',
      '',
      '</details>',
      '',
    );
  }
  out.push(
    '<details><summary>The nodes as <code>kubectl get nodes -o yaml</code> shows them once the node settings are applied (<code>nodes.yaml</code>)</summary>',
    '',
    '```yaml',
    nodesYaml(chart).replace(/\n+$/, ''),
    '```',
    '',
    '</details>',
    '',
    'The plan, from the staged files and `nodes.yaml`:',
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

/** The line that opens the generated section in README.md. */
export const TOPOLOGY_BEGIN = '<!-- topology-sites:begin (generated by examples/topologies/docs.ts: `npm run build && node lib/examples/topologies/docs.js`; do not edit, a test checks it is current) -->';
/** The line that closes it. */
export const TOPOLOGY_END = '<!-- topology-sites:end -->';

/** The generated section: the three sites, between blank lines, without the marker lines. */
export function topologySites(): string {
  return `\n${SITES.flatMap(siteSection).join('\n').replace(/\n+$/, '')}\n\n`;
}

/** Where the generated section lies in `readme`: [start, end) of the text between the marker lines. */
function sectionRange(readme: string): [number, number] {
  const begin = readme.indexOf(`${TOPOLOGY_BEGIN}\n`);
  const end = readme.indexOf(`${TOPOLOGY_END}\n`, begin);
  if (begin < 0 || end < 0) throw new Error('README.md has no topology-sites:begin/end marker lines');
  return [begin + TOPOLOGY_BEGIN.length + 1, end];
}

/** The generated section as it stands in `readme` (the text between the marker lines). */
export function readmeTopologySites(readme: string): string {
  const [start, end] = sectionRange(readme);
  return readme.slice(start, end);
}

/** `readme` with the generated section replaced by the current one. */
export function updateReadme(readme: string): string {
  const [start, end] = sectionRange(readme);
  return readme.slice(0, start) + topologySites() + readme.slice(end);
}

if (require.main === module) {
  const file = join(ROOT, 'README.md');
  writeFileSync(file, updateReadme(readFileSync(file, 'utf8')));
}
