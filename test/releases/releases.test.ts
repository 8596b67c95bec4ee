import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CALICO_RELEASES, CALICO_VERSIONS, DEFAULT_CALICO_VERSION, resolveRelease } from '../../src';
import { crdFieldSchema, crdIndex, operatorReferenceManifest } from '../../src/releases/crd-store';

// The release table states facts about each release; these tests check them against the vendored
// data they summarize, so a wrong entry (or a new release added carelessly) fails here.

const operatorContainer = (tag: string) => {
  const deployment = operatorReferenceManifest(tag).find((o) => o.kind === 'Deployment');
  return deployment?.spec.template.spec.containers[0];
};

test('each release names the operator image and version its vendored manifest runs', () => {
  for (const v of CALICO_VERSIONS) {
    const r = CALICO_RELEASES[v];
    assert.equal(operatorContainer(v).image, `${r.operatorImage}:${r.operatorVersion}`, v);
  }
});

test('operatorManagesCrds is what the vendored operator is started with (-manage-crds=true)', () => {
  for (const v of CALICO_VERSIONS) {
    const args: string[] = [...(operatorContainer(v).args ?? []), ...(operatorContainer(v).command ?? [])];
    assert.equal(CALICO_RELEASES[v].operatorManagesCrds, args.includes('-manage-crds=true'), v);
  }
});

test('nativeV3Crds holds exactly where native projectcalico.org CRDs are vendored', () => {
  for (const v of CALICO_VERSIONS) {
    const native = crdIndex(v).some((e) => e.folder === 'projectcalico.org');
    assert.equal(CALICO_RELEASES[v].nativeV3Crds, native, v);
  }
});

test('ipPoolAllowedUses matches the IPPool CRD enum where the release declares one', () => {
  for (const v of CALICO_VERSIONS) {
    // crdFieldSchema steps into the list's items.
    const declared = (crdFieldSchema(v, 'ippools.crd.projectcalico.org', ['spec', 'allowedUses']) as { enum?: string[] } | undefined)?.enum;
    if (declared) assert.deepEqual([...CALICO_RELEASES[v].ipPoolAllowedUses].sort(), [...declared].sort(), v);
  }
});

test('installationOverrides are exactly the component overrides (metadata + spec.template) of the release\'s Installation CRD', () => {
  const candidates = ['calicoNodeDaemonSet', 'calicoNodeWindowsDaemonSet', 'calicoKubeControllersDeployment', 'typhaDeployment', 'csiNodeDriverDaemonSet'];
  for (const v of CALICO_VERSIONS) {
    const declared = candidates.filter((c) => crdFieldSchema(v, 'installations.operator.tigera.io', ['spec', c, 'spec', 'template', 'spec']) !== undefined);
    assert.deepEqual([...CALICO_RELEASES[v].installationOverrides], declared, v);
  }
  assert.deepEqual(CALICO_RELEASES['v3.24.5'].installationOverrides, []);
});

test('exclusiveBpfInitContainers holds where the CRD names the ebpf-bootstrap init container (the same operator change added the check)', () => {
  for (const v of CALICO_VERSIONS) {
    const names = (crdFieldSchema(v, 'installations.operator.tigera.io', ['spec', 'calicoNodeDaemonSet', 'spec', 'template', 'spec', 'initContainers', 'name']) as { enum?: string[] } | undefined)?.enum ?? [];
    assert.equal(CALICO_RELEASES[v].exclusiveBpfInitContainers, names.includes('ebpf-bootstrap'), v);
  }
});

test('the table is ordered oldest first, so the default (its last entry) is the newest release', () => {
  const num = (v: string) => v.slice(1).split('.').map(Number);
  for (let i = 1; i < CALICO_VERSIONS.length; i++) {
    const [a, b] = [num(CALICO_VERSIONS[i - 1]), num(CALICO_VERSIONS[i])];
    assert.ok(a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2]))), `${CALICO_VERSIONS[i - 1]} before ${CALICO_VERSIONS[i]}`);
  }
  assert.equal(DEFAULT_CALICO_VERSION, CALICO_VERSIONS[CALICO_VERSIONS.length - 1]);
});

test('resolveRelease: one check of the version and the API mode, with what is allowed', () => {
  const r = resolveRelease('v3.32.1', 'native-v3-crds');
  assert.ok(r.ok && r.value.version === 'v3.32.1' && r.value.apiMode === 'native-v3-crds' && r.value.release.nativeV3Crds);
  const d = resolveRelease(undefined, undefined);
  assert.ok(d.ok && d.value.version === DEFAULT_CALICO_VERSION && d.value.apiMode === 'apiserver');
  assert.deepEqual(resolveRelease('v3.99.0'), { ok: false, error: 'Calico version "v3.99.0" is not supported; use one of v3.24.5, v3.31.7, v3.32.1' });
  assert.deepEqual(resolveRelease('v3.32.1', 'crds'), { ok: false, error: 'API mode "crds" is not supported; use "apiserver" or "native-v3-crds"' });
  const old = resolveRelease('v3.24.5', 'native-v3-crds');
  assert.ok(!old.ok && /Calico v3\.24\.5 does not have \(they exist in v3\.32\.1\)/.test(old.error));
  assert.ok(!resolveRelease(7).ok && !resolveRelease(null as unknown as string).ok);
});
