import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { CALICO_VERSIONS, CalicoApp, CalicoTorChart, CalicoTorChartProps, CalicoVersion, validateManifests } from '../src';
import { findCrd, loadCrd } from '../src/crd-store';
import { referenceCluster } from '../src/main';

describe('validateManifests', () => {
  test('the reference cluster has no errors under every supported release', () => {
    for (const v of CALICO_VERSIONS) {
      const chart = referenceCluster(new CalicoApp());
      const objects = chart.manifests().filter((o) => o.kind !== 'CustomResourceDefinition');
      const errors = validateManifests(objects.map((object) => ({ object })), { calicoVersion: v, complete: true })
        .filter((x) => x.severity === 'error');
      assert.deepEqual(errors, [], `${v}: ${JSON.stringify(errors)}`);
    }
  });

  test('a problem that the CRD (CEL) and Calico\'s rules both see is reported once, at the field', () => {
    const peer = { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'a' }, spec: { peerIP: '10.0.0.1', peerSelector: 'all()' } };
    const vs = validateManifests([{ object: peer }], { calicoVersion: 'v3.32.1' }).filter((v) => /cannot both be set/.test(v.message));
    assert.equal(vs.length, 1, JSON.stringify(vs));
    assert.equal(vs[0].path, 'spec.peerIP');
  });

  test('an identical violation from the schema and the rules is reported once', () => {
    const pool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.1' } };
    const vs = validateManifests([{ object: pool }], { calicoVersion: 'v3.32.1' });
    assert.deepEqual(vs.map((v) => `${v.path}: ${v.message}`), ['spec.cidr: CIDR mask is missing in "10.0.0.1". Did you mean "10.0.0.1/32"?']);
  });

  test('a bindMode in the wrong case: a schema error where the release has the enum, else a warning that it means "None"', () => {
    const bgp = { apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', metadata: { name: 'default' }, spec: { bindMode: 'nodeIP' } };
    const old = validateManifests([{ object: bgp }], { calicoVersion: 'v3.24.5' }).filter((v) => v.path === 'spec.bindMode');
    assert.deepEqual(old.map((v) => v.severity), ['warning']);
    assert.match(old[0].message, /BIRD then listens on all addresses, as with "None"; did you mean "NodeIP"\?/);
    const current = validateManifests([{ object: bgp }], { calicoVersion: 'v3.32.1' }).filter((v) => v.path === 'spec.bindMode');
    assert.ok(current.some((v) => v.severity === 'error' && /must be one of None, NodeIP/.test(v.message)), JSON.stringify(current));
  });

  test('different problems on one object are all reported', () => {
    const pool = { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.1', blockSize: 40, natOutgoing: 'yes' } };
    const paths = validateManifests([{ object: pool }], { calicoVersion: 'v3.32.1' }).map((v) => v.path);
    assert.ok(paths.includes('spec.cidr') && paths.includes('spec.natOutgoing'), JSON.stringify(paths));
  });
});

/** An independent check of an object against its CRD schema: Ajv, unknown fields forbidden. */
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
function crdSchemaCheck(version: CalicoVersion, obj: any): string[] {
  const [group] = obj.apiVersion.split('/');
  const entry = findCrd(version, group === 'projectcalico.org' ? 'crd.projectcalico.org' : group, obj.kind);
  if (!entry) return [`no CRD for ${obj.apiVersion} ${obj.kind} in ${version}`];
  const key = `${version}/${entry.name}`;
  if (!compiled.has(key)) {
    const toJsonSchema = (s: any): any => {
      if (Array.isArray(s)) return s.map(toJsonSchema);
      if (!s || typeof s !== 'object') return s;
      const out: any = {};
      for (const [k, v] of Object.entries(s)) {
        if (k.startsWith('x-kubernetes') || k === 'format' || k === 'default' || k === 'pattern') continue;
        out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as any).map(([p, ps]) => [p, toJsonSchema(ps)])) : toJsonSchema(v);
      }
      if (out.properties && !s['x-kubernetes-preserve-unknown-fields'] && out.additionalProperties === undefined) out.additionalProperties = false;
      if (s.format === 'int32') Object.assign(out, { minimum: Math.max(out.minimum ?? -2147483648, -2147483648), maximum: Math.min(out.maximum ?? 2147483647, 2147483647) });
      return out;
    };
    const schema = toJsonSchema(loadCrd(version, entry.name).spec.versions[0].schema!.openAPIV3Schema);
    schema.properties.metadata = { type: 'object' };
    compiled.set(key, ajv.compile(schema));
  }
  const validate = compiled.get(key)!;
  return validate(obj) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/** A random IPv4 network (no host bits), /8 to /28. */
