import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALICO_VERSIONS, CalicoVersion } from '../../src/releases/releases';
import { validateManifests } from '../../src/validation';
import { validateCalicoRules } from '../../src/validation/rules';
import { ManifestObject } from '../../src/model/violation';
import { bgpConfig, installation } from '../fixtures/reference-objects';

/**
 * The Tigera operator's Installation validation beyond the pools (validateCustomResource of
 * operator v1.28.5, v1.40.15, v1.42.3, after defaulting), and BGPConfiguration fields whose
 * rules follow the release's schema. Cases written from the rules.
 */

const AUTODETECT = { nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] } };
const POOL = [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }];

function errs(o: ManifestObject, version: CalicoVersion): [string, string][] {
  return validateCalicoRules(o, { calicoVersion: version }).filter((v) => v.severity === 'error').map((v) => [v.path, v.message]);
}

test('CNI, IPAM and provider must fit together (after the operator\'s defaults)', () => {
  for (const version of CALICO_VERSIONS) {
    assert.deepEqual(errs(installation({ ...AUTODETECT, ipPools: POOL }, { cni: { type: 'Calico', ipam: { type: 'AmazonVPC' } } }), version), [
      ['spec.cni.ipam.type', 'spec.cni.ipam.type AmazonVPC does not work with spec.cni.type Calico: use "Calico" or "HostLocal"'],
    ], version);
    assert.deepEqual(errs(installation({ ...AUTODETECT, ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'None' }] }, { kubernetesProvider: 'AKS', cni: { type: 'GKE', ipam: { type: 'HostLocal' } } }), version).map(([p]) => p), ['spec.kubernetesProvider'], version);
  }
  // On EKS the default CNI plugin is AmazonVPC, whose IPAM is AmazonVPC.
  assert.deepEqual(errs(installation({ ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'None' }] }, { kubernetesProvider: 'EKS', cni: { ipam: { type: 'Calico' } } }), 'v3.31.7'), [
    ['spec.cni.ipam.type', 'spec.cni.ipam.type Calico does not work with the CNI plugin AmazonVPC (the operator\'s default on EKS): use "AmazonVPC"'],
  ]);
  assert.deepEqual(errs(installation({ ...AUTODETECT, ipPools: POOL }, { cni: { type: 'AmazonVPC', ipam: { type: 'AmazonVPC' }, specVersion: '1.0.0' }, logging: { cni: { logFileMaxCount: 3 } } }), 'v3.31.7').map(([p]) => p), ['spec.cni.specVersion', 'spec.logging.cni', 'spec.calicoNetwork.ipPools[0].encapsulation']);
});

test('Calico CNI logging limits', () => {
  const got = errs(installation({ ...AUTODETECT, ipPools: POOL }, { logging: { cni: { logFileMaxCount: 0, logFileMaxAgeDays: -1, logFileMaxSize: '100MB' } } }), 'v3.31.7');
  assert.deepEqual(got.map(([p]) => p), ['spec.logging.cni.logFileMaxCount', 'spec.logging.cni.logFileMaxAgeDays', 'spec.logging.cni.logFileMaxSize']);
  assert.match(got[2][1], /logFileMaxSize "100MB" must be a positive size with a binary suffix Ki, Mi, Gi, Ti, Pi or Ei \(e.g. "100Mi"\)/);
  assert.deepEqual(errs(installation({ ...AUTODETECT, ipPools: POOL }, { logging: { cni: { logFileMaxSize: '100Mi' } } }), 'v3.31.7'), []);
});

test('VPP dataplane: Calico variant and CNI, BGP, host ports', () => {
  for (const version of CALICO_VERSIONS) {
    const got = errs(installation({ ...AUTODETECT, linuxDataplane: 'VPP', bgp: 'Disabled', hostPorts: 'Disabled', ipPools: POOL }, { variant: 'TigeraSecureEnterprise' }), version);
    assert.deepEqual(got.map(([p]) => p), ['spec.variant', 'spec.calicoNetwork.bgp', 'spec.calicoNetwork.hostPorts'], version);
    assert.equal(got[1][1], 'the VPP dataplane needs BGP, but spec.calicoNetwork.bgp is Disabled: set bgp: Enabled, or use another dataplane');
  }
});

