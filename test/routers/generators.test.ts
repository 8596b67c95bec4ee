import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BgpPlan } from '../../src/plan/types';
import { RouterConfigError, routerConfigs } from '../../src/routers';
import { referencePlan, sitePlan } from './plans';

const content = (plan: BgpPlan, router: string, platform: 'frr' | 'bird2', options: Parameters<typeof routerConfigs>[1] = {}) => {
  const f = routerConfigs(plan, options).find((x) => x.router === router && x.platform === platform);
  assert.ok(f, `no ${platform} file for ${router}`);
  return f.content;
};
const lines = (text: string) => text.split('\n');
const uncommented = (text: string) => lines(text).filter((l) => !l.startsWith('!') && !l.startsWith('#') && l.trim() !== '');

test('one FRR and one BIRD 2 file per router, under routers/, sorted by path', () => {
  const files = routerConfigs(referencePlan());
  assert.deepEqual(files.map((f) => [f.router, f.platform, f.path]), [
    ['openwrt-peer', 'bird2', 'routers/openwrt-peer.bird.conf'],
    ['openwrt-peer', 'frr', 'routers/openwrt-peer.frr.conf'],
    ['tiny-unraid-peer', 'bird2', 'routers/tiny-unraid-peer.bird.conf'],
    ['tiny-unraid-peer', 'frr', 'routers/tiny-unraid-peer.frr.conf'],
  ]);
  assert.deepEqual(routerConfigs(referencePlan(), { platform: 'frr', directory: 'out/r/' }).map((f) => f.path), ['out/r/openwrt-peer.frr.conf', 'out/r/tiny-unraid-peer.frr.conf']);
  assert.deepEqual(routerConfigs(referencePlan(), { platform: 'bird2', routers: { 'tiny-unraid-peer': { platform: 'frr' } } }).map((f) => f.path),
    ['routers/openwrt-peer.bird.conf', 'routers/tiny-unraid-peer.frr.conf']);
});

test('FRR: local AS and router id of the BGPPeer, one neighbor per node with the node\'s AS, multihop like Calico\'s BIRD, passive, BIRD\'s timers', () => {
  const frr = content(referencePlan(), 'openwrt-peer', 'frr');
  const body = uncommented(frr);
  assert.ok(body.includes('router bgp 64512'));
  assert.ok(body.includes(' bgp router-id 10.31.254.253'));
  for (const ip of ['10.31.0.11', '10.31.0.12', '10.31.0.13']) {
    for (const l of [`peer-group CALICO-NODES`, 'remote-as 64517', 'update-source 10.31.254.253', 'ebgp-multihop 64', 'passive', 'timers 80 240']) {
      assert.ok(body.includes(` neighbor ${ip} ${l}`), `${ip} ${l}`);
    }
  }
  assert.equal(body.filter((l) => / neighbor \S+ remote-as /.test(l)).length, 3);
  assert.ok(!frr.includes('multipath-relax'), 'one AS for all nodes: no multipath-relax');
  assert.ok(body.includes('  maximum-paths 64'));
  assert.ok(body.includes(' bgp graceful-restart'));
  assert.ok(body.includes(' bgp graceful-restart restart-time 120'));
});

test('FRR import policy: the pool from block size to host routes and the service ranges, everything else denied; export none by default', () => {
  const body = uncommented(content(referencePlan(), 'openwrt-peer', 'frr'));
  assert.deepEqual(body.filter((l) => l.startsWith('ip prefix-list CALICO-ACCEPT ')), [
    'ip prefix-list CALICO-ACCEPT seq 10 permit 10.33.0.0/17 ge 24 le 32',
    'ip prefix-list CALICO-ACCEPT seq 20 permit 10.33.128.0/18 le 32',
    'ip prefix-list CALICO-ACCEPT seq 30 permit 10.33.192.0/18 le 32',
  ]);
  const text = body.join('\n');
  assert.match(text, /route-map CALICO-IMPORT permit 10\n match ip address prefix-list CALICO-ACCEPT\nexit\nroute-map CALICO-IMPORT deny 1000\n/);
  assert.match(text, /route-map CALICO-EXPORT deny 1000\nexit/);
  assert.ok(!/route-map CALICO-EXPORT permit/.test(text));
  assert.ok(!text.includes('default-originate'));
  assert.ok(text.includes('  neighbor CALICO-NODES route-map CALICO-IMPORT in'));
  assert.ok(text.includes('  neighbor CALICO-NODES route-map CALICO-EXPORT out'));
});

