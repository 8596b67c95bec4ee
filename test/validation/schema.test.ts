import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv from 'ajv';
import * as fc from 'fast-check';
import { crdIndex, loadCrd } from '../../src/releases/crd-store';
import { CALICO_VERSIONS, CalicoVersion } from '../../src/releases/releases';
import { compileCelWithLibrary, runCelRule, toCelValue, typeCheckCel } from '../../src/validation/schema/cel';
import { isCIDR } from '../../src/validation/schema/formats';
import { ApiMode } from '../../src/releases/resolve-release';
import { validateSchema } from '../../src/validation/schema/schema';
import { compileCelSubset } from '../../src/validation/schema/schema-cel-subset';
import { compilePattern } from '../../src/validation/schema/schema-pattern';
import { appendFieldPath, suggest } from '../../src/validation/schema/schema-text';
import { SchemaNode, SchemaWalk, schemaAt } from '../../src/validation/schema/schema-walk';
import { ManifestObject, Violation } from '../../src/model/violation';
import { REFERENCE_API_SERVER, REFERENCE_BGP_CONFIGURATION, REFERENCE_INSTALLATION, REFERENCE_IP_POOL, REFERENCE_OBJECTS, REFERENCE_OPENWRT_PEER } from '../fixtures/reference-objects';

/** A copy of `obj` with `spec` merged with `spec`. */
function withSpec(obj: ManifestObject, spec: Record<string, unknown>): ManifestObject {
  return { ...obj, spec: { ...(obj.spec as object), ...spec } };
}

function run(obj: unknown, calicoVersion: CalicoVersion, apiMode?: ApiMode): Violation[] {
  return validateSchema(obj as ManifestObject, { calicoVersion, apiMode });
}

function errors(obj: unknown, calicoVersion: CalicoVersion, apiMode?: ApiMode): Array<[string, string]> {
  return run(obj, calicoVersion, apiMode)
    .filter((v) => v.severity === 'error')
    .map((v) => [v.path, v.message]);
}

test('the reference cluster objects are valid under every supported release', () => {
  for (const release of CALICO_VERSIONS) {
    for (const obj of REFERENCE_OBJECTS) {
      assert.deepEqual(run(obj, release), [], `${obj.kind}/${obj.metadata?.name} on ${release}`);
    }
  }
});

test('violations carry the object apiVersion, kind and name', () => {
  const [v] = run(withSpec(REFERENCE_OPENWRT_PEER, { asNumber: 'x' }), 'v3.32.1');
  assert.equal(v.apiVersion, 'projectcalico.org/v3');
  assert.equal(v.kind, 'BGPPeer');
  assert.equal(v.name, 'openwrt-peer');
  assert.equal(v.severity, 'error');
});

// ---------------------------------------------------------------------------------------------
// Invalid objects: each case lists exactly the errors expected (path, message).

interface Case {
  readonly name: string;
  readonly release: CalicoVersion;
  readonly apiMode?: ApiMode;
  readonly object: unknown;
  readonly errors: ReadonlyArray<readonly [string, string | RegExp]>;
}

