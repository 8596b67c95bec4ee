import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Chart, Testing } from 'cdk8s';
import { CalicoBgpTopology, CalicoTorChart, CalicoTorChartProps } from '../../../src';

function chart(props: CalicoTorChartProps): CalicoTorChart {
  return new CalicoTorChart(Testing.app(), 'site', { calicoVersion: 'v3.32.1', asNumber: 64600, ...props });
}
/** The BGPPeers (name -> spec) and the BGPConfiguration default's spec, after validation. */
function bgp(c: CalicoTorChart): { peers: Record<string, any>; order: string[]; config: any } {
  const objs = Testing.synth(c);
  const peers = objs.filter((o) => o.kind === 'BGPPeer');
  return {
    peers: Object.fromEntries(peers.map((p) => [p.metadata.name, p.spec])),
    order: peers.map((p) => p.metadata.name),
    config: objs.find((o) => o.kind === 'BGPConfiguration').spec,
  };
}
const errorsOf = (c: CalicoTorChart) => c.calicoViolations().filter((v) => v.severity === 'error' && v.kind === 'Node');
const warningsOf = (c: CalicoTorChart) => c.calicoViolations().filter((v) => v.severity === 'warning' && v.kind === 'Node');

const AS_PER_RACK: CalicoTorChartProps = {
  racks: {
    racks: [
      { name: 'r1', asNumber: 65001, routers: [{ name: 'tor-r1-a', peerIp: '10.1.0.1', asNumber: 65001 }, { name: 'tor-r1-b', peerIp: '10.1.0.2', asNumber: 65001 }] },
      { name: 'r2', asNumber: 65002, routers: [{ name: 'tor-r2-a', peerIp: '10.2.0.1', asNumber: 65002, ttlSecurity: 1 }] },
    ],
  },
};

