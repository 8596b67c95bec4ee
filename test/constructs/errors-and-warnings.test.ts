import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Chart, Testing } from 'cdk8s';
import { CalicoBgpPeer, CalicoTesting, CalicoTorChart, CalicoValidationError, TigeraOperator } from '../../src';

const LIB = join(__dirname, '..', '..', 'src');
const PEER = { name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 };
const AUTODETECT_WARNING = /^warning Installation\/default spec\.calicoNetwork\.nodeAddressAutodetectionV4: /;

/** The violations of the CalicoValidationError that `fn` throws, as `kind/name path` strings. */
function problems(fn: () => unknown): { lines: string[]; error: CalicoValidationError } {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof CalicoValidationError, (e as Error).stack);
    return { lines: e.violations.map((v) => `${v.severity} ${v.kind}/${v.name} ${v.path}`), error: e };
  }
  assert.fail('did not throw');
}

/** Runs `body` (JavaScript, with App, Chart, Testing and the library in scope) in a child process. */
function run(body: string, cwd: string) {
  const script = `const { App, Chart, Testing } = require('cdk8s');\nconst lib = require(${JSON.stringify(LIB)});\n${body}\n`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', cwd, env: { ...process.env, NODE_PATH: join(LIB, '..', '..', 'node_modules') } });
}

describe('errors and warnings reach the user on every path', () => {
  test('prop problems of all the chart\'s constructs are reported together, in the validation\'s format with the count', () => {
    const { lines, error } = problems(() => new CalicoTorChart(Testing.app(), 'bad', {
      mtu: 100,
      podIpPools: [{ cidr: '10.33.0.1' }, { cidr: '10.34.0.0/16', nodeSelector: 'rack ==' }],
      asNumber: -1,
      listenPort: 70000,
      torPeers: [{ name: 'a', peerIp: '10.0.0.300', asNumber: 65000 }, { name: 'b', peerIp: '10.0.0.2', asNumber: 5000000000 }],
      operator: { registry: 'https://mirror.example.com/' },
    }));
    assert.deepEqual(lines, [
      'error TigeraOperator/bad/operator/TigeraOperator registry',
      'error CalicoInstallation/bad/installation/Installation mtu',
      'error CalicoInstallation/bad/installation/Installation podIpPools[0].cidr',
      'error CalicoInstallation/bad/installation/Installation podIpPools[1].nodeSelector',
      'error CalicoBgpPeer/a peerIp',
      'error CalicoBgpPeer/b asNumber',
      'error CalicoBgpConfiguration/default asNumber',
      'error CalicoBgpConfiguration/default listenPort',
    ]);
    assert.match(error.message, /^Calico validation failed with 8 error\(s\):\n {2}error TigeraOperator\/bad\/operator\/TigeraOperator registry: "https:\/\/mirror\.example\.com\/" is not a registry/);
    assert.match(error.message, /\n {2}error CalicoInstallation\/bad\/installation\/Installation podIpPools\[0\]\.cidr: CIDR mask is missing in "10\.33\.0\.1"\. Did you mean "10\.33\.0\.1\/32"\?\n/);
  });

  test('a construct on its own throws a CalicoValidationError listing every problem of its props', () => {
    const { lines } = problems(() => new CalicoBgpPeer(new Chart(Testing.app(), 'mine'), 'p', {
      name: 'Bad_Name', peerIp: '10.0.0.1/24', asNumber: -5, nodeSelector: 'has(',
    }));
    assert.deepEqual(lines, ['error CalicoBgpPeer/Bad_Name name', 'error CalicoBgpPeer/Bad_Name peerIp',
      'error CalicoBgpPeer/Bad_Name asNumber', 'error CalicoBgpPeer/Bad_Name nodeSelector']);
    const op = problems(() => new TigeraOperator(new Chart(Testing.app(), 'op'), 'op', {
      imagePullSecrets: ['A', 'A'], nodeSelector: { 'bad key/': 'x' }, kubernetesServicesEndpoint: { host: 'https://10.0.0.1', port: 0 },
    }));
    assert.deepEqual(op.lines, [
      'error TigeraOperator/op/op imagePullSecrets[0]',
      'error TigeraOperator/op/op imagePullSecrets[1]',
      'error TigeraOperator/op/op imagePullSecrets[1]',
      'error TigeraOperator/op/op nodeSelector["bad key/"]',
      'error TigeraOperator/op/op kubernetesServicesEndpoint.port',
      'error TigeraOperator/op/op kubernetesServicesEndpoint.host',
    ]);
  });

  test('Testing.synth throws CalicoValidationError for Calico problems; CalicoTesting.synth returns the warnings', () => {
    const bad = new CalicoTorChart(Testing.app(), 'bad', { podIpPools: [{ cidr: '10.40.0.0/16' }], torPeers: [{ ...PEER, peerIp: '10.40.0.1' }] });
    const { lines } = problems(() => Testing.synth(bad));
    assert.ok(lines.includes('error BGPPeer/tor spec.peerIP'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('warning ')), 'warnings come with the errors');
    assert.ok(lines.findIndex((l) => l.startsWith('warning ')) > lines.findIndex((l) => l.startsWith('error ')), 'errors first');

    const ok = new CalicoTorChart(Testing.app(), 'ok', { torPeers: [PEER] });
    const { manifests, warnings } = CalicoTesting.synth(ok);
    assert.ok(manifests.some((o) => o.kind === 'BGPPeer'));
    assert.deepEqual(warnings.map((w) => `${w.kind}/${w.name} ${w.path}`), ['Installation/default spec.calicoNetwork.nodeAddressAutodetectionV4']);
    assert.deepEqual(ok.warnings, warnings);
    assert.deepEqual(CalicoTesting.synth(new Chart(Testing.app(), 'plain')).warnings, []);
  });

  test('App.synth() (a plain App, the README\'s first example) prints each warning once to stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-warn-'));
    try {
      const r = run(`
        const app = new App({ outdir: 'dist' });
        new lib.CalicoTorChart(app, 'dc1', { torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }] });
        app.synth();`, dir);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], AUTODETECT_WARNING);
      assert.deepEqual(readdirSync(join(dir, 'dist')), ['dc1.k8s.yaml']);

      const quiet = run(`
        const app = new App({ outdir: 'dist2' });
        new lib.CalicoTorChart(app, 'dc1', { nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] }, torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }] });
        app.synth();
        Testing.synth(new lib.CalicoTorChart(Testing.app(), 'x', { torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }] }));`, dir);
      assert.equal(quiet.status, 0, quiet.stderr);
      assert.equal(quiet.stderr, '', 'no warning for a clean chart, none printed by Testing.synth');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('App.synth() with an error throws the CalicoValidationError, every violation listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-err-'));
    try {
      const r = run(`
        const app = new App({ outdir: 'dist' });
        new lib.CalicoTorChart(app, 'dc1', { podIpPools: [{ cidr: '10.40.0.0/16' }], torPeers: [{ name: 'tor', peerIp: '10.40.0.1', asNumber: 65001 }] });
        try { app.synth(); } catch (e) { console.log(e.name, e.violations.length > 1, JSON.stringify(e.message.split('\\n')[0])); }`, dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^CalicoValidationError true "Calico validation failed with 1 error\(s\):"\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