const cases: Case[] = [
  {
    name: 'a v3.31+ BGPPeer field on v3.24.5 names the releases that have it',
    release: 'v3.24.5',
    object: withSpec(REFERENCE_OPENWRT_PEER, { nextHopMode: 'Self' }),
    errors: [['spec.nextHopMode', 'field spec.nextHopMode is not in Calico v3.24.5 (added in a later release: available in v3.31.7, v3.32.1); remove it or select a newer calicoVersion']],
  },
  {
    name: 'a v3.31+ BGPConfiguration field on v3.24.5',
    release: 'v3.24.5',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { ignoredInterfaces: ['eth9'] }),
    errors: [['spec.ignoredInterfaces', 'field spec.ignoredInterfaces is not in Calico v3.24.5 (added in a later release: available in v3.31.7, v3.32.1); remove it or select a newer calicoVersion']],
  },
  {
    name: 'a v3.32 Installation ipPools field on v3.24.5, inside a list item',
    release: 'v3.24.5',
    object: { ...REFERENCE_INSTALLATION, spec: { calicoNetwork: { ipPools: [{ ...REFERENCE_IP_POOL, name: 'default-ipv4' }] } } },
    errors: [['spec.calicoNetwork.ipPools[0].name', /^field spec\.calicoNetwork\.ipPools\[0\]\.name is not in Calico v3\.24\.5 \(added in a later release: available in (v3\.31\.7, )?v3\.32\.1\)/]],
  },
  {
    name: 'a typo gets a did-you-mean (case)',
    release: 'v3.32.1',
    object: { ...REFERENCE_OPENWRT_PEER, spec: { peerIp: '10.31.254.253', asNumber: 64512 } },
    errors: [['spec.peerIp', 'field "peerIp" is mis-cased; the field is "peerIP". The API server (kubectl) prunes "peerIp" silently, so the value is lost, while calicoctl decodes field names case-insensitively and would read it: write "peerIP"']],
  },
  {
    name: 'a typo gets a did-you-mean (missing letter)',
    release: 'v3.24.5',
    object: { ...REFERENCE_OPENWRT_PEER, spec: { peerIP: '10.31.254.253', keepOrignalNextHop: true } },
    errors: [['spec.keepOrignalNextHop', 'unknown field "keepOrignalNextHop"; did you mean "keepOriginalNextHop"?']],
  },
  {
    name: 'a top-level typo (transposition); the misspelt spec does not count as spec',
    release: 'v3.32.1',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, sepc: { peerIP: '10.0.0.1' } },
    errors: [['sepc', 'unknown field "sepc"; did you mean "spec"?']],
  },
  {
    name: 'a metadata typo',
    release: 'v3.31.7',
    object: { ...REFERENCE_OPENWRT_PEER, metadata: { name: 'openwrt-peer', lables: { rack: 'r1' } } },
    errors: [['metadata.lables', 'unknown field "lables"; did you mean "labels"?']],
  },
  {
    name: 'label values must be strings',
    release: 'v3.31.7',
    object: { ...REFERENCE_OPENWRT_PEER, metadata: { name: 'openwrt-peer', labels: { rack: 1, 'topology.kubernetes.io/zone': true } } },
    errors: [
      ['metadata.labels.rack', 'must be a string; got number 1 (quote it: "1")'],
      ['metadata.labels["topology.kubernetes.io/zone"]', 'must be a string; got boolean true (quote it: "true")'],
    ],
  },
  {
    name: 'an unknown field with no close match lists the known fields',
    release: 'v3.24.5',
    object: withSpec(REFERENCE_API_SERVER, { replicas: 2 }),
    errors: [['spec.replicas', 'unknown field "replicas": this object takes no fields in Calico v3.24.5']],
  },
  {
    name: 'enum (v3.32.1 declares bindMode values)',
    release: 'v3.32.1',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { bindMode: 'nodeIP' }),
    errors: [['spec.bindMode', 'must be one of None, NodeIP; got "nodeIP"; did you mean "NodeIP"?']],
  },
  {
    name: 'enum in an Installation list item',
    release: 'v3.24.5',
    object: { ...REFERENCE_INSTALLATION, spec: { calicoNetwork: { ipPools: [{ cidr: '10.33.0.0/17', encapsulation: 'VXLANCrossSubnett' }] } } },
    errors: [['spec.calicoNetwork.ipPools[0].encapsulation', 'must be one of IPIPCrossSubnet, IPIP, VXLAN, VXLANCrossSubnet, None; got "VXLANCrossSubnett"; did you mean "VXLANCrossSubnet"?']],
  },
  {
    name: 'pattern (a community value must have 2 or 3 parts)',
    release: 'v3.24.5',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { communities: [{ name: 'bgp-large-community', value: '64512' }] }),
    errors: [['spec.communities[0].value', 'must match ^(\\d+):(\\d+)$|^(\\d+):(\\d+):(\\d+)$; got "64512"']],
  },
  {
    name: 'range',
    release: 'v3.31.7',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { listenPort: 70000 }),
    errors: [['spec.listenPort', 'must be an integer between 1 and 65535; got 70000']],
  },
  {
    name: 'type, with the fix',
    release: 'v3.32.1',
    object: withSpec(REFERENCE_OPENWRT_PEER, { asNumber: '64512' }),
    errors: [['spec.asNumber', 'must be an integer; got string "64512" (remove the quotes)']],
  },
  {
    name: 'type: a list where an object is expected, and a non-integer',
    release: 'v3.24.5',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { serviceClusterIPs: { cidr: '10.33.128.0/18' }, listenPort: 179.5 }),
    errors: [
      ['spec.serviceClusterIPs', 'must be a list; got an object (write it as a list, e.g. [value])'],
      ['spec.listenPort', 'must be an integer; got number 179.5'],
    ],
  },
  {
    name: 'required',
    release: 'v3.24.5',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool' }, spec: { blockSize: 26 } },
    errors: [['spec.cidr', 'required field "cidr" is missing']],
  },
  {
    name: 'required in list items (BGPFilter rules need an action)',
    release: 'v3.31.7',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'BGPFilter', metadata: { name: 'f' }, spec: { exportV4: [{ cidr: '10.0.0.0/8', matchOperator: 'In' }] } },
    errors: [['spec.exportV4[0].action', 'required field "action" is missing']],
  },
  {
    name: 'cidr format (v3.32.1), with the suggested fix',
    release: 'v3.32.1',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'pool' }, spec: { cidr: '10.33.0.1' } },
    errors: [['spec.cidr', 'CIDR mask is missing in "10.33.0.1". Did you mean "10.33.0.1/32"?']],
  },
  {
    name: 'CEL: peerIP and peerSelector together (v3.32.1)',
    release: 'v3.32.1',
    object: withSpec(REFERENCE_OPENWRT_PEER, { peerSelector: 'rack == "r1"', asNumber: 0 }),
    errors: [['spec', 'peerIP and peerSelector cannot both be set']],
  },
  {
    name: 'CEL: asNumber with peerSelector (v3.32.1)',
    release: 'v3.32.1',
    object: { ...REFERENCE_OPENWRT_PEER, spec: { peerSelector: 'rack == "r1"', asNumber: 64512 } },
    errors: [['spec', 'asNumber must be empty when peerSelector is set']],
  },
  {
    name: 'CEL: LoadBalancer pool with VXLAN (v3.32.1)',
    release: 'v3.32.1',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'lb' }, spec: { cidr: '10.40.0.0/24', vxlanMode: 'Always', allowedUses: ['LoadBalancer'] } },
    errors: [['spec', 'LoadBalancer IP pool cannot have IPIP or VXLAN enabled']],
  },
  {
    name: 'CEL: a root rule on the object name (Installation, v3.32.1)',
    release: 'v3.32.1',
    object: { ...REFERENCE_INSTALLATION, metadata: { name: 'calico' } },
    errors: [['', "resource name must be 'default', 'tigera-secure', or 'overlay'"]],
  },
  {
    name: 'CEL: nodeMeshPassword with the mesh off (v3.32.1, BGPConfiguration)',
    release: 'v3.32.1',
    object: withSpec(REFERENCE_BGP_CONFIGURATION, { nodeMeshPassword: { secretKeyRef: { name: 'bgp', key: 'password' } } }),
    errors: [['spec', 'nodeMeshPassword cannot be set when nodeToNodeMeshEnabled is false']],
  },
  {
    name: 'list-type set: duplicates (IPPool allowedUses, v3.32.1)',
    release: 'v3.32.1',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.40.0.0/24', allowedUses: ['Workload', 'Tunnel', 'Workload'] } },
    errors: [['spec.allowedUses[2]', 'duplicate item "Workload" (same as spec.allowedUses[0]): this list is a set and its items must be unique']],
  },
  {
    name: 'list-type map: duplicate keys (Installation resource claims, v3.32.1)',
    release: 'v3.32.1',
    object: withSpec(REFERENCE_INSTALLATION, { componentResources: [{ componentName: 'Node', resourceRequirements: { claims: [{ name: 'gpu' }, { name: 'gpu' }] } }] }),
    errors: [['spec.componentResources[0].resourceRequirements.claims[1]', 'duplicate entry name="gpu" (same as spec.componentResources[0].resourceRequirements.claims[0]): entries of this list must have unique name']],
  },
  {
    name: 'a kind the release does not have (BGPFilter in v3.24.5)',
    release: 'v3.24.5',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'BGPFilter', metadata: { name: 'f' }, spec: {} },
    errors: [['kind', /^BGPFilter is not available in Calico v3\.24\.5 \(added in a later release: available in v3\.31\.7, v3\.32\.1\); projectcalico\.org\/v3 kinds in v3\.24\.5: BGPConfiguration, BGPPeer, .*IPPool/]],
  },
  {
    name: 'a kind the release does not have (Tier in v3.24.5)',
    release: 'v3.24.5',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 't' }, spec: { order: 100 } },
    errors: [['kind', /^Tier is not available in Calico v3\.24\.5 \(added in a later release: available in v3\.31\.7, v3\.32\.1\)/]],
  },
  {
    name: 'a misspelt kind',
    release: 'v3.32.1',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'BgpPeer', metadata: { name: 'p' }, spec: {} },
    errors: [['kind', /^unknown projectcalico\.org\/v3 kind "BgpPeer" in Calico v3\.32\.1; did you mean "BGPPeer"\?/]],
  },
  {
    name: 'an operator kind under projectcalico.org',
    release: 'v3.32.1',
    object: { ...REFERENCE_INSTALLATION, apiVersion: 'projectcalico.org/v3' },
    errors: [['kind', 'Installation is not a projectcalico.org kind; it is operator.tigera.io/v1: use apiVersion operator.tigera.io/v1']],
  },
  {
    name: 'a wrong version names the served one',
    release: 'v3.32.1',
    object: { ...REFERENCE_OPENWRT_PEER, apiVersion: 'projectcalico.org/v1' },
    errors: [['apiVersion', 'projectcalico.org serves version v3 of BGPPeer, not "v1"; use apiVersion projectcalico.org/v3']],
  },
  {
    name: 'a wrong operator version',
    release: 'v3.24.5',
    object: { ...REFERENCE_API_SERVER, apiVersion: 'operator.tigera.io/v2' },
    errors: [['apiVersion', 'operator.tigera.io serves version v1 of APIServer, not "v2"; use apiVersion operator.tigera.io/v1']],
  },
  {
    name: 'crd.projectcalico.org/v1 written directly is refused',
    release: 'v3.32.1',
    object: { ...REFERENCE_OPENWRT_PEER, apiVersion: 'crd.projectcalico.org/v1' },
    errors: [['apiVersion', "writing crd.projectcalico.org/v1 objects is unsupported by Calico (they are the Calico API server's storage form); use apiVersion projectcalico.org/v3 with kind BGPPeer"]],
  },
  {
    name: 'crd.projectcalico.org/v1 IPAMConfig points to the v3 kind IPAMConfiguration',
    release: 'v3.24.5',
    object: { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPAMConfig', metadata: { name: 'default' }, spec: { strictAffinity: true } },
    errors: [['apiVersion', /use apiVersion projectcalico\.org\/v3 with kind IPAMConfiguration$/]],
  },
  {
    name: 'projectcalico.org/v3 IPAMConfig (libcalico-go\'s name) is checked against the IPAMConfiguration schema',
    release: 'v3.31.7',
    object: { apiVersion: 'projectcalico.org/v3', kind: 'IPAMConfig', metadata: { name: 'default' }, spec: { strictAffinity: 'yes', autoAllocateBlocks: true } },
    errors: [['spec.strictAffinity', /^must be a boolean/]],
  },
  {
    name: 'native v3 CRDs on v3.31.7 are refused',
    release: 'v3.31.7',
    apiMode: 'native-v3-crds',
    object: REFERENCE_OPENWRT_PEER,
    errors: [['apiVersion', /^apiMode 'native-v3-crds' needs the native projectcalico\.org\/v3 CRDs, which need Calico v3\.32 or later \(available in v3\.32\.1\)/]],
  },
  {
    name: 'native v3 CRDs on v3.32.1 check the native schema (CEL included)',
    release: 'v3.32.1',
    apiMode: 'native-v3-crds',
    object: withSpec(REFERENCE_OPENWRT_PEER, { peerSelector: 'all()', asNumber: 0, peerIp: 'x' }),
    errors: [
      ['spec.peerIp', 'field "peerIp" is mis-cased; the field is "peerIP". The API server (kubectl) prunes "peerIp" silently, so the value is lost, while calicoctl decodes field names case-insensitively and would read it: write "peerIP"'],
      ['spec', 'peerIP and peerSelector cannot both be set'],
    ],
  },
];

