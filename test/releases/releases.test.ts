import assert from 'node:assert/strict';
import { test } from 'node:test';
import { calicoRelease, CALICO_VERSIONS, DEFAULT_CALICO_VERSION } from '../../src';
import { crdIndex } from '../../src/releases/crd-store';

test('every supported release has its vendored CRDs built', () => {
  for (const v of CALICO_VERSIONS) {
    assert.ok(crdIndex(v).length > 0, v);
  }
});

test('the default release is the newest', () => {
  assert.equal(DEFAULT_CALICO_VERSION, CALICO_VERSIONS[CALICO_VERSIONS.length - 1]);
});

test('an unknown release is refused with the supported list', () => {
  assert.throws(() => calicoRelease('v3.99.0'), /Calico version "v3.99.0" is not supported. Supported versions: v3.24.5, v3.31.7, v3.32.1/);
});
