import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { operatorReferenceManifest } from '../../src/releases/crd-store';
import { CALICO_RELEASES, CALICO_VERSIONS, CalicoVersion } from '../../src/releases/releases';
import { TigeraOperator, TigeraOperatorProps } from '../../src/constructs/tigera-operator';

type Obj = Record<string, any>;

function synth(props: TigeraOperatorProps = {}): Obj[] {
  const chart = Testing.chart();
  new TigeraOperator(chart, 'Operator', props);
  return Testing.synth(chart);
}

/**
 * Paths where `actual` and `expected` differ. Semantically irrelevant: key order (objects are
 * compared key by key) and `null` values (Kubernetes reads a null field as an absent one). Array
 * order is significant everywhere, RBAC rules included.
 */
function diff(actual: unknown, expected: unknown, path = ''): string[] {
  if (Array.isArray(actual) && Array.isArray(expected)) {
    const out: string[] = [];
    for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
      if (i >= actual.length) out.push(`${path}[${i}] missing`);
      else if (i >= expected.length) out.push(`${path}[${i}] extra`);
      else out.push(...diff(actual[i], expected[i], `${path}[${i}]`));
    }
    return out;
  }
  const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(actual) && isObj(expected)) {
    const a = actual as Obj;
    const e = expected as Obj;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(e)])].sort();
    const out: string[] = [];
    for (const k of keys) {
      const p = path ? `${path}.${k}` : k;
      const av = a[k] ?? undefined;
      const ev = e[k] ?? undefined;
      if (av === undefined && ev === undefined) continue;
      if (av === undefined) out.push(`${p} missing`);
      else if (ev === undefined) out.push(`${p} extra`);
      else out.push(...diff(av, ev, p));
    }
    return out;
  }
  return actual === expected ? [] : [`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`];
}

/** Differences of a synthesized object list from the release's upstream objects, per Kind/name. */
function diffFromUpstream(objects: Obj[], version: CalicoVersion): string[] {
  const upstream = operatorReferenceManifest(version);
  const key = (o: Obj) => `${o.kind}/${o.metadata?.name}`;
  const out: string[] = [];
  const mine = new Map(objects.map((o) => [key(o), o]));
  for (const u of upstream) {
    const o = mine.get(key(u));
    if (!o) out.push(`${key(u)} missing`);
    else out.push(...diff(o, u).map((d) => `${key(u)} ${d}`));
    mine.delete(key(u));
  }
  for (const k of mine.keys()) out.push(`${k} extra`);
  return out;
}

const find = (objs: Obj[], kind: string, name?: string): Obj => {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name));
  assert.ok(o, `${kind}/${name} not found`);
  return o;
};
const podSpec = (objs: Obj[]) => find(objs, 'Deployment').spec.template.spec;
const container = (objs: Obj[]) => podSpec(objs).containers[0];

for (const version of CALICO_VERSIONS) {
  test(`${version}: the operator equals upstream's tigera-operator.yaml object by object, in upstream's order`, () => {
    const objects = synth({ calicoVersion: version });
    const upstream = operatorReferenceManifest(version);
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), upstream.map((o) => `${o.kind}/${o.metadata.name}`));
    assert.deepEqual(diffFromUpstream(objects, version), []);
  });
}

test('the comparison detects differences, including cdk8s-plus defaults left in', () => {
  const objects = synth({ calicoVersion: 'v3.32.1' });
  const tampered: Obj[] = JSON.parse(JSON.stringify(objects));
  find(tampered, 'ClusterRole', 'tigera-operator').rules[0].verbs.pop();
  const pod = podSpec(tampered);
  pod.containers[0].securityContext = { runAsNonRoot: true };
  pod.containers[0].env[3].value = 'v1.42.2';
  delete pod.hostNetwork;
  pod.tolerations.reverse();
  find(tampered, 'Namespace').metadata.labels['cdk8s.io/metadata.addr'] = 'x';
  assert.deepEqual(diffFromUpstream(tampered, 'v3.32.1').sort(), [
    'ClusterRole/tigera-operator rules[0].verbs[3] missing',
    'Deployment/tigera-operator spec.template.spec.containers[0].env[3].value: "v1.42.2" != "v1.42.3"',
    'Deployment/tigera-operator spec.template.spec.containers[0].securityContext extra',
    'Deployment/tigera-operator spec.template.spec.hostNetwork missing',
    'Deployment/tigera-operator spec.template.spec.tolerations[0].effect: "NoSchedule" != "NoExecute"',
    'Deployment/tigera-operator spec.template.spec.tolerations[1].effect: "NoExecute" != "NoSchedule"',
    'Namespace/tigera-operator metadata.labels.cdk8s.io/metadata.addr extra',
  ].sort());
  // A different release is a different manifest.
  assert.notDeepEqual(diffFromUpstream(synth({ calicoVersion: 'v3.31.7' }), 'v3.32.1'), []);
});