test('BIRD 2: same sessions and policy in BIRD\'s language', () => {
  const bird = content(referencePlan(), 'tiny-unraid-peer', 'bird2');
  const body = uncommented(bird).join('\n');
  assert.match(body, /^router id 10\.31\.100\.100;/m);
  assert.match(body, /define CALICO_ACCEPT = \[ 10\.33\.0\.0\/17\{24,32\}, 10\.33\.128\.0\/18\{18,32\}, 10\.33\.192\.0\/18\{18,32\} \];/);
  assert.match(body, /filter calico_import \{\n  if net ~ CALICO_ACCEPT then accept;\n  reject;\n\}/);
  assert.match(body, /filter calico_export \{\n  reject;\n\}/);
  assert.match(body, /template bgp calico_node \{\n  local 10\.31\.100\.100 as 64516;/);
  for (const [ip, node] of [['10.31.0.11', 'node-1'], ['10.31.0.12', 'node-2'], ['10.31.0.13', 'node-3']]) {
    const name = `calico_${ip.replace(/\./g, '_')}`;
    assert.ok(body.includes(`protocol bgp ${name} from calico_node {\n  description "calico node ${node}";\n  neighbor ${ip} as 64517;\n  multihop 64;\n  passive on;\n  hold time 240;\n  keepalive time 80;\n  graceful restart on;\n  graceful restart time 120;\n}`), name);
  }
  assert.match(body, /merge paths on limit 64;/);
});

test('export policies: default route, cluster routes, both', () => {
  const plan = referencePlan();
  const def = uncommented(content(plan, 'openwrt-peer', 'frr', { exportPolicy: 'default-route' })).join('\n');
  assert.match(def, /route-map CALICO-EXPORT permit 10\n match ip address prefix-list CALICO-DEFAULT\nexit\nroute-map CALICO-EXPORT deny 1000/);
  assert.ok(def.includes('  neighbor CALICO-NODES default-originate'));
  const cluster = uncommented(content(plan, 'openwrt-peer', 'frr', { exportPolicy: 'cluster-routes' })).join('\n');
  assert.match(cluster, /route-map CALICO-EXPORT permit 20\n match ip address prefix-list CALICO-ACCEPT\nexit\nroute-map CALICO-EXPORT deny 1000/);
  assert.ok(!cluster.includes('default-originate'));
  const both = uncommented(content(plan, 'openwrt-peer', 'bird2', { exportPolicy: 'default-and-cluster-routes' })).join('\n');
  assert.match(both, /protocol static calico_default \{\n  ipv4;\n  route 0\.0\.0\.0\/0 unreachable;\n\}/);
  assert.match(both, /filter calico_export \{\n  if proto = "calico_default" && net = 0\.0\.0\.0\/0 then accept;\n  if source = RTS_BGP && net ~ CALICO_ACCEPT then accept;\n  reject;\n\}/);
});

test('matching communities: pool routes need every community the nodes attach; service ranges need none', () => {
  const plan = referencePlan();
  const frr = uncommented(content(plan, 'openwrt-peer', 'frr', { matchCommunities: true })).join('\n');
  assert.ok(frr.includes('bgp community-list standard CALICO-COMMUNITIES-1 permit 64517:120'));
  assert.ok(frr.includes('bgp large-community-list standard CALICO-LARGE-COMMUNITIES-1 permit 64517:300:100'));
  assert.match(frr, /route-map CALICO-IMPORT permit 10\n match ip address prefix-list CALICO-ACCEPT-1\n match community CALICO-COMMUNITIES-1\n match large-community CALICO-LARGE-COMMUNITIES-1\nexit\nroute-map CALICO-IMPORT permit 20\n match ip address prefix-list CALICO-ACCEPT-2\nexit/);
  assert.ok(frr.includes('ip prefix-list CALICO-ACCEPT-1 seq 10 permit 10.33.0.0/17 ge 24 le 32'));
  assert.ok(frr.includes('ip prefix-list CALICO-ACCEPT-2 seq 20 permit 10.33.192.0/18 le 32'));
  const bird = uncommented(content(plan, 'openwrt-peer', 'bird2', { matchCommunities: true })).join('\n');
  assert.ok(bird.includes('  if net ~ [ 10.33.0.0/17{24,32} ] && (64517, 120) ~ bgp_community && (64517, 300, 100) ~ bgp_large_community then accept;'));
  assert.ok(bird.includes('  if net ~ [ 10.33.128.0/18{18,32}, 10.33.192.0/18{18,32} ] then accept;'));
});

test('passwords are placeholders naming the Secret, never a value; the header says how to fill them', () => {
  const plan = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] }],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001, password: { name: 'bgp-passwords', key: 'tor.a' } }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const frr = content(plan, 'tor', 'frr');
  assert.ok(frr.includes(' neighbor 10.31.0.11 password ${BGP_PASSWORD_BGP_PASSWORDS_TOR_A}'));
  assert.match(frr, /^! PASSWORDS: this file holds placeholders, never a password\./m);
  assert.ok(frr.includes('! Placeholders: BGP_PASSWORD_BGP_PASSWORDS_TOR_A = Secret bgp-passwords key tor.a'));
  assert.ok(frr.includes("!   envsubst '$BGP_PASSWORD_BGP_PASSWORDS_TOR_A' < THIS_FILE > INSTALLED_FILE"));
  // The placeholder appears only where the password goes, so envsubst puts it nowhere else.
  assert.deepEqual(lines(frr).filter((l) => l.includes('${BGP_PASSWORD_')), [' neighbor 10.31.0.11 password ${BGP_PASSWORD_BGP_PASSWORDS_TOR_A}']);
  assert.ok(frr.includes(`export BGP_PASSWORD_BGP_PASSWORDS_TOR_A="$(kubectl -n calico-system get secret bgp-passwords -o jsonpath='{.data.tor\\.a}' | base64 -d)"`));
  const bird = content(plan, 'tor', 'bird2');
  assert.ok(bird.includes('  password "${BGP_PASSWORD_BGP_PASSWORDS_TOR_A}";'));
});

