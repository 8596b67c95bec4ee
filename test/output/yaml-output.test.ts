import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as fc from 'fast-check';
import { load as jsYamlLoad } from 'js-yaml';
import { parse, parseAllDocuments } from 'yaml';
import { toYaml } from '../../src/output/yaml-output';

/** Strings that trip YAML writers: 1.1 booleans and numbers, indicators, keys, breaks. */
const TRICKY = [
  'yes', 'No', 'ON', 'off', 'y', 'n', '~', 'null', 'Null', 'true', 'False', '0777', '0o17', '0x1F', '0b101', '1_000', '+1', '-1', '12e3', '1e3', '1.5',
  '.5', '-.5', '.inf', '-.Inf', '.nan', '64512:10', '64517:120', '64517:300:100', '1:2:3', '190:20:30.15', '2026-11-25', '2026-11-25T12:00:00Z',
  '=', '<<', '- a', '-x', '-', '--', '---', '...', '? x', '?x', ': x', ':x', 'a: b', 'a:b', 'a #b', 'a#b', '#x', 'x:', ' lead', 'trail ', '',
  '"q"', "'s'", 'it\'s', 'a\nb', 'tab\tx', '€uro', 'line\u2028sep', '\ufeffbom', '[a]', '{a}', 'a,b', 'a[0]', '*x', '&x', '!x', '|', '>', '%x', '@x',
  '`x', 'fd00::/48', '2001:db8::1', '10.0.0.0/8', 'rack == "a"', 'rack in {"a","b"}', 'all()', '!has(x)', 'quay.io/tigera/operator:v1.28.5',
  'kubernetes.io/os', '-manage-crds=true', '0', '00', '0.', '1.', '1__0', '0:0', '-0', 'NaN', 'Infinity',
];
const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string(), fc.string({ unit: 'binary' }));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (Object.is(d, -0) ? 0 : d)),
    fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(text, tie('value'), { maxKeys: 4 }),
})).value;
const doc = fc.dictionary(text, json, { minKeys: 1, maxKeys: 5 });

describe('toYaml', () => {
  test('writes the cdk8s layout: nested maps and sequences two columns deeper, empty collections in flow style', () => {
    assert.equal(toYaml([{ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: {} }, spec: { list: [{ a: 1, b: [true, null] }, 'x'], empty: [] } }]),
      'apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  labels: {}\nspec:\n  list:\n    - a: 1\n      b:\n        - true\n        - null\n    - x\n  empty: []\n');
    assert.equal(toYaml([{ a: 1 }, { b: 2 }]), 'a: 1\n---\nb: 2\n');
    assert.equal(toYaml([{ m: [[1, 2], [{ k: 'v' }]] }]), 'm:\n  - - 1\n    - 2\n  - - k: v\n');
  });

  test('quotes communities and everything else a YAML 1.1 parser would read as another type', () => {
    const out = toYaml([{ values: ['64512:10', '64517:300:100', 'yes', 'on', '0777', '1_000', '', '2026-11-25', 'fd00::/48', 'all()', 'rack == "a"'] }]);
    assert.equal(out, 'values:\n  - "64512:10"\n  - "64517:300:100"\n  - "yes"\n  - "on"\n  - "0777"\n  - "1_000"\n  - ""\n  - "2026-11-25"\n  - fd00::/48\n  - all()\n  - rack == "a"\n');
  });

  test('property: every YAML 1.2 and 1.1 parser reads back exactly the data written', () => {
    fc.assert(fc.property(fc.array(doc, { minLength: 1, maxLength: 3 }), (docs) => {
      const yaml = toYaml(docs);
      const expected = JSON.parse(JSON.stringify(docs));
      assert.deepEqual(parseAllDocuments(yaml).map((d) => d.toJS()), expected, 'yaml, YAML 1.2 core schema');
      assert.deepEqual(parseAllDocuments(yaml, { version: '1.1' }).map((d) => d.toJS()), expected, 'yaml, YAML 1.1');
      const parts = yaml.split(/^---\n/m);
      assert.deepEqual(parts.map((p) => jsYamlLoad(p)), expected, 'js-yaml');
    }), { numRuns: 400, seed: 42 });
  });

  test('property: the output of a single document parses as one document', () => {
    fc.assert(fc.property(doc, (d) => {
      assert.deepEqual(parse(toYaml([d])), JSON.parse(JSON.stringify(d)));
    }), { numRuns: 200, seed: 7 });
  });
});
