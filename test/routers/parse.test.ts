/**
 * Parse checks with the real daemons: every generated configuration, over a matrix of plans and
 * options, is loaded by FRR (`vtysh --dryrun -f`) and by BIRD 2 (`bird -p -c`), the versions of
 * Debian's `frr` and `bird2` packages. The lab's emulated calico-node configurations are loaded by
 * BIRD 1.6 (`bird -p -c`) too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BgpPlan } from '../../src/plan/types';
import { RouterConfigOptions, routerConfigs } from '../../src/routers';
import { calicoNodeBirdConfig } from '../lab/calico-node-emulator';
import { bird16Dir } from '../lab/lab';
import { labPlans } from '../lab/plans';
import { referencePlan, sitePlan } from './plans';

const VTYSH = '/usr/bin/vtysh';
const BIRD = '/usr/sbin/bird';
const missing = [VTYSH, BIRD].filter((p) => !existsSync(p));
const noDaemons = missing.length > 0 ? `FRR/BIRD 2 absent (${missing.join(', ')}); apt-get install frr bird2` : null;
// CI installs them (.ci/run): there a missing daemon fails the test instead of skipping it.
const skip = noDaemons !== null && process.env.CI !== 'true' ? `skipped: ${noDaemons}` : false;

function load(command: string, args: readonly string[]): { status: number | null; output: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const plans: Record<string, BgpPlan> = {
  'reference (hand-built)': referencePlan(),
  'password, TTL security, iBGP': sitePlan({
    nodes: [
      { name: 'n1', address: '10.31.0.11/16', asNumber: 65001, blocks: ['10.33.0.0/26'] },
      { name: 'n2', address: '10.31.0.12/16', asNumber: 65001, blocks: ['10.33.0.64/26'] },
    ],
    routers: [
      { name: 'tor-a', address: '10.31.0.1', asNumber: 65001, password: { name: 'bgp', key: 'tor-a' } },
      { name: 'tor-b', address: '10.31.0.2', asNumber: 65002, ttlSecurityHops: 2, password: { name: 'bgp', key: 'tor-b' } },
    ],
    pool: { cidr: '10.33.0.0/17', blockSize: 26 },
    serviceClusterIps: ['10.96.0.0/12'],
  }),
  ...labPlans(),
  ipv6: ipv6Plan(),
  'passive nodes on port 1790, keepalive 10 s, restart 300 s': passiveNodesPlan(),
};

/** Nodes that wait for the router, on another port, with their own timers. */
function passiveNodesPlan(): BgpPlan {
  const base = referencePlan();
  return {
    ...base,
    nodes: base.nodes.map((n) => ({ ...n, listenPort: 1790 })),
    routers: base.routers.map((r) => ({ ...r, port: 1790, neighbors: r.neighbors.map((n) => ({ ...n, nodePassive: true, keepaliveSeconds: 10, gracefulRestartSeconds: 300 })) })),
  };
}

/** An IPv6-only router: the reference design on fd00:31::/64 with pods in fd00:33::/48 (blocks /122). */
function ipv6Plan(): BgpPlan {
  const base = referencePlan();
  const r = base.routers[0];
  return {
    ...base,
    nodes: base.nodes.map((n, i) => ({ ...n, ipv4Address: null, ipv6Address: `fd00:31::${11 + i}/64` })),
    routers: [{
      ...r, family: 6, address: 'fd00:31::fe',
      neighbors: r.neighbors.map((n, i) => ({ ...n, address: `fd00:31::${11 + i}` })),
      accepts: [
        { family: 6, cidr: 'fd00:33::/48', minLength: 122, maxLength: 128, source: 'pool', communities: ['64517:120', '64517:300:100'] },
        { family: 6, cidr: 'fd00:34::/112', minLength: 112, maxLength: 128, source: 'serviceClusterIP', communities: [] },
      ],
    }],
  };
}
const matrix: Record<string, RouterConfigOptions> = {
  defaults: {},
  'listen range, default + cluster routes, communities matched, BFD': {
    neighborMode: 'listen-range', exportPolicy: 'default-and-cluster-routes', matchCommunities: true, bfd: true, maximumPaths: 8,
  },
  'default route, uplinks': { exportPolicy: 'default-route', routers: {} },
};