test('two Secrets whose names fold to one placeholder get distinct placeholders', () => {
  const plan = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] }],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const r = plan.routers[0];
  const twoNodes: BgpPlan = { ...plan, routers: [{ ...r, neighbors: [
    { ...r.neighbors[0], password: { name: 'a-b', key: 'c' } },
    { ...r.neighbors[0], node: 'n2', address: '10.31.0.12', password: { name: 'a.b', key: 'c' } },
  ] }] };
  const frr = content(twoNodes, 'tor', 'frr');
  assert.ok(frr.includes(' neighbor 10.31.0.11 password ${BGP_PASSWORD_A_B_C}'));
  assert.ok(frr.includes(' neighbor 10.31.0.12 password ${BGP_PASSWORD_A_B_C_2}'));
});

test('TTL security on the node side: the router sends TTL 255 and allows the same hops', () => {
  const plan = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] }],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001, ttlSecurityHops: 1 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const frr = content(plan, 'tor', 'frr');
  assert.ok(frr.includes(' neighbor 10.31.0.11 ttl-security hops 1'));
  assert.ok(!frr.includes('ebgp-multihop'), 'ttl-security and ebgp-multihop exclude each other in FRR');
  assert.match(content(plan, 'tor', 'bird2'), /  ttl security on;\n  multihop 1;/);
});