describe('ToR per rack', () => {
  test('AS per rack: one BGPPeer per router selecting its rack, mesh off', () => {
    const { peers, order, config } = bgp(chart(AS_PER_RACK));
    assert.deepEqual(order, ['tor-r1-a', 'tor-r1-b', 'tor-r2-a']);
    assert.deepEqual(peers, {
      'tor-r1-a': { asNumber: 65001, nodeSelector: 'rack == "r1"', peerIP: '10.1.0.1' },
      'tor-r1-b': { asNumber: 65001, nodeSelector: 'rack == "r1"', peerIP: '10.1.0.2' },
      'tor-r2-a': { asNumber: 65002, nodeSelector: 'rack == "r2"', peerIP: '10.2.0.1', ttlSecurity: 1 },
    });
    assert.equal(config.nodeToNodeMeshEnabled, false);
    assert.equal(config.asNumber, 64600);
  });

  test('AS per rack: each node gets its rack\'s AS and rack label as node settings', () => {
    const c = chart({
      ...AS_PER_RACK,
      nodes: [
        { name: 'n3', labels: { 'rack': 'r2', 'kubernetes.io/hostname': 'n3' } },
        { name: 'n1', labels: { rack: 'r1' } },
        { name: 'n2', labels: { rack: 'r1' }, asNumber: 65001 },
        { name: 'n4', labels: {} },
      ],
    });
    assert.deepEqual(c.nodeSettings(), [
      { name: 'n1', labels: { rack: 'r1' }, asNumber: 65001, routeReflectorClusterId: null },
      { name: 'n2', labels: { rack: 'r1' }, asNumber: 65001, routeReflectorClusterId: null },
      { name: 'n3', labels: { rack: 'r2' }, asNumber: 65002, routeReflectorClusterId: null },
      { name: 'n4', labels: {}, asNumber: null, routeReflectorClusterId: null },
    ]);
    const files = Object.fromEntries(c.artifacts().map((f) => [f.path, f.content]));
    assert.deepEqual(Object.keys(files), ['node-settings/apply.sh', 'node-settings/nodes.json']);
    const commands = files['node-settings/apply.sh'].split('\n').filter((l) => l.startsWith('kubectl'));
    assert.deepEqual(commands, [
      'kubectl label node --overwrite n1 rack=r1',
      'kubectl annotate node --overwrite n1 projectcalico.org/ASNumber=65001',
      'kubectl label node --overwrite n2 rack=r1',
      'kubectl annotate node --overwrite n2 projectcalico.org/ASNumber=65001',
      'kubectl label node --overwrite n3 rack=r2',
      'kubectl annotate node --overwrite n3 projectcalico.org/ASNumber=65002',
    ]);
    assert.match(files['node-settings/apply.sh'], /^#!\/bin\/sh\n/);
    assert.match(files['node-settings/apply.sh'], /\nset -eu\n/);
    assert.deepEqual(JSON.parse(files['node-settings/nodes.json']).nodes[2], {
      name: 'n3', labels: { rack: 'r2' }, asNumber: 65002, routeReflectorClusterId: null, annotations: { 'projectcalico.org/ASNumber': '65002' },
    });
    assert.equal(JSON.parse(files['node-settings/nodes.json']).nodes.length, 3, 'n4 needs nothing');
    // A node in no rack peers with no router: a warning naming the racks.
    assert.deepEqual(warningsOf(c).map((v) => `${v.name} ${v.path}: ${v.message}`), [
      'n4 metadata.labels["rack"]: node has no "rack" label, so it is in no rack and peers with no router: label it with its rack (one of "r1", "r2")',
    ]);
    // Never a Node object among the staged objects.
    assert.deepEqual(c.manifests().filter((o) => o.kind === 'Node'), []);
  });

  test('a node whose own AS contradicts its rack\'s is an error through the chart\'s validation', () => {
    const c = chart({ ...AS_PER_RACK, nodes: [{ name: 'n1', labels: { rack: 'r1' }, asNumber: 65009 }] });
    assert.deepEqual(errorsOf(c).map((v) => v.message), [
      'node has AS 65009 but its rack "r1" has AS 65001 (AS per rack): remove the node\'s own AS, or move it to a rack of that AS',
    ]);
    assert.throws(() => Testing.synth(c), /error Node\/n1 asNumber: node has AS 65009 but its rack "r1" has AS 65001/);
  });

  test('one AS shared by all racks: loop prevention relaxed with allow-own-as, untouched with the default route', () => {
    const racks = (sharedAsRoutes?: 'default-route' | 'allow-own-as') => ({
      sharedAsRoutes,
      racks: [
        { name: 'r1', routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65001 }] },
        { name: 'r2', routers: [{ name: 'tor-r2', peerIp: '10.2.0.1', asNumber: 65002, numAllowedLocalAsNumbers: 3 }] },
      ],
    });
    assert.deepEqual(bgp(chart({ racks: racks('allow-own-as') })).peers, {
      'tor-r1': { asNumber: 65001, nodeSelector: 'rack == "r1"', numAllowedLocalASNumbers: 1, peerIP: '10.1.0.1' },
      'tor-r2': { asNumber: 65002, nodeSelector: 'rack == "r2"', numAllowedLocalASNumbers: 3, peerIP: '10.2.0.1' },
    });
    assert.deepEqual(bgp(chart({ racks: racks() })).peers['tor-r1'], { asNumber: 65001, nodeSelector: 'rack == "r1"', peerIP: '10.1.0.1' });
    // Same AS for all nodes: no per-node AS setting, only the rack label.
    const c = chart({ racks: racks(), nodes: [{ name: 'n1', labels: { rack: 'r1' } }] });
    assert.deepEqual(c.nodeSettings(), [{ name: 'n1', labels: { rack: 'r1' }, asNumber: null, routeReflectorClusterId: null }]);
  });

  test('AS per compute server: every node needs its own AS', () => {
    const props: CalicoTorChartProps = {
      racks: { rackLabel: 'topology.example.com/rack', asPerNode: true, racks: [{ name: 'r1', routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65000 }] }] },
    };
    assert.deepEqual(bgp(chart(props)).peers, { 'tor-r1': { asNumber: 65000, nodeSelector: 'topology.example.com/rack == "r1"', peerIP: '10.1.0.1' } });
    const c = chart({ ...props, nodes: [{ name: 'n1', labels: { 'topology.example.com/rack': 'r1' }, asNumber: '4200000001' }, { name: 'n2', labels: { 'topology.example.com/rack': 'r1' } }] });
    assert.deepEqual(errorsOf(c).map((v) => `${v.name} ${v.path}: ${v.message}`), [
      'n2 asNumber: node has no AS number, but with asPerNode (AS per compute server) every node needs its own: give the inventory entry an asNumber',
    ]);
    assert.deepEqual(c.nodeSettings()[0], { name: 'n1', labels: { 'topology.example.com/rack': 'r1' }, asNumber: 4200000001, routeReflectorClusterId: null });
    assert.match(c.artifacts()[0].content, /\nkubectl annotate node --overwrite n1 projectcalico\.org\/ASNumber=4200000001\n/);
  });

  test('bad racks are refused at once, naming the prop', () => {
    const r = (over: object) => ({ name: 'r1', routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65001 }], ...over });
    assert.throws(() => chart({ racks: { racks: [] } }), /racks: give at least one rack/);
    assert.throws(() => chart({ racks: { racks: [r({ name: 'rack 1' })] } }), /racks\[0\]\.name: label value "rack 1" is not valid/);
    assert.throws(() => chart({ racks: { racks: [r({}), r({ routers: [{ name: 'tor-r1-b', peerIp: '10.1.0.2', asNumber: 65001 }] })] } }), /racks\[1\]\.name: rack "r1" is given twice/);
    assert.throws(() => chart({ racks: { racks: [r({ routers: [] })] } }), /racks\[0\]\.routers: rack "r1" has no router/);
    assert.throws(() => chart({ racks: { racks: [r({ asNumber: 65001 }), r({ name: 'r2', routers: [{ name: 'tor-r2', peerIp: '10.2.0.1', asNumber: 65002 }] })] } }),
      /racks: racks "r2" have no asNumber while others have one/);
    assert.throws(() => chart({ racks: { asPerNode: true, racks: [r({ asNumber: 65001 })] } }), /asPerNode: cannot be combined with racks\[\]\.asNumber/);
    assert.throws(() => chart({ racks: { rackLabel: 'bad label', racks: [r({})] } }), /rackLabel: label key "bad label" is not valid/);
    assert.throws(() => chart({ torPeers: [{ name: 'tor-r1', peerIp: '10.9.0.1', asNumber: 65009 }], racks: { racks: [r({})] } }),
      /racks\.racks\[0\]\.routers\[0\]: "tor-r1" names two BGPPeers \(also torPeers\[0\]\)/);
    assert.throws(() => chart({ calicoVersion: 'v3.24.5', racks: { racks: [r({ routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65001, ttlSecurity: 1 }] })] } }),
      /ttlSecurity: Calico v3\.24\.5's BGPPeer has no ttlSecurity field/);
    assert.throws(() => chart({ nodeToNodeMesh: true, racks: { racks: [r({})] } }), /nodeToNodeMesh: racks replace the node-to-node mesh/);
  });
});

