import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Testing } from 'cdk8s';
import { parse, stringify } from 'yaml';
import { CalicoCrds, CalicoCrdsProps } from '../../src/constructs/calico-crds';
import { CALICO_RELEASES, CALICO_VERSIONS } from '../../src/releases/releases';

type Obj = Record<string, any>;

/** The vendored sources (not the build output): compiled tests run from lib/test. */
const VENDOR = join(__dirname, '..', '..', '..', 'vendor', 'calico');
const vendorIndex: Record<string, { crds: string[]; files: Record<string, string> }> = JSON.parse(readFileSync(join(VENDOR, 'index.json'), 'utf8'));

/** The vendored YAML of CRD `name` in `tag`. */
function vendoredCrd(tag: string, name: string): Obj {
  const file = Object.keys(vendorIndex[tag].files).find((f) => f.startsWith('crds/') && f.endsWith(`/${name}.yaml`));
  assert.ok(file, `${tag}: no vendored file for ${name}`);
  return parse(readFileSync(join(VENDOR, tag, file), 'utf8'));
}

/** Drops null-valued keys: Kubernetes reads a null field as an absent one (and cdk8s omits them). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
  }
  return v;
}

function synth(props: CalicoCrdsProps): { crds: CalicoCrds; objects: Obj[] } {
  const chart = Testing.chart();
  const crds = new CalicoCrds(chart, 'Crds', props);
  return { crds, objects: Testing.synth(chart) };
}

const names = (objects: Obj[]) => objects.map((o) => o.metadata.name);

for (const version of CALICO_VERSIONS) {
  test(`${version}: set 'all' emits exactly the CRDs of index.json, each equal to its vendored file`, () => {
    const { objects } = synth({ calicoVersion: version, set: 'all', emit: 'always' });
    const expected = [...vendorIndex[version].crds].sort();
    assert.equal(objects.length, expected.length);
    assert.deepEqual(names(objects), expected);
    for (const o of objects) {
      assert.equal(o.kind, 'CustomResourceDefinition');
      assert.deepEqual(o, withoutNulls(vendoredCrd(version, o.metadata.name)), `${version} ${o.metadata.name}`);
    }
  });
}

test('the content comparison fails on a changed CRD', () => {
  const { objects } = synth({ calicoVersion: 'v3.24.5', set: 'all', emit: 'always' });
  const bgppeers = JSON.parse(JSON.stringify(objects.find((o) => o.metadata.name === 'bgppeers.crd.projectcalico.org')));
  bgppeers.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.asNumber.type = 'string';
  assert.notDeepEqual(bgppeers, withoutNulls(vendoredCrd('v3.24.5', 'bgppeers.crd.projectcalico.org')));
});

test('by default only releases whose operator does not install CRDs get them (v3.24.5)', () => {
  for (const version of CALICO_VERSIONS) {
    const { crds, objects } = synth({ calicoVersion: version });
    const expected = CALICO_RELEASES[version].operatorManagesCrds ? 0 : vendorIndex[version].crds.length;
    assert.equal(objects.length, expected, version);
    assert.equal(crds.crdNames.length, expected, version);
  }
  assert.equal(synth({ calicoVersion: 'v3.24.5' }).objects.length, 21);
  assert.equal(synth({ calicoVersion: 'v3.31.7' }).objects.length, 0);
  assert.equal(synth({ calicoVersion: 'v3.32.1' }).objects.length, 0);
});

test('the API-server and native sets split v3.32.1 by Calico API group', () => {
  const apiserver = names(synth({ calicoVersion: 'v3.32.1', emit: 'always' }).objects);
  const native = names(synth({ calicoVersion: 'v3.32.1', set: 'native-v3-crds', emit: 'always' }).objects);
  const all = vendorIndex['v3.32.1'].crds;
  assert.ok(apiserver.includes('bgppeers.crd.projectcalico.org'));
  assert.ok(!apiserver.some((n) => n.endsWith('.projectcalico.org') && !n.endsWith('.crd.projectcalico.org')));
  assert.ok(native.includes('bgppeers.projectcalico.org'));
  assert.ok(!native.some((n) => n.endsWith('.crd.projectcalico.org')));
  for (const shared of ['installations.operator.tigera.io', 'apiservers.operator.tigera.io', 'clusternetworkpolicies.policy.networking.k8s.io']) {
    assert.ok(apiserver.includes(shared) && native.includes(shared), shared);
  }
  assert.deepEqual([...new Set([...apiserver, ...native])].sort(), [...all].sort());
  assert.equal(apiserver.length, 32);
  assert.equal(native.length, 32);
  // Before v3.32 the API-server set is the whole release.
  for (const version of ['v3.24.5', 'v3.31.7'] as const) {
    assert.deepEqual(names(synth({ calicoVersion: version, emit: 'always' }).objects), [...vendorIndex[version].crds].sort());
  }
});

test('the native set is refused where the release has no native v3 CRDs', () => {
  assert.throws(() => synth({ calicoVersion: 'v3.31.7', set: 'native-v3-crds' }),
    /CalicoCrds\/\S+ set: API mode "native-v3-crds" needs the native projectcalico\.org\/v3 CRDs, which Calico v3\.31\.7 does not have \(they exist in v3\.32\.1\)/);
  assert.throws(() => synth({ set: 'v3' as any }), /CalicoCrds\/\S+ set: "v3" is not supported: use 'apiserver', 'native-v3-crds', 'all'/);
  assert.throws(() => synth({ emit: 'never' as any }), /CalicoCrds\/\S+ emit: "never" is not supported/);
  assert.throws(() => synth({ calicoVersion: 'v3.30.0' as any }), /CalicoCrds\/\S+ calicoVersion: Calico version "v3\.30\.0" is not supported/);
});

test('CRDs come out sorted by name and byte-identical on every synth', () => {
  const props: CalicoCrdsProps = { calicoVersion: 'v3.32.1', set: 'native-v3-crds', emit: 'always' };
  const first = synth(props).objects;
  assert.deepEqual(names(first), [...names(first)].sort());
  assert.equal(stringify(first), stringify(synth(props).objects));
});
