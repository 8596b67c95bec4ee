import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Chart } from 'cdk8s';
import { CalicoApp, CalicoBgpPeer, CalicoTorChart, CalicoValidationError } from '../../src';

const LIB = join(__dirname, '..', '..', 'src');
const PEER = { name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 };

describe('CalicoApp and runApp', () => {
  test('invalid input: nothing is written, the previous output stays as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-app-'));
    try {
      const out = join(dir, 'dist');
      mkdirSync(out);
      writeFileSync(join(out, 'previous.yaml'), 'kept: true\n');
      const app = new CalicoApp({ outdir: out });
      // A peer inside the pod pool: only the whole-chart validation sees it.
      new CalicoTorChart(app, 'bad', { podIpPools: [{ cidr: '10.40.0.0/16' }], torPeers: [{ ...PEER, peerIp: '10.40.0.1' }] });
      assert.throws(() => app.synth(), (e: unknown) => e instanceof CalicoValidationError
        && e.violations.some((v) => v.kind === 'BGPPeer' && v.path === 'spec.peerIP' && v.severity === 'error'));
      assert.deepEqual(readdirSync(out), ['previous.yaml']);
      assert.equal(readFileSync(join(out, 'previous.yaml'), 'utf8'), 'kept: true\n');
      assert.deepEqual(readdirSync(dir), ['dist'], 'no temporary directory is left behind');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('valid input: the output directory is replaced as a whole (stale files go)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-app-'));
    try {
      const out = join(dir, 'dist');
      mkdirSync(out);
      writeFileSync(join(out, 'stale.yaml'), 'old: true\n');
      const app = new CalicoApp({ outdir: out });
      new CalicoTorChart(app, 'ok', { torPeers: [PEER] });
      app.synth();
      assert.deepEqual(readdirSync(out).sort(), ['01-tigera-operator.yaml', '02-calico-installation.yaml', '03-calico-resources.yaml', 'kustomization.yaml']);
      assert.deepEqual(readdirSync(dir), ['dist']);
      const kustomization = readFileSync(join(out, 'kustomization.yaml'), 'utf8');
      assert.match(kustomization, /resources:\n {2}- 01-tigera-operator\.yaml\n {2}- 02-calico-installation\.yaml\n {2}- 03-calico-resources\.yaml\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a CalicoApp may hold plain charts beside the CalicoTorChart (composed constructs); each gets its file and validation', () => {
    const app = new CalicoApp();
    new CalicoTorChart(app, 'dc1', { torPeers: [PEER] });
    const mine = new Chart(app, 'rack-peers');
    new CalicoBgpPeer(mine, 'rack-c', { name: 'tor-rack-c', peerIp: '10.31.2.1', asNumber: 65003, nodeSelector: 'rack == "c"' });
    assert.equal(CalicoTorChart.isCalicoTorChart(mine), false);
    const files = app.synthFiles();
    assert.ok(files.some((f) => f.name === 'rack-peers.yaml' && /name: tor-rack-c/.test(f.content)), files.map((f) => f.name).join());
    mine.node.addValidation({ validate: () => ['rack-peers is not ready'] });
    assert.throws(() => app.synthFiles(), /\[rack-peers\] rack-peers is not ready/);
  });

  test('refuses to replace an outdir that holds anything but YAML, or the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-app-'));
    try {
      writeFileSync(join(dir, 'run.js'), '// mine\n');
      mkdirSync(join(dir, '.git'));
      const app = new CalicoApp({ outdir: dir });
      new CalicoTorChart(app, 'ok', { torPeers: [PEER] });
      assert.throws(() => app.synth(), /outdir ".*" holds more than synthesized YAML \(\.git, run\.js\)/);
      assert.deepEqual(readdirSync(dir).sort(), ['.git', 'run.js']);
      const cwdApp = new CalicoApp({ outdir: process.cwd() });
      new CalicoTorChart(cwdApp, 'ok', { torPeers: [PEER] });
      assert.throws(() => cwdApp.synth(), /is the working directory, one of its parents or a filesystem root/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two CalicoTorCharts in one CalicoApp are refused (their stages would share file names)', () => {
    const app = new CalicoApp();
    new CalicoTorChart(app, 'a', { torPeers: [PEER] });
    new CalicoTorChart(app, 'b', { torPeers: [PEER] });
    assert.throws(() => app.synthFiles(), /A CalicoApp holds one CalicoTorChart/);
  });

  /** Runs a small app with runApp in a child process. */
  function runScript(body: string, outdir: string) {
    const script = `const { CalicoTorChart, runApp } = require(${JSON.stringify(LIB)});\nrunApp((app) => { ${body} }, { outdir: ${JSON.stringify(outdir)} });\n`;
    return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  }

  test('runApp prints one line per violation, exits 1, writes nothing, and shows no stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-run-'));
    try {
      const r = runScript(`new CalicoTorChart(app, 'x', { calicoVersion: 'v3.24.5', torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001, nextHopMode: 'Keep' }] });`, join(dir, 'dist'));
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /^error BGPPeer\/tor spec\.nextHopMode: field spec\.nextHopMode is not in Calico v3\.24\.5 \(added in a later release: available in v3\.31\.7, v3\.32\.1\)/m);
      assert.match(r.stderr, /1 error\(s\): nothing was written\.\n$/);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('runApp reports a bad prop in one line (construct, prop, value, fix) and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-run-'));
    try {
      const r = runScript(`new CalicoTorChart(app, 'x', { podIpPools: [{ cidr: '10.33.0.1' }] });`, join(dir, 'dist'));
      assert.equal(r.status, 1);
      assert.equal(r.stderr, 'error CalicoInstallation/x/installation/Installation podIpPools[0].cidr: CIDR mask is missing in "10.33.0.1". Did you mean "10.33.0.1/32"?\n'
        + '1 error(s): nothing was written.\n');
      assert.deepEqual(readdirSync(dir), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('warnings are printed and do not stop the synth', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calico-run-'));
    try {
      const r = runScript(`new CalicoTorChart(app, 'x', { torPeers: [{ name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 }] });`, join(dir, 'dist'));
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /^warning Installation\/default spec\.calicoNetwork\.nodeAddressAutodetectionV4: BGP on bare metal relies on each node's IPv4 address/m);
      assert.ok(readdirSync(join(dir, 'dist')).includes('03-calico-resources.yaml'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