describe('route reflectors', () => {
  const RR = { clusterId: '244.0.0.1', routers: [{ name: 'edge', peerIp: '10.31.254.253', asNumber: 64512 }] };

  test('cluster-wide: clients peer with the reflectors, reflectors with each other and with the routers', () => {
    const { peers, order, config } = bgp(chart({ routeReflectors: RR }));
    assert.deepEqual(order, ['route-reflector-clients', 'route-reflector-mesh', 'edge']);
    assert.deepEqual(peers, {
      'route-reflector-clients': { nodeSelector: '!(route-reflector == "true")', peerSelector: 'route-reflector == "true"' },
      'route-reflector-mesh': { nodeSelector: 'route-reflector == "true"', peerSelector: 'route-reflector == "true"' },
      'edge': { asNumber: 64512, keepOriginalNextHop: true, nodeSelector: 'route-reflector == "true"', peerIP: '10.31.254.253' },
    });
    assert.equal(config.nodeToNodeMeshEnabled, false);
  });

  test('reflectors get the cluster ID and their label as node settings; a stray cluster ID is an error', () => {
    const c = chart({
      routeReflectors: { ...RR, selector: 'has(rr)', sessions: { maxRestartTime: '300s' } },
      nodes: [
        { name: 'rr-1', labels: { rr: '' } },
        { name: 'rr-2', labels: { rr: 'yes' }, routeReflectorClusterId: '244.0.0.1' },
        { name: 'w-1', labels: { other: 'x' } },
        { name: 'w-2', routeReflectorClusterId: '244.0.0.9' },
      ],
    });
    assert.deepEqual(c.nodeSettings().slice(0, 3), [
      { name: 'rr-1', labels: { rr: '' }, asNumber: null, routeReflectorClusterId: '244.0.0.1' },
      { name: 'rr-2', labels: { rr: 'yes' }, asNumber: null, routeReflectorClusterId: '244.0.0.1' },
      { name: 'w-1', labels: {}, asNumber: null, routeReflectorClusterId: null },
    ]);
    assert.deepEqual(errorsOf(c).map((v) => `${v.name} ${v.path}`), ['w-2 routeReflectorClusterId']);
    assert.match(errorsOf(c)[0].message, /calico-node makes it a reflector \(and leaves it out of the mesh\), but the reflector selector "has\(rr\)" does not match its labels/);
    const peers = bgp(chart({ routeReflectors: { ...RR, selector: 'has(rr)', sessions: { maxRestartTime: '300s' } } })).peers;
    assert.deepEqual(peers['route-reflector-clients'], { maxRestartTime: '300s', nodeSelector: '!has(rr)', peerSelector: 'has(rr)' });
    const script = chart({ routeReflectors: RR, nodes: [{ name: 'rr-1', labels: { 'route-reflector': 'true' } }] }).artifacts()[0].content;
    assert.deepEqual(script.split('\n').filter((l) => l.startsWith('kubectl')), [
      'kubectl label node --overwrite rr-1 route-reflector=true',
      'kubectl annotate node --overwrite rr-1 projectcalico.org/RouteReflectorClusterID=244.0.0.1',
    ]);
  });

  test('per rack: each rack\'s clients peer with their rack\'s reflectors, which alone peer with the rack\'s routers', () => {
    const props: CalicoTorChartProps = {
      racks: {
        racks: [
          { name: 'r1', asNumber: 65001, routeReflectorClusterId: '244.0.1.1', routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65101 }] },
          { name: 'r2', asNumber: 65002, routeReflectorClusterId: '244.0.2.1', routers: [{ name: 'tor-r2', peerIp: '10.2.0.1', asNumber: 65102, nextHopMode: 'Self' }] },
        ],
      },
      routeReflectors: { perRack: true },
    };
    const { peers, order } = bgp(chart(props));
    assert.deepEqual(order, ['tor-r1', 'tor-r2', 'route-reflector-clients-r1', 'route-reflector-clients-r2', 'route-reflector-mesh-r1', 'route-reflector-mesh-r2']);
    assert.deepEqual(peers, {
      'tor-r1': { asNumber: 65101, keepOriginalNextHop: true, nodeSelector: 'rack == "r1" && route-reflector == "true"', peerIP: '10.1.0.1' },
      'tor-r2': { asNumber: 65102, nextHopMode: 'Self', nodeSelector: 'rack == "r2" && route-reflector == "true"', peerIP: '10.2.0.1' },
      'route-reflector-clients-r1': { nodeSelector: 'rack == "r1" && !(route-reflector == "true")', peerSelector: 'rack == "r1" && route-reflector == "true"' },
      'route-reflector-clients-r2': { nodeSelector: 'rack == "r2" && !(route-reflector == "true")', peerSelector: 'rack == "r2" && route-reflector == "true"' },
      'route-reflector-mesh-r1': { nodeSelector: 'rack == "r1" && route-reflector == "true"', peerSelector: 'rack == "r1" && route-reflector == "true"' },
      'route-reflector-mesh-r2': { nodeSelector: 'rack == "r2" && route-reflector == "true"', peerSelector: 'rack == "r2" && route-reflector == "true"' },
    });
    const c = chart({ ...props, nodes: [{ name: 'a', labels: { 'rack': 'r2', 'route-reflector': 'true' } }, { name: 'b', labels: { rack: 'r2' } }, { name: 'c', labels: { 'route-reflector': 'true' } }] });
    assert.deepEqual(c.nodeSettings().slice(0, 2), [
      { name: 'a', labels: { 'rack': 'r2', 'route-reflector': 'true' }, asNumber: 65002, routeReflectorClusterId: '244.0.2.1' },
      { name: 'b', labels: { rack: 'r2' }, asNumber: 65002, routeReflectorClusterId: null },
    ]);
    assert.deepEqual(errorsOf(c).map((v) => `${v.name}: ${v.message}`), [
      'c: node is a route reflector (it matches "route-reflector == \\"true\\"") but is in no known rack, so it has no cluster ID: label it with its rack',
    ]);
  });

  test('bad reflector settings are refused at once', () => {
    assert.throws(() => chart({ routeReflectors: {} }), /clusterId: reflectors need a cluster ID/);
    assert.throws(() => chart({ routeReflectors: { clusterId: 'fd00::1' } }), /clusterId: "fd00::1" is not a route-reflector cluster ID: Calico takes an IPv4 address/);
    assert.throws(() => chart({ routeReflectors: { clusterId: '244.0.0.1', selector: 'all()' } }), /selector: selects every node/);
    assert.throws(() => chart({ routeReflectors: { perRack: true } }), /perRack: reflectors per rack need racks/);
    const racks = { racks: [{ name: 'r1', routers: [{ name: 'tor-r1', peerIp: '10.1.0.1', asNumber: 65001 }] }] };
    assert.throws(() => chart({ racks, routeReflectors: { perRack: true } }), /racks\[0\]\.routeReflectorClusterId: rack "r1" has no reflector cluster ID/);
    assert.throws(() => chart({ racks, routeReflectors: { clusterId: '244.0.0.1', routers: [{ name: 'x', peerIp: '10.0.0.1', asNumber: 1 }] } }), /routers: with racks, the racks' routers peer/);
    assert.throws(() => chart({ racks: { ...racks, asPerNode: true }, routeReflectors: { clusterId: '244.0.0.1' } }), /routeReflectors: route reflectors serve iBGP clients/);
    assert.throws(() => chart({ racks: { racks: [{ ...racks.racks[0], asNumber: 65001 }] }, routeReflectors: { clusterId: '244.0.0.1' } }), /routeReflectors\.perRack: with an AS per rack/);
    assert.throws(() => chart({ nodeToNodeMesh: true, routeReflectors: { clusterId: '244.0.0.1' } }), /nodeToNodeMesh: routeReflectors replace the node-to-node mesh/);
  });
});