test('the release table agrees with each reference manifest (image, -manage-crds)', () => {
  for (const version of CALICO_VERSIONS) {
    const release = CALICO_RELEASES[version];
    const c = container(operatorReferenceManifest(version) as Obj[]);
    assert.equal(c.image, `${release.operatorImage}:${release.operatorVersion}`, version);
    assert.equal((c.args ?? []).includes('-manage-crds=true'), release.operatorManagesCrds, version);
  }
});

test('per-release differences come through: v3.24.5 has no -manage-crds, no grace period, no secrets role', () => {
  const old = synth({ calicoVersion: 'v3.24.5' });
  const cur = synth({ calicoVersion: 'v3.32.1' });
  assert.equal(container(old).args, undefined);
  assert.deepEqual(container(cur).args, ['-manage-crds=true']);
  assert.equal(podSpec(old).terminationGracePeriodSeconds, undefined);
  assert.equal(podSpec(cur).terminationGracePeriodSeconds, 60);
  assert.equal(old.filter((o) => o.kind === 'RoleBinding').length, 0);
  assert.equal(find(cur, 'RoleBinding', 'tigera-operator-secrets').metadata.namespace, 'tigera-operator');
  assert.equal(find(cur, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'], 'privileged');
  assert.equal(find(old, 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce'], undefined);
  const env = (objs: Obj[]) => container(objs).env.find((e: Obj) => e.name === 'TIGERA_OPERATOR_INIT_IMAGE_VERSION').value;
  assert.equal(env(old), 'v1.28.5');
  assert.equal(env(cur), 'v1.42.3');
});

test('registry rewrites only the operator image', () => {
  const objects = synth({ calicoVersion: 'v3.32.1', registry: 'registry.example.com' });
  assert.equal(container(objects).image, 'registry.example.com/tigera/operator:v1.42.3');
  assert.deepEqual(diffFromUpstream(objects, 'v3.32.1'), [
    'Deployment/tigera-operator spec.template.spec.containers[0].image: "registry.example.com/tigera/operator:v1.42.3" != "quay.io/tigera/operator:v1.42.3"',
  ]);
  const mirrored = synth({ calicoVersion: 'v3.24.5', registry: 'harbor.corp.example:5000/quay-proxy' });
  assert.equal(container(mirrored).image, 'harbor.corp.example:5000/quay-proxy/tigera/operator:v1.28.5');
});

test('a bad registry is refused with the prop, the value and what is allowed', () => {
  assert.throws(() => synth({ registry: 'https://registry.example.com/' }),
    /TigeraOperator\/\S+ registry: "https:\/\/registry\.example\.com\/" is not a registry host\[:port\]\[\/path\] without scheme or trailing slash.*did you mean "registry\.example\.com"\?/);
  assert.throws(() => synth({ registry: 'registry.example.com/Mirror' }), /registry: "registry\.example\.com\/Mirror" is not a registry host/);
  assert.throws(() => synth({ registry: 'quay.io/tigera/operator:v1.42.3' }), /registry: "quay\.io\/tigera\/operator:v1\.42\.3" is not a registry host/);
  assert.throws(() => synth({ registry: 'registry.example.com:99999' }), /registry: "registry\.example\.com:99999" has port 99999; a port is 1-65535/);
  assert.throws(() => synth({ registry: '' }), /TigeraOperator\/\S+ registry: "" is not a registry/);
});

test('imagePullSecrets go on the operator ServiceAccount, as references', () => {
  const cur = synth({ calicoVersion: 'v3.32.1', imagePullSecrets: ['quay-mirror', 'corp-registry'] });
  assert.deepEqual(find(cur, 'ServiceAccount').imagePullSecrets, [{ name: 'quay-mirror' }, { name: 'corp-registry' }]);
  assert.deepEqual(diffFromUpstream(cur, 'v3.32.1').sort(), [
    'ServiceAccount/tigera-operator imagePullSecrets[0] extra',
    'ServiceAccount/tigera-operator imagePullSecrets[1] extra',
  ]);
  // v3.24.5's ServiceAccount has no imagePullSecrets field: absent by default, added when asked.
  assert.equal(find(synth({ calicoVersion: 'v3.24.5' }), 'ServiceAccount').imagePullSecrets, undefined);
  assert.deepEqual(find(synth({ calicoVersion: 'v3.24.5', imagePullSecrets: ['quay-mirror'] }), 'ServiceAccount').imagePullSecrets, [{ name: 'quay-mirror' }]);
  assert.throws(() => synth({ imagePullSecrets: ['Quay_Mirror'] }), /TigeraOperator\/\S+ imagePullSecrets\[0\]: "Quay_Mirror" is not a valid name: .*e\.g\. "quay-mirror"/);
  assert.throws(() => synth({ imagePullSecrets: ['a', 'a'] }), /imagePullSecrets\[1\]: "a" is listed twice/);
});

test('tolerations replace upstream\'s; extraTolerations add to them', () => {
  const upstream = podSpec(operatorReferenceManifest('v3.32.1') as Obj[]).tolerations;
  const controlPlane = { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' as const, effect: 'NoSchedule' as const };
  const replaced = synth({ tolerations: [controlPlane] });
  assert.deepEqual(podSpec(replaced).tolerations, [controlPlane]);
  const extended = synth({ extraTolerations: [{ key: 'dedicated', value: 'network', effect: 'NoExecute', tolerationSeconds: 300 }] });
  assert.deepEqual(podSpec(extended).tolerations, [...upstream, { key: 'dedicated', value: 'network', effect: 'NoExecute', tolerationSeconds: 300 }]);
  const both = synth({ tolerations: [controlPlane], extraTolerations: [{ operator: 'Exists' }] });
  assert.deepEqual(podSpec(both).tolerations, [controlPlane, { operator: 'Exists' }]);
  assert.deepEqual(podSpec(synth({ tolerations: [] })).tolerations, undefined);
});

test('bad tolerations are refused with the path and what is allowed', () => {
  assert.throws(() => synth({ tolerations: [{ key: 'a', operator: 'Exists', value: 'b' }] }),
    /TigeraOperator\/\S+ tolerations\[0\]\.value: "b" is not allowed with operator 'Exists'/);
  assert.throws(() => synth({ extraTolerations: [{ operator: 'Exists' }, { value: 'x' }] }),
    /TigeraOperator\/\S+ extraTolerations\[1\]: a toleration without key must use operator 'Exists'/);
  assert.throws(() => synth({ tolerations: [{ operator: 'Exists', effect: 'NoExec' as any }] }),
    /tolerations\[0\]\.effect: "NoExec" is not allowed: use 'NoSchedule', 'PreferNoSchedule', 'NoExecute'/);
  assert.throws(() => synth({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 30 }] }),
    /tolerations\[0\]\.tolerationSeconds: tolerationSeconds is only allowed with effect 'NoExecute'/);
  assert.throws(() => synth({ tolerations: [{ key: 'bad key', operator: 'Exists' }] }), /tolerations\[0\]\.key: taint key: label key "bad key" is not valid/);
});

test('nodeSelector is merged over upstream\'s kubernetes.io/os: linux', () => {
  const objects = synth({ nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } });
  assert.deepEqual(podSpec(objects).nodeSelector, { 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/control-plane': '' });
  assert.deepEqual(diffFromUpstream(objects, 'v3.32.1'), ['Deployment/tigera-operator spec.template.spec.nodeSelector.node-role.kubernetes.io/control-plane extra']);
  assert.throws(() => synth({ nodeSelector: { 'rack/': 'r1' } }), /TigeraOperator\/\S+ nodeSelector\["rack\/"\]: label key "rack\/" is not valid/);
  assert.throws(() => synth({ nodeSelector: { rack: 'r 1' } }), /TigeraOperator\/\S+ nodeSelector\["rack"\]: label value "r 1" is not valid/);
});

test('kubernetesServicesEndpoint writes the kubernetes-services-endpoint ConfigMap before the Deployment', () => {
  const objects = synth({ calicoVersion: 'v3.24.5', kubernetesServicesEndpoint: { host: '10.31.0.10', port: 6443 } });
  const cm = find(objects, 'ConfigMap', 'kubernetes-services-endpoint');
  assert.deepEqual(cm, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubernetes-services-endpoint', namespace: 'tigera-operator' },
    data: { KUBERNETES_SERVICE_HOST: '10.31.0.10', KUBERNETES_SERVICE_PORT: '6443' },
  });
  assert.ok(objects.indexOf(cm) < objects.indexOf(find(objects, 'Deployment')));
  // The operator reads it through its optional envFrom; everything upstream stays as it is.
  assert.deepEqual(container(objects).envFrom, [{ configMapRef: { name: 'kubernetes-services-endpoint', optional: true } }]);
  assert.deepEqual(diffFromUpstream(objects, 'v3.24.5'), ['ConfigMap/kubernetes-services-endpoint extra']);
  assert.equal(synth().find((o) => o.kind === 'ConfigMap'), undefined);
  const named = synth({ kubernetesServicesEndpoint: { host: 'api.k8s.example.com', port: 443 } });
  assert.equal(find(named, 'ConfigMap').data.KUBERNETES_SERVICE_HOST, 'api.k8s.example.com');
});

test('a bad kubernetesServicesEndpoint is refused', () => {
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: '10.31.0.10', port: 70000 } }),
    /TigeraOperator\/\S+ kubernetesServicesEndpoint\.port: 70000 is not allowed \(the API server's port, usually 6443\): use a whole number from 1 to 65535/);
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: '10.31.0.10', port: 0 } }), /kubernetesServicesEndpoint\.port: 0 is not allowed/);
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: '10.31.0.10', port: 6443.5 } }), /kubernetesServicesEndpoint\.port: 6443\.5 is not allowed/);
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: 'https://10.31.0.10:6443', port: 6443 } }),
    /kubernetesServicesEndpoint\.host: "https:\/\/10\.31\.0\.10:6443" has a scheme: give the host only, e\.g\. "10\.31\.0\.10"/);
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: 'api.example.com:6443', port: 6443 } }),
    /host: "api\.example\.com:6443" includes a port: use host "api\.example\.com" and port 6443/);
  assert.throws(() => synth({ kubernetesServicesEndpoint: { host: 'api_server', port: 6443 } }), /host: "api_server" is neither an IP address nor a DNS name/);
});

