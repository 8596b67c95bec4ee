import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Chart } from 'cdk8s';
import { parse, parseAllDocuments } from 'yaml';
import { CalicoApp, CalicoBgpPeer, CalicoTorChart, CalicoTorChartProps } from '../../src';

const LIB = join(__dirname, '..', '..', 'src');
const PROPS: CalicoTorChartProps = {
  calicoVersion: 'v3.24.5',
  nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] },
  torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }],
};
const FLUX = { sourceRef: { kind: 'GitRepository' as const, name: 'flux-system' }, pathPrefix: 'clusters/prod/calico' };

/** A chart with artifacts, as the topology helper's CalicoTorChart will have. */
class ChartWithArtifacts extends CalicoTorChart {
  public artifactList: { path: string; content: string }[] = [
    { path: 'plan.json', content: '{"nodes":[]}\n' },
    { path: 'routers/tor.frr.conf', content: 'router bgp 65001\n' },
  ];
  public artifacts() {
    return this.artifactList;
  }
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'calico-layout-'));
}

/** Every file under `dir`, relative, sorted. */
function tree(dir: string, rel = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tree(join(dir, e.name), `${rel}${e.name}/`) : [`${rel}${e.name}`])).sort();
}

describe('CalicoApp output layouts', () => {
  test('folder-per-stage: one folder per stage, each with its own kustomization.yaml; the top one lists the folders', () => {
    const app = new CalicoApp({ layout: 'folder-per-stage' });
    new CalicoTorChart(app, 'dc', PROPS);
    const files = new Map(app.synthFiles().map((f) => [f.name, f.content]));
    assert.deepEqual([...files.keys()], [
      '00-crds/00-crds.yaml', '00-crds/kustomization.yaml',
      '01-tigera-operator/01-tigera-operator.yaml', '01-tigera-operator/kustomization.yaml',
      '02-calico-installation/02-calico-installation.yaml', '02-calico-installation/kustomization.yaml',
      '03-calico-resources/03-calico-resources.yaml', '03-calico-resources/kustomization.yaml',
      'kustomization.yaml',
    ]);
    assert.deepEqual(parse(files.get('02-calico-installation/kustomization.yaml')!), {
      apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', sortOptions: { order: 'fifo' }, resources: ['02-calico-installation.yaml'],
    });
    assert.deepEqual(parse(files.get('kustomization.yaml')!).resources, ['00-crds', '01-tigera-operator', '02-calico-installation', '03-calico-resources']);
    // Same objects as the flat layout.
    const flat = new CalicoApp();
    new CalicoTorChart(flat, 'dc', PROPS);
    const flatFiles = new Map(flat.synthFiles().map((f) => [f.name, f.content]));
    assert.equal(files.get('03-calico-resources/03-calico-resources.yaml'), flatFiles.get('03-calico-resources.yaml'));
  });

  test('flux: Kustomizations chained with dependsOn and wait, paths under the prefix; the API server stage waits for its state', () => {
    const app = new CalicoApp({ flux: { ...FLUX, interval: '5m' } });
    new CalicoTorChart(app, 'dc', PROPS);
    const files = new Map(app.synthFiles().map((f) => [f.name, f.content]));
    assert.deepEqual(parse(files.get('flux/kustomization.yaml')!).resources, ['kustomizations.yaml']);
    const ks = parseAllDocuments(files.get('flux/kustomizations.yaml')!).map((d) => d.toJS());
    assert.deepEqual(ks.map((k) => [k.metadata.name, k.metadata.namespace, k.spec.path, k.spec.dependsOn?.[0].name ?? null]), [
      ['calico-00-crds', 'flux-system', './clusters/prod/calico/00-crds', null],
      ['calico-01-tigera-operator', 'flux-system', './clusters/prod/calico/01-tigera-operator', 'calico-00-crds'],
      ['calico-02-calico-installation', 'flux-system', './clusters/prod/calico/02-calico-installation', 'calico-01-tigera-operator'],
      ['calico-03-calico-resources', 'flux-system', './clusters/prod/calico/03-calico-resources', 'calico-02-calico-installation'],
    ]);
    assert.deepEqual(ks[1], {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'calico-01-tigera-operator', namespace: 'flux-system' },
      spec: {
        dependsOn: [{ name: 'calico-00-crds' }],
        interval: '5m',
        path: './clusters/prod/calico/01-tigera-operator',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'flux-system' },
        timeout: '10m',
        wait: true,
      },
    });
    assert.deepEqual(ks[2].spec.healthCheckExprs, [{ apiVersion: 'operator.tigera.io/v1', kind: 'APIServer', current: "status.?state.orValue('') == 'Ready'" }]);
    assert.equal(ks[3].spec.healthCheckExprs, undefined);
    assert.ok(!parse(files.get('kustomization.yaml')!).resources.includes('flux'), 'kubectl apply -k does not create the Flux objects');
  });

  test('flux: bad options are all reported at once; flux with the flat layout is refused', () => {
    const app = new CalicoApp({ flux: { sourceRef: { kind: 'GitRepo' as any, name: 'gitops' }, pathPrefix: '../calico', interval: '10 minutes', namespace: 'Flux' } });
    new CalicoTorChart(app, 'dc', PROPS);
    assert.throws(() => app.synthFiles(), (e: Error) => {
      assert.match(e.message, /^CalicoApp: 4 problem\(s\) with the flux option:\n/);
      assert.match(e.message, /flux\.interval: "10 minutes" is not a Flux duration/);
      assert.match(e.message, /flux\.namespace: /);
      assert.match(e.message, /flux\.sourceRef\.kind: "GitRepo" is not a Flux source kind/);
      assert.match(e.message, /flux\.pathPrefix: "\.\.\/calico" must be a path inside the source/);
      return true;
    });
    assert.throws(() => new CalicoApp({ layout: 'flat', flux: FLUX }), /flux needs layout "folder-per-stage"/);
  });

  test('a chart\'s artifacts are written beside the YAML, outside kustomization.yaml, and a second synth replaces them', () => {
    const dir = tmp();
    try {
      const out = join(dir, 'dist');
      const app = new CalicoApp({ outdir: out });
      const chart = new ChartWithArtifacts(app, 'dc', PROPS);
      app.synth();
      assert.deepEqual(tree(out), ['00-crds.yaml', '01-tigera-operator.yaml', '02-calico-installation.yaml', '03-calico-resources.yaml',
        'kustomization.yaml', 'plan.json', 'routers/tor.frr.conf']);
      assert.equal(readFileSync(join(out, 'routers', 'tor.frr.conf'), 'utf8'), 'router bgp 65001\n');
      assert.ok(!readFileSync(join(out, 'kustomization.yaml'), 'utf8').includes('plan.json'));
      chart.artifactList = [{ path: 'plan.json', content: '{"nodes":[1]}\n' }];
      app.synth();
      assert.deepEqual(tree(out).filter((f) => !f.endsWith('.yaml')), ['plan.json'], 'the stale router config is gone');
      assert.deepEqual(readdirSync(dir), ['dist']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the folder layout with Flux is written to disk and can be written again over itself', () => {
    const dir = tmp();
    try {
      const out = join(dir, 'dist');
      for (let i = 0; i < 2; i++) {
        const app = new CalicoApp({ outdir: out, flux: FLUX });
        new ChartWithArtifacts(app, 'dc', PROPS);
        app.synth();
      }
      assert.deepEqual(tree(out), [
        '00-crds/00-crds.yaml', '00-crds/kustomization.yaml',
        '01-tigera-operator/01-tigera-operator.yaml', '01-tigera-operator/kustomization.yaml',
        '02-calico-installation/02-calico-installation.yaml', '02-calico-installation/kustomization.yaml',
        '03-calico-resources/03-calico-resources.yaml', '03-calico-resources/kustomization.yaml',
        'flux/kustomization.yaml', 'flux/kustomizations.yaml', 'kustomization.yaml', 'plan.json', 'routers/tor.frr.conf',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('artifact paths that escape the output or clash with a written file are refused before anything is written', () => {
    for (const [path, message] of [
      ['../plan.json', /use a relative path of "\/"-separated names/],
      ['/etc/passwd', /use a relative path/],
      ['kustomization.yaml', /kustomization\.yaml is written by CalicoApp/],
      ['01-tigera-operator.yaml', /another output file already takes/],
    ] as const) {
      const dir = tmp();
      try {
        const app = new CalicoApp({ outdir: join(dir, 'dist') });
        const chart = new ChartWithArtifacts(app, 'dc', PROPS);
        chart.artifactList = [{ path, content: 'x' }];
        assert.throws(() => app.synth(), message, path);
        assert.deepEqual(readdirSync(dir), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  test('an outdir with a previous synth\'s folders and artifacts is replaceable; one with sources still is not', () => {
    const dir = tmp();
    try {
      const out = join(dir, 'dist');
      mkdirSync(join(out, 'routers'), { recursive: true });
      writeFileSync(join(out, 'routers', 'old.frr.conf'), 'old\n');
      writeFileSync(join(out, 'main.ts'), '// mine\n');
      const app = new CalicoApp({ outdir: out });
      new ChartWithArtifacts(app, 'dc', PROPS);
      assert.throws(() => app.synth(), /holds more than synthesized YAML \(main\.ts\)/);
      rmSync(join(out, 'main.ts'));
      app.synth();
      assert.ok(!tree(out).includes('routers/old.frr.conf'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('file names are sorted by code point under every locale (LANG=da_DK.UTF-8 sorts "aa" after "z" with localeCompare)', () => {
    // In Danish collation "aa" is the letter å, the last of the alphabet.
    assert.ok('aa-storage'.localeCompare('b-peers', 'da') > 0, 'this Node has the Danish collation, so the test can fail');
    const script = `
      const { Chart } = require('cdk8s');
      const { CalicoApp, CalicoBgpPeer, CalicoTorChart } = require(${JSON.stringify(LIB)});
      const app = new CalicoApp();
      new CalicoTorChart(app, 'dc', { torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }] });
      for (const name of ['b-peers', 'aa-storage', 'z-last']) {
        new CalicoBgpPeer(new Chart(app, name), 'p', { name, peerIp: '10.31.0.2', asNumber: 65002 });
      }
      console.log(JSON.stringify(app.synthFiles().map((f) => f.name)));
    `;
    const r = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8', cwd: join(LIB, '..', '..'), env: { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      '01-tigera-operator.yaml', '02-calico-installation.yaml', '03-calico-resources.yaml',
      'aa-storage.yaml', 'b-peers.yaml', 'z-last.yaml', 'kustomization.yaml',
    ]);
  });

  test('plain charts beside the CalicoTorChart get folders of their own in the folder layout', () => {
    const app = new CalicoApp({ flux: FLUX });
    new CalicoTorChart(app, 'dc', PROPS);
    new CalicoBgpPeer(new Chart(app, 'rack-peers'), 'c', { name: 'tor-c', peerIp: '10.31.2.1', asNumber: 65003 });
    const files = new Map(app.synthFiles().map((f) => [f.name, f.content]));
    assert.match(files.get('rack-peers/rack-peers.yaml')!, /name: tor-c/);
    const ks = parseAllDocuments(files.get('flux/kustomizations.yaml')!).map((d) => d.toJS());
    assert.deepEqual(ks.at(-1).spec.dependsOn, [{ name: 'calico-03-calico-resources' }], 'after the Calico stages (names sort after the digits)');
  });
});
