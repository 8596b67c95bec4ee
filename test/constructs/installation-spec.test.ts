import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Testing } from 'cdk8s';
import { CalicoTorChart, CalicoTorChartProps } from '../../src/constructs/calico-tor-chart';
import { CalicoInstallation } from '../../src/constructs/calico-installation';
import { CalicoApiServer } from '../../src/constructs/calico-api-server';
import { CalicoValidationError } from '../../src/validation';

const PEERS = { torPeers: [{ name: 'tor', peerIp: '10.0.0.1', asNumber: 65000 }] };

function chart(props: CalicoTorChartProps = {}): CalicoTorChart {
  return new CalicoTorChart(Testing.app(), 'test', { ...PEERS, ...props });
}
function synth(props: CalicoTorChartProps = {}): any[] {
  return Testing.synth(chart(props));
}
/** The problems a call throws (CalicoValidationError), one line each: `Kind: path: message`. */
function propProblem(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof CalicoValidationError) return e.violations.map((v) => `${v.kind}: ${v.path}: ${v.message}`).join('\n');
    throw e;
  }
  return assert.fail('expected a CalicoValidationError');
}
const find = (objs: any[], kind: string, name = 'default') => objs.find((o) => o.kind === kind && o.metadata.name === name);
/** The error messages of the chart's validation (the output's schema and rules), without throwing. */
function errors(props: CalicoTorChartProps): string[] {
  return chart(props).calicoViolations().filter((v) => v.severity === 'error').map((v) => `${v.kind} ${v.path}: ${v.message}`);
}

