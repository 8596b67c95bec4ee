import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import { CALICO_VERSIONS, CalicoApp, CalicoValidationError, CalicoBgpConfiguration, CalicoTorChart, CalicoTorChartProps, calico, validateManifests } from '../../src';

/** Synthesizes a chart (running its validation) and returns its objects. */
function synth(props: CalicoTorChartProps = {}): any[] {
  const chart = new CalicoTorChart(Testing.app(), 'test', { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }], ...props });
  return Testing.synth(chart);
}
const find = (objs: any[], kind: string, name = 'default') => objs.find((o) => o.kind === kind && o.metadata.name === name);
const ofKind = (objs: any[], kind: string) => objs.filter((o) => o.kind === kind);

describe('CalicoTorChart', () => {
  test('defaults: BGP enabled, one IPv4 pool, mesh disabled, Calico defaults made explicit', () => {
    const objs = synth();
    const inst = find(objs, 'Installation');
    assert.equal(inst.apiVersion, 'operator.tigera.io/v1');
    assert.equal(inst.spec.calicoNetwork.bgp, 'Enabled');
    assert.deepEqual(inst.spec.calicoNetwork.ipPools, [{
      name: 'default-ipv4-ippool', blockSize: 26, cidr: '192.168.0.0/16', encapsulation: 'IPIP', natOutgoing: 'Enabled', nodeSelector: 'all()',
    }]);
    const api = find(objs, 'APIServer');
    assert.deepEqual(api.spec, {});
    const bgp = find(objs, 'BGPConfiguration');
    assert.equal(bgp.apiVersion, 'projectcalico.org/v3');
    assert.deepEqual(bgp.spec, {
      asNumber: 64512, bindMode: 'NodeIP', listenPort: 179, logSeverityScreen: 'Info', nodeToNodeMeshEnabled: false,
    });
  });

  test('props composed: the Installation\'s mtu reaches the output', () => {
    assert.equal(find(synth({ mtu: 8950 }), 'Installation').spec.calicoNetwork.mtu, 8950);
    assert.throws(() => synth({ mtu: 100 }), /CalicoInstallation\/\S+ mtu: 100 is not allowed: use a whole number from 576 to 9216/);
  });

  test('each peer\'s construct id is its name: inserting a peer keeps the others\' ids', () => {
    const ids = (names: string[]) => new CalicoTorChart(Testing.app(), 'c', {
      torPeers: names.map((name, i) => ({ name, peerIp: `10.0.0.${i + 1}`, asNumber: 65000 })),
    }).torPeers.map((p) => p.node.id);
    assert.deepEqual(ids(['tor-a', 'tor-b']), ['tor-a', 'tor-b']);
    assert.deepEqual(ids(['tor-0', 'tor-a', 'tor-b']), ['tor-0', 'tor-a', 'tor-b']);
    assert.throws(() => ids(['tor-a', 'tor-a']), /CalicoTorChart\/\S+ torPeers\[1\]\.name: "tor-a" names two peers/);
    assert.throws(() => ids(['']), /CalicoTorChart\/\S+ torPeers\[0\]\.name: /);
  });

  test('IPv6 pool gets IPv6 defaults and a name of its family', () => {
    const objs = synth({ podIpPools: [{ cidr: '10.40.0.0/16' }, { cidr: 'fd00:10:40::/48' }], calicoVersion: 'v3.32.1' });
    const pools = find(objs, 'Installation').spec.calicoNetwork.ipPools;
    assert.equal(pools.length, 2);
    assert.deepEqual(pools[1], {
      name: 'default-ipv6-ippool', blockSize: 122, cidr: 'fd00:10:40::/48', encapsulation: 'None', natOutgoing: 'Enabled', nodeSelector: 'all()',
    });
  });

  test('a different block size, encapsulation, NAT and node selector are written as given', () => {
    const objs = synth({ podIpPools: [{ cidr: '10.50.0.0/16', blockSize: 28, encapsulation: 'None', natOutgoing: false, nodeSelector: 'rack == "a"', name: 'rack-a' }] });
    assert.deepEqual(find(objs, 'Installation').spec.calicoNetwork.ipPools, [{
      name: 'rack-a', blockSize: 28, cidr: '10.50.0.0/16', encapsulation: 'None', natOutgoing: 'Disabled', nodeSelector: 'rack == "a"',
    }]);
  });

  test('releases without ipPools[].name (v3.24.5) get no pool name, and refuse one', () => {
    const objs = synth({ calicoVersion: 'v3.24.5', podIpPools: [{ cidr: '10.50.0.0/16' }] });
    assert.equal(find(objs, 'Installation').spec.calicoNetwork.ipPools[0].name, undefined);
    assert.throws(() => synth({ calicoVersion: 'v3.24.5', podIpPools: [{ cidr: '10.50.0.0/16', name: 'pods' }] }),
      /CalicoInstallation\/\S+ podIpPools\[0\]\.name: Calico v3\.24\.5's Installation cannot name its pools \(the operator names them; ipPools\[\]\.name exists in v3\.31\.7, v3\.32\.1\): remove it/);
  });

  test('several peers become one BGPPeer each, before the BGPConfiguration', () => {
    const objs = synth({
      asNumber: 65001,
      torPeers: [
        { name: 'tor-a', peerIp: '10.1.0.1', asNumber: 65100, keepOriginalNextHop: true },
        { name: 'tor-b', peerIp: '10.2.0.1:1179', asNumber: 65200, nodeSelector: 'rack == "b"', password: { name: 'bgp-secrets', key: 'tor-b' } },
        { name: 'tor-c', peerIp: 'fd00::1', asNumber: 65300, maxRestartTime: '120s', sourceAddress: 'None', node: 'node-1' },
      ],
    });
    const peers = ofKind(objs, 'BGPPeer');
    assert.deepEqual(peers.map((p) => p.metadata.name), ['tor-a', 'tor-b', 'tor-c']);
    assert.deepEqual(peers[0].spec, { asNumber: 65100, keepOriginalNextHop: true, peerIP: '10.1.0.1' });
    assert.deepEqual(peers[1].spec, {
      asNumber: 65200, nodeSelector: 'rack == "b"', peerIP: '10.2.0.1:1179',
      password: { secretKeyRef: { name: 'bgp-secrets', key: 'tor-b' } },
    });
    assert.deepEqual(peers[2].spec, { asNumber: 65300, maxRestartTime: '120s', node: 'node-1', peerIP: 'fd00::1', sourceAddress: 'None' });
    const kinds = objs.map((o) => o.kind);
    assert.ok(kinds.lastIndexOf('BGPPeer') < kinds.indexOf('BGPConfiguration'), 'peers are applied before the mesh is disabled');
    assert.equal(find(objs, 'BGPConfiguration').spec.asNumber, 65001);
  });

  test('no communities: neither communities nor prefixAdvertisements are written', () => {
    const bgp = find(synth({ asNumber: 65010, serviceClusterIps: ['10.96.0.0/12'] }), 'BGPConfiguration');
    assert.equal(bgp.spec.communities, undefined);
    assert.equal(bgp.spec.prefixAdvertisements, undefined);
    assert.deepEqual(bgp.spec.serviceClusterIPs, [{ cidr: '10.96.0.0/12' }]);
    assert.equal(bgp.spec.serviceExternalIPs, undefined);
  });

  test('BGP settings: AS number, communities, advertisements, ports, log level, bind mode, mesh', () => {
    const bgp = find(synth({
      asNumber: 65020,
      nodeToNodeMesh: true,
      logSeverity: 'Debug',
      listenPort: 1179,
      bindMode: 'None',
      serviceExternalIps: ['192.0.2.0/24'],
      serviceLoadBalancerIps: ['198.51.100.0/24'],
      communities: [{ name: 'pods', value: '65020:100' }],
      prefixAdvertisements: [{ cidr: '192.168.0.0/16', communities: ['pods', '65020:200'] }],
    }), 'BGPConfiguration');
    assert.deepEqual(bgp.spec, {
      asNumber: 65020, bindMode: 'None', listenPort: 1179, logSeverityScreen: 'Debug', nodeToNodeMeshEnabled: true,
      communities: [{ name: 'pods', value: '65020:100' }],
      prefixAdvertisements: [{ cidr: '192.168.0.0/16', communities: ['pods', '65020:200'] }],
      serviceExternalIPs: [{ cidr: '192.0.2.0/24' }],
      serviceLoadBalancerIPs: [{ cidr: '198.51.100.0/24' }],
    });
  });

  test('node address autodetection is passed to the Installation', () => {
    const inst = find(synth({
      podIpPools: [{ cidr: '10.40.0.0/16' }, { cidr: 'fd00:40::/48' }],
      nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] },
      nodeAddressAutodetectionV6: { interface: 'bond0' },
    }), 'Installation');
    assert.deepEqual(inst.spec.calicoNetwork.nodeAddressAutodetectionV4, { cidrs: ['10.31.0.0/16'] });
    assert.deepEqual(inst.spec.calicoNetwork.nodeAddressAutodetectionV6, { interface: 'bond0' });
  });

  test('Argo CD annotations: sync waves by stage, BGPConfiguration one wave after the peers', () => {
    const objs = synth({ argoCd: true });
    const wave = (o: any) => o.metadata.annotations['argocd.argoproj.io/sync-wave'];
    assert.equal(wave(find(objs, 'Deployment', 'tigera-operator')), '1');
    assert.equal(wave(find(objs, 'Installation')), '2');
    assert.equal(wave(find(objs, 'BGPPeer', 'tor')), '3');
    assert.equal(wave(find(objs, 'BGPConfiguration')), '4');
    assert.equal(find(objs, 'Deployment', 'tigera-operator').metadata.annotations['argocd.argoproj.io/sync-options'], undefined);
    assert.equal(find(objs, 'BGPPeer', 'tor').metadata.annotations['argocd.argoproj.io/sync-options'], 'SkipDryRunOnMissingResource=true');
  });

  test('peers with passwords: a Role and RoleBinding let calico-node read exactly those Secrets; the Secrets are referenced, never written', () => {
    const chart = new CalicoTorChart(Testing.app(), 'pw', {
      nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] },
      torPeers: [
        { name: 'a', peerIp: '10.31.0.1', asNumber: 65001, password: { name: 'bgp-secrets', key: 'a' } },
        { name: 'b', peerIp: '10.31.0.2', asNumber: 65001, password: { name: 'bgp-secrets', key: 'b' } },
        { name: 'c', peerIp: '10.31.0.3', asNumber: 65001 },
      ],
    });
    const objs = Testing.synth(chart);
    const role = find(objs, 'Role', 'calico-bgp-passwords');
    assert.equal(role.metadata.namespace, 'calico-system');
    assert.deepEqual(role.rules, [{ apiGroups: [''], resourceNames: ['bgp-secrets'], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]);
    const binding = find(objs, 'RoleBinding', 'calico-bgp-passwords');
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'calico-bgp-passwords' });
    assert.deepEqual(binding.subjects.map((s: any) => `${s.kind}/${s.namespace}/${s.name}`), ['ServiceAccount/calico-system/calico-node']);
    assert.equal(ofKind(objs, 'Secret').length, 0, 'no Secret is written');
    assert.deepEqual(chart.calicoViolations(), [], 'no warning: calico-node can read the Secret');
    const none = synth();
    assert.equal(ofKind(none, 'Role').length, 0);
  });

  test('a BGPPeer added to the stage after construction still comes before the BGPConfiguration', () => {
    const chart = new CalicoTorChart(Testing.app(), 'late', { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    new calico.BgpPeer(chart.calicoResourcesStage, 'Late', { metadata: { name: 'late-peer' }, spec: { peerIp: '10.0.0.2', asNumber: 65001 } });
    const names = Testing.synth(chart).filter((o) => o.apiVersion === 'projectcalico.org/v3').map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(names, ['BGPPeer/tor', 'BGPPeer/late-peer', 'BGPConfiguration/default']);
    const app = new CalicoApp();
    const staged = new CalicoTorChart(app, 'staged', { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    new calico.BgpPeer(staged.calicoResourcesStage, 'Late', { metadata: { name: 'late-peer' }, spec: { peerIp: '10.0.0.2', asNumber: 65001 } });
    const file = app.synthFiles().find((f) => f.name === '03-calico-resources.yaml')!;
    assert.ok(file.content.indexOf('name: late-peer') < file.content.indexOf('kind: BGPConfiguration'));
  });

  test('Argo CD: CRDs are wave 0 with server-side apply; a JSON patch on a vendored CRD still applies', () => {
    const chart = new CalicoTorChart(Testing.app(), 'argo', { calicoVersion: 'v3.24.5', argoCd: true, torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    ApiObject.of(chart.crds.apiObjects[0]).addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'net' }));
    const crds = Testing.synth(chart).filter((o) => o.kind === 'CustomResourceDefinition');
    assert.equal(crds.length, 21);
    for (const crd of crds) {
      assert.equal(crd.metadata.annotations['argocd.argoproj.io/sync-wave'], '0');
      assert.equal(crd.metadata.annotations['argocd.argoproj.io/sync-options'], 'ServerSideApply=true');
    }
    assert.deepEqual(crds[0].metadata.labels, { team: 'net' });
    assert.equal(crds[1].metadata.labels, undefined);
  });

  test('without Argo CD, objects carry no annotations', () => {
    for (const o of synth()) assert.equal(o.metadata.annotations, undefined, `${o.kind}/${o.metadata.name}`);
  });

  test('stages: CRDs (v3.24.5 only by default), operator, Installation and APIServer, then BGP objects', () => {
    const old = new CalicoTorChart(Testing.app(), 'old', { calicoVersion: 'v3.24.5', torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    const names = (c: CalicoTorChart) => c.stages.map((st) => st.fileName);
    assert.deepEqual(names(old), ['00-crds', '01-tigera-operator', '02-calico-installation', '03-calico-resources']);
    assert.equal(old.crds.crdNames.length, 21);
    const objs = Testing.synth(old);
    const kinds = objs.map((o) => o.kind);
    assert.ok(kinds.lastIndexOf('CustomResourceDefinition') < kinds.indexOf('Namespace'), 'CRDs before the operator');
    assert.ok(kinds.indexOf('Deployment') < kinds.indexOf('Installation'), 'operator before the Installation');
    assert.equal(find(objs, 'Deployment', 'tigera-operator').spec.template.spec.containers[0].image, 'quay.io/tigera/operator:v1.28.5');

    const current = new CalicoTorChart(Testing.app(), 'new', { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    assert.equal(current.crds.crdNames.length, 0, 'v3.32.1 operator installs its CRDs (-manage-crds=true)');
    assert.equal(find(Testing.synth(current), 'Deployment', 'tigera-operator').spec.template.spec.containers[0].image, 'quay.io/tigera/operator:v1.42.3');
    const asked = new CalicoTorChart(Testing.app(), 'asked', { crds: true, torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    assert.ok(asked.crds.crdNames.includes('installations.operator.tigera.io'));
    assert.ok(asked.crds.crdNames.includes('bgppeers.crd.projectcalico.org'));
  });

  test('native v3 CRD mode (v3.32.1): native CRDs first, operator told the API group, APIServer kept for the webhooks', () => {
    const chart = new CalicoTorChart(Testing.app(), 'native', { apiMode: 'native-v3-crds', torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] });
    assert.ok(chart.crds.crdNames.includes('bgppeers.projectcalico.org'));
    assert.ok(!chart.crds.crdNames.some((n) => n.endsWith('.crd.projectcalico.org')));
    const objs = Testing.synth(chart);
    const env = find(objs, 'Deployment', 'tigera-operator').spec.template.spec.containers[0].env;
    assert.deepEqual(env.find((e: any) => e.name === 'CALICO_API_GROUP'), { name: 'CALICO_API_GROUP', value: 'projectcalico.org/v3' });
    assert.ok(find(objs, 'APIServer'));
  });

  test('native v3 CRD mode on an older release is refused', () => {
    assert.throws(() => synth({ apiMode: 'native-v3-crds', calicoVersion: 'v3.31.7' }),
      /CalicoTorChart\/\S+ apiMode: API mode "native-v3-crds" needs the native projectcalico.org\/v3 CRDs, which Calico v3.31.7 does not have \(they exist in v3.32.1\)/);
  });

  test('operator settings, component registry and calicoctl are passed through', () => {
    const objs = synth({
      operator: { registry: 'registry.example.com', nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } },
      registry: 'registry.example.com/',
      imagePullSecrets: ['mirror-pull'],
      calicoctl: true,
    });
    const op = find(objs, 'Deployment', 'tigera-operator').spec.template.spec;
    assert.equal(op.containers[0].image, 'registry.example.com/tigera/operator:v1.42.3');
    assert.equal(op.nodeSelector['node-role.kubernetes.io/control-plane'], '');
    const inst = find(objs, 'Installation');
    assert.equal(inst.spec.registry, 'registry.example.com/');
    assert.deepEqual(inst.spec.imagePullSecrets, [{ name: 'mirror-pull' }]);
    const ds = objs.find((o) => o.kind === 'DaemonSet');
    assert.match(ds.spec.template.spec.containers[0].image, /calico\/ctl:v3\.32\.1$/);
  });

  const early: Array<[string, CalicoTorChartProps, RegExp]> = [
    ['pool CIDR without a mask', { podIpPools: [{ cidr: '10.0.0.1' }] }, /CalicoInstallation\/\S+ podIpPools\[0\]\.cidr: CIDR mask is missing in "10\.0\.0\.1"\. Did you mean "10\.0\.0\.1\/32"\?$/],
    ['pool CIDR with host bits', { podIpPools: [{ cidr: '10.33.1.0/17' }] }, /podIpPools\[0\]\.cidr: "10\.33\.1\.0\/17" has host bits set .* Did you mean "10\.33\.0\.0\/17"\?/],
    ['IPv4 block size out of bounds', { podIpPools: [{ cidr: '10.0.0.0/16', blockSize: 16 }] }, /podIpPools\[0\]\.blockSize: blockSize 16 is out of range for the IPv4 pool 10\.0\.0\.0\/16: IPv4 block sizes go from 20 to 32 \(default 26\)/],
    ['IPv6 block size out of bounds', { podIpPools: [{ cidr: 'fd00::/48', blockSize: 112 }] }, /podIpPools\[0\]\.blockSize: blockSize 112 is out of range for the IPv6 pool fd00::\/48: IPv6 block sizes go from 116 to 128 \(default 122\)/],
    ['pool node selector syntax', { podIpPools: [{ cidr: '10.0.0.0/16', nodeSelector: 'rack = "a"' }] }, /podIpPools\[0\]\.nodeSelector: selector "rack = \\"a\\"" is not valid at position 5/],
    ['peer name', { torPeers: [{ name: 'ToR_A', peerIp: '10.0.0.1', asNumber: 65000 }] }, /CalicoTorChart\/\S+ torPeers\[0\]\.name: "ToR_A" is not a valid name: .*DNS-1123 subdomain.*e\.g\. "tor-a"/],
    ['peer address', { torPeers: [{ name: 'a', peerIp: '10.0.0.300', asNumber: 65000 }] }, /CalicoBgpPeer\/a peerIp: "10\.0\.0\.300" is not a valid peer address/],
    ['peer AS number', { torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 5000000000 }] }, /CalicoBgpPeer\/a asNumber: AS number 5000000000 is out of range/],
    ['keepOriginalNextHop with nextHopMode', { torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 1, keepOriginalNextHop: true, nextHopMode: 'Self' }] }, /keepOriginalNextHop and nextHopMode cannot both be set/],
    ['node with nodeSelector', { torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 1, node: 'n1', nodeSelector: 'all()' }] }, /node and nodeSelector cannot both be set/],
    ['graceful restart duration', { torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 1, maxRestartTime: '2 minutes' }] }, /maxRestartTime: "2 minutes" is not a valid duration/],
    ['cluster AS number', { asNumber: -1 }, /CalicoBgpConfiguration\/default asNumber: AS number -1 is out of range/],
    ['listen port', { listenPort: 70000 }, /CalicoBgpConfiguration\/default listenPort: port 70000/],
    ['service CIDR', { serviceClusterIps: ['10.96.0.1/12'] }, /serviceClusterIps\[0\]: "10\.96\.0\.1\/12" has host bits set.*Did you mean "10\.96\.0\.0\/12"\?/],
    ['community value', { communities: [{ name: 'c', value: '64512:70000' }] }, /communities\[0\]\.value: community "64512:70000" is not valid/],
  ];
  for (const [what, props, message] of early) {
    test(`bad input throws at once, naming the construct, the prop and the value: ${what}`, () => {
      assert.throws(() => new CalicoTorChart(Testing.app(), 'bad', props), message);
    });
  }

  test('whole-chart rules fail synthesis with every violation, naming resource and field', () => {
    const chart = new CalicoTorChart(Testing.app(), 'bad', {
      calicoVersion: 'v3.32.1',
      podIpPools: [{ cidr: '10.33.0.0/17' }],
      serviceClusterIps: ['10.33.64.0/18'],
      torPeers: [{ name: 'inside', peerIp: '10.33.1.1', asNumber: 65000 }],
    });
    const errors = chart.calicoViolations().filter((v) => v.severity === 'error');
    assert.ok(errors.some((v) => v.kind === 'BGPPeer' && v.name === 'inside' && v.path === 'spec.peerIP'), JSON.stringify(errors));
    assert.ok(errors.some((v) => v.kind === 'BGPConfiguration' && v.path.startsWith('spec.serviceClusterIPs')), JSON.stringify(errors));
    assert.throws(() => Testing.synth(chart), (e: unknown) => e instanceof CalicoValidationError
      && e.violations.filter((v) => v.severity === 'error').length === errors.length
      && /^Calico validation failed with \d+ error\(s\):\n[\s\S]*error BGPPeer\/inside spec\.peerIP/.test(e.message));
  });

  test('mesh disabled without any peer is an error; with the mesh on it is fine', () => {
    const noPeers = new CalicoTorChart(Testing.app(), 'none', {});
    assert.ok(noPeers.calicoViolations().some((v) => v.severity === 'error' && v.kind === 'BGPConfiguration'));
    const mesh = new CalicoTorChart(Testing.app(), 'mesh', { nodeToNodeMesh: true });
    assert.deepEqual(mesh.calicoViolations().filter((v) => v.severity === 'error'), []);
  });

  test('4-byte AS numbers above 2147483647 are refused at once (every release\'s CRD declares asNumber int32)', () => {
    assert.throws(() => synth({ torPeers: [{ name: 'a', peerIp: '10.0.0.1', asNumber: 4200000000 }] }),
      /CalicoBgpPeer\/a asNumber: AS number 4200000000 is above 2147483647: Calico's CRDs declare asNumber as int32/);
    assert.throws(() => synth({ asNumber: 4200000000 }), /CalicoBgpConfiguration\/default asNumber: AS number 4200000000 is above 2147483647/);
    const peer = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'a' }, spec: { peerIP: '10.0.0.1', asNumber: 4200000000 } };
    for (const calicoVersion of CALICO_VERSIONS) {
      const v = validateManifests([{ object: peer }], { calicoVersion }).find((x) => x.path === 'spec.asNumber');
      assert.equal(v?.severity, 'error', calicoVersion);
    }
  });

  test('an unsupported Calico version is refused with the supported list', () => {
    assert.throws(() => synth({ calicoVersion: 'v3.20.0' as any }), /CalicoTorChart\/\S+ calicoVersion: Calico version "v3.20.0" is not supported; use one of v3.24.5, v3.31.7, v3.32.1/);
  });

  test('synthesis is deterministic', () => {
    const props: CalicoTorChartProps = { podIpPools: [{ cidr: '10.60.0.0/16' }], communities: [{ name: 'c', value: '65000:1' }], prefixAdvertisements: [{ cidr: '10.60.0.0/16', communities: ['c'] }] };
    assert.deepEqual(JSON.stringify(synth(props)), JSON.stringify(synth(props)));
  });
});