test('linuxPolicySetupTimeoutSeconds: not negative, and only with the Iptables, BPF and Nftables dataplanes', () => {
  for (const version of ['v3.31.7', 'v3.32.1'] as const) {
    assert.deepEqual(errs(installation({ ...AUTODETECT, linuxPolicySetupTimeoutSeconds: 10, linuxDataplane: 'Nftables', ipPools: POOL }), version), [], version);
    assert.deepEqual(errs(installation({ ...AUTODETECT, linuxPolicySetupTimeoutSeconds: 10, ipPools: POOL }), version), [], `${version} default dataplane Iptables`);
    const vpp = errs(installation({ ...AUTODETECT, linuxPolicySetupTimeoutSeconds: -1, linuxDataplane: 'VPP', ipPools: POOL }), version);
    assert.deepEqual(vpp.map(([p]) => p), ['spec.calicoNetwork.linuxPolicySetupTimeoutSeconds', 'spec.calicoNetwork.linuxPolicySetupTimeoutSeconds'], version);
    assert.match(vpp[1][1], /supported only with the "Iptables", "BPF" or "Nftables" Linux dataplanes \(operator v1\.4[02]\.\d+\), but linuxDataplane is VPP/);
  }
  // v3.24.5's Installation has no such field: the schema says so.
  const old = validateManifests([{ object: installation({ ...AUTODETECT, linuxPolicySetupTimeoutSeconds: 10, ipPools: POOL }) }], { calicoVersion: 'v3.24.5' });
  assert.deepEqual(old.filter((v) => v.severity === 'error').map((v) => v.path), ['spec.calicoNetwork.linuxPolicySetupTimeoutSeconds']);
  assert.match(old[0].message, /is not in Calico v3\.24\.5 \(added in a later release/);
});

test('clusterRoutingMode Felix (v3.32.1) lets IPIP and unencapsulated pools run without BGP', () => {
  const ipip = (extra: Record<string, unknown>) => installation({ ...AUTODETECT, bgp: 'Disabled', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'IPIP' }], ...extra });
  assert.deepEqual(errs(ipip({ clusterRoutingMode: 'Felix' }), 'v3.32.1'), []);
  assert.match(errs(ipip({ clusterRoutingMode: 'BIRD' }), 'v3.32.1')[0][1], /needs BGP to program routes.*or spec\.calicoNetwork\.clusterRoutingMode: Felix/);
  assert.match(errs(ipip({}), 'v3.31.7')[0][1], /needs BGP to program routes, but spec\.calicoNetwork\.bgp is Disabled: use VXLAN or VXLANCrossSubnet, or set spec\.calicoNetwork\.bgp: Enabled$/);
  // v3.31.7 has no clusterRoutingMode: the schema refuses it, and the rule does not count it.
  const v31 = validateManifests([{ object: ipip({ clusterRoutingMode: 'Felix' }) }], { calicoVersion: 'v3.31.7' }).filter((v) => v.severity === 'error');
  assert.deepEqual(v31.map((v) => v.path), ['spec.calicoNetwork.clusterRoutingMode', 'spec.calicoNetwork.ipPools[0].encapsulation']);
});

test('sysctls, paths, update strategy, control plane, components, Windows, Azure', () => {
  const got = errs(installation({ ...AUTODETECT, ipPools: POOL, sysctl: [{ key: 'net.ipv4.tcp_keepalive_time', value: '600' }, { key: 'net.ipv4.ip_forward', value: '1' }] }, {
    flexVolumePath: 'usr/libexec', kubeletVolumePluginPath: 'None', nodeUpdateStrategy: { type: 'OnDelete' },
    controlPlaneNodeSelector: { 'kubernetes.io/os': 'windows' }, controlPlaneReplicas: 0,
    componentResources: [{ componentName: 'Typha' }, { componentName: 'APIServer' }], windowsNodes: { cniBinDir: '/x' }, azure: {},
  }), 'v3.31.7');
  assert.deepEqual(got.map(([p]) => p), [
    'spec.calicoNetwork.sysctl[1].key', 'spec.flexVolumePath', 'spec.nodeUpdateStrategy.type', 'spec.controlPlaneNodeSelector["kubernetes.io/os"]',
    'spec.controlPlaneReplicas', 'spec.componentResources[1].componentName', 'spec.windowsNodes', 'spec.azure',
  ]);
  assert.match(got[0][1], /sysctl "net.ipv4.ip_forward" is not one the operator lets the CNI tuning plugin set/);
  const windows = errs(installation({ ...AUTODETECT, windowsDataplane: 'HNS', ipPools: [{ cidr: '10.33.0.0/17' }] }), 'v3.31.7');
  assert.deepEqual(windows.map(([p]) => p), ['spec.serviceCIDRs', 'spec.calicoNetwork.ipPools[0].encapsulation']);
  assert.match(windows[1][1], /encapsulation IPIP \(the default\) is not supported by Calico for Windows: use VXLAN or None/);
});