describe('typed Installation props', () => {
  test('dataplane, host ports, IP forwarding, control plane and node settings reach the Installation', () => {
    const inst = find(synth({
      calicoVersion: 'v3.32.1',
      mtu: 9000,
      linuxDataplane: 'Nftables',
      hostPorts: false,
      containerIpForwarding: true,
      controlPlaneNodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
      controlPlaneTolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      controlPlaneReplicas: 3,
      nodeUpdateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      componentResources: [{ componentName: 'Node', resourceRequirements: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '1Gi' } } }],
    }), 'Installation');
    assert.deepEqual(inst.spec.calicoNetwork.mtu, 9000);
    assert.equal(inst.spec.calicoNetwork.linuxDataplane, 'Nftables');
    assert.equal(inst.spec.calicoNetwork.hostPorts, 'Disabled');
    assert.equal(inst.spec.calicoNetwork.containerIPForwarding, 'Enabled');
    assert.equal(inst.spec.calicoNetwork.bgp, 'Enabled');
    assert.deepEqual(inst.spec.controlPlaneNodeSelector, { 'node-role.kubernetes.io/control-plane': '' });
    assert.deepEqual(inst.spec.controlPlaneTolerations, [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }]);
    assert.equal(inst.spec.controlPlaneReplicas, 3);
    assert.deepEqual(inst.spec.nodeUpdateStrategy, { rollingUpdate: { maxUnavailable: '10%' }, type: 'RollingUpdate' });
    assert.deepEqual(inst.spec.componentResources, [{ componentName: 'Node', resourceRequirements: { limits: { memory: '1Gi' }, requests: { cpu: '250m', memory: '256Mi' } } }]);
  });

  test('pool disableBGPExport, disableNewAllocations, allowedUses and assignmentMode on v3.31+', () => {
    const inst = find(synth({
      calicoVersion: 'v3.31.7',
      podIpPools: [
        { cidr: '10.40.0.0/16' },
        { cidr: '10.50.0.0/24', blockSize: 28, allowedUses: ['LoadBalancer'], assignmentMode: 'Manual', disableBgpExport: true, disableNewAllocations: false, name: 'lb' },
      ],
    }), 'Installation');
    assert.deepEqual(inst.spec.calicoNetwork.ipPools, [
      { blockSize: 26, cidr: '10.40.0.0/16', encapsulation: 'IPIP', name: 'default-ipv4-ippool', natOutgoing: 'Enabled', nodeSelector: 'all()' },
      { allowedUses: ['LoadBalancer'], assignmentMode: 'Manual', blockSize: 28, cidr: '10.50.0.0/24', disableBGPExport: true, disableNewAllocations: false, encapsulation: 'IPIP', name: 'lb', natOutgoing: 'Enabled', nodeSelector: 'all()' },
    ]);
  });

  test('fields and values the selected release lacks are refused, naming the releases that have them', () => {
    const v24 = { calicoVersion: 'v3.24.5' as const };
    assert.match(propProblem(() => chart({ ...v24, podIpPools: [{ cidr: '10.40.0.0/16', disableBgpExport: true }] })),
      /^CalicoInstallation: podIpPools\[0\]\.disableBgpExport: Calico v3\.24\.5's Installation has no calicoNetwork\.ipPools\.disableBGPExport \(it exists in v3\.31\.7, v3\.32\.1\): choose one of those releases, or remove podIpPools\[0\]\.disableBgpExport$/);
    assert.match(propProblem(() => chart({ ...v24, podIpPools: [{ cidr: '10.40.0.0/16', assignmentMode: 'Manual' }] })), /podIpPools\[0\]\.assignmentMode: Calico v3\.24\.5's Installation has no calicoNetwork\.ipPools\.assignmentMode \(it exists in v3\.31\.7, v3\.32\.1\)/);
    assert.match(propProblem(() => chart({ ...v24, podIpPools: [{ cidr: '10.40.0.0/16', allowedUses: ['Workload'] }] })), /podIpPools\[0\]\.allowedUses: Calico v3\.24\.5's Installation has no calicoNetwork\.ipPools\.allowedUses/);
    assert.match(propProblem(() => chart({ ...v24, linuxDataplane: 'Nftables' })),
      /CalicoInstallation: linuxDataplane: "Nftables" is not a calicoNetwork\.linuxDataplane of Calico v3\.24\.5 \(it takes "Iptables", "BPF", "VPP"\); "Nftables" needs v3\.31\.7 or v3\.32\.1/);
    assert.match(propProblem(() => chart({ ...v24, componentResources: [{ componentName: 'NodeWindows' as any, resourceRequirements: {} }] })),
      /componentResources\[0\]\.componentName: "NodeWindows" is not a componentResources\.componentName of Calico v3\.24\.5 .*needs v3\.32\.1/);
  });

  test('bad values of the typed props are refused with what is allowed', () => {
    assert.match(propProblem(() => chart({ controlPlaneReplicas: -1 })), /controlPlaneReplicas: -1 is not allowed: use a whole number from 0 to 2147483647/);
    assert.match(propProblem(() => chart({ controlPlaneTolerations: [{ key: 'a', operator: 'In' as any }] })), /controlPlaneTolerations\[0\]\.operator: "In" is not allowed: use 'Exists' or 'Equal'/);
    assert.match(propProblem(() => chart({ controlPlaneTolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] })), /controlPlaneTolerations\[0\]\.value: "x" is not allowed with operator 'Exists'/);
    assert.match(propProblem(() => chart({ controlPlaneNodeSelector: { 'bad key!': 'x' } })), /CalicoInstallation: controlPlaneNodeSelector\["bad key!"\]: /);
    assert.match(propProblem(() => chart({ imagePullSecrets: ['a', 'a'] })), /CalicoInstallation: imagePullSecrets\[1\]: "a" is listed twice/);
    assert.match(propProblem(() => chart({ registry: 'https://r.example.com' })), /CalicoInstallation: registry: "https:\/\/r\.example\.com" is not a registry host/);
    assert.equal(find(synth({ registry: 'r.example.com:5000/mirror' }), 'Installation').spec.registry, 'r.example.com:5000/mirror/', 'the operator wants the trailing slash');
    assert.match(propProblem(() => chart({ nodeUpdateStrategy: { type: 'Rolling' } })), /nodeUpdateStrategy\.type: "Rolling" is not a DaemonSet update strategy/);
    assert.match(propProblem(() => chart({ nodeUpdateStrategy: { rollingUpdate: { maxUnavailable: '150%' } } })), /nodeUpdateStrategy\.rollingUpdate\.maxUnavailable: "150%" is not allowed/);
    assert.match(propProblem(() => chart({ calicoVersion: 'v3.32.1', podIpPools: [{ cidr: '10.40.0.0/16', allowedUses: ['Pods' as any] }] })),
      /podIpPools\[0\]\.allowedUses: "Pods" is not an allowed use in Calico v3\.32\.1: use "Workload", "Tunnel", "LoadBalancer"/);
  });
});