describe('full mesh', () => {
  test('the mesh alone, and the mesh plus external peers', () => {
    assert.deepEqual(bgp(chart({ nodeToNodeMesh: true })).order, []);
    const { peers, config } = bgp(chart({ nodeToNodeMesh: true, torPeers: [{ name: 'edge', peerIp: '10.31.254.253', asNumber: 64512, keepOriginalNextHop: true }] }));
    assert.equal(config.nodeToNodeMeshEnabled, true);
    assert.deepEqual(peers, { edge: { asNumber: 64512, keepOriginalNextHop: true, peerIP: '10.31.254.253' } });
  });
});

describe('topologies in a user\'s own chart', () => {
  test('CalicoBgpTopology writes the BGPPeers and, if asked, the BGPConfiguration the topology needs', () => {
    const c = new Chart(Testing.app(), 'mine');
    new CalicoBgpTopology(c, 'Topology', {
      calicoVersion: 'v3.24.5',
      routeReflectors: { clusterId: '244.0.0.1' },
      bgpConfiguration: { asNumber: 64700 },
    });
    const objs = Testing.synth(c);
    assert.deepEqual(objs.map((o) => `${o.kind}/${o.metadata.name}`), ['BGPPeer/route-reflector-clients', 'BGPPeer/route-reflector-mesh', 'BGPConfiguration/default']);
    assert.deepEqual(objs[2].spec, { asNumber: 64700, bindMode: 'NodeIP', listenPort: 179, logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false });
    const full = Testing.synth((() => { const m = new Chart(Testing.app(), 'm'); new CalicoBgpTopology(m, 'T', { nodeToNodeMesh: true, bgpConfiguration: {} }); return m; })());
    assert.equal(full[0].spec.nodeToNodeMeshEnabled, true);
  });

  test('without an inventory there are no node settings and no artefacts', () => {
    const c = chart(AS_PER_RACK);
    assert.deepEqual(c.nodeSettings(), []);
    assert.deepEqual(c.artifacts(), []);
  });
});