for (const c of cases) {
  test(`invalid: ${c.name}`, () => {
    const got = errors(c.object, c.release, c.apiMode);
    assert.equal(got.length, c.errors.length, `expected ${c.errors.length} error(s), got ${JSON.stringify(got, null, 1)}`);
    c.errors.forEach(([path, message], i) => {
      assert.equal(got[i][0], path);
      if (typeof message === 'string') assert.equal(got[i][1], message);
      else assert.match(got[i][1], message);
    });
  });
}

test('4-byte AS numbers are refused on every release whose schema declares asNumber as int32', () => {
  for (const release of CALICO_VERSIONS) {
    for (const [obj, crd] of [
      [REFERENCE_OPENWRT_PEER, 'bgppeers.crd.projectcalico.org'],
      [REFERENCE_BGP_CONFIGURATION, 'bgpconfigurations.crd.projectcalico.org'],
    ] as const) {
      const root = loadCrd(release, crd).spec.versions[0].schema?.openAPIV3Schema as SchemaNode;
      const declared = schemaAt(root, ['spec', 'asNumber']);
      assert.ok(declared, `${crd} ${release} has spec.asNumber`);
      const got = errors(withSpec(obj, { asNumber: 4200000000 }), release);
      if (declared.format === 'int32') {
        assert.deepEqual(got, [['spec.asNumber', `must be an integer between -2147483648 and 2147483647 (format int32 in the Calico ${release} schema); got 4200000000`]], `${obj.kind} ${release}`);
      } else {
        assert.deepEqual(got, [], `${obj.kind} ${release}`);
      }
      // The largest 2-byte-compatible private AS and a 4-byte AS within int32 stay valid.
      assert.deepEqual(errors(withSpec(obj, { asNumber: 2147483647 }), release), []);
    }
  }
});

