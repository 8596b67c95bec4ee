import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Chart, JsonPatch, Testing } from 'cdk8s';
import { CalicoApp, CalicoTorChart, calico, tigera } from '../../src';

const PEER = { name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 };
const AUTODETECT = { nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] } };
const find = (objs: any[], kind: string, name = 'default') => objs.find((o) => o.kind === kind && o.metadata.name === name);

describe('JSON patches apply to the written JSON, in JSON field names', () => {
  test('a field the chart has no prop for reaches the Installation, and is validated', () => {
    const chart = new CalicoTorChart(Testing.app(), 'patch', { ...AUTODETECT, torPeers: [PEER] });
    chart.installation.resource.addJsonPatch(JsonPatch.add('/spec/calicoNetwork/containerIPForwarding', 'Enabled'));
    const inst = find(Testing.synth(chart), 'Installation');
    assert.equal(inst.spec.calicoNetwork.containerIPForwarding, 'Enabled');
    assert.equal(inst.spec.calicoNetwork.bgp, 'Enabled', 'the computed fields stay');
    assert.deepEqual(chart.calicoViolations(), []);
  });

  test('a misspelt field introduced by a patch is an error, not silence', () => {
    const chart = new CalicoTorChart(Testing.app(), 'typo', { ...AUTODETECT, torPeers: [PEER] });
    chart.installation.resource.addJsonPatch(JsonPatch.add('/spec/calicoNetwork/mtuu', 1400));
    const errors = chart.calicoViolations().filter((v) => v.severity === 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].kind, 'Installation');
    assert.equal(errors[0].path, 'spec.calicoNetwork.mtuu');
    assert.match(errors[0].message, /unknown field "mtuu"; did you mean "mtu"\?/);
    assert.throws(() => Testing.synth(chart), /spec\.calicoNetwork\.mtuu/);
  });

  test('JSON names where the TypeScript name differs: /spec/peerIP replaces, /spec/peerIp is an unknown field', () => {
    const chart = new CalicoTorChart(Testing.app(), 'peer', { ...AUTODETECT, torPeers: [PEER] });
    chart.torPeers[0].resource.addJsonPatch(JsonPatch.replace('/spec/peerIP', '10.31.0.9'));
    assert.equal(find(Testing.synth(chart), 'BGPPeer', 'tor').spec.peerIP, '10.31.0.9');

    const camel = new CalicoTorChart(Testing.app(), 'camel', { ...AUTODETECT, torPeers: [PEER] });
    camel.torPeers[0].resource.addJsonPatch(JsonPatch.add('/spec/peerIp', '10.31.0.9'));
    const errors = camel.calicoViolations().filter((v) => v.severity === 'error');
    assert.deepEqual(errors.map((v) => `${v.kind}/${v.name} ${v.path}`), ['BGPPeer/tor spec.peerIp']);
    assert.match(errors[0].message, /field "peerIp" is mis-cased; the field is "peerIP"/);
  });

  test('generated classes users add, in a plain chart too: patches keep their JSON names', () => {
    const chart = new Chart(Testing.app(), 'mine');
    const felix = new calico.FelixConfiguration(chart, 'felix', { metadata: { name: 'default' }, spec: { logSeverityScreen: 'Info' } });
    felix.addJsonPatch(JsonPatch.add('/spec/ipipMTU', 1440), JsonPatch.add('/metadata/labels', { team: 'net' }));
    const pool = new calico.IpPool(chart, 'pool', { metadata: { name: 'extra' }, spec: { cidr: '10.50.0.0/16' } });
    pool.addJsonPatch(JsonPatch.add('/spec/disableBGPExport', true));
    const objs = Testing.synth(chart);
    assert.deepEqual(find(objs, 'FelixConfiguration'), {
      apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration',
      metadata: { labels: { team: 'net' }, name: 'default' },
      spec: { logSeverityScreen: 'Info', ipipMTU: 1440 },
    });
    assert.deepEqual(find(objs, 'IPPool', 'extra').spec, { cidr: '10.50.0.0/16', disableBGPExport: true });
  });

  test('patches added after validation ran, and patches on the APIServer, reach CalicoApp\'s files', () => {
    const app = new CalicoApp();
    const chart = new CalicoTorChart(app, 'dc', { ...AUTODETECT, torPeers: [PEER] });
    chart.apiServer.resource.addJsonPatch(JsonPatch.add('/spec/apiServerDeployment', { spec: { template: { spec: { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } } } } }));
    const files = app.synthFiles();
    const installation = files.find((f) => f.name === '02-calico-installation.yaml')!.content;
    assert.match(installation, /kind: APIServer\nmetadata:\n {2}name: default\nspec:\n {2}apiServerDeployment:\n {4}spec:\n {6}template:\n {8}spec:\n {10}nodeSelector:\n {12}node-role\.kubernetes\.io\/control-plane: ""\n/);
    const bad = new tigera.ApiServer(new Chart(Testing.app(), 'x'), 'api', { metadata: { name: 'default' } });
    bad.addJsonPatch(JsonPatch.replace('/spec/nothing', 1));
    assert.throws(() => bad.toJson(), /Failed serializing construct at path 'x\/api'/);
  });
});
