import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/**
 * The oldest cdk8s and constructs of the peer ranges in package.json (cdk8s-plus-27 2.9.5 asks
 * for cdk8s ^2.68.11 and constructs ^10.3.0; 2.68.11 was never published, 2.68.12 is the first).
 */
const OLDEST = { cdk8s: '2.68.12', constructs: '10.3.0' };

/** A user's app: a CalicoTorChart, a plain chart with one of our constructs, a JSON patch. */
const MAIN_TS = `
import { App, Chart, JsonPatch } from 'cdk8s';
import { CalicoBgpPeer, CalicoTorChart } from 'cdk8s-calico';

const app = new App({ outdir: 'dist' });
const chart = new CalicoTorChart(app, 'edge', {
  calicoVersion: 'v3.31.7',
  podIpPools: [{ cidr: '10.70.0.0/16', blockSize: 26, encapsulation: 'None' }],
  asNumber: 65070,
  torPeers: [{ name: 'leaf-1', peerIp: '10.71.0.1', asNumber: 65001 }],
  calicoctl: true,
});
chart.installation.resource.addJsonPatch(JsonPatch.add('/spec/calicoNetwork/containerIPForwarding', 'Enabled'));
const mine = new Chart(app, 'mine');
new CalicoBgpPeer(mine, 'extra', { name: 'leaf-2', peerIp: '10.71.0.2', asNumber: 65002, nodeSelector: 'rack == "2"' });
app.synth();
`;

/**
 * Packs the package as npm would publish it and installs the tarball into scratch cdk8s projects
 * (dependencies from the local npm cache where it has them): one with the newest cdk8s and
 * constructs, one pinned to the oldest of our peer ranges and installed with `--omit=optional`
 * (without cdk8s-plus-27's optional `backport`). Each compiles its TypeScript app against the
 * package's typings, synthesizes it, and has one copy of cdk8s and of constructs.
 */
describe('the packed package in another cdk8s project', () => {
  let work = '';
  let tarball = '';
  let files: string[] = [];

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'cdk8s-calico-pack-'));
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    tarball = join(work, JSON.parse(out)[0].filename);
    files = JSON.parse(out)[0].files.map((f: any) => f.path);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** Installs the tarball and `extra` into a new project, then compiles and runs MAIN_TS there. */
  function project(name: string, extra: string[], installFlags: string[] = []): string {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `scratch-${name}`, version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...installFlags, tarball, ...extra], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'main.ts'), MAIN_TS);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: [] },
      files: ['main.ts'],
    }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
    const run = spawnSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return dir;
  }

  /** Install locations of `pkg` in the project (npm ls lists each location once). */
  function copies(dir: string, pkg: string): string[] {
    const out = execFileSync('npm', ['ls', '--parseable', '--all', pkg], { cwd: dir, encoding: 'utf8' });
    return out.split('\n').filter((l) => l.endsWith(`node_modules/${pkg}`));
  }

  function version(dir: string, pkg: string): string {
    return JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  }

  function checkOutput(dir: string): void {
    const dist = join(dir, 'dist');
    const docs = readdirSync(dist).sort().flatMap((f) => parseAllDocuments(readFileSync(join(dist, f), 'utf8')).map((d) => d.toJS()));
    const inst = docs.find((d) => d.kind === 'Installation');
    assert.deepEqual(inst.spec.calicoNetwork.ipPools, [{
      name: 'default-ipv4-ippool', blockSize: 26, cidr: '10.70.0.0/16', encapsulation: 'None', natOutgoing: 'Enabled', nodeSelector: 'all()',
    }]);
    assert.equal(inst.spec.calicoNetwork.containerIPForwarding, 'Enabled');
    assert.equal(docs.find((d) => d.kind === 'BGPConfiguration').spec.asNumber, 65070);
    assert.deepEqual(docs.filter((d) => d.kind === 'BGPPeer').map((p) => `${p.metadata.name}:${p.spec.peerIP}:${p.spec.asNumber}`).sort(),
      ['leaf-1:10.71.0.1:65001', 'leaf-2:10.71.0.2:65002']);
    assert.ok(docs.some((d) => d.kind === 'DaemonSet' && d.metadata.name === 'calicoctl'), 'cdk8s-plus-27 constructs synthesize');
  }

  test('package.json: cdk8s and constructs are peer dependencies, also installed for our own build', () => {
    assert.deepEqual(PACKAGE.peerDependencies, { cdk8s: `^${OLDEST.cdk8s}`, constructs: `^${OLDEST.constructs}` });
    assert.equal(PACKAGE.dependencies.cdk8s, undefined);
    assert.equal(PACKAGE.dependencies.constructs, undefined);
    assert.ok(PACKAGE.devDependencies.cdk8s && PACKAGE.devDependencies.constructs);
    assert.ok(files.includes('lib/src/index.js') && files.includes('lib/src/index.d.ts'));
    assert.ok(!files.some((f) => f.startsWith('lib/test/') || f.startsWith('src/')), 'tests and sources are not packed');
  });

  test('with the newest cdk8s and constructs: compiles, synthesizes, one copy of each', { timeout: 180_000 }, () => {
    const dir = project('newest', ['cdk8s', 'constructs']);
    checkOutput(dir);
    assert.deepEqual(copies(dir, 'cdk8s'), [join(dir, 'node_modules', 'cdk8s')]);
    assert.deepEqual(copies(dir, 'constructs'), [join(dir, 'node_modules', 'constructs')]);
  });

  test(`pinned to cdk8s ${OLDEST.cdk8s} and constructs ${OLDEST.constructs}, installed with --omit=optional: compiles, synthesizes, one copy, no backport`, { timeout: 180_000 }, () => {
    const dir = project('oldest', [`cdk8s@${OLDEST.cdk8s}`, `constructs@${OLDEST.constructs}`], ['--omit=optional']);
    assert.equal(version(dir, 'cdk8s'), OLDEST.cdk8s);
    assert.equal(version(dir, 'constructs'), OLDEST.constructs);
    checkOutput(dir);
    assert.deepEqual(copies(dir, 'cdk8s'), [join(dir, 'node_modules', 'cdk8s')]);
    assert.deepEqual(copies(dir, 'constructs'), [join(dir, 'node_modules', 'constructs')]);
    assert.equal(existsSync(join(dir, 'node_modules', 'backport')), false, 'the optional backport tool is not installed');
    assert.equal(existsSync(join(dir, 'node_modules', 'axios')), false);
  });
});