test('native-v3-crds mode sets CALICO_API_GROUP on the operator, only where the release has native v3 CRDs', () => {
  const objects = synth({ calicoVersion: 'v3.32.1', apiMode: 'native-v3-crds' });
  assert.deepEqual(container(objects).env.at(-1), { name: 'CALICO_API_GROUP', value: 'projectcalico.org/v3' });
  assert.deepEqual(diffFromUpstream(objects, 'v3.32.1'), ['Deployment/tigera-operator spec.template.spec.containers[0].env[4] extra']);
  assert.equal(container(synth({ calicoVersion: 'v3.32.1' })).env.find((e: Obj) => e.name === 'CALICO_API_GROUP'), undefined);
  for (const version of ['v3.24.5', 'v3.31.7'] as const) {
    assert.throws(() => synth({ calicoVersion: version, apiMode: 'native-v3-crds' }),
      new RegExp(`TigeraOperator/\\S+ apiMode: API mode "native-v3-crds" needs the native projectcalico.org/v3 CRDs, which Calico ${version.replace(/\./g, '\\.')} does not have \\(they exist in v3\\.32\\.1\\)`));
  }
  assert.throws(() => synth({ apiMode: 'crds' as any }), /TigeraOperator\/\S+ apiMode: API mode "crds" is not supported; use "apiserver" or "native-v3-crds"/);
});