describe('node settings artefact', () => {
  test('words are quoted for the shell only when they need it', async () => {
    const { shellQuote, nodeSettingsScript } = await import('../../../src/constructs/topology/node-settings');
    assert.equal(shellQuote('rack=r1'), 'rack=r1');
    assert.equal(shellQuote("a b'c"), `'a b'\\''c'`);
    assert.equal(shellQuote('$(reboot)'), `'$(reboot)'`);
    const script = nodeSettingsScript([
      { name: 'b', labels: {}, asNumber: null, routeReflectorClusterId: null },
      { name: 'a', labels: { 'example.com/rack': 'r 1' }, asNumber: 65001, routeReflectorClusterId: '244.0.0.1' },
    ]);
    assert.deepEqual(script.split('\n').filter((l) => l.startsWith('kubectl')), [
      "kubectl label node --overwrite a 'example.com/rack=r 1'",
      'kubectl annotate node --overwrite a projectcalico.org/ASNumber=65001 projectcalico.org/RouteReflectorClusterID=244.0.0.1',
    ]);
  });
});

describe('JavaScript callers', () => {
  test('props of the wrong type are refused with the prop path, not a TypeError', () => {
    assert.throws(() => chart({ racks: { racks: null as any } }), /racks\.racks: is null/);
    assert.throws(() => chart({ racks: { racks: [{ name: 'r1', routers: 'tor' as any }] } }), /racks\.racks\[0\]\.routers: expected/);
    assert.throws(() => chart({ routeReflectors: { clusterId: 244 as any } }), /routeReflectors\.clusterId: expected a string/);
    assert.throws(() => chart({ nodes: [{ name: 'n1', labels: { rack: 1 as any } }] }), /nodes\[0\]\.labels\["rack"\]: expected a string label value/);
    const c = new Chart(Testing.app(), 'js');
    assert.throws(() => new CalicoBgpTopology(c, 'T', { racks: { racks: [{ name: 'r1', routers: [{ name: 'tor', peerIp: '10.0.0.1' } as any] }] } }), /racks\.racks\[0\]\.routers\[0\]\.asNumber: is required/);
  });

  test('a node-to-node peer needs no peerIp or asNumber', () => {
    const { peers } = bgp(chart({ torPeers: [{ name: 'to-rr', nodeSelector: '!has(rr)', peerSelector: 'has(rr)' }] }));
    assert.deepEqual(peers, { 'to-rr': { nodeSelector: '!has(rr)', peerSelector: 'has(rr)' } });
  });
});
