import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { CalicoApp } from '../src';
import { referenceCluster } from '../examples/reference/main';
import { REFERENCE_API_SERVER, REFERENCE_BGP_CONFIGURATION, REFERENCE_INSTALLATION, REFERENCE_IP_POOL, REFERENCE_PEERS } from './fixtures/reference-objects';

const DIST = join(__dirname, '..', '..', 'dist');

function synthReference() {
  const app = new CalicoApp({ outdir: 'unused' });
  referenceCluster(app);
  return app.synthFiles();
}

test('dist/ is in step with the code (run `npm run synth` to update it)', () => {
  const files = synthReference();
  assert.deepEqual(readdirSync(DIST).sort(), files.map((f) => f.name).sort(), 'file names in dist/');
  for (const f of files) {
    assert.equal(readFileSync(join(DIST, f.name), 'utf8'), f.content, `dist/${f.name} differs from what the code synthesizes`);
  }
});

test('the reference cluster synthesizes byte-identical output twice', () => {
  assert.deepEqual(synthReference(), synthReference());
});

/** The reference cluster as written in reference-cluster.md (YAML 1.2 parse of the staged files). */
test('dist/ holds exactly the reference cluster objects, plus only the allowed additions', () => {
  const docs = synthReference().filter((f) => f.name !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS()));
  const get = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);

  const inst = get('Installation', 'default');
  assert.equal(inst.apiVersion, REFERENCE_INSTALLATION.apiVersion);
  // Allowed additions: a pool name (only where the release has the field; v3.24.5 has not) and bgp: Enabled.
  assert.deepEqual(inst.spec, { calicoNetwork: { bgp: 'Enabled', ipPools: [REFERENCE_IP_POOL] } });
  for (const expected of [REFERENCE_API_SERVER, REFERENCE_BGP_CONFIGURATION, ...REFERENCE_PEERS]) {
    assert.deepEqual(get(expected.kind, expected.metadata!.name!), expected);
  }
  const calicoObjects = docs.filter((d) => /projectcalico\.org|operator\.tigera\.io\/v1$/.test(d.apiVersion) && d.kind !== 'CustomResourceDefinition');
  assert.deepEqual(calicoObjects.map((d) => `${d.kind}/${d.metadata.name}`).sort(),
    ['APIServer/default', 'BGPConfiguration/default', 'BGPPeer/openwrt-peer', 'BGPPeer/tiny-unraid-peer', 'Installation/default']);
});

test('community values are quoted in the YAML (never base-60 integers to a YAML 1.1 parser)', () => {
  const resources = synthReference().find((f) => f.name === '03-calico-resources.yaml')!;
  assert.match(resources.content, /value: "64517:300:100"/);
  assert.match(resources.content, /- "64517:120"/);
  for (const d of parseAllDocuments(resources.content, { version: '1.1' })) {
    const spec = (d.toJS() as any).spec;
    if (spec.communities) assert.equal(typeof spec.communities[0].value, 'string');
  }
});

test('dist/ is a complete, staged install: CRDs, operator, Installation/APIServer/calicoctl, BGP objects; no Helm hooks', () => {
  const files = synthReference();
  const kinds = (name: string) => parseAllDocuments(files.find((f) => f.name === name)!.content).map((d) => (d.toJS() as any).kind);
  assert.deepEqual([...new Set(kinds('00-crds.yaml'))], ['CustomResourceDefinition']);
  assert.equal(kinds('00-crds.yaml').length, 21);
  assert.deepEqual(kinds('01-tigera-operator.yaml'), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Deployment']);
  assert.deepEqual(kinds('02-calico-installation.yaml'), ['Installation', 'APIServer', 'ServiceAccount', 'DaemonSet']);
  assert.deepEqual(kinds('03-calico-resources.yaml'), ['BGPPeer', 'BGPPeer', 'BGPConfiguration']);
  for (const f of files) assert.doesNotMatch(f.content, /helm\.sh\/hook/, f.name);
});

test('dist/ has no write-capable RBAC for a node-wide workload (DaemonSet): the calicoctl pods get no token and no role', () => {
  const objects = synthReference().flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJS() as any));
  const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*'];
  const daemonSets = objects.filter((o) => o.kind === 'DaemonSet');
  assert.deepEqual(daemonSets.map((d) => d.metadata.name), ['calicoctl']);
  for (const ds of daemonSets) {
    const pod = ds.spec.template.spec;
    const account = pod.serviceAccountName ?? 'default';
    assert.equal(pod.automountServiceAccountToken, false, `${ds.metadata.name}: no token`);
    const bindings = objects.filter((o) => (o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding')
      && (o.subjects ?? []).some((s: any) => s.kind === 'ServiceAccount' && s.name === account && s.namespace === ds.metadata.namespace));
    for (const b of bindings) {
      const role = objects.find((o) => o.kind === b.roleRef.kind && o.metadata.name === b.roleRef.name);
      const writes = (role?.rules ?? []).flatMap((r: any) => r.verbs.filter((v: string) => WRITE.includes(v)));
      assert.deepEqual(writes, [], `${ds.metadata.name} is bound to ${b.roleRef.name} with write verbs`);
    }
    assert.deepEqual(bindings, [], `${ds.metadata.name}: its ServiceAccount is bound to no role`);
  }
});