describe('installationSpec: the whole Installation spec', () => {
  test('fields the typed props do not cover pass through with JSON names, merged with the computed ones', () => {
    const inst = find(synth({
      calicoVersion: 'v3.32.1',
      mtu: 1450,
      installationSpec: {
        serviceCIDRs: ['10.96.0.0/12'],
        kubeletVolumePluginPath: 'None',
        calicoNetwork: { linuxPolicySetupTimeoutSeconds: 30 },
        typhaDeployment: { spec: { template: { spec: { nodeSelector: { pool: 'infra' } } } } },
      },
    }), 'Installation');
    assert.deepEqual(inst.spec.serviceCIDRs, ['10.96.0.0/12']);
    assert.equal(inst.spec.kubeletVolumePluginPath, 'None');
    assert.deepEqual(inst.spec.typhaDeployment, { spec: { template: { spec: { nodeSelector: { pool: 'infra' } } } } });
    assert.equal(inst.spec.calicoNetwork.linuxPolicySetupTimeoutSeconds, 30);
    assert.equal(inst.spec.calicoNetwork.mtu, 1450);
    assert.equal(inst.spec.calicoNetwork.bgp, 'Enabled');
    assert.equal(inst.spec.calicoNetwork.ipPools.length, 1);
  });

  test('a misspelt or unknown field reaches the schema check, which names it (and the releases that have it)', () => {
    assert.deepEqual(errors({ calicoVersion: 'v3.32.1', installationSpec: { calicoNetwork: { mtuu: 1450 } as any } }).filter((e) => e.includes('mtuu')).length, 1);
    const [typo] = errors({ calicoVersion: 'v3.32.1', installationSpec: { calicoNetwork: { mtuu: 1450 } as any } });
    assert.match(typo, /^Installation spec\.calicoNetwork\.mtuu: .*mtu/);
    const [older] = errors({ calicoVersion: 'v3.24.5', installationSpec: { serviceCIDRs: ['10.96.0.0/12'] } });
    assert.match(older, /^Installation spec\.serviceCIDRs: .*v3\.31\.7, v3\.32\.1/);
    assert.match(propProblem(() => synth({ calicoVersion: 'v3.24.5', installationSpec: { serviceCIDRs: ['10.96.0.0/12'] } })), /serviceCIDRs/);
  });

  test('a field set by a typed prop and in the spec is an error: set it in one place', () => {
    assert.match(propProblem(() => chart({ mtu: 1450, installationSpec: { calicoNetwork: { mtu: 1400 } } })),
      /^CalicoInstallation: installationSpec\.calicoNetwork\.mtu: is also set by the prop mtu: set it in one place \(remove it from installationSpec, or drop mtu\)$/);
    assert.match(propProblem(() => chart({ registry: 'r.example/', installationSpec: { registry: 'other.example/' } })), /installationSpec\.registry: is also set by the prop registry/);
  });

  test('pools come from podIpPools only, and the chart keeps BGP on', () => {
    assert.match(propProblem(() => chart({ installationSpec: { calicoNetwork: { ipPools: [{ cidr: '10.0.0.0/16' }] } } })),
      /CalicoInstallation: installationSpec\.calicoNetwork\.ipPools: is set by this library from podIpPools: use podIpPools instead/);
    assert.match(propProblem(() => chart({ installationSpec: { calicoNetwork: { bgp: 'Disabled' } } })),
      /CalicoTorChart: installationSpec\.calicoNetwork\.bgp: this chart peers with routers over BGP, so BGP is always Enabled: remove the field/);
  });

  test('standalone: the spec may override a default (BGP) but not a typed prop', () => {
    const app = Testing.app();
    const c = Testing.chart();
    void app;
    const inst = new CalicoInstallation(c, 'i', { installationSpec: { calicoNetwork: { bgp: 'Disabled' } } });
    assert.equal(inst.resource.toJson().spec.calicoNetwork.bgp, 'Disabled');
    assert.match(propProblem(() => new CalicoInstallation(Testing.chart(), 'i', { bgp: true, installationSpec: { calicoNetwork: { bgp: 'Disabled' } } })), /also set by the prop bgp/);
    assert.match(propProblem(() => new CalicoInstallation(Testing.chart(), 'i', { installationSpec: 'x' as any })), /CalicoInstallation: installationSpec: must be an object \(the spec's fields\), got "x"/);
  });

  test('addJsonPatch on the Installation applies with JSON field names and is validated', () => {
    const c = chart({ calicoVersion: 'v3.32.1' });
    const { JsonPatch } = require('cdk8s');
    c.installation.resource.addJsonPatch(JsonPatch.add('/spec/calicoNetwork/containerIPForwarding', 'Enabled'));
    assert.equal(find(Testing.synth(c), 'Installation').spec.calicoNetwork.containerIPForwarding, 'Enabled');
    c.installation.resource.addJsonPatch(JsonPatch.add('/spec/calicoNetwork/mtuu', 1450));
    assert.ok(c.calicoViolations().some((v) => v.severity === 'error' && v.path === 'spec.calicoNetwork.mtuu'));
  });
});

describe('apiServerSpec', () => {
  test('passes through to the APIServer on releases that have the fields', () => {
    const api = find(synth({ calicoVersion: 'v3.32.1', apiServerSpec: { apiServerDeployment: { spec: { template: { spec: { nodeSelector: { pool: 'infra' } } } } } } }), 'APIServer');
    assert.deepEqual(api.spec, { apiServerDeployment: { spec: { template: { spec: { nodeSelector: { pool: 'infra' } } } } } });
    assert.deepEqual(find(synth(), 'APIServer').spec, {});
  });

  test('a field of a newer release is an error on v3.24.5 naming the releases that have it', () => {
    const found = errors({ calicoVersion: 'v3.24.5', apiServerSpec: { logging: {} } });
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0], /^APIServer spec\.logging: .*v3\.31\.7, v3\.32\.1/);
    assert.match(propProblem(() => new CalicoApiServer(Testing.chart(), 'a', { apiServerSpec: [] as any })), /CalicoApiServer: apiServerSpec: must be an object/);
  });
});