test('an unknown release is refused naming calicoVersion and the supported ones', () => {
  assert.throws(() => synth({ calicoVersion: 'v3.99.0' as CalicoVersion }),
    /TigeraOperator\/\S+ calicoVersion: Calico version "v3\.99\.0" is not supported; use one of v3\.24\.5, v3\.31\.7, v3\.32\.1/);
});

test('the construct exposes what the chart needs', () => {
  const chart = Testing.chart();
  const op = new TigeraOperator(chart, 'Operator', { calicoVersion: 'v3.31.7', registry: 'registry.example.com' });
  assert.equal(op.namespaceName, 'tigera-operator');
  assert.equal(op.image, 'registry.example.com/tigera/operator:v1.40.15');
  assert.equal(op.release.version, 'v3.31.7');
  assert.equal(op.apiMode, 'apiserver');
  assert.equal(op.deployment.name, 'tigera-operator');
  assert.equal(op.servicesEndpoint, undefined);
});

test('output is deterministic', () => {
  const props: TigeraOperatorProps = { calicoVersion: 'v3.32.1', registry: 'registry.example.com', imagePullSecrets: ['a'], kubernetesServicesEndpoint: { host: '10.31.0.10', port: 6443 } };
  assert.equal(stringify(synth(props)), stringify(synth(props)));
});