test('nonPrivileged Enabled: v1.28 limits it; later operators refuse it', () => {
  assert.deepEqual(errs(installation({ ...AUTODETECT, ipPools: POOL }, { nonPrivileged: 'Enabled' }), 'v3.24.5'), []);
  assert.match(errs(installation({ ...AUTODETECT, linuxDataplane: 'BPF', ipPools: POOL }, { nonPrivileged: 'Enabled' }), 'v3.24.5')[0][1], /not supported with the BPF dataplane/);
  assert.match(errs(installation({ ...AUTODETECT, ipPools: POOL }, { nonPrivileged: 'Enabled' }), 'v3.31.7')[0][1], /^non-privileged Calico is deprecated and the operator of Calico v3\.31\.7 refuses nonPrivileged: Enabled/);
});

test('BGPConfiguration service and prefix CIDRs: a bare address is a host route where the release allows it', () => {
  const cfg = bgpConfig({ serviceExternalIPs: [{ cidr: '192.0.2.10' }], communities: [{ name: 'c', value: '64512:1' }], prefixAdvertisements: [{ cidr: '192.0.2.10', communities: ['c'] }] });
  for (const version of ['v3.24.5', 'v3.31.7'] as const) {
    const found = validateManifests([{ object: cfg }], { calicoVersion: version });
    assert.deepEqual(found.map((v) => `${v.severity} ${v.path}`), ['warning spec.serviceExternalIPs[0].cidr', 'warning spec.prefixAdvertisements[0].cidr'], version);
    assert.equal(found[0].message, `"192.0.2.10" has no prefix length: Calico ${version} reads it as the host route "192.0.2.10/32", but v3.32.1 refuses it; write "192.0.2.10/32"`);
  }
  const v32 = validateManifests([{ object: cfg }], { calicoVersion: 'v3.32.1' });
  assert.deepEqual(v32.map((v) => `${v.severity} ${v.path} ${v.message}`), [
    'error spec.serviceExternalIPs[0].cidr CIDR mask is missing in "192.0.2.10". Did you mean "192.0.2.10/32"?',
    'error spec.prefixAdvertisements[0].cidr CIDR mask is missing in "192.0.2.10". Did you mean "192.0.2.10/32"?',
  ]);
  // Host bits stay an error everywhere (`net` is strictly masked).
  for (const version of CALICO_VERSIONS) {
    assert.match(errs(bgpConfig({ serviceClusterIPs: [{ cidr: '10.96.0.1/12' }] }), version)[0][1], /has host bits set/);
  }
});

test('BGPConfiguration nodeMeshPassword: allowed with the mesh on or by default, refused with the mesh off', () => {
  const secret = { secretKeyRef: { name: 'bgp', key: 'mesh' } };
  for (const version of CALICO_VERSIONS) {
    assert.deepEqual(errs(bgpConfig({ nodeMeshPassword: secret }), version), [], version);
    assert.deepEqual(errs(bgpConfig({ nodeToNodeMeshEnabled: true, nodeMeshPassword: secret }), version), [], version);
    const off = validateManifests([{ object: bgpConfig({ nodeToNodeMeshEnabled: false, nodeMeshPassword: secret }) }], { calicoVersion: version });
    assert.deepEqual(off.map((v) => v.path), ['spec.nodeMeshPassword'], version); // v3.32.1's CEL rule is folded into Calico's message
  }
});