const cidr4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 8, max: 28 }))
  .map(([a, rest, len]) => {
    const n = ((a << 24) | (rest << 8)) >>> 0;
    const masked = (n & (len === 0 ? 0 : (0xffffffff << (32 - len)))) >>> 0;
    return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${len}`;
  });
const maybeBad = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<any>) => fc.oneof({ weight: 12, arbitrary: good }, { weight: 1, arbitrary: bad });
const chartProps: fc.Arbitrary<CalicoTorChartProps> = fc.record({
  calicoVersion: fc.constantFrom(...CALICO_VERSIONS),
  podIpPools: fc.array(fc.record({
    cidr: maybeBad(cidr4, fc.constantFrom('10.0.0.1', 'fd00::/48', 'not-a-cidr', '10.0.0.0/33')),
    blockSize: fc.option(maybeBad(fc.integer({ min: 20, max: 32 }), fc.integer({ min: -5, max: 140 })), { nil: undefined }),
    encapsulation: fc.option(fc.constantFrom('IPIP', 'IPIPCrossSubnet', 'VXLAN', 'VXLANCrossSubnet', 'None' as const), { nil: undefined }),
    natOutgoing: fc.option(fc.boolean(), { nil: undefined }),
    nodeSelector: fc.option(fc.constantFrom('all()', 'rack == "a"', 'has(edge)', 'rack in {"a","b"}', 'rack = a', '!!'), { nil: undefined }),
  }), { minLength: 1, maxLength: 3 }),
  asNumber: fc.option(maybeBad(fc.integer({ min: 1, max: 4294967295 }), fc.constantFrom(-1, 1.5, 5000000000)), { nil: undefined }),
  torPeers: fc.array(fc.record({
    name: maybeBad(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.constantFrom('Bad_Name', '', '-x')),
    peerIp: maybeBad(fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `${a}.${b}.0.1`), fc.constantFrom('10.0.0.300', 'fd00::1', '[fd00::1]:179', 'x')),
    asNumber: fc.integer({ min: 1, max: 4294967295 }),
    keepOriginalNextHop: fc.option(fc.boolean(), { nil: undefined }),
  }), { maxLength: 4 }),
  nodeToNodeMesh: fc.option(fc.boolean(), { nil: undefined }),
  serviceClusterIps: fc.option(fc.array(cidr4, { maxLength: 2 }), { nil: undefined }),
  communities: fc.option(fc.array(fc.record({
    name: fc.constantFrom('c1', 'c2'),
    value: maybeBad(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => `${a}:${b}`), fc.constantFrom('1:2:3:4', '70000:1', 'x')),
  }), { maxLength: 2 }), { nil: undefined }),
  listenPort: fc.option(maybeBad(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000)), { nil: undefined }),
  logSeverity: fc.option(fc.constantFrom('Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal' as const), { nil: undefined }),
}, { requiredKeys: ['calicoVersion', 'podIpPools', 'torPeers'] }) as fc.Arbitrary<CalicoTorChartProps>;

describe('property: random chart props', () => {
  test('never crash: a construct error naming the prop, violations, or valid output', () => {
    let validated = 0;
    fc.assert(fc.property(chartProps, (props) => {
      let chart: CalicoTorChart;
      try {
        chart = new CalicoTorChart(Testing.app(), 'p', props);
      } catch (e) {
        assert.match((e as Error).message, /^(CalicoInstallation|CalicoBgpPeer "[^"]*"|CalicoBgpConfiguration|CalicoTorChart|TigeraOperator|Calicoctl|CalicoCrds): /);
        return;
      }
      validated++;
      const violations = chart.calicoViolations();
      for (const v of violations) {
        assert.ok(v.kind && v.message && (v.severity === 'error' || v.severity === 'warning'), JSON.stringify(v));
      }
    }), { numRuns: 150, seed: 20261125 });
    assert.ok(validated > 40, `only ${validated} of 150 random charts got past the constructors`);
  });

  test('every object that passes validation also passes its CRD schema (checked independently with Ajv)', () => {
    fc.assert(fc.property(chartProps, (props) => {
      let chart: CalicoTorChart;
      try {
        chart = new CalicoTorChart(Testing.app(), 'p', props);
      } catch {
        return;
      }
      const objects = chart.manifests();
      if (chart.calicoViolations(objects).some((v) => v.severity === 'error')) return;
      for (const o of objects) {
        if (!/^(projectcalico\.org|operator\.tigera\.io)\//.test(o.apiVersion)) continue;
        assert.deepEqual(crdSchemaCheck(chart.calicoVersion, o), [], `${o.kind}/${o.metadata?.name} (${chart.calicoVersion})`);
      }
    }), { numRuns: 150, seed: 20261126 });
  });
});