for (const [planName, plan] of Object.entries(plans)) {
  for (const [optName, options0] of Object.entries(matrix)) {
    test(`FRR and BIRD 2 load every generated configuration: plan ${planName}, options ${optName}`, { skip }, () => {
      if (noDaemons) throw new Error(noDaemons);
      const first = plan.routers[0];
      const options: RouterConfigOptions = {
        ...options0,
        routers: optName.includes('uplinks') ? { [first.name]: { uplinks: [
          { address: first.family === 4 ? '10.31.255.1' : 'fd00:31::ff:1', asNumber: 65100, multihop: 2, password: { name: 'bgp', key: 'spine' }, acceptDefaultRoute: true },
          { address: first.family === 4 ? '10.31.255.2' : 'fd00:31::ff:2', asNumber: first.asNumber },
        ] } } : undefined,
      };
      let files;
      try {
        files = routerConfigs(plan, options);
      } catch (e) {
        // Listen-range mode refuses sites whose nodes differ (that refusal has its own test); the
        // rest of the matrix must still load.
        if (options.neighborMode === 'listen-range') files = routerConfigs(plan, { ...options, neighborMode: 'per-node' });
        else throw e;
      }
      assert.ok(files.length >= 2);
      const dir = mkdtempSync(join(tmpdir(), 'cdk8s-calico-parse-'));
      try {
        for (const f of files) {
          const path = join(dir, f.path.replace(/\//g, '_'));
          writeFileSync(path, f.content);
          const r = f.platform === 'frr' ? load(VTYSH, ['--dryrun', '-f', path]) : load(BIRD, ['-p', '-c', path]);
          assert.equal(r.status, 0, `${f.platform} refused ${f.path}:\n${r.output}\n--- file ---\n${f.content}`);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}

test('the parse check fails on a configuration the daemons refuse (it can fail)', { skip }, () => {
  if (noDaemons) throw new Error(noDaemons);
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-calico-parse-'));
  try {
    const frr = routerConfigs(referencePlan(), { platform: 'frr' })[0].content.replace(' bgp log-neighbor-changes', ' bgp log-neighbour-changes');
    writeFileSync(join(dir, 'bad.frr.conf'), frr);
    assert.notEqual(load(VTYSH, ['--dryrun', '-f', join(dir, 'bad.frr.conf')]).status, 0);
    const bird = routerConfigs(referencePlan(), { platform: 'bird2' })[0].content.replace('passive on;', 'passive yes please;');
    writeFileSync(join(dir, 'bad.bird.conf'), bird);
    assert.notEqual(load(BIRD, ['-p', '-c', join(dir, 'bad.bird.conf')]).status, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const bird16 = bird16Dir();
const skip16 = bird16 === null && process.env.CI !== 'true' ? 'skipped: BIRD 1.6 absent (set BIRD16_DIR to an unpacked Debian "bird" package)' : false;
test('BIRD 1.6 (calico-node\'s BIRD line) loads every emulated calico-node configuration of the lab', { skip: skip16 }, () => {
  if (bird16 === null) throw new Error('BIRD 1.6 absent: set BIRD16_DIR');
  const dir = mkdtempSync(join(tmpdir(), 'cdk8s-calico-parse-'));
  try {
    for (const [planName, plan] of Object.entries(plans)) {
      // The emulator writes calico-node's bird.cfg (IPv4); IPv6-only nodes have none.
      for (const n of plan.nodes.filter((x) => x.ipv4Address !== null)) {
        const path = join(dir, `${planName.replace(/\W/g, '_')}.${n.name}.cfg`);
        const passwords = new Map(n.sessions.filter((s) => s.password).map((s) => [`${s.password!.name}/${s.password!.key}`, 'lab-secret']));
        writeFileSync(path, calicoNodeBirdConfig(n, { passwords }));
        const r = load(join(bird16, 'usr/sbin/bird'), ['-p', '-c', path]);
        assert.equal(r.status, 0, `BIRD 1.6 refused the emulated ${n.name} of ${planName}:\n${r.output}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('FRR and BIRD 2 load the router configurations npm run synth wrote into dist/routers/', { skip }, () => {
  if (noDaemons) throw new Error(noDaemons);
  const folder = join(__dirname, '..', '..', '..', 'dist', 'routers');
  const files = readdirSync(folder).sort();
  assert.deepEqual(files, ['openwrt-peer.bird.conf', 'openwrt-peer.frr.conf', 'tiny-unraid-peer.bird.conf', 'tiny-unraid-peer.frr.conf']);
  for (const f of files) {
    const path = join(folder, f);
    const r = f.endsWith('.frr.conf') ? load(VTYSH, ['--dryrun', '-f', path]) : load(BIRD, ['-p', '-c', path]);
    assert.equal(r.status, 0, `${f} was refused:\n${r.output}`);
  }
});