test('CEL rules are per release: v3.31.7 has no BGPPeer rules, v3.32.1 does', () => {
  const both = withSpec(REFERENCE_OPENWRT_PEER, { peerSelector: 'all()' });
  assert.deepEqual(errors(both, 'v3.31.7'), []);
  assert.deepEqual(errors(both, 'v3.32.1'), [
    ['spec', 'peerIP and peerSelector cannot both be set'],
    ['spec', 'asNumber must be empty when peerSelector is set'],
  ]);
});

test('CEL rules are skipped when the object has type errors, as the API server does', () => {
  const got = errors(withSpec(REFERENCE_OPENWRT_PEER, { peerSelector: 'all()', keepOriginalNextHop: 'yes' }), 'v3.32.1');
  assert.deepEqual(got, [['spec.keepOriginalNextHop', 'must be a boolean (true or false); got string "yes"']]);
});

test('CEL transition rules (oldSelf) are skipped on create', () => {
  // IPPool spec.cidr and spec.blockSize carry `self == oldSelf` in v3.32.1.
  assert.deepEqual(errors({ apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.40.0.0/24', blockSize: 26 } }, 'v3.32.1'), []);
  assert.deepEqual(runCelRule({ rule: 'self == oldSelf', message: 'immutable' }, 1n), { kind: 'skipped-transition' });
});

test('CEL failure messages: messageExpression, then message, then the rule', () => {
  const self = toCelValue({ port: 70000 }, { type: 'object', properties: { port: { type: 'integer' } } });
  assert.deepEqual(runCelRule({ rule: 'self.port < 65536', messageExpression: "'port ' + string(self.port) + ' is too high'", message: 'bad port' }, self), {
    kind: 'fail',
    message: 'port 70000 is too high',
  });
  assert.deepEqual(runCelRule({ rule: 'self.port < 65536', messageExpression: 'self.nope', message: 'bad port' }, self), { kind: 'fail', message: 'bad port' });
  assert.deepEqual(runCelRule({ rule: 'self.port < 65536' }, self), { kind: 'fail', message: 'failed rule: self.port < 65536' });
  const err = runCelRule({ rule: 'self.missing == 1' }, self);
  assert.equal(err.kind, 'error');
});

test('CEL values follow the schema: integers are ints, unknown fields pruned, defaults applied', () => {
  const schema: SchemaNode = {
    type: 'object',
    properties: { n: { type: 'integer' }, x: { type: 'number' }, d: { type: 'boolean', default: true } },
  };
  assert.deepEqual(toCelValue({ n: 3, x: 2, typo: 1 }, schema), { n: 3n, x: 2, d: true });
  assert.deepEqual(runCelRule({ rule: 'self.n == 3 && self.d && !has(self.typo)' }, toCelValue({ n: 3, typo: 1 }, schema)), { kind: 'pass' });
});

test('the Kubernetes isCIDR function is available to rules', () => {
  assert.deepEqual(runCelRule({ rule: 'isCIDR(self)' }, '10.0.0.0/8'), { kind: 'pass' });
  assert.deepEqual(runCelRule({ rule: 'isCIDR(self)', message: 'bad' }, '10.0.0.0'), { kind: 'fail', message: 'bad' });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes structural-schema extensions, on synthetic schemas (the vendored CRDs use few of them).

function walkErrors(schema: SchemaNode, value: unknown): Array<[string, string]> {
  const walk = new SchemaWalk({ release: 'vX', unknownField: (path, _steps, key) => `unknown field "${key}" at ${path}` });
  walk.node(value, schema, 'spec', undefined);
  return walk.findings.filter((f) => f.severity === 'error').map((f) => [f.path, f.message]);
}

const extensionCases: ReadonlyArray<{ name: string; schema: SchemaNode; value: unknown; errors: Array<[string, string]> }> = [
  {
    name: 'preserve-unknown-fields allows anything below, known fields still checked',
    schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { n: { type: 'integer' } } },
    value: { n: 'x', free: { deep: [1, { any: true }] } },
    errors: [['spec.n', 'must be an integer; got string "x"']],
  },
  {
    name: 'additionalProperties as a schema is a map: keys free, values checked',
    schema: { type: 'object', additionalProperties: { type: 'string', maxLength: 3 } },
    value: { a: 'abc', 'b.c/d': 'abcd', e: 5 },
    errors: [
      ['spec["b.c/d"]', 'must be at most 3 characters long; got 4 characters'],
      ['spec.e', 'must be a string; got number 5 (quote it: "5")'],
    ],
  },
  {
    name: 'int-or-string takes either, and nothing else',
    schema: { type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } } },
    value: { port: true },
    errors: [['spec.port', 'must be an integer or a string; got boolean true']],
  },
  {
    name: 'int-or-string: integers and strings pass',
    schema: { type: 'array', items: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] } },
    value: [80, 'http'],
    errors: [],
  },
  {
    name: 'embedded-resource allows apiVersion, kind and metadata',
    schema: { type: 'object', properties: { obj: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } } } },
    value: { obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', nmae: 'x' }, spec: {}, data: {} } },
    errors: [
      ['spec.obj.metadata.nmae', 'unknown field "nmae"; did you mean "name"?'],
      ['spec.obj.data', 'unknown field "data" at spec.obj.data'],
    ],
  },
  {
    name: 'nullable fields take null; list items that are not nullable do not',
    schema: { type: 'object', properties: { t: { type: 'string', nullable: true }, l: { type: 'array', items: { type: 'integer' } } } },
    value: { t: null, l: [1, null] },
    errors: [['spec.l[1]', 'must be an integer; got null']],
  },
  {
    name: 'exclusive bounds (OpenAPI v3.0 booleans) and multipleOf',
    schema: { type: 'object', properties: { r: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1 }, m: { type: 'integer', multipleOf: 8 } } },
    value: { r: 0, m: 12 },
    errors: [
      ['spec.r', 'must be a number greater than 0 and at most 1; got 0'],
      ['spec.m', 'must be a multiple of 8; got 12'],
    ],
  },
  {
    name: 'lengths count characters (code points), item and entry counts',
    schema: { type: 'object', minProperties: 2, properties: { s: { type: 'string', minLength: 2 }, l: { type: 'array', maxItems: 1 } } },
    value: { s: '😀', l: [1, 2] },
    errors: [
      ['spec.s', 'must be at least 2 characters long; got "😀"'],
      ['spec.l', 'must have at most 1 item; got 2'],
    ],
  },
  {
    name: 'formats: date-time, byte, int64',
    schema: { type: 'object', properties: { t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' }, i: { type: 'integer', format: 'int64' } } },
    value: { t: '2024-02-30T10:00:00Z', b: 'not base64!', i: 1e20 },
    errors: [
      ['spec.t', 'must be an RFC 3339 date-time (e.g. 2024-01-31T12:00:00Z); got "2024-02-30T10:00:00Z"'],
      ['spec.b', 'must be base64-encoded data (standard alphabet, padded); got "not base64!"'],
      ['spec.i', 'must be an integer between -9223372036854775808 and 9223372036854775807 (format int64 in the Calico vX schema); got 100000000000000000000'],
    ],
  },
  {
    name: 'formats: valid date-time and byte pass',
    schema: { type: 'object', properties: { t: { type: 'string', format: 'date-time' }, b: { type: 'string', format: 'byte' } } },
    value: { t: '2024-02-29T10:00:00.5+01:00', b: 'aGVsbG8=' },
    errors: [],
  },
  {
    name: 'required fields with a default are filled by the API server',
    schema: { type: 'object', required: ['a', 'b'], properties: { a: { type: 'boolean', default: true }, b: { type: 'string' } } },
    value: {},
    errors: [['spec.b', 'required field "b" is missing']],
  },
];

for (const c of extensionCases) {
  test(`structural schema: ${c.name}`, () => {
    assert.deepEqual(walkErrors(c.schema, c.value), c.errors);
  });
}

test('CEL rule fieldPath values become violation paths', () => {
  assert.equal(appendFieldPath('spec', '.peerIP'), 'spec.peerIP');
  assert.equal(appendFieldPath('spec', ".ports[2].name"), 'spec.ports[2].name');
  assert.equal(appendFieldPath('', ".metadata.labels['app.kubernetes.io/name']"), 'metadata.labels["app.kubernetes.io/name"]');
  assert.equal(appendFieldPath('spec', 'not a path'), 'spec');
  assert.equal(appendFieldPath('spec', undefined), 'spec');
});

test('did-you-mean suggestions: case, typos and transpositions, nothing for unrelated words', () => {
  const fields = ['peerIP', 'peerSelector', 'asNumber', 'keepOriginalNextHop', 'node'];
  assert.equal(suggest('peerip', fields), 'peerIP');
  assert.equal(suggest('asnumebr', fields), 'asNumber');
  assert.equal(suggest('keepOriginalNexthop', fields), 'keepOriginalNextHop');
  assert.equal(suggest('password', fields), undefined);
  assert.equal(suggest('nod', fields), 'node');
});

// ---------------------------------------------------------------------------------------------
// Every pattern and CEL rule in the vendored schemas compiles.

function collect(node: unknown, patterns: Set<string>, rules: Set<string>): void {
  if (node === null || typeof node !== 'object') return;
  const n = node as Record<string, unknown>;
  if (typeof n.pattern === 'string') patterns.add(n.pattern);
  if (Array.isArray(n['x-kubernetes-validations'])) {
    for (const r of n['x-kubernetes-validations'] as Array<Record<string, unknown>>) {
      rules.add(r.rule as string);
      if (typeof r.messageExpression === 'string') rules.add(r.messageExpression);
    }
  }
  for (const v of Object.values(n)) collect(v, patterns, rules);
}

test('every pattern and every CEL rule of the vendored schemas compiles (all releases)', () => {
  const patterns = new Set<string>();
  const rules = new Set<string>();
  for (const release of CALICO_VERSIONS) {
    for (const entry of crdIndex(release)) {
      for (const v of loadCrd(release, entry.name).spec.versions) collect(v.schema?.openAPIV3Schema, patterns, rules);
    }
  }
  assert.ok(patterns.size >= 20, `found ${patterns.size} patterns`);
  assert.ok(rules.size >= 40, `found ${rules.size} rules`);
  for (const p of patterns) assert.doesNotThrow(() => compilePattern(p), p);
  for (const r of rules) assert.equal(typeCheckCel(r), undefined, r);
});

/** Every CEL rule (and messageExpression) of the vendored CRDs, by API group. */
function vendoredRules(): Map<string, Set<string>> {
  const byGroup = new Map<string, Set<string>>();
  for (const release of CALICO_VERSIONS) {
    for (const entry of crdIndex(release)) {
      const rules = byGroup.get(entry.group) ?? new Set<string>();
      for (const v of loadCrd(release, entry.name).spec.versions) collect(v.schema?.openAPIV3Schema, new Set(), rules);
      byGroup.set(entry.group, rules);
    }
  }
  return byGroup;
}

test('every CEL rule of the Calico and Tigera CRDs runs on the fast path (no CEL library load)', () => {
  for (const [group, rules] of vendoredRules()) {
    if (!['crd.projectcalico.org', 'projectcalico.org', 'operator.tigera.io'].includes(group)) continue;
    for (const r of rules) assert.ok(compileCelSubset(r) !== undefined, `${group}: ${r}`);
  }
});

test('rules outside the fast path still run, through cel-js', () => {
  assert.equal(compileCelSubset('isCIDR(self)'), undefined);
  assert.equal(compileCelSubset('self.a + 1 > 2'), undefined);
  assert.deepEqual(runCelRule({ rule: 'self.a + 1 > 2', message: 'small' }, { a: 1n }), { kind: 'fail', message: 'small' });
  assert.deepEqual(runCelRule({ rule: "self.name.matches('^[a-z]+$')" }, { name: 'abc' }), { kind: 'pass' });
  // A value the fast path does not model (a timestamp) falls back at evaluation time.
  const t = toCelValue('2024-01-31T12:00:00Z', { type: 'string', format: 'date-time' });
  assert.ok(t instanceof Date);
  assert.deepEqual(runCelRule({ rule: 'self == self' }, t), { kind: 'pass' });
});

/** Outcome of an evaluation, comparable across the two implementations. */
function outcome(run: () => unknown): { value: unknown } | { error: true } {
  try {
    return { value: run() };
  } catch {
    return { error: true };
  }
}

test('the CEL fast path agrees with cel-js on every vendored rule, on random values', () => {
  const rules = [...new Set([...vendoredRules().values()].flatMap((s) => [...s]))].filter((r) => compileCelSubset(r) !== undefined && !/\boldSelf\b/.test(r));
  assert.ok(rules.length >= 35, `${rules.length} rules`);
  const scalar = fc.constantFrom<unknown>('', 'a', 'TCP', 'Egress', 'LoadBalancer', 'Workload', 'Tunnel', 'Never', 'Always', 'Accept', 'Pass', 'Deny', 'Allow', 'default', 'node.a', 'kube-admin', 'tigera-secure', '10.0.0.0/8', 'fd00::/64', 0n, 1n, 6n, 64512n, -1n, 1.5, true, false, null);
  for (const rule of rules) {
    const keys = [...new Set(rule.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])].filter((k) => k !== 'self' && k !== 'has' && k !== 'size');
    const { value } = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof({ maxDepth: 3, depthIdentifier: 'v' }, scalar, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 4 })),
    }));
    const self = fc.oneof(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }), value);
    const fast = compileCelSubset(rule)!;
    const slow = compileCelWithLibrary(rule);
    fc.assert(
      fc.property(self, (v) => {
        const a = outcome(() => fast.evaluate(v));
        const b = outcome(() => slow.evaluate({ self: v }));
        assert.deepEqual(a, b, `rule ${rule} on ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`);
      }),
      { numRuns: 300, seed: 20261126 },
    );
  }
});