test('component overrides: metadata, node selector, tolerations and resources (ValidateReplicatedPodResourceOverrides)', () => {
  const o = installation({ ...AUTODETECT, ipPools: POOL }, {
    calicoNodeDaemonSet: {
      metadata: { labels: { 'team name': 'net' } },
      spec: { template: { spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux', role: 'not valid!' },
        tolerations: [{ operator: 'Exists' }, { key: 'dedicated', operator: 'Exists', value: 'infra' }, { effect: 'NoRun', operator: 'In' }, { key: 'x', operator: 'Equal', value: 'y', tolerationSeconds: 30 }],
        containers: [{ name: 'calico-node', resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1500m', memory: 'lots' } } }],
      } } },
    },
  });
  const got = errs(o, 'v3.31.7');
  assert.deepEqual(got.map(([p]) => p), [
    'spec.calicoNodeDaemonSet.metadata.labels["team name"]',
    'spec.calicoNodeDaemonSet.spec.template.spec.containers[0].resources.limits["memory"]',
    'spec.calicoNodeDaemonSet.spec.template.spec.containers[0].resources.requests["cpu"]',
    'spec.calicoNodeDaemonSet.spec.template.spec.nodeSelector["role"]',
    'spec.calicoNodeDaemonSet.spec.template.spec.tolerations[1].value',
    'spec.calicoNodeDaemonSet.spec.template.spec.tolerations[2].operator',
    'spec.calicoNodeDaemonSet.spec.template.spec.tolerations[2].operator',
    'spec.calicoNodeDaemonSet.spec.template.spec.tolerations[2].effect',
    'spec.calicoNodeDaemonSet.spec.template.spec.tolerations[3].tolerationSeconds',
  ]);
  assert.equal(got[2][1], 'requests.cpu "2" is more than limits.cpu "1500m": a request must be at most its limit');
  const fine = installation({ ...AUTODETECT, ipPools: POOL }, { typhaDeployment: { spec: { template: { spec: { tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }], containers: [{ name: 'calico-typha', resources: { requests: { cpu: '100m' }, limits: { cpu: '1' } } }] } } } } });
  assert.deepEqual(errs(fine, 'v3.31.7'), []);
});

test('BGPFilter cidr (`netv4`/`netv6`): a bare address is a host route on v3.31.7, refused by v3.32.1\'s schema', () => {
  const filter = { apiVersion: 'projectcalico.org/v3', kind: 'BGPFilter', metadata: { name: 'no-host' }, spec: { exportV4: [{ action: 'Reject', matchOperator: 'Equal', cidr: '10.0.0.1' }], importV6: [{ action: 'Accept', matchOperator: 'In', cidr: 'fd00::1' }] } };
  const v31 = validateManifests([{ object: filter }], { calicoVersion: 'v3.31.7' });
  assert.deepEqual(v31.map((v) => `${v.severity} ${v.path} ${v.message}`), [
    'warning spec.exportV4[0].cidr "10.0.0.1" has no prefix length: Calico v3.31.7 reads it as the host route "10.0.0.1/32", but v3.32.1 refuses it; write "10.0.0.1/32"',
    'warning spec.importV6[0].cidr "fd00::1" has no prefix length: Calico v3.31.7 reads it as the host route "fd00::1/128", but v3.32.1 refuses it; write "fd00::1/128"',
  ]);
  const v32 = validateManifests([{ object: filter }], { calicoVersion: 'v3.32.1' }).filter((v) => v.severity === 'error');
  assert.deepEqual(v32.map((v) => v.path), ['spec.exportV4[0].cidr', 'spec.importV6[0].cidr']);
  assert.match(v32[0].message, /CIDR mask is missing in "10.0.0.1". Did you mean "10.0.0.1\/32"\?/);
  // The family still has to fit the list.
  const wrong = validateManifests([{ object: { ...filter, spec: { exportV6: [{ action: 'Reject', matchOperator: 'Equal', cidr: '10.0.0.0/8' }] } } }], { calicoVersion: 'v3.31.7' });
  assert.match(wrong.map((v) => v.message).join('\n'), /is an IPv4 CIDR in exportV6, which holds IPv6 rules: move the rule to exportV4/);
});