test('nodes in the router\'s AS: iBGP, the router reflects (the mesh is off); nodes of several ASes: multipath-relax', () => {
  const ibgp = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 65001, blocks: [] }, { name: 'n2', address: '10.31.0.12/16', asNumber: 65001, blocks: [] }],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const frr = content(ibgp, 'tor', 'frr');
  assert.ok(frr.includes('  neighbor 10.31.0.11 route-reflector-client'));
  assert.ok(!frr.includes('ebgp-multihop'));
  assert.ok(content(ibgp, 'tor', 'bird2').includes('  rr client;'));
  const perNodeAs = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 65011, blocks: [] }, { name: 'n2', address: '10.31.0.12/16', asNumber: 65012, blocks: [] }],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  assert.ok(content(perNodeAs, 'tor', 'frr').includes(' bgp bestpath as-path multipath-relax'));
});

test('listen-range mode: one peer group over the nodes\' subnet', () => {
  const frr = uncommented(content(referencePlan(), 'openwrt-peer', 'frr', { neighborMode: 'listen-range' }));
  assert.ok(frr.includes(' neighbor CALICO-NODES remote-as 64517'));
  assert.ok(frr.includes(' bgp listen range 10.31.0.0/16 peer-group CALICO-NODES'));
  assert.ok(!frr.some((l) => /neighbor 10\.31\.0\.1[123]/.test(l)));
  const bird = content(referencePlan(), 'openwrt-peer', 'bird2', { routers: { 'openwrt-peer': { neighborMode: 'listen-range', listenRange: '10.31.0.0/24' } } });
  assert.ok(bird.includes('  neighbor range 10.31.0.0/24 as 64517;'));
  assert.ok(bird.includes('  dynamic name "calico_node_";'));
});