test('the CEL fast path agrees with cel-js on random expressions of its subset', () => {
  const { expr } = fc.letrec<{ expr: string; operand: string }>((tie) => ({
    operand: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'e' },
      fc.constantFrom('self.a', 'self.b.c', 'has(self.a)', 'has(self.b.c)', 'size(self.a)', 'self.l.size()', "'x'", "''", '1', '0', '-1', '1.5', 'true', 'false', 'null'),
      fc.constantFrom("self.l.exists(v, v == 'x')", 'self.l.all(v, has(v.c))', "self.a.startsWith('x')", "self.a.contains(':')", "self.b.exists(k, k == 'c')"),
      tie('expr').map((e) => `(${e})`),
      tie('operand').map((e) => `!${e}`),
    ),
    expr: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'e' },
      tie('operand'),
      fc.tuple(tie('operand'), fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '&&', '||'), tie('operand')).map(([a, op, b]) => `${a} ${op} ${b}`),
      fc.tuple(tie('operand'), fc.constantFrom('&&', '||'), tie('operand'), fc.constantFrom('&&', '||', '=='), tie('operand')).map(([a, o1, b, o2, c]) => `${a} ${o1} ${b} ${o2} ${c}`),
      fc.tuple(tie('operand'), tie('operand'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    ),
  }));
  const scalar = fc.constantFrom<unknown>('', 'x', 'x:y', 'ab', 0n, 1n, -1n, 1.5, true, false, null);
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof({ maxDepth: 2, depthIdentifier: 'v' }, scalar, scalar, fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', 'l'), tie('value'), { maxKeys: 3 })),
  }));
  const self = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'l'), value, { maxKeys: 4 });
  fc.assert(
    fc.property(expr, fc.array(self, { minLength: 3, maxLength: 3 }), (e, selves) => {
      // Ill-typed expressions (e.g. `true || 1.5`) cannot be in a CRD: the API server refuses them.
      fc.pre(typeCheckCel(e) === undefined);
      const fast = compileCelSubset(e);
      assert.ok(fast !== undefined, `not in the subset: ${e}`);
      const slow = compileCelWithLibrary(e);
      for (const v of selves) {
        assert.deepEqual(outcome(() => fast.evaluate(v)), outcome(() => slow.evaluate({ self: v })), `${e} on ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}`);
      }
    }),
    { numRuns: 1500, seed: 20261127 },
  );
});

