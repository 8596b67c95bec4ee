import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const ROOT = join(__dirname, '..', '..', '..');
const NODES = 'test/fixtures/routers/nodes.yaml';

function cli(args: readonly string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('routers --out writes one FRR and one BIRD 2 file per router of the reference cluster', () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk8s-calico-routers-'));
  try {
    const r = cli(['routers', '--calico-version', 'v3.24.5', '--out', out, 'dist/', NODES]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['openwrt-peer.bird.conf', 'openwrt-peer.frr.conf', 'tiny-unraid-peer.bird.conf', 'tiny-unraid-peer.frr.conf']);
    const frr = readFileSync(join(out, 'openwrt-peer.frr.conf'), 'utf8');
    assert.ok(frr.includes('router bgp 64512\n bgp router-id 10.31.254.253\n'));
    for (const ip of ['10.31.0.11', '10.31.0.12', '10.31.0.13']) assert.ok(frr.includes(` neighbor ${ip} remote-as 64517\n`));
    assert.ok(readFileSync(join(out, 'tiny-unraid-peer.bird.conf'), 'utf8').includes('  local 10.31.100.100 as 64516;'));
    assert.equal(r.stdout, ['openwrt-peer.bird.conf', 'openwrt-peer.frr.conf', 'tiny-unraid-peer.bird.conf', 'tiny-unraid-peer.frr.conf'].map((f) => `wrote ${join(out, f)}\n`).join(''));

    // --check: the written files match; a router configured for another AS does not.
    const ok = cli(['routers', '--calico-version', 'v3.24.5', '--check', join(out, 'openwrt-peer.frr.conf'), '--check', join(out, 'tiny-unraid-peer.bird.conf'), 'dist/', NODES]);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(ok.stdout, '0 mismatches that keep a session down, 0 warnings in 2 router configurations\n');
    writeFileSync(join(out, 'wrong.conf'), frr.replace('router bgp 64512', 'router bgp 64513'));
    const bad = cli(['routers', '--calico-version', 'v3.24.5', '--check', join(out, 'wrong.conf'), 'dist/', NODES]);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /wrong\.conf: error RouterConfig\/openwrt-peer router bgp: the router's AS is 64513 but BGPPeer openwrt-peer says asNumber 64512/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('routers prints to stdout with --format, and refuses unusable input and options with exit status 2', () => {
  const r = cli(['routers', '--calico-version', 'v3.24.5', '--format', 'frr', 'dist/', NODES]);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.startsWith('! ===== openwrt-peer.frr.conf =====\n! FRR configuration for router openwrt-peer'));
  assert.ok(r.stdout.includes('! ===== tiny-unraid-peer.frr.conf =====\n'));
  assert.ok(!r.stdout.includes('bird'));
  assert.equal(cli(['routers', '--format', 'junos', 'dist/']).status, 2);
  const v = cli(['routers', '--calico-version', 'v9.9.9', 'dist/']);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /Calico version "v9\.9\.9" is not supported/);
  const missing = cli(['routers', 'no-such-dir/']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no router configuration was written/);
});

test('routers writes nothing from a plan with errors (a router given two AS numbers) and exits 1', () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk8s-calico-routers-'));
  try {
    const r = cli(['routers', '--calico-version', 'v3.24.5', '--out', join(out, 'r'), 'dist/02-calico-installation.yaml', 'test/fixtures/routers/split-as.yaml']);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /split-as\.yaml#0: error BGPPeer\/split-a spec\.asNumber: router 10\.31\.0\.5 is given different AS numbers: AS 64610 \("split-a"\), AS 64611 \("split-b"\)/);
    assert.match(r.stderr, /no router configuration was written \(the routers would not match the nodes\)/);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
