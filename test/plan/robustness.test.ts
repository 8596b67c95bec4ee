import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { computePlan, formatPlanText, readInventory } from '../../src/plan';
import { parseCidr, parseIp } from '../../src/model/net';
import { ManifestObject } from '../../src/model/violation';
import { CalicoVersion } from '../../src/releases/releases';

const KINDS: [string, string][] = [
  ['projectcalico.org/v3', 'BGPConfiguration'], ['projectcalico.org/v3', 'BGPPeer'], ['projectcalico.org/v3', 'IPPool'],
  ['projectcalico.org/v3', 'BGPFilter'], ['projectcalico.org/v3', 'Node'], ['crd.projectcalico.org/v1', 'BlockAffinity'],
  ['v1', 'Node'], ['v1', 'Service'], ['v1', 'Secret'], ['discovery.k8s.io/v1', 'EndpointSlice'], ['operator.tigera.io/v1', 'Installation'],
];

/** Field values that look like the real ones, mixed with anything at all. */
const value = fc.oneof(
  fc.constantFrom('10.0.0.1', '10.0.0.1/24', 'fd00::1/64', '10.0.0.0/16', 'all()', 'has(rr)', 'rack == "r1"', '64512', '1.10', '120s', 'Manual', 'Keep', 'UseNodeIP', 'confirmed'),
  fc.integer({ min: -2, max: 70000 }),
  fc.anything(),
);
const spec = fc.dictionary(fc.constantFrom('peerIP', 'asNumber', 'nodeSelector', 'peerSelector', 'node', 'cidr', 'blockSize', 'bgp', 'prefixAdvertisements', 'communities',
  'serviceClusterIPs', 'listenPort', 'nodeToNodeMeshEnabled', 'password', 'filters', 'ttlSecurity', 'localASNumber', 'keepaliveTime', 'maxRestartTime', 'state', 'calicoNetwork', 'importV4'), value);

test('computePlan never throws, whatever the objects hold, and its text form is stable', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.oneof(fc.constantFrom('default', 'node.n1', 'n1', 'n2', 'tor'), fc.anything()), spec, fc.option(fc.dictionary(fc.string(), value), { nil: undefined })), { maxLength: 8 }),
      fc.constantFrom<CalicoVersion>('v3.24.5', 'v3.31.7', 'v3.32.1'),
      (items, version) => {
        const objects = items.map(([[apiVersion, kind], name, s, annotations]) => ({ apiVersion, kind, metadata: { name, annotations, labels: annotations }, spec: s } as unknown as ManifestObject));
        const nodes = [{ name: 'n1', ipv4Address: '10.0.0.11/24', labels: { rack: 'r1' } }, { name: 'n2', ipv4Address: '10.0.0.12/24' }];
        const plan = computePlan(objects, { calicoVersion: version, nodes });
        assert.equal(formatPlanText(plan), formatPlanText(computePlan(objects, { calicoVersion: version, nodes })));
        for (const f of plan.findings) assert.ok(typeof f.message === 'string' && f.message.length > 0 && f.message.length < 2000);
      },
    ),
    { seed: 9, numRuns: 300 },
  );
});

test('inventory addresses parse to the same values as model/net (IPv4 fast path)', () => {
  fc.assert(
    fc.property(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })), fc.integer({ min: 0, max: 32 }), (o, len) => {
      const raw = `${o.join('.')}/${len}`;
      const r = readInventory([], [{ name: 'n', ipv4Address: raw }]);
      assert.deepEqual(r.findings, []);
      const cidr = parseCidr(raw, { allowHostBits: true });
      const ip = parseIp(o.join('.'));
      assert.ok(cidr.ok && ip.ok);
      assert.deepEqual(r.nodes[0].ipv4, { ip: ip.value, text: raw, network: cidr.value });
    }),
    { seed: 3, numRuns: 500 },
  );
  // Leading zeros and out-of-range octets are refused, as Go's net.ParseIP does.
  for (const bad of ['10.0.0.01/24', '10.0.0.256/24', '10.0.0.1/33']) {
    assert.equal(readInventory([], [{ name: 'n', ipv4Address: bad }]).findings.length, 1, bad);
  }
});
