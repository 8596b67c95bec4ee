import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkInventory, computePlan, readInventory } from '../../src/plan';
import { ManifestObject } from '../../src/model/violation';

const K8S_LIST: ManifestObject = {
  apiVersion: 'v1',
  kind: 'List',
  metadata: { resourceVersion: '' },
  items: [
    {
      apiVersion: 'v1', kind: 'Node',
      metadata: {
        name: 'w1', labels: { rack: 'r1', 'kubernetes.io/hostname': 'w1' },
        annotations: { 'projectcalico.org/IPv4Address': '10.31.0.11/16', 'projectcalico.org/ASNumber': '65001', 'projectcalico.org/RouteReflectorClusterID': '244.0.0.1' },
      },
      spec: { podCIDR: '10.244.1.0/24' },
    },
    {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: 'w2', labels: { rack: 'r2' }, annotations: { 'projectcalico.org/IPv4Address': '10.31.0.12/16', 'projectcalico.org/IPv6Address': 'fd00:31::12/64' } },
    },
  ],
};

describe('node inventory', () => {
  test('reads `kubectl get nodes -o yaml` (labels and Calico\'s annotations)', () => {
    const r = readInventory([K8S_LIST]);
    assert.deepEqual(r.findings, []);
    assert.deepEqual(r.nodes.map((n) => [n.name, n.labels.rack, n.ipv4?.text, n.ipv4?.network.text, n.ipv6?.text ?? null, n.asNumber ?? null, n.routeReflectorClusterId ?? null]), [
      ['w1', 'r1', '10.31.0.11/16', '10.31.0.0/16', null, 65001, '244.0.0.1'],
      ['w2', 'r2', '10.31.0.12/16', '10.31.0.0/16', 'fd00:31::12/64', null, null],
    ]);
  });

  test('a Calico Node\'s spec.bgp fields win over the Kubernetes Node\'s annotations, field by field; typed entries win over both', () => {
    const calicoNode: ManifestObject = {
      apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'w1', labels: { zone: 'z1' } },
      spec: { bgp: { ipv4Address: '10.31.0.111/16', asNumber: 65111 } },
    };
    const r = readInventory([K8S_LIST, calicoNode], [{ name: 'w2', asNumber: '1.10' }]);
    assert.deepEqual(r.findings, []);
    const w1 = r.nodes[0];
    assert.deepEqual([w1.ipv4?.text, w1.asNumber, w1.routeReflectorClusterId, w1.labels], ['10.31.0.111/16', 65111, '244.0.0.1', { rack: 'r1', 'kubernetes.io/hostname': 'w1', zone: 'z1' }]);
    assert.equal(r.nodes[1].asNumber, 65546);
  });

  test('missing and duplicate addresses and bad values are errors, all at once, naming the node and field', () => {
    const r = checkInventory([
      { name: 'ok', ipv4Address: '10.0.0.1/24' },
      { name: 'no-address' },
      { name: 'dup', ipv4Address: '10.0.0.1/24' },
      { name: 'no-mask', ipv4Address: '10.0.0.7' },
      { name: 'wrong-family', ipv4Address: 'fd00::1/64' },
      { name: 'bad-as', ipv4Address: '10.0.0.8/24', asNumber: 4294967296 },
      { name: 'bad-rr', ipv4Address: '10.0.0.9/24', routeReflectorClusterId: 'rr-one' },
      { name: 'Bad_Name', ipv4Address: '10.0.0.10/24' },
      { name: 'ok', ipv4Address: '10.0.0.11/24' },
    ]);
    assert.deepEqual(r.nodes.map((n) => n.name), []);
    assert.deepEqual(r.findings.map((f) => [f.name, f.path, f.severity]), [
      ['ok', 'nodes[8].name', 'error'],
      ['Bad_Name', 'nodes[7].name', 'error'],
      ['bad-as', 'nodes[5].asNumber', 'error'],
      ['bad-rr', 'nodes[6].routeReflectorClusterId', 'error'],
      ['dup', 'nodes[2].ipv4Address', 'error'],
      ['no-address', 'nodes[1].ipv4Address', 'error'],
      ['no-mask', 'nodes[3].ipv4Address', 'error'],
      ['ok', 'nodes[0].ipv4Address', 'error'],
      ['wrong-family', 'nodes[4].ipv4Address', 'error'],
    ]);
    const msg = (name: string) => r.findings.find((f) => f.name === name)!.message;
    assert.match(msg('dup'), /address 10\.0\.0\.1 is also the address of node "ok"/);
    assert.match(msg('no-address'), /has no address: give ipv4Address and\/or ipv6Address with prefix length/);
    assert.match(msg('no-mask'), /"10\.0\.0\.7" has no prefix length: .* e\.g\. "10\.0\.0\.7\/24"/);
    assert.match(msg('wrong-family'), /is an IPv6 address; ipv4Address takes an IPv4 address/);
    assert.match(msg('bad-as'), /AS number 4294967296 is out of range/);
    assert.match(msg('bad-rr'), /cluster ID "rr-one" is not valid: Calico takes a cluster ID in IPv4 address form/);
  });

  test('a Kubernetes Node without Calico\'s address annotation: the error suggests its InternalIP', () => {
    const r = readInventory([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'bare' }, status: { addresses: [{ type: 'Hostname', address: 'bare' }, { type: 'InternalIP', address: '10.31.0.77' }] } }]);
    assert.deepEqual(r.findings.map((f) => [f.kind, f.name, f.path]), [['Node', 'bare', 'metadata.annotations["projectcalico.org/IPv4Address"]']]);
    assert.match(r.findings[0].message, /the Node reports InternalIP 10\.31\.0\.77; if calico-node uses it, write it with its subnet's prefix length, e\.g\. "10\.31\.0\.77\/24"/);
  });

  test('errors in Node objects name the object and the annotation; long values are cut short', () => {
    const long = 'x'.repeat(500);
    const r = readInventory([
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a', annotations: { 'projectcalico.org/IPv4Address': long } } },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'a', annotations: {} } },
      { apiVersion: 'projectcalico.org/v3', kind: 'Node', metadata: { name: 'b' }, spec: { bgp: { ipv4Address: '10.1.1.1/24', routeReflectorClusterID: '300.0.0.1' } } },
    ]);
    assert.deepEqual(r.findings.map((f) => [f.apiVersion, f.kind, f.name, f.path]), [
      ['v1', 'Node', 'a', 'metadata.name'],
      ['v1', 'Node', 'a', 'metadata.annotations["projectcalico.org/IPv4Address"]'],
      ['projectcalico.org/v3', 'Node', 'b', 'spec.bgp.routeReflectorClusterID'],
    ]);
    assert.ok(r.findings[1].message.length < 400, r.findings[1].message);
    assert.ok(r.findings[1].message.includes(`"${'x'.repeat(80)}…"`));
  });

  test('inventory errors join the plan\'s findings; the bad nodes are left out', () => {
    const plan = computePlan([], { calicoVersion: 'v3.24.5', nodes: [{ name: 'a', ipv4Address: '10.0.0.1/24' }, { name: 'b', ipv4Address: '10.0.0.1/24' }, { name: 'c', ipv4Address: '10.0.0.3/24' }] });
    assert.deepEqual(plan.nodes.map((n) => n.name), ['c']);
    assert.deepEqual(plan.findings.map((f) => [f.kind, f.name, f.severity]), [['NodeInventoryEntry', 'a', 'error'], ['NodeInventoryEntry', 'b', 'error']]);
  });
});