test('Go (?i) patterns match case-insensitively, anchored as in Go', () => {
  const re = compilePattern('^(?i)(Off|Info|Debug)?$');
  assert.ok(re.test('info') && re.test('DEBUG') && re.test(''));
  assert.ok(!re.test('Warning') && !re.test('Info\n'));
  assert.ok(compilePattern('\\Aa[[:digit:]]+\\z').test('a12'));
  assert.deepEqual(errors(withSpec(REFERENCE_BGP_CONFIGURATION, { logSeverityScreen: 'info' }), 'v3.24.5'), []);
});

test('the cidr format accepts what Go net.ParseCIDR accepts, host bits included', () => {
  for (const ok of ['10.0.0.0/8', '10.0.0.1/24', '0.0.0.0/0', 'fd00::/64', '::ffff:10.0.0.1/128']) assert.ok(isCIDR(ok), ok);
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '010.0.0.0/8', '10.1/8', 'fe80::1%eth0/64', '10.0.0.0/8/8', 'fd00::/129', '']) assert.ok(!isCIDR(bad), bad);
});

// ---------------------------------------------------------------------------------------------
// Bad input never throws.

test('garbage input returns violations, never throws', () => {
  const cyclic: Record<string, unknown> = { peerIP: '10.0.0.1' };
  cyclic.self = cyclic;
  const garbage: unknown[] = [
    null,
    undefined,
    42,
    'BGPPeer',
    [],
    {},
    { apiVersion: 5, kind: 'BGPPeer' },
    { apiVersion: 'projectcalico.org/v3' },
    { apiVersion: 'projectcalico.org/v3', kind: 7 },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: 'x', spec: 'x' },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 12 }, spec: [1, 2] },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, spec: null },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, spec: { asNumber: NaN, peerIP: Infinity } },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, spec: { asNumber: 64512n, peerIP: new Date() } },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p', labels: [] }, spec: { password: () => 1 } },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPConfiguration', metadata: { name: 'p' }, spec: { communities: [null, 1, [], { value: {} }] } },
    { apiVersion: 'projectcalico.org/v3', kind: 'BGPPeer', metadata: { name: 'p' }, spec: cyclic },
    { apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' }, spec: { calicoNetwork: { ipPools: 'all' } } },
    { apiVersion: 'operator.tigera.io/v1', kind: 'Installation', metadata: { name: 'default' }, spec: { calicoNetwork: { ipPools: [null, []] } } },
  ];
  for (const release of CALICO_VERSIONS) {
    for (const mode of ['apiserver', 'native-v3-crds'] as const) {
      for (const g of garbage) {
        const got = run(g, release, mode);
        assert.ok(Array.isArray(got));
        for (const v of got) {
          assert.equal(typeof v.path, 'string');
          assert.equal(typeof v.message, 'string');
          assert.equal(typeof v.name, 'string');
          assert.equal(typeof v.kind, 'string');
        }
      }
    }
  }
  assert.deepEqual(errors(null, 'v3.32.1'), [['', 'must be an object (a Kubernetes manifest); got null']]);
  assert.deepEqual(errors({ kind: 'BGPPeer' }, 'v3.32.1'), [['apiVersion', 'required field "apiVersion" is missing (e.g. projectcalico.org/v3 or operator.tigera.io/v1)']]);
  assert.deepEqual(errors({ apiVersion: 'apps/v1', kind: 'Deployment', spec: 'x' }, 'v3.32.1'), [], 'other API groups are not checked here');
  assert.deepEqual(errors(REFERENCE_OPENWRT_PEER, 'v9.9.9' as CalicoVersion), [['', 'Calico version "v9.9.9" is not supported; use one of v3.24.5, v3.31.7, v3.32.1']]);
});