test('BPF with an IPv6 pool: nodeAddressAutodetectionV6 is required from operator v1.40 (defaulted by v1.28)', () => {
  const bpf = (extra: Record<string, unknown>) => installation({ ...AUTODETECT, linuxDataplane: 'BPF', ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLAN' }, { cidr: 'fd00:33::/48' }], ...extra });
  for (const version of ['v3.31.7', 'v3.32.1'] as const) {
    const got = errs(bpf({}), version);
    assert.deepEqual(got.map(([p]) => p), ['spec.calicoNetwork.nodeAddressAutodetectionV6'], version);
    assert.match(got[0][1], /IPv6 pool ipPools\[1\].*set nodeAddressAutodetectionV6/);
    assert.deepEqual(errs(bpf({ nodeAddressAutodetectionV6: { firstFound: true } }), version), [], version);
  }
  assert.deepEqual(errs(installation({ ...AUTODETECT, linuxDataplane: 'BPF', ipPools: [{ cidr: 'fd00:33::/48' }] }), 'v3.24.5'), []);
});

const typha = (podSpec: Record<string, unknown>, spec: Record<string, unknown> = {}) => installation({ ...AUTODETECT, ipPools: POOL }, { typhaDeployment: { spec: { ...spec, template: { spec: podSpec } } } });

test('component overrides: affinity (the operator\'s copy of Kubernetes ValidateAffinity)', () => {
  const o = typha({ affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {
        matchExpressions: [{ key: 'node-role.kubernetes.io/infra', operator: 'Exists', values: ['true'] }, { key: 'rack', operator: 'Gt', values: [] }, { key: 'zone', operator: 'Like', values: ['a'] }],
        matchFields: [{ key: 'metadata.labels', operator: 'In', values: ['x'] }, { key: 'metadata.name', operator: 'In', values: ['Worker_1'] }, { key: 'metadata.name', operator: 'Exists' }],
      } }],
    },
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '', labelSelector: { matchLabels: { 'k8s-app': 'calico typha' }, matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, namespaces: ['Calico_System'] }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'bad key!', namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists', values: ['x'] }, { key: 'tier', operator: 'Gt', values: ['1'] }] } } }],
    },
  } });
  const base = 'spec.typhaDeployment.spec.template.spec.affinity';
  for (const version of ['v3.31.7', 'v3.32.1'] as const) {
    const got = errs(o, version);
    assert.deepEqual(got.map(([p]) => p.slice(base.length)), [
      '.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[0].values',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[1].values',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[2].operator',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchFields[0].key',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchFields[1].values[0]',
      '.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchFields[2].operator',
      '.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels["k8s-app"]',
      '.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values',
      '.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespaces[0]',
      '.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey',
      '.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight',
      '.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespaceSelector.matchExpressions[0].values',
      '.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespaceSelector.matchExpressions[1].operator',
      '.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey',
    ], version);
    const msg = new Map(got.map(([p, m]) => [p.slice(base.length), m]));
    assert.equal(msg.get('.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight'), 'weight 0 is out of range: use 1 to 100');
    assert.equal(msg.get('.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[1].values'), 'operator Gt compares with exactly one value (an integer), but 0 are given: give one value');
    assert.equal(msg.get('.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions[2].operator'), 'node selector operator "Like" is not allowed: use "In", "NotIn", "Exists", "DoesNotExist", "Gt" or "Lt"');
    assert.match(msg.get('.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchFields[0].key') ?? '', /^node field selector key "metadata.labels" is not supported: the only field is "metadata.name"/);
    assert.match(msg.get('.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.namespaceSelector.matchExpressions[1].operator') ?? '', /^label selector operator "Gt" is not allowed: use "In", "NotIn", "Exists" or "DoesNotExist"$/);
    assert.match(msg.get('.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey') ?? '', /^topologyKey is empty: name the node label/);
    assert.match(msg.get('.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey') ?? '', /^topologyKey "bad key!" is not valid/);
  }
  // A usual Typha placement: spread over hosts, prefer non-control-plane nodes.
  const fine = typha({ affinity: {
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }, { key: 'node.example.com/gen', operator: 'Gt', values: ['2'] }], matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['worker-9'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'DoesNotExist' }] } }] },
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'k8s-app': 'calico-typha' } }, namespaces: ['calico-system'] } }] },
  } });
  assert.deepEqual(errs(fine, 'v3.32.1'), []);
});