describe('Goldmane and Whisker', () => {
  test('opt-in: emitted as operator CRs named default in the installation stage', () => {
    const c = chart({ calicoVersion: 'v3.31.7', goldmane: true, whisker: { notifications: 'Disabled' } });
    const objs = Testing.synth(c);
    assert.deepEqual(find(objs, 'Goldmane'), { apiVersion: 'operator.tigera.io/v1', kind: 'Goldmane', metadata: { name: 'default' }, spec: {} });
    assert.deepEqual(find(objs, 'Whisker'), { apiVersion: 'operator.tigera.io/v1', kind: 'Whisker', metadata: { name: 'default' }, spec: { notifications: 'Disabled' } });
    assert.ok(c.installationStage.node.findAll().includes(c.goldmane!.resource));
    assert.equal(find(synth({ calicoVersion: 'v3.31.7' }), 'Goldmane'), undefined);
    assert.equal(find(synth({ calicoVersion: 'v3.31.7', whisker: false }), 'Whisker'), undefined);
  });

  test('refused on v3.24.5, naming the releases that have them', () => {
    assert.match(propProblem(() => chart({ calicoVersion: 'v3.24.5', goldmane: true })),
      /^CalicoGoldmane: calicoVersion: Calico v3\.24\.5's operator has no Goldmane \(it comes with v3\.31\.7, v3\.32\.1\): choose one of those releases, or leave Goldmane out$/);
    assert.match(propProblem(() => chart({ calicoVersion: 'v3.24.5', whisker: true })), /CalicoWhisker: calicoVersion: Calico v3\.24\.5's operator has no Whisker \(it comes with v3\.31\.7, v3\.32\.1\)/);
  });

  test('spec fields are validated against the release', () => {
    assert.ok(errors({ calicoVersion: 'v3.31.7', goldmane: { metricsPort: 9094 } }).some((e) => /^Goldmane spec\.metricsPort: .*v3\.32\.1/.test(e)));
    assert.deepEqual(errors({ calicoVersion: 'v3.32.1', goldmane: { metricsPort: 9094 } }), []);
  });
});

describe('felixConfiguration', () => {
  test('emits the FelixConfiguration default with the BGP objects, JSON field names as given', () => {
    const c = chart({ calicoVersion: 'v3.24.5', felixConfiguration: { ipipMTU: 1480, prometheusMetricsEnabled: true, bpfLogLevel: 'Info' } });
    const felix = find(Testing.synth(c), 'FelixConfiguration');
    assert.deepEqual(felix, { apiVersion: 'projectcalico.org/v3', kind: 'FelixConfiguration', metadata: { name: 'default' }, spec: { bpfLogLevel: 'Info', ipipMTU: 1480, prometheusMetricsEnabled: true } });
    assert.ok(c.calicoResourcesStage.node.findAll().includes(c.felixConfiguration!.resource));
    assert.equal(find(synth(), 'FelixConfiguration'), undefined);
  });

  test('unknown fields and fields of later releases are errors', () => {
    const found = errors({ calicoVersion: 'v3.24.5', felixConfiguration: { nftablesMode: 'Enabled', prometheusMetricsEnabld: true } as any });
    assert.ok(found.some((e) => /^FelixConfiguration spec\.nftablesMode: .*v3\.31\.7/.test(e)), found.join('\n'));
    assert.ok(found.some((e) => /^FelixConfiguration spec\.prometheusMetricsEnabld: .*prometheusMetricsEnabled/.test(e)), found.join('\n'));
  });
});
