import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiObject, Testing } from 'cdk8s';
import { CalicoApp, CalicoBgpConfiguration, CalicoTorChart, calico } from '../../src';

const PEER = { name: 'tor', peerIp: '10.31.0.1', asNumber: 65001 };
const WAVE = 'argocd.argoproj.io/sync-wave';
const OPTIONS = 'argocd.argoproj.io/sync-options';
const names = (objs: any[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`);

function lateFilter(chart: CalicoTorChart): calico.BgpFilter {
  return new calico.BgpFilter(chart.calicoResourcesStage, 'no-default', {
    metadata: { name: 'no-default-route' },
    spec: { exportV4: [{ action: calico.BgpFilterSpecExportV4Action.REJECT, cidr: '0.0.0.0/0', matchOperator: calico.BgpFilterSpecExportV4MatchOperator.EQUAL }] },
  });
}

describe('stages are applied when the chart renders', () => {
  test('Argo CD: an object added to a stage after construction gets its wave and SkipDryRunOnMissingResource', () => {
    const chart = new CalicoTorChart(Testing.app(), 'argo', { argoCd: true, torPeers: [PEER] });
    lateFilter(chart);
    new CalicoBgpConfiguration(chart.calicoResourcesStage, 'node-1', { name: 'node.worker-1', logSeverity: 'Debug' });
    const objs = Testing.synth(chart);
    const filter = objs.find((o) => o.kind === 'BGPFilter');
    assert.deepEqual(filter.metadata.annotations, { [OPTIONS]: 'SkipDryRunOnMissingResource=true', [WAVE]: '3' });
    const nodeConfig = objs.find((o) => o.metadata.name === 'node.worker-1');
    assert.deepEqual(nodeConfig.metadata.annotations, { [OPTIONS]: 'SkipDryRunOnMissingResource=true', [WAVE]: '4' }, 'a later kind: one wave later');
    assert.deepEqual(names(objs.filter((o) => o.apiVersion === 'projectcalico.org/v3')),
      ['BGPPeer/tor', 'BGPFilter/no-default-route', 'BGPConfiguration/default', 'BGPConfiguration/node.worker-1']);
  });

  test('CalicoApp writes the same annotations for late objects; rendering twice gives the same JSON', () => {
    const app = new CalicoApp();
    const chart = new CalicoTorChart(app, 'argo', { argoCd: true, torPeers: [PEER] });
    lateFilter(chart);
    const once = app.synthFiles();
    assert.match(once.find((f) => f.name === '03-calico-resources.yaml')!.content,
      /kind: BGPFilter\nmetadata:\n {2}annotations:\n {4}argocd\.argoproj\.io\/sync-options: SkipDryRunOnMissingResource=true\n {4}argocd\.argoproj\.io\/sync-wave: "3"\n {2}name: no-default-route\n/);
    assert.deepEqual(app.synthFiles(), once);
  });

  test('an annotation the object sets itself wins over the stage\'s', () => {
    const chart = new CalicoTorChart(Testing.app(), 'own', { argoCd: true, torPeers: [PEER] });
    const filter = lateFilter(chart);
    filter.metadata.addAnnotation(WAVE, '7');
    assert.equal(Testing.synth(chart).find((o) => o.kind === 'BGPFilter').metadata.annotations[WAVE], '7');
  });

  test('objects stay in their stage\'s place in the output even when a dependency says otherwise', () => {
    const chart = new CalicoTorChart(Testing.app(), 'deps', { calicoVersion: 'v3.31.7', torPeers: [PEER] });
    const filter = lateFilter(chart);
    // A dependency from the Installation stage on a stage-3 object: within stages, dependency order
    // holds; across stages, the stage order does.
    new ApiObject(chart.installationStage, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late-config' } }).node.addDependency(filter);
    const objs = Testing.synth(chart);
    const index = (kind: string) => objs.findIndex((o) => o.kind === kind);
    assert.ok(index('Deployment') < index('Installation'));
    assert.ok(index('ConfigMap') > index('Installation') && index('ConfigMap') < index('BGPPeer'), names(objs).join(' '));
    assert.ok(index('BGPFilter') > index('ConfigMap') && index('BGPFilter') < index('BGPConfiguration'), 'the BGPFilter stays in stage 3, after the ConfigMap of stage 2');
  });
});
