import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv from 'ajv';
import * as fc from 'fast-check';
import { CALICO_VERSIONS, CalicoApp, CalicoTorChart, CalicoTorChartProps, CalicoValidationError, CalicoVersion, validateManifests } from '../../src';
import { findCrd, loadCrd } from '../../src/releases/crd-store';
import { referenceCluster } from '../../examples/reference/main';
import { scratchApp } from '../fixtures/apps';

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

/**
 * Random chart props: mostly a coherent network (pools in disjoint /12s of 10.0.0.0/8, Service
 * ranges in 100.64.0.0/10, routers in 172.16.0.0/12), with a bad value now and then.
 */
const maybeBad = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<any>) => fc.oneof({ weight: 15, arbitrary: good }, { weight: 1, arbitrary: bad });
const pools = fc.array(fc.record({
  prefix: fc.integer({ min: 12, max: 20 }),
  bad: maybeBad(fc.constant(undefined), fc.constantFrom('10.0.0.1', 'fd00::/48', 'not-a-cidr', '10.0.0.0/33', '10.1.0.0/12')),
  blockSize: fc.option(maybeBad(fc.integer({ min: 20, max: 32 }), fc.integer({ min: -5, max: 140 })), { nil: undefined }),
  encapsulation: fc.option(fc.constantFrom('IPIP', 'IPIPCrossSubnet', 'VXLAN', 'VXLANCrossSubnet', 'None' as const), { nil: undefined }),
  natOutgoing: fc.option(fc.boolean(), { nil: undefined }),
  nodeSelector: fc.option(maybeBad(fc.constantFrom('all()', 'rack == "a"', 'has(edge)', 'rack in {"a","b"}'), fc.constantFrom('rack = a', '!!')), { nil: undefined }),
}), { minLength: 1, maxLength: 3 }).map((ps) => ps.map(({ prefix, bad, ...p }, i) => ({ ...p, cidr: bad ?? `10.${16 * i}.0.0/${prefix}` })));
const peers = fc.uniqueArray(fc.record({
  name: maybeBad(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/), fc.constantFrom('Bad_Name', '', '-x')),
  peerIp: maybeBad(fc.tuple(fc.integer({ min: 16, max: 31 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `172.${a}.${b}.${c}`),
    fc.constantFrom('10.0.0.300', 'fd00::1', '[fd00::1]:179', 'x', '10.0.0.5')),
  asNumber: maybeBad(fc.integer({ min: 1, max: 2147483647 }), fc.constantFrom(4200000000, -3)),
  keepOriginalNextHop: fc.option(fc.boolean(), { nil: undefined }),
}), { maxLength: 4, selector: (p) => p.name });
const chartProps: fc.Arbitrary<CalicoTorChartProps> = fc.record({
  calicoVersion: fc.constantFrom(...CALICO_VERSIONS),
  podIpPools: pools,
  asNumber: fc.option(maybeBad(fc.integer({ min: 1, max: 2147483647 }), fc.constantFrom(-1, 1.5, 5000000000)), { nil: undefined }),
  torPeers: peers,
  serviceClusterIps: fc.option(fc.uniqueArray(fc.integer({ min: 64, max: 127 }).map((b) => `100.${b}.0.0/16`), { maxLength: 2 }), { nil: undefined }),
  communities: fc.option(fc.uniqueArray(fc.record({
    name: fc.constantFrom('c1', 'c2', 'c3'),
    value: maybeBad(fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 65535 })).map(([a, b]) => `${a}:${b}`), fc.constantFrom('1:2:3:4', '70000:1', 'x')),
  }), { maxLength: 2, selector: (c) => c.name }), { nil: undefined }),
  listenPort: fc.option(maybeBad(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(0, 70000)), { nil: undefined }),
  logSeverity: fc.option(fc.constantFrom('Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal' as const), { nil: undefined }),
}, { requiredKeys: ['calicoVersion', 'podIpPools', 'torPeers'] }).map((p) => ({
  ...p,
  // Without peers, keep the mesh (else nodes lose pod routes: an error); communities need an advertisement.
  nodeToNodeMesh: p.torPeers.length === 0 ? true : undefined,
  prefixAdvertisements: p.communities && p.communities.length > 0 ? [{ cidr: p.podIpPools[0].cidr, communities: p.communities.map((c) => c.name) }] : undefined,
}));

