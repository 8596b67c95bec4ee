import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BGP_PEER_SPEC_FIELDS, CALICO_VERSIONS, bgpPeerHasField, releasesWithBgpPeerField } from '../../src';
import { crdFieldSchema } from '../../src/releases/crd-store';

test('the BGPPeer field table is what each release\'s vendored CRD declares', () => {
  for (const v of CALICO_VERSIONS) {
    const spec = crdFieldSchema(v, 'bgppeers.crd.projectcalico.org', ['spec']);
    const fromCrd = Object.keys(spec?.properties ?? {}).sort();
    assert.deepEqual([...BGP_PEER_SPEC_FIELDS[v]].sort(), fromCrd, v);
    if (v === 'v3.32.1') {
      // The native v3 CRD serves the same fields.
      const native = crdFieldSchema(v, 'bgppeers.projectcalico.org', ['spec']);
      assert.deepEqual(Object.keys(native?.properties ?? {}).sort(), fromCrd);
    }
  }
});

test('which releases have which BGPPeer field', () => {
  assert.deepEqual(releasesWithBgpPeerField('peerSelector'), ['v3.24.5', 'v3.31.7', 'v3.32.1']);
  assert.deepEqual(releasesWithBgpPeerField('numAllowedLocalASNumbers'), ['v3.24.5', 'v3.31.7', 'v3.32.1']);
  assert.deepEqual(releasesWithBgpPeerField('ttlSecurity'), ['v3.31.7', 'v3.32.1']);
  assert.deepEqual(releasesWithBgpPeerField('reversePeering'), ['v3.31.7', 'v3.32.1']);
  assert.deepEqual(releasesWithBgpPeerField('keepaliveTime'), ['v3.32.1']);
  assert.deepEqual(releasesWithBgpPeerField('noSuchField'), []);
  assert.equal(bgpPeerHasField('v3.24.5', 'localASNumber'), false);
  assert.equal(bgpPeerHasField('v3.31.7', 'localASNumber'), true);
});
