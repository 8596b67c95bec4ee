import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiObject, Testing } from 'cdk8s';
import { calico, tigera } from '../src';

/** Every generated construct class (subclasses of ApiObject) of a generated module. */
function classes(mod: Record<string, unknown>): Array<[string, any]> {
  return Object.entries(mod).filter(([, v]) => typeof v === 'function' && Object.prototype.isPrototypeOf.call(ApiObject.prototype, (v as any).prototype));
}

test('every generated projectcalico.org class emits apiVersion projectcalico.org/v3 and its kind', () => {
  const found = classes(calico);
  assert.ok(found.length >= 15, `only ${found.length} classes`);
  for (const [name, cls] of found) {
    const chart = Testing.chart();
    new cls(chart, 'x', { metadata: { name: 'x' } });
    const [obj] = Testing.synth(chart);
    assert.equal(obj.apiVersion, 'projectcalico.org/v3', name);
    assert.equal(obj.kind, cls.GVK.kind, name);
    assert.notEqual(obj.apiVersion, 'crd.projectcalico.org/v1');
  }
  const kinds = found.map(([, c]) => c.GVK.kind);
  for (const k of ['BGPConfiguration', 'BGPPeer', 'IPPool', 'BGPFilter', 'FelixConfiguration', 'KubeControllersConfiguration', 'GlobalNetworkPolicy', 'NetworkPolicy']) {
    assert.ok(kinds.includes(k), `missing ${k}`);
  }
});

test('generated operator.tigera.io classes include Installation and APIServer with apiVersion operator.tigera.io/v1', () => {
  const found = classes(tigera);
  const kinds = found.map(([, c]) => c.GVK.kind).sort();
  assert.deepEqual(kinds, ['APIServer', 'Installation']);
  for (const [name, cls] of found) {
    const chart = Testing.chart();
    new cls(chart, 'x', { metadata: { name: 'default' } });
    const [obj] = Testing.synth(chart);
    assert.equal(obj.apiVersion, 'operator.tigera.io/v1', name);
    assert.equal(obj.kind, cls.GVK.kind, name);
  }
});