describe('property: random chart props', () => {
  test('never crash: a construct error naming the prop, violations, or valid output', () => {
    let validated = 0;
    fc.assert(fc.property(chartProps, (props) => {
      let chart: CalicoTorChart;
      try {
        chart = new CalicoTorChart(scratchApp(), 'p', props);
      } catch (e) {
        // Every prop problem of the chart's constructs, in the validation's format.
        assert.ok(e instanceof CalicoValidationError, (e as Error).stack);
        assert.match(e.message, /^Calico validation failed with [1-9][0-9]* error\(s\):\n/);
        for (const v of e.violations) {
          assert.match(v.kind, /^(CalicoInstallation|CalicoBgpPeer|CalicoBgpConfiguration|CalicoTorChart|TigeraOperator|Calicoctl|CalicoCrds|BgpPasswordAccess)$/);
          assert.ok(v.path && v.message && v.severity === 'error', JSON.stringify(v));
        }
        return;
      }
      validated++;
      const violations = chart.calicoViolations();
      for (const v of violations) {
        assert.ok(v.kind && v.message && (v.severity === 'error' || v.severity === 'warning'), JSON.stringify(v));
      }
    }), { numRuns: 150, seed: 20261125 });
    assert.ok(validated > 60, `only ${validated} of 150 random charts got past the constructors`);
  });

  test('every object that passes validation also passes its CRD schema (checked independently with Ajv)', () => {
    let checked = 0;
    fc.assert(fc.property(chartProps, (props) => {
      let chart: CalicoTorChart;
      try {
        chart = new CalicoTorChart(scratchApp(), 'p', props);
      } catch {
        return;
      }
      const objects = chart.manifests();
      if (chart.calicoViolations(objects).some((v) => v.severity === 'error')) return;
      checked++;
      for (const o of objects) {
        if (!/^(projectcalico\.org|operator\.tigera\.io)\//.test(o.apiVersion)) continue;
        assert.deepEqual(crdSchemaCheck(chart.calicoVersion, o), [], `${o.kind}/${o.metadata?.name} (${chart.calicoVersion})`);
      }
    }), { numRuns: 150, seed: 20261126 });
    assert.ok(checked >= 50, `only ${checked} of 150 random charts were valid and reached the schema check`);
  });
});

describe('IPPool values where the release\'s CRD has no enum', () => {
  const pool = (spec: Record<string, unknown>) => ({ object: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.50.0.0/16', ...spec } } });
  test('v3.24.5: a mode in the wrong case and an unknown use are Calico errors (one per field)', () => {
    const vs = validateManifests([pool({ ipipMode: 'always', allowedUses: ['Workloads'] })], { calicoVersion: 'v3.24.5' }).filter((v) => v.severity === 'error');
    assert.deepEqual(vs.map((v) => `${v.path}: ${v.message}`), [
      'spec.ipipMode: ipipMode "always" is not allowed: use "Always", "CrossSubnet" or "Never"; did you mean "Always"?',
      'spec.allowedUses[0]: allowedUses value "Workloads" is not allowed in Calico v3.24.5: use "Workload", "Tunnel"',
    ]);
  });
  test('LoadBalancer pools need a release that has them', () => {
    assert.equal(validateManifests([pool({ allowedUses: ['LoadBalancer'] })], { calicoVersion: 'v3.24.5' }).filter((v) => v.path === 'spec.allowedUses[0]').length, 1);
    assert.equal(validateManifests([pool({ allowedUses: ['LoadBalancer'] })], { calicoVersion: 'v3.31.7' }).filter((v) => v.severity === 'error').length, 0);
  });
  test('v3.32.1: the schema\'s enum reports it, once', () => {
    const vs = validateManifests([pool({ ipipMode: 'always' })], { calicoVersion: 'v3.32.1' }).filter((v) => v.path === 'spec.ipipMode');
    assert.equal(vs.length, 1, JSON.stringify(vs));
  });
});

test('an IPv6 peer on a cluster whose nodes get no IPv6 address is a warning; with IPv6 autodetection it is fine', () => {
  const chart = (v6: boolean) => new CalicoTorChart(scratchApp(), 'v6', {
    nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] },
    nodeAddressAutodetectionV6: v6 ? { cidrs: ['fd00:31::/64'] } : undefined,
    torPeers: [{ name: 'tor-v4', peerIp: '10.31.0.1', asNumber: 65001 }, { name: 'tor-v6', peerIp: '[fd00:31::1]:179', asNumber: 65001 }],
  });
  const vs = chart(false).calicoViolations();
  assert.deepEqual(vs.map((v) => `${v.severity} ${v.kind}/${v.name} ${v.path}`), ['warning BGPPeer/tor-v6 spec.peerIP']);
  assert.match(vs[0].message, /^peerIP fd00:31::1 is IPv6, but the Installation gives the nodes no IPv6 address/);
  assert.deepEqual(chart(true).calicoViolations(), []);
});

test('label keys and values are checked as the Kubernetes API server does', () => {
  const peer = (labels: Record<string, string>) => ({ object: { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p', labels }, spec: { peerIP: '10.0.0.1', asNumber: 65000 } } });
  const found = validateManifests([peer({ 'bad key!': 'x', 'topology.kubernetes.io/zone': 'rack-a', 'Example.com/x': 'y', rack: 'has space' })], { calicoVersion: 'v3.32.1' });
  assert.deepEqual(found.map((v) => `${v.severity} ${v.path}`), [
    'error metadata.labels["bad key!"]',
    'error metadata.labels["Example.com/x"]',
    'error metadata.labels["rack"]',
  ]);
  assert.deepEqual(validateManifests([peer({ 'app.kubernetes.io/name': 'calico', empty: '' })], { calicoVersion: 'v3.32.1' }), []);
});
