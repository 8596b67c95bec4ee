import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CALICO_VERSIONS, CalicoVersion } from '../../src/releases/releases';
import { validateManifests } from '../../src/validation';
import { ManifestObject, Violation } from '../../src/model/violation';

/**
 * Every projectcalico.org/v3 kind calicoctl and the API server know is accepted: the kinds without
 * a CRD (Node, WorkloadEndpoint, Profile) are checked by Calico's rules and noted as
 * calicoctl-only; the IPAM kinds, CalicoNodeStatus and the rest by their CRD schema and rules.
 */

const V3 = 'projectcalico.org/v3';
const o = (kind: string, name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): ManifestObject => ({ apiVersion: V3, kind, metadata: { name, ...metadata }, spec });

const NODE = o('Node', 'worker-1', { bgp: { ipv4Address: '10.31.0.11/16', asNumber: 64517, routeReflectorClusterID: '244.0.0.1' }, ipv4VXLANTunnelAddr: '10.33.1.0', vxlanTunnelMACAddr: '66:f0:9a:11:22:33', addresses: [{ address: '10.31.0.11', type: 'InternalIP' }] });
const PROFILE = o('Profile', 'dev', { ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: [22] } }], egress: [{ action: 'Allow' }], labelsToApply: { stage: 'dev' } });
const WEP = o('WorkloadEndpoint', 'worker--1-k8s-web--5d9f-eth0', { node: 'worker-1', orchestrator: 'k8s', pod: 'web-5d9f', endpoint: 'eth0', containerID: '3f2a9c', interfaceName: 'cali3f2a9c1', mac: 'ee:ee:ee:ee:ee:ee', ipNetworks: ['10.33.1.7/32'], profiles: ['kns.shop'], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { namespace: 'shop' });

const errorsOf = (found: readonly Violation[]) => found.filter((v) => v.severity === 'error');

test('Node, Profile and WorkloadEndpoint are accepted on every release and mode, with a calicoctl-only note', () => {
  for (const version of CALICO_VERSIONS) {
    for (const apiMode of version === 'v3.32.1' ? ['apiserver', 'native-v3-crds'] as const : ['apiserver'] as const) {
      const found = validateManifests([NODE, PROFILE, WEP].map((object) => ({ object })), { calicoVersion: version, apiMode });
      assert.deepEqual(errorsOf(found), [], `${version} ${apiMode}`);
      assert.deepEqual(found.map((v) => `${v.severity} ${v.kind} ${v.path}`), ['warning Node ', 'warning Profile ', 'warning WorkloadEndpoint '], `${version} ${apiMode}`);
      assert.match(found[0].message, /^projectcalico.org\/v3 Node has no CRD and is not served by the Calico API server, so kubectl cannot apply it; calicoctl can/);
      assert.match(found[1].message, /^projectcalico.org\/v3 Profile has no CRD; only calicoctl applies it/);
    }
  }
});

function errs(obj: ManifestObject, version: CalicoVersion = 'v3.31.7'): [string, string][] {
  return errorsOf(validateManifests([{ object: obj }], { calicoVersion: version })).map((v) => [v.path, v.message]);
}

test('Node: Calico\'s rules (validateNodeSpec and the field tags) and its field names', () => {
  assert.deepEqual(errs(o('Node', 'n', { bgp: {} })), [['spec.bgp', 'spec.bgp is empty, which Calico rejects (validateNodeSpec): remove it, or set ipv4Address/ipv6Address (the node\'s BGP addresses with prefix length)']]);
  const bad = errs(o('Node', 'n', { bgp: { ipv4Address: 'fd00::1/64', ipv6Address: '10.0.0.1/24', asNumber: '1.2.3', routeReflectorClusterID: 'fd00::1', ipv4IPIPTunnelAddr: '10.0.0.1/32' }, vxlanTunnelMACAddr: 'zz:00', ipv4VXLANTunnelAddr: 'fd00::2', addresses: [{ address: '10.0.0.1', type: 'Internal' }] }));
  assert.deepEqual(bad.map(([p]) => p), [
    'spec.bgp.asNumber', 'spec.bgp.ipv4Address', 'spec.bgp.ipv6Address', 'spec.bgp.ipv4IPIPTunnelAddr', 'spec.bgp.routeReflectorClusterID',
    'spec.ipv4VXLANTunnelAddr', 'spec.vxlanTunnelMACAddr', 'spec.addresses[0].type',
  ]);
  assert.match(bad[1][1], /bgp.ipv4Address "fd00::1\/64" is IPv6; use an IPv4 address with its prefix length/);
  assert.match(bad[7][1], /address type "Internal" is not allowed: use "CalicoNodeIP", "InternalIP" or "ExternalIP"/);
  // Mis-cased and unknown fields (no CRD: the rules know the field names).
  assert.deepEqual(errs(o('Node', 'n', { BGP: { ipv4address: '10.0.0.1/24' }, orchrefs: [], bpg: {} })), [
    ['spec.BGP', 'field "BGP" is mis-cased; the field is "bgp": calicoctl decodes field names case-insensitively and would read it, but write it as "bgp"'],
    ['spec.bpg', 'unknown field "bpg"; did you mean "bgp"?'],
    ['spec.orchrefs', 'field "orchrefs" is mis-cased; the field is "orchRefs": calicoctl decodes field names case-insensitively and would read it, but write it as "orchRefs"'],
  ]);
});

test('WorkloadEndpoint: validateWorkloadEndpointSpec, ports and NATs', () => {
  const bad = errs(o('WorkloadEndpoint', 'n1-k8s-p-eth0', { node: 'n1', orchestrator: 'k8s', pod: 'p', endpoint: 'eth0', ipNetworks: ['10.0.0.0/24', 'fd00::1'], ipv4Gateway: 'fd00::1', ipNATs: [{ internalIP: '10.9.9.9', externalIP: 'fd00::9' }], ports: [{ port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'ICMPv6' }], containerID: '-x' }));
  assert.deepEqual(bad.map(([p]) => p), [
    'metadata.namespace', 'spec.containerID', 'spec.interfaceName', 'spec.ipNetworks[0]', 'spec.ipv4Gateway',
    'spec.ipNATs[0].externalIP', 'spec.ipNATs[0].internalIP', 'spec.ports[0].name', 'spec.ports[1].protocol',
  ]);
  assert.match(bad[3][1], /"10.0.0.0\/24" holds more than one address: .* write "10.0.0.0\/32"/);
  assert.match(bad[6][1], /internalIP "10.9.9.9" is not one of the endpoint's ipNetworks/);
  assert.match(bad[7][1], /needs a name unless it sets hostPort/);
  // A hostPort makes the name optional.
  assert.deepEqual(errs(o('WorkloadEndpoint', 'n1-cni-4bd2-eth0', { node: 'n1', orchestrator: 'cni', containerID: '4bd2', endpoint: 'eth0', interfaceName: 'cali1', ports: [{ port: 80, hostPort: 8080, protocol: 'TCP' }] }, { namespace: 'a' })), []);
});

test('WorkloadEndpoint: the name calicoctl requires (<node>-<orchestrator>-<workload>-<endpoint>, \'-\' doubled inside parts)', () => {
  const wep = (name: string, spec: Record<string, unknown>) => errs(o('WorkloadEndpoint', name, { interfaceName: 'cali1', ...spec }, { namespace: 'shop' }));
  // The workload part by orchestrator: pod (k8s), containerID (cni), the orchestrator (libnetwork), workload (others).
  assert.deepEqual(wep('rack--1.node-k8s-web--7c9-eth0', { node: 'rack-1.node', orchestrator: 'k8s', pod: 'web-7c9', endpoint: 'eth0' }), []);
  assert.deepEqual(wep('n1-cni-0a1b--2c-eth1', { node: 'n1', orchestrator: 'cni', containerID: '0a1b-2c', endpoint: 'eth1' }), []);
  assert.deepEqual(wep('n1-libnetwork-libnetwork-ep--1', { node: 'n1', orchestrator: 'libnetwork', endpoint: 'ep-1' }), []);
  assert.deepEqual(wep('n1-openstack-vm--42-tap0', { node: 'n1', orchestrator: 'openstack', workload: 'vm-42', endpoint: 'tap0' }), []);
  // The pod is not part of a non-k8s name, nor the workload of a k8s one.
  assert.deepEqual(wep('n1-openstack-web-tap0', { node: 'n1', orchestrator: 'openstack', pod: 'web', workload: 'vm-42', endpoint: 'tap0' }), [
    ['metadata.name', 'name "n1-openstack-web-tap0" does not match the spec: calicoctl requires a WorkloadEndpoint\'s name to be <node>-<orchestrator>-<workload>-<endpoint> with each \'-\' inside a part doubled; rename it "n1-openstack-vm--42-tap0", or change the spec fields'],
  ]);
  // Dashes not doubled.
  assert.deepEqual(wep('worker-1-k8s-web-eth0', { node: 'worker-1', orchestrator: 'k8s', pod: 'web', endpoint: 'eth0' }).map(([p, m]) => [p, m.replace(/ with each.*/, '')]), [
    ['metadata.name', 'name "worker-1-k8s-web-eth0" does not match the spec: calicoctl requires a WorkloadEndpoint\'s name to be <node>-<orchestrator>-<pod>-<endpoint>'],
  ]);
  assert.match(wep('worker-1-k8s-web-eth0', { node: 'worker-1', orchestrator: 'k8s', pod: 'web', endpoint: 'eth0' })[0][1], /rename it "worker--1-k8s-web-eth0"/);
  // Every part is required; the node first of all.
  assert.deepEqual(wep('x', { orchestrator: 'k8s', pod: 'web', endpoint: 'eth0' }), [
    ['spec.node', 'the WorkloadEndpoint names no node: set spec.node (the name of the node that hosts the workload); Calico builds the endpoint\'s name from it'],
  ]);
  assert.deepEqual(wep('x', { node: 'n1', orchestrator: 'k8s' }).map(([p]) => p), ['spec.pod', 'spec.endpoint']);
  assert.deepEqual(wep('x', { node: 'n1' }).map(([p]) => p), ['spec.orchestrator', 'spec.workload', 'spec.endpoint']);
  assert.match(wep('x', { node: 'n1', orchestrator: 'k8s', endpoint: 'eth0' })[0][1], /^spec.pod is not set, but Calico builds the WorkloadEndpoint's name from it: set pod \(the workload part of the endpoint's name for orchestrator "k8s"\)$/);
  // No part may begin or end with '-'.
  assert.deepEqual(wep('x', { node: 'n1', orchestrator: 'k8s', pod: '-web', endpoint: 'eth0' }), [
    ['spec.pod', 'pod "-web" begins with \'-\', which Calico refuses in a part of the WorkloadEndpoint\'s name: remove the leading or trailing \'-\''],
  ]);
  // node, endpoint and containerID have their own format (reported once, by that rule).
  assert.deepEqual(wep('x', { node: 'n1', orchestrator: 'cni', containerID: 'abc', endpoint: 'eth0-' }).map(([p]) => p), ['spec.endpoint']);
  assert.deepEqual(wep('x', { node: 'n1', orchestrator: 'cni', containerID: 'abc-', endpoint: 'eth0' }).map(([p]) => p), ['spec.containerID']);
});

test('Profile: its rules are policy rules', () => {
  assert.deepEqual(errs(o('Profile', 'p', { ingress: [{ action: 'Allow', destination: { ports: [80] } }], labelsToApply: { 'a b': 'c' } })).map(([p]) => p), ['spec.ingress[0].destination.ports', 'spec.labelsToApply["a b"]']);
});

test('IPAM kinds, CalicoNodeStatus and the kinds Calico writes itself', () => {
  // libcalico-go's v3 IPAMConfig: the IPAMConfiguration schema and rules, with a note on the kind.
  const ipam = validateManifests([{ object: o('IPAMConfig', 'default', { strictAffinity: false, autoAllocateBlocks: true, maxBlocksPerHost: -1 }) }], { calicoVersion: 'v3.31.7' });
  // The schema's minimum reports the negative limit (the rule stays silent where the schema has it).
  assert.deepEqual(ipam.map((v) => `${v.severity} ${v.path}`), ['error spec.maxBlocksPerHost', 'warning kind']);
  assert.match(ipam[1].message, /write kind IPAMConfiguration$/);
  for (const version of CALICO_VERSIONS) {
    assert.deepEqual(errs(o('IPAMConfiguration', 'default', { strictAffinity: true, autoAllocateBlocks: true }), version), [], version);
    assert.deepEqual(errs(o('CalicoNodeStatus', 'worker-1-status', { node: 'worker-1', classes: ['Agent', 'BGP', 'Routes'], updatePeriodSeconds: 10 }), version), [], version);
  }
  assert.deepEqual(errs(o('CalicoNodeStatus', 's', { node: 'worker-1', classes: ['Bgp'] }), 'v3.24.5').map(([p]) => p), ['spec.classes[0]']);
  assert.deepEqual(errs(o('IPReservation', 'r', { reservedCIDRs: ['10.0.0.1', '10.0.0.7/24', 'nope'] })).map(([p]) => p), ['spec.reservedCIDRs[2]']);
  const affinity = validateManifests([{ object: o('BlockAffinity', 'worker-1-10-33-1-0-24', { node: 'worker-1', cidr: '10.33.1.0/24', state: 'confirmed', deleted: 'true' }) }], { calicoVersion: 'v3.31.7' });
  assert.deepEqual(affinity.map((v) => `${v.severity} ${v.path}`), ['warning ', 'error spec.deleted']);
  const info = validateManifests([{ object: o('ClusterInformation', 'default', {}) }], { calicoVersion: 'v3.24.5' });
  assert.match(info.map((v) => v.message).join('\n'), /calicoctl refuses to apply it \("resource is readonly"\)/);
});

test('a mis-cased field: reported, saying that the API server prunes it and calicoctl reads it', () => {
  const peer = { apiVersion: V3, kind: 'BGPPeer', metadata: { name: 'tor' }, spec: { PeerIP: '10.0.0.1', asNumber: 65001 } };
  for (const version of CALICO_VERSIONS) {
    const found = validateManifests([{ object: peer }], { calicoVersion: version }).filter((v) => v.path === 'spec.PeerIP');
    assert.deepEqual(found.map((v) => v.message), ['field "PeerIP" is mis-cased; the field is "peerIP". The API server (kubectl) prunes "PeerIP" silently, so the value is lost, while calicoctl decodes field names case-insensitively and would read it: write "peerIP"']);
  }
});

test('the validate CLI accepts the calicoctl kinds (exit 0, notes as warnings)', () => {
  const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
  const yaml = [NODE, PROFILE, WEP, o('IPAMConfiguration', 'default', { strictAffinity: true, autoAllocateBlocks: true })]
    .map((x) => JSON.stringify(x)).join('\n---\n');
  const r = spawnSync(process.execPath, [CLI, 'validate', '--calico-version', 'v3.24.5', '-'], { input: yaml, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /unknown .*kind/);
  assert.match(r.stdout, /warning Node\/worker-1: projectcalico.org\/v3 Node has no CRD/);
  assert.match(r.stdout, /0 errors?, 3 warnings/);
});

test('annotations on every Calico object: qualified keys and 256 KiB in total (validateObjectMetaAnnotations)', () => {
  const peer = (annotations: Record<string, string>) => ({ apiVersion: V3, kind: 'BGPPeer', metadata: { name: 'tor', annotations }, spec: { peerIP: '10.0.0.1', asNumber: 65001 } });
  assert.deepEqual(errs(peer({ 'example.com/Owner': 'net-team' })), []);
  assert.deepEqual(errs(peer({ 'not a key': 'x' })).map(([p]) => p), ['metadata.annotations["not a key"]']);
  assert.match(errs(peer({ big: 'x'.repeat(262144) }))[0][1], /hold 262147 bytes, 3 more than Calico's limit of 262144/);
});
