import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';

const ROOT = join(__dirname, '..', '..');

/**
 * Packs the package as npm would publish it, installs the tarball into a scratch cdk8s project
 * (dependencies from the local npm cache), compiles that project's TypeScript app against the
 * package's typings and synthesizes it.
 */
test('the packed package installs into another cdk8s project and synthesizes its chart', { timeout: 180_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'cdk8s-calico-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
    const tarball = join(work, JSON.parse(out)[0].filename);
    const files: string[] = JSON.parse(out)[0].files.map((f: any) => f.path);
    assert.ok(files.includes('lib/src/index.js') && files.includes('lib/src/index.d.ts'));
    assert.ok(!files.some((f) => f.startsWith('lib/test/') || f.startsWith('src/')), 'tests and sources are not packed');

    const project = join(work, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball, 'cdk8s', 'constructs'], { cwd: project, stdio: 'pipe' });
    writeFileSync(join(project, 'main.ts'), `
import { App, Chart } from 'cdk8s';
import { CalicoBgpPeer, CalicoTorChart } from 'cdk8s-calico';

const app = new App({ outdir: 'dist' });
new CalicoTorChart(app, 'edge', {
  calicoVersion: 'v3.31.7',
  podIpPools: [{ cidr: '10.70.0.0/16', blockSize: 26, encapsulation: 'None' }],
  asNumber: 65070,
  torPeers: [{ name: 'leaf-1', peerIp: '10.71.0.1', asNumber: 65001 }],
});
const mine = new Chart(app, 'mine');
new CalicoBgpPeer(mine, 'extra', { name: 'leaf-2', peerIp: '10.71.0.2', asNumber: 65002, nodeSelector: 'rack == "2"' });
app.synth();
`);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: false, types: [] },
      files: ['main.ts'],
    }));
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: project, stdio: 'pipe' });
    execFileSync(process.execPath, ['main.js'], { cwd: project, stdio: 'pipe' });

    const dist = join(project, 'dist');
    const docs = readdirSync(dist).sort().flatMap((f) => parseAllDocuments(readFileSync(join(dist, f), 'utf8')).map((d) => d.toJS()));
    const inst = docs.find((d) => d.kind === 'Installation');
    assert.deepEqual(inst.spec.calicoNetwork.ipPools, [{
      name: 'default-ipv4-ippool', blockSize: 26, cidr: '10.70.0.0/16', encapsulation: 'None', natOutgoing: 'Enabled', nodeSelector: 'all()',
    }]);
    assert.equal(docs.find((d) => d.kind === 'BGPConfiguration').spec.asNumber, 65070);
    assert.deepEqual(docs.filter((d) => d.kind === 'BGPPeer').map((p) => `${p.metadata.name}:${p.spec.peerIP}:${p.spec.asNumber}`).sort(),
      ['leaf-1:10.71.0.1:65001', 'leaf-2:10.71.0.2:65002']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