test('random specs never make the validator throw', () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  fc.assert(
    fc.property(fc.constantFrom('BGPPeer', 'BGPConfiguration', 'IPPool', 'FelixConfiguration'), fc.constantFrom(...CALICO_VERSIONS), fc.dictionary(fc.constantFrom('peerIP', 'asNumber', 'cidr', 'communities', 'bindMode', 'allowedUses', 'x'), json), (kind, release, spec) => {
      const got = run({ apiVersion: 'projectcalico.org/v3', kind, metadata: { name: 'r' }, spec }, release);
      assert.ok(Array.isArray(got));
    }),
    { numRuns: 300, seed: 20261128 },
  );
});

test('output is deterministic and in data order', () => {
  const obj = withSpec(REFERENCE_BGP_CONFIGURATION, { zzz: 1, listenPort: 0, aaa: 2 });
  const a = errors(obj, 'v3.31.7');
  assert.deepEqual(a, errors(obj, 'v3.31.7'));
  assert.deepEqual(
    a.map(([p]) => p),
    ['spec.listenPort', 'spec.zzz', 'spec.aaa'],
  );
});

test('null fields are treated as unset (with a warning), as the API server prunes them', () => {
  const got = run(withSpec(REFERENCE_OPENWRT_PEER, { keepOriginalNextHop: null }), 'v3.24.5');
  assert.deepEqual(
    got.map((v) => [v.path, v.severity]),
    [['spec.keepOriginalNextHop', 'warning']],
  );
});

// ---------------------------------------------------------------------------------------------
// Only what is used gets loaded (checked in a fresh process).

function statsAfter(script: string): { schemasLoaded: string[]; celLibraryLoaded: boolean; celExpressionsCompiled: number } {
  const schemaModule = join(__dirname, '..', '..', 'src', 'validation', 'schema', 'schema.js');
  const out = execFileSync(process.execPath, ['-e', `const m = require(${JSON.stringify(schemaModule)}); ${script}; console.log(JSON.stringify(m.schemaValidationStats()))`], { encoding: 'utf8' });
  return JSON.parse(out);
}