describe('CalicoBgpConfiguration', () => {
  test('a node override (node.<name>) writes only per-node settings and validates clean', () => {
    const chart = new CalicoTorChart(Testing.app(), 'n', { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }], nodeAddressAutodetectionV4: { cidrs: ['10.0.0.0/24'] } });
    new CalicoBgpConfiguration(chart.calicoResourcesStage, 'Worker1', { name: 'node.worker-1', listenPort: 1179, logSeverity: 'Debug' });
    const obj = Testing.synth(chart).find((o) => o.kind === 'BGPConfiguration' && o.metadata.name === 'node.worker-1');
    assert.deepEqual(obj.spec, { bindMode: 'NodeIP', listenPort: 1179, logSeverityScreen: 'Debug' });
    assert.deepEqual(chart.calicoViolations(), []);
  });

  test('cluster-wide settings on a node override, and names Calico never reads, are refused', () => {
    const scope = Testing.chart();
    assert.throws(() => new CalicoBgpConfiguration(scope, 'a', { name: 'node.worker-1', asNumber: 65001 }),
      /CalicoBgpConfiguration\/node.worker-1 asNumber: can only be set on the BGPConfiguration named "default"/);
    assert.throws(() => new CalicoBgpConfiguration(scope, 'b', { name: 'node.worker-1', serviceClusterIps: ['10.96.0.0/12'] }), /serviceClusterIps: can only be set/);
    assert.throws(() => new CalicoBgpConfiguration(scope, 'c', { name: 'rack-a' }), /name: BGPConfiguration "rack-a" is never read: Calico uses the one named "default" \(cluster-wide settings\) and "node.<nodename>"/);
    assert.throws(() => new CalicoBgpConfiguration(scope, 'd', { name: 'Node.Foo' }), /name: "Node.Foo" is not a valid name/);
  });
});
