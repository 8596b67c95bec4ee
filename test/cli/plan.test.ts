import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { BgpPlan } from '../../src/plan';

/** The built command line (this file runs from lib/test/). */
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
/** Fixtures stay in the source tree; the CLI runs there so reported file names are short. */
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

function cli(args: readonly string[], stdin = '') {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: FIXTURES, input: stdin, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cdk8s-calico plan', () => {
  test('the reference cluster with its nodes: a table per node, what it advertises, the routers; exit 0', () => {
    const r = cli(['plan', '--calico-version', 'v3.24.5', 'cli/reference', 'plan/nodes.yaml']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(r.stdout.startsWith('BGP plan for Calico v3.24.5\n\nNode k8s-11: AS 64517, 10.31.0.11/16\nIPv4 BGP sessions\n'), r.stdout);
    assert.ok(r.stdout.includes('| 10.31.100.100 | global    | tiny-unraid-peer | 64516   | 64517    | keep     | 10.31.0.13 | -       |'), r.stdout);
    assert.ok(r.stdout.includes('Advertises\n  10.33.0.0/17  pool, blocks /24  communities 64517:120 64517:300:100\n  10.33.128.0/18  serviceClusterIP\n  10.33.192.0/18  serviceExternalIP\n'), r.stdout);
    assert.ok(r.stdout.includes('  openwrt-peer 10.31.254.253 AS 64512: 3 neighbor(s) (k8s-11 10.31.0.11 AS 64517; k8s-12 10.31.0.12 AS 64517; k8s-13 10.31.0.13 AS 64517)\n'), r.stdout);
    assert.ok(r.stdout.endsWith('0 errors, 0 warnings\n'));
    // Deterministic: the same input gives the same bytes, whatever the argument order of files.
    assert.equal(cli(['plan', '--calico-version', 'v3.24.5', 'plan/nodes.yaml', 'cli/reference']).stdout, r.stdout);
  });

  test('--format json prints the plan in its JSON shape; --node keeps one node', () => {
    const r = cli(['plan', '--calico-version', 'v3.24.5', '--format', 'json', '--node', 'k8s-12', 'cli/reference', 'plan/nodes.yaml']);
    assert.equal(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as BgpPlan;
    assert.deepEqual(Object.keys(plan), ['calicoVersion', 'nodes', 'routers', 'findings']);
    assert.deepEqual(plan.nodes.map((n) => n.name), ['k8s-12']);
    const n = plan.nodes[0];
    assert.deepEqual([n.asNumber, n.ipv4Address, n.ipv6Address, n.routeReflectorClusterId], [64517, '10.31.0.12/16', null, null]);
    assert.deepEqual(n.sessions.map((s) => [s.family, s.kind, s.bgpPeer, s.peerIp, s.port, s.peerNode, s.remoteAsNumber, s.localAsNumber, s.nextHop, s.passive, s.password]), [
      [4, 'global', 'tiny-unraid-peer', '10.31.100.100', 179, null, 64516, 64517, 'keep', false, null],
      [4, 'global', 'openwrt-peer', '10.31.254.253', 179, null, 64512, 64517, 'keep', false, null],
    ]);
    assert.deepEqual(plan.routers.map((x) => [x.name, x.neighbors.map((nb) => nb.node)]), [['openwrt-peer', ['k8s-12']], ['tiny-unraid-peer', ['k8s-12']]]);
    assert.deepEqual(plan.findings, []);
  });

  test('a 3-rack AS-per-rack site from YAML (Calico Node objects): each rack\'s nodes peer with their ToR pair in the rack\'s AS', () => {
    const r = cli(['plan', '--format', 'json', 'plan/as-per-rack.yaml']);
    assert.equal(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as BgpPlan;
    assert.deepEqual(plan.findings, []);
    assert.deepEqual(plan.nodes.map((n) => `${n.name} AS${n.asNumber}: ${n.sessions.map((s) => `${s.bgpPeer}@${s.peerIp} AS${s.remoteAsNumber}`).join(', ')}`), [
      'r1-n11 AS65101: tor-r1-a@10.1.0.1 AS65101, tor-r1-b@10.1.0.2 AS65101',
      'r1-n12 AS65101: tor-r1-a@10.1.0.1 AS65101, tor-r1-b@10.1.0.2 AS65101',
      'r2-n11 AS65102: tor-r2-a@10.2.0.1 AS65102, tor-r2-b@10.2.0.2 AS65102',
      'r2-n12 AS65102: tor-r2-a@10.2.0.1 AS65102, tor-r2-b@10.2.0.2 AS65102',
      'r3-n11 AS65103: tor-r3-a@10.3.0.1 AS65103, tor-r3-b@10.3.0.2 AS65103',
      'r3-n12 AS65103: tor-r3-a@10.3.0.1 AS65103, tor-r3-b@10.3.0.2 AS65103',
    ]);
    assert.deepEqual(plan.nodes[0].advertises.map((a) => `${a.cidr} ${a.source}`), ['10.244.0.0/16 pool', '10.96.0.0/16 serviceClusterIP']);
    assert.deepEqual(plan.routers.map((x) => `${x.name}: ${x.neighbors.map((nb) => `${nb.node}/${nb.rack}`).join(' ')}`), [
      'tor-r1-a: r1-n11/r1 r1-n12/r1', 'tor-r1-b: r1-n11/r1 r1-n12/r1', 'tor-r2-a: r2-n11/r2 r2-n12/r2',
      'tor-r2-b: r2-n11/r2 r2-n12/r2', 'tor-r3-a: r3-n11/r3 r3-n12/r3', 'tor-r3-b: r3-n11/r3 r3-n12/r3',
    ]);
  });

  test('error findings exit 1 (IPv6 pods without an IPv6 session); findings are JSON records', () => {
    const text = cli(['plan', 'plan/dual-stack.yaml']);
    assert.equal(text.status, 1);
    assert.match(text.stdout, /error Node\/n1 sessions: node "n1" has IPv6 pods \(pool "fd00:10:40::\/48"\) but no IPv6 BGP session/);
    assert.ok(text.stdout.endsWith('1 error, 0 warnings\n'), text.stdout);
    const json = cli(['plan', '--format', 'json', 'plan/dual-stack.yaml']);
    assert.equal(json.status, 1);
    const findings = (JSON.parse(json.stdout) as { findings: Record<string, unknown>[] }).findings;
    assert.deepEqual(findings.map((f) => Object.keys(f)), [['file', 'document', 'apiVersion', 'kind', 'name', 'path', 'message', 'severity']]);
  });

  test('unusable input and an unknown node exit 2 with a clear message', () => {
    const ghost = cli(['plan', '--node', 'ghost', 'cli/reference', 'plan/nodes.yaml']);
    assert.equal(ghost.status, 2);
    assert.equal(ghost.stdout, '');
    assert.match(ghost.stderr, /node "ghost" is not in the inventory \(nodes: k8s-11, k8s-12, k8s-13\)/);
    const missing = cli(['plan', 'plan/no-such-file.yaml']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no-such-file\.yaml: cannot read/);
    const version = cli(['plan', '--calico-version', 'v3.1.0', 'plan/nodes.yaml']);
    assert.equal(version.status, 2);
    assert.match(version.stderr, /--calico-version: Calico version "v3\.1\.0" is not supported; use one of v3\.24\.5, v3\.31\.7, v3\.32\.1/);
    const syntax = cli(['plan', '-'], 'kind: [\n');
    assert.equal(syntax.status, 2);
    assert.match(syntax.stderr, /<stdin>/);
  });

  test('standard input and --help', () => {
    const r = cli(['plan', '--calico-version', 'v3.24.5', 'cli/reference', '-'], JSON.stringify({ apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'solo' }, spec: { bgp: { ipv4Address: '10.31.0.50/16' } } }));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Node solo: AS 64517, 10\.31\.0\.50\/16/);
    const help = cli(['plan', '--help']);
    assert.equal(help.status, 0);
    for (const flag of ['--calico-version', '--node', '--format', '--rack-label', '--default-route']) assert.ok(help.stdout.includes(flag), flag);
    assert.match(cli(['--help']).stdout, /plan \[options\] <paths\.\.\.>/);
  });
});