test('component overrides: topologySpreadConstraints and the Typha rolling update strategy', () => {
  const base = 'spec.typhaDeployment.spec.template.spec.topologySpreadConstraints';
  const got = errs(typha({ topologySpreadConstraints: [
    { maxSkew: 0, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
    { maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'Never', minDomains: 0 },
    { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 },
    { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', minDomains: 3 },
  ] }), 'v3.31.7');
  assert.deepEqual(got.map(([p, m]) => [p.slice(base.length), m]), [
    ['[0].maxSkew', 'maxSkew 0 must be greater than zero: use 1 or more (the largest allowed difference in matching pods between topology domains)'],
    ['[0]', 'constraints [0] and [1] both spread by topologyKey "topology.kubernetes.io/zone" with whenUnsatisfiable "DoNotSchedule": Kubernetes allows one constraint per pair; merge them or remove one'],
    ['[2].topologyKey', 'topologyKey is empty: name the node label that defines the topology domain, e.g. "topology.kubernetes.io/zone"'],
    ['[2].whenUnsatisfiable', 'whenUnsatisfiable "Never" is not allowed: use "DoNotSchedule" or "ScheduleAnyway"'],
    ['[2].minDomains', 'minDomains 0 must be greater than zero: use 1 or more, or remove it'],
    ['[2].minDomains', 'minDomains applies only with whenUnsatisfiable DoNotSchedule, but whenUnsatisfiable is "Never": set whenUnsatisfiable: DoNotSchedule, or remove minDomains'],
    ['[3].minDomains', 'minDomains applies only with whenUnsatisfiable DoNotSchedule, but whenUnsatisfiable is "ScheduleAnyway": set whenUnsatisfiable: DoNotSchedule, or remove minDomains'],
  ]);

  const strategy = (rollingUpdate: Record<string, unknown>) => errs(typha({}, { strategy: { rollingUpdate } }), 'v3.32.1');
  const path = 'spec.typhaDeployment.spec.strategy.rollingUpdate';
  assert.deepEqual(strategy({ maxUnavailable: 0 }), [[`${path}.maxUnavailable`, 'maxUnavailable 0 and maxSurge unset (0) are both 0, so a rollout could never replace a pod: set maxUnavailable (e.g. 1) or maxSurge (e.g. "25%") above 0']]);
  assert.deepEqual(strategy({}).map(([p]) => p), [`${path}.maxUnavailable`]);
  assert.deepEqual(strategy({ maxUnavailable: '0%', maxSurge: '0%' }).map(([p]) => p), [`${path}.maxUnavailable`]);
  assert.deepEqual(strategy({ maxUnavailable: '120%', maxSurge: '1.5', }), [
    [`${path}.maxSurge`, 'maxSurge "1.5" is not a number of pods or a percentage: write an integer (e.g. 1) or a percentage (e.g. "25%")'],
    [`${path}.maxUnavailable`, 'maxUnavailable "120%" is more than 100%: use at most "100%"'],
  ]);
  assert.deepEqual(strategy({ maxUnavailable: -1, maxSurge: 1 }).map(([p]) => p), [`${path}.maxUnavailable`]);
  // Fine: either may be 0 when the other is not; a lone maxSurge; percentages up to 100%.
  for (const ok of [{ maxUnavailable: 1, maxSurge: '25%' }, { maxSurge: '100%' }, { maxUnavailable: '100%', maxSurge: 0 }]) assert.deepEqual(strategy(ok), [], JSON.stringify(ok));
  assert.deepEqual(errs(typha({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 3 }, { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] }), 'v3.32.1'), []);
});

test('component overrides: container resource names, whole extended resources, no overcommit of hugepages; toleration values', () => {
  const o = installation({ ...AUTODETECT, ipPools: POOL }, { calicoKubeControllersDeployment: { spec: { template: { spec: {
    containers: [{ name: 'calico-kube-controllers', resources: {
      requests: { gpu: '1', 'example.com/foo': '500m', 'hugepages-2Mi': '64Mi', CPU: '1', 'kubernetes.io/cpu-ish': '1' },
      limits: { 'hugepages-2Mi': '128Mi', 'example.com/foo': '1' },
    } }],
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra nodes', effect: 'NoSchedule' }, { key: 'dedicated', value: 'infra' }],
  } } } } });
  const base = 'spec.calicoKubeControllersDeployment.spec.template.spec';
  const got = errs(o, 'v3.31.7');
  assert.deepEqual(got.map(([p, m]) => [p.slice(base.length), m]), [
    ['.containers[0].resources.requests["gpu"]', 'resource name "gpu" is not a container resource: use cpu, memory, ephemeral-storage, hugepages-<size> (e.g. hugepages-2Mi) or an extended resource <domain>/<name> (e.g. "example.com/foo")'],
    ['.containers[0].resources.requests["example.com/foo"]', 'requests.example.com/foo "500m" is not a whole number: extended resources are counted in units; use e.g. "1"'],
    ['.containers[0].resources.requests["CPU"]', 'resource name "CPU" is not a container resource: use cpu, memory, ephemeral-storage, hugepages-<size> (e.g. hugepages-2Mi) or an extended resource <domain>/<name> (e.g. "example.com/foo")'],
    ['.containers[0].resources.requests["example.com/foo"]', 'requests.example.com/foo "500m" differs from limits.example.com/foo "1": extended resources cannot be overcommitted, so the request must equal the limit'],
    ['.containers[0].resources.requests["hugepages-2Mi"]', 'requests.hugepages-2Mi "64Mi" differs from limits.hugepages-2Mi "128Mi": hugepages cannot be overcommitted, so the request must equal the limit'],
    ['.tolerations[0].value', 'toleration value "infra nodes" is not valid: use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit, or the empty string'],
  ]);
  const fine = installation({ ...AUTODETECT, ipPools: POOL }, { calicoKubeControllersDeployment: { spec: { template: { spec: { containers: [{ name: 'calico-kube-controllers', resources: {
    requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '1Gi', 'hugepages-1Gi': '1Gi', 'example.com/foo': '2' },
    limits: { cpu: '1', memory: '256Mi', 'hugepages-1Gi': '1Gi', 'example.com/foo': '2' },
  } }] } } } } });
  assert.deepEqual(errs(fine, 'v3.32.1'), []);
});