test('validating one BGPPeer loads only the BGPPeer schema, never the Installation schema', () => {
  const peer = JSON.stringify(REFERENCE_OPENWRT_PEER);
  const v32 = statsAfter(`m.validateSchema(${peer}, { calicoVersion: 'v3.32.1' })`);
  assert.deepEqual(v32.schemasLoaded, ['v3.32.1/bgppeers.crd.projectcalico.org']);
  assert.equal(v32.celExpressionsCompiled, 6, 'the six v3.32.1 BGPPeer spec rules, each compiled once');
  const v24 = statsAfter(`for (let i = 0; i < 100; i++) m.validateSchema(${peer}, { calicoVersion: 'v3.24.5' })`);
  assert.deepEqual(v24.schemasLoaded, ['v3.24.5/bgppeers.crd.projectcalico.org']);
  assert.equal(v24.celExpressionsCompiled, 0, 'v3.24.5 has no CEL rules');
  const many = statsAfter(`for (let i = 0; i < 200; i++) m.validateSchema({ ...${peer}, metadata: { name: 'p' + i } }, { calicoVersion: 'v3.32.1' })`);
  assert.equal(many.celExpressionsCompiled, 6, '200 BGPPeers compile the same six rules once');
});

test('the reference cluster on v3.32.1 runs its CEL rules without loading the CEL library', () => {
  const objects = JSON.stringify(REFERENCE_OBJECTS);
  const stats = statsAfter(`for (const o of ${objects}) if (m.validateSchema(o, { calicoVersion: 'v3.32.1' }).length) throw new Error('unexpected violation')`);
  assert.ok(stats.celExpressionsCompiled >= 10, `${stats.celExpressionsCompiled} rules compiled`);
  assert.equal(stats.celLibraryLoaded, false);
});

// ---------------------------------------------------------------------------------------------
// The walk agrees with Ajv on the standard JSON-schema keywords.

/** OpenAPI 3.0 (boolean exclusiveMinimum/Maximum) to the draft-07 form Ajv expects. */
function toDraft7(s: SchemaNode): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  delete out.exclusiveMinimum;
  delete out.exclusiveMaximum;
  if (s.exclusiveMinimum === true && s.minimum !== undefined) {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && s.maximum !== undefined) {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (s.items) out.items = toDraft7(s.items);
  if (s.properties) out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toDraft7(v)]));
  for (const c of ['allOf', 'anyOf', 'oneOf'] as const) if (s[c]) out[c] = s[c]!.map(toDraft7);
  if (s.not) out.not = toDraft7(s.not);
  return out;
}

const small = fc.integer({ min: -3, max: 12 });
const leafSchema: fc.Arbitrary<SchemaNode> = fc.oneof(
  fc.record(
    {
      type: fc.constant('string'),
      minLength: fc.integer({ min: 0, max: 3 }),
      maxLength: fc.integer({ min: 0, max: 4 }),
      pattern: fc.constantFrom('^[a-z]+$', '^(?i)(Info|Debug)?$', '\\d', '^a'),
      enum: fc.constantFrom(['a', 'ab'], ['Info', 'info', '']),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('integer', 'number'),
      minimum: small,
      maximum: small,
      exclusiveMinimum: fc.boolean(),
      exclusiveMaximum: fc.boolean(),
      multipleOf: fc.constantFrom(1, 2, 3, 0.5),
      enum: fc.constantFrom([0, 1, 2], [1.5, 3]),
    },
    { requiredKeys: ['type'] },
  ),
  fc.constant<SchemaNode>({ type: 'boolean' }),
);
const { schema: randomSchema } = fc.letrec<{ schema: SchemaNode }>((tie) => ({
  schema: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'schema' },
    leafSchema,
    fc.record({ type: fc.constant('array'), items: tie('schema'), minItems: fc.integer({ min: 0, max: 2 }), maxItems: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['type'] }),
    fc.record(
      {
        type: fc.constant('object'),
        properties: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('schema'), { maxKeys: 3 }),
        required: fc.subarray(['a', 'b', 'c']),
        additionalProperties: fc.constant(true),
        minProperties: fc.integer({ min: 0, max: 2 }),
        maxProperties: fc.integer({ min: 0, max: 3 }),
      },
      { requiredKeys: ['type', 'additionalProperties'] },
    ),
    fc.record({ anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ allOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 2 }) }),
    fc.record({ not: tie('schema') }),
  ),
}));
const { value: randomValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'value' },
    fc.constantFrom('', 'a', 'ab', 'abc', 'Info', 'info', 'a1', '7', 'é'),
    fc.integer({ min: -4, max: 14 }).map((n) => n / 2),
    fc.boolean(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 3 }),
  ),
}));

test('the walk agrees with Ajv on types, enums, patterns, ranges, lengths, counts, required and combinators', () => {
  const ajv = new Ajv({ strict: false, allErrors: false });
  // Unknown fields are a Kubernetes notion (pruning), not a JSON-schema one: left out of the comparison.
  const env = { release: 'test', unknownField: () => 'unknown field' };
  fc.assert(
    fc.property(randomSchema, randomValue, (schema, value) => {
      const walk = new SchemaWalk(env);
      walk.node(value, schema, '', undefined);
      const ours = walk.findings.filter((f) => f.severity === 'error' && f.message !== 'unknown field').length === 0;
      // Ajv has no (?i): give it the translated pattern, as we run it.
      const draft7 = JSON.parse(JSON.stringify(toDraft7(schema)).split('^(?i)(Info|Debug)?$').join('^([Ii][Nn][Ff][Oo]|[Dd][Ee][Bb][Uu][Gg])?$'));
      const theirs = ajv.validate(draft7, value) as boolean;
      assert.equal(ours, theirs, `schema ${JSON.stringify(schema)} value ${JSON.stringify(value)}: ours ${JSON.stringify(walk.findings)}`);
    }),
    { numRuns: 2000, seed: 20261129 },
  );
});