test('listen-range mode that cannot work, and bad options: every problem at once', () => {
  const plan = sitePlan({
    nodes: [
      { name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] },
      { name: 'n2', address: '10.32.0.12/16', asNumber: 64517, blocks: [] },
    ],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const r = plan.routers[0];
  const mixed: BgpPlan = { ...plan, routers: [{ ...r, neighbors: [r.neighbors[0], { ...r.neighbors[1], password: { name: 's', key: 'k' } }] }] };
  assert.throws(() => routerConfigs(mixed, {
    neighborMode: 'listen-range',
    exportPolicy: 'everything' as never,
    routers: { tor: { listenRange: '10.31.0.0/24' }, 'tor-b': {} },
  }), (e: unknown) => {
    assert.ok(e instanceof RouterConfigError);
    assert.deepEqual(e.problems.map((p) => [p.router, p.path]), [
      ['tor-b', 'routers.tor-b'],
      ['*', 'exportPolicy'],
      ['tor', 'routers.tor.listenRange'],
      ['tor', 'neighborMode'],
    ]);
    assert.match(e.problems[0].message, /no router of the plan has this name; the plan's routers are "tor"/);
    assert.match(e.problems[1].message, /"everything" is not one of "none", "default-route", "cluster-routes", "default-and-cluster-routes"/);
    assert.match(e.problems[2].message, /node "n2" peers from 10\.32\.0\.12, outside 10\.31\.0\.0\/24/);
    assert.match(e.problems[3].message, /node "n2" differs from "n1" .*use neighborMode "per-node"/);
    return true;
  });
});

test('listen range derived from node addresses spans both subnets', () => {
  const plan = sitePlan({
    nodes: [
      { name: 'n1', address: '10.31.0.11/24', asNumber: 64517, blocks: [] },
      { name: 'n2', address: '10.31.3.12/24', asNumber: 64517, blocks: [] },
    ],
    routers: [{ name: 'tor', address: '10.31.0.1', asNumber: 65001 }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  assert.ok(content(plan, 'tor', 'frr', { neighborMode: 'listen-range' }).includes(' bgp listen range 10.31.0.0/22 peer-group CALICO-NODES'));
});

test('uplinks: prefixes of the cluster both ways, allowas-in where another router shares the AS', () => {
  const plan = sitePlan({
    nodes: [{ name: 'n1', address: '10.31.0.11/16', asNumber: 64517, blocks: [] }],
    routers: [{ name: 'tor-a', address: '10.31.0.1', asNumber: 65000, nodes: ['n1'] }, { name: 'tor-b', address: '10.31.0.2', asNumber: 65000, nodes: [] }],
    pool: { cidr: '10.33.0.0/17', blockSize: 24 },
  });
  const opts = { routers: { 'tor-a': { uplinks: [{ address: '10.31.255.1', asNumber: 65100, description: 'spine-1' }] } } };
  const frr = uncommented(content(plan, 'tor-a', 'frr', opts)).join('\n');
  assert.ok(frr.includes(' neighbor 10.31.255.1 remote-as 65100'));
  assert.ok(frr.includes(' neighbor 10.31.255.1 description spine-1'));
  assert.ok(frr.includes('  neighbor CALICO-UPLINKS route-map CALICO-UPLINK-IMPORT in'));
  assert.ok(frr.includes('  neighbor 10.31.255.1 allowas-in 1'));
  assert.match(frr, /route-map CALICO-UPLINK-EXPORT permit 10\n match ip address prefix-list CALICO-ACCEPT/);
  const bird = content(plan, 'tor-a', 'bird2', opts);
  assert.match(bird, /protocol bgp calico_uplink_10_31_255_1 \{\n  description "spine-1";\n  local 10\.31\.0\.1 as 65000;\n  neighbor 10\.31\.255\.1 as 65100;\n  allow local as 1;/);
  assert.throws(() => routerConfigs(plan, { routers: { 'tor-a': { uplinks: [{ address: 'fd00::1', asNumber: 0 }] } } }), /uplinks\[0\]\.address: fd00::1 is IPv6 but the router's sessions with the nodes are IPv4[\s\S]*uplinks\[0\]\.asNumber: "0" is not an AS number/);
});

test('output is deterministic and independent of the order of the plan\'s arrays', () => {
  const plan = referencePlan();
  const shuffled: BgpPlan = { ...plan, routers: [...plan.routers].reverse().map((r) => ({ ...r, neighbors: [...r.neighbors].reverse(), accepts: [...r.accepts].reverse() })) };
  assert.deepEqual(routerConfigs(shuffled), routerConfigs(plan));
});

test('nodes that wait for the router (passive): the router connects, to the node\'s listen port, retrying like Calico', () => {
  const base = referencePlan();
  const plan: BgpPlan = {
    ...base,
    nodes: base.nodes.map((n) => ({ ...n, listenPort: 1790 })),
    routers: base.routers.map((r) => ({ ...r, port: 1790, neighbors: r.neighbors.map((n) => ({ ...n, nodePassive: true })) })),
  };
  const frr = content(plan, 'openwrt-peer', 'frr');
  assert.ok(!frr.includes(' neighbor 10.31.0.11 passive'));
  assert.ok(frr.includes(' neighbor 10.31.0.11 timers connect 5'));
  assert.ok(frr.includes(' neighbor 10.31.0.11 port 1790'));
  assert.ok(frr.includes('! bgpd must listen on port 1790: set bgpd_options="-A 127.0.0.1 -p 1790" in /etc/frr/daemons.'));
  const bird = content(plan, 'openwrt-peer', 'bird2');
  assert.ok(bird.includes('  neighbor 10.31.0.11 port 1790 as 64517;\n  multihop 64;\n  connect retry time 5;'));
  assert.ok(bird.includes('  local 10.31.254.253 port 1790 as 64512;'));
  assert.throws(() => routerConfigs(plan, { neighborMode: 'listen-range' }), /a router cannot open sessions to a listen range/);
});