test('component overrides: not validated on v3.24.5, whose Installation has none (the schema reports the field)', () => {
  const o = typha({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } });
  assert.deepEqual(errs(o, 'v3.24.5'), []);
  const all = validateManifests([{ object: o }], { calicoVersion: 'v3.24.5' }).filter((v) => v.severity === 'error');
  assert.deepEqual(all.map((v) => v.path), ['spec.typhaDeployment']);
  assert.equal(errs(o, 'v3.31.7').length, 1);
});

test('calicoNodeDaemonSet: init containers mount-bpffs and ebpf-bootstrap together are refused (v3.31.7, v3.32.1)', () => {
  const node = (names: string[]) => installation({ ...AUTODETECT, ipPools: POOL }, { calicoNodeDaemonSet: { spec: { template: { spec: { initContainers: names.map((name) => ({ name, resources: { requests: { cpu: '10m' } } })) } } } } });
  for (const version of ['v3.31.7', 'v3.32.1'] as const) {
    assert.deepEqual(errs(node(['install-cni', 'ebpf-bootstrap', 'mount-bpffs']), version), [
      ['spec.calicoNodeDaemonSet.spec.template.spec.initContainers[2].name', `initContainers override both "mount-bpffs" (initContainers[2]) and "ebpf-bootstrap" (initContainers[1]), which the operator of Calico ${version} refuses: ebpf-bootstrap is the new name of mount-bpffs; keep only the "ebpf-bootstrap" entry`],
    ], version);
    assert.deepEqual(errs(node(['mount-bpffs', 'install-cni']), version), [], version);
    assert.deepEqual(errs(node(['ebpf-bootstrap']), version), [], version);
  }
});
