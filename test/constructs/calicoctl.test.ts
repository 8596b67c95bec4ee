import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { Calicoctl, CalicoctlProps, RBAC_WRITE_VERBS } from '../../src/constructs/calicoctl';
import { crdIndex } from '../../src/releases/crd-store';
import { CALICO_VERSIONS } from '../../src/releases/releases';

type Obj = Record<string, any>;

function synth(props: CalicoctlProps = {}): { ctl: Calicoctl; objects: Obj[] } {
  const chart = Testing.chart();
  const ctl = new Calicoctl(chart, 'Calicoctl', props);
  return { ctl, objects: Testing.synth(chart) };
}

const find = (objs: Obj[], kind: string): Obj => {
  const o = objs.find((x) => x.kind === kind);
  assert.ok(o, `${kind} not found`);
  return o;
};
const podSpec = (objs: Obj[]) => find(objs, 'DaemonSet').spec.template.spec;
const container = (objs: Obj[]) => podSpec(objs).containers[0];

/** Every (apiGroup, resource, verb) a ClusterRole grants (resourceNames empty = all names). */
function permissions(role: Obj): Set<string> {
  const out = new Set<string>();
  for (const r of role.rules) {
    assert.ok(!r.resourceNames || r.resourceNames.length === 0, 'no name-restricted rules expected');
    for (const g of r.apiGroups) for (const res of r.resources) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  }
  return out;
}

test('the calicoctl image is upstream\'s per release', () => {
  const expected = {
    'v3.24.5': 'docker.io/calico/ctl:v3.24.5',
    'v3.31.7': 'quay.io/calico/ctl:v3.31.7',
    'v3.32.1': 'quay.io/calico/ctl:v3.32.1',
  };
  for (const version of CALICO_VERSIONS) {
    const { ctl, objects } = synth({ calicoVersion: version });
    assert.equal(container(objects).image, expected[version], version);
    assert.equal(ctl.image, expected[version]);
    assert.deepEqual(container(objects).command, ['/calicoctl']);
    assert.deepEqual(container(objects).args, ['version', '--poll=1m']);
  }
});

test('calicoctl talks to the Kubernetes datastore; native mode selects the v3 API group', () => {
  const api = (objs: Obj[]) => find(objs, 'Deployment').spec.template.spec.containers[0];
  assert.deepEqual(api(synth({ apiAccess: true }).objects).env, [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }]);
  assert.deepEqual(api(synth({ calicoVersion: 'v3.32.1', apiMode: 'native-v3-crds', apiAccess: true }).objects).env, [
    { name: 'DATASTORE_TYPE', value: 'kubernetes' },
    { name: 'CALICO_API_GROUP', value: 'projectcalico.org/v3' },
  ]);
  assert.throws(() => synth({ calicoVersion: 'v3.24.5', apiMode: 'native-v3-crds' }),
    /Calicoctl\/\S+ apiMode: API mode "native-v3-crds" needs the native projectcalico\.org\/v3 CRDs, which Calico v3\.24\.5 does not have/);
});

test('node status pods: no token, no RBAC, only BIRD\'s sockets, RuntimeDefault seccomp, off tainted nodes by default', () => {
  const { objects } = synth({ calicoVersion: 'v3.24.5' });
  assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ['ServiceAccount/calicoctl', 'DaemonSet/calicoctl'],
    'no ClusterRole or binding by default');
  assert.equal(find(objects, 'ServiceAccount').automountServiceAccountToken, false);
  const ds = find(objects, 'DaemonSet');
  assert.deepEqual(ds.metadata, { name: 'calicoctl', namespace: 'kube-system' });
  assert.deepEqual(ds.spec.selector, { matchLabels: { 'app.kubernetes.io/name': 'calicoctl' } });
  assert.deepEqual(ds.spec.template.metadata.labels, { 'app.kubernetes.io/name': 'calicoctl' });
  const pod = podSpec(objects);
  assert.equal(pod.automountServiceAccountToken, false, 'no service-account token in the pods');
  assert.equal(pod.hostPID, true, 'sees the calico-node and bird processes');
  assert.equal(pod.hostNetwork, true);
  assert.equal(pod.dnsPolicy, 'ClusterFirstWithHostNet');
  assert.equal(pod.serviceAccountName, 'calicoctl');
  assert.equal(pod.tolerations, undefined, 'tolerates no taint');
  assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/os': 'linux' });
  assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  assert.deepEqual(pod.volumes, [{ name: 'bird-ctl', hostPath: { path: '/var/run/calico/bird.ctl', type: 'Socket' } }]);
  const c = container(objects);
  assert.deepEqual(c.volumeMounts, [{ name: 'bird-ctl', mountPath: '/var/run/calico/bird.ctl', readOnly: true }]);
  assert.deepEqual(c.env, [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }, { name: 'K8S_API_ENDPOINT', value: 'https://127.0.0.1:1' }],
    'a datastore that is never reached: calicoctl version --poll starts, node status needs none');
  assert.equal(c.securityContext.runAsUser, 0, 'calicoctl node status must run as root');
  assert.equal(c.securityContext.runAsNonRoot, false);
  assert.equal(c.securityContext.privileged, false);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.deepEqual(c.securityContext.capabilities, { drop: ['ALL'] });

  const dual = synth({ ipFamilies: [6, 4] }).objects;
  assert.deepEqual(podSpec(dual).volumes.map((v: Obj) => v.hostPath.path), ['/var/run/calico/bird.ctl', '/var/run/calico/bird6.ctl']);
  assert.deepEqual(container(dual).volumeMounts.map((m: Obj) => m.mountPath), ['/var/run/calico/bird.ctl', '/var/run/calico/bird6.ctl']);
  assert.throws(() => synth({ ipFamilies: [] }), /error Calicoctl\/\S+ ipFamilies: \[\] is not allowed: give \[4\], \[6\] or \[4, 6\]/);
  assert.throws(() => synth({ ipFamilies: [4, 4] }), /error Calicoctl\/\S+ ipFamilies: \[4,4\] is not allowed/);
});

test('apiAccess: a separate read-only workload with get/list/watch of the release\'s Calico resources', () => {
  for (const version of CALICO_VERSIONS) {
    const { objects } = synth({ calicoVersion: version, apiAccess: true });
    const role = objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === 'calicoctl-api');
    assert.ok(role);
    const perms = permissions(role);
    for (const p of ['/nodes:get', '/nodes:watch', '/namespaces:list', '/pods:list', '/serviceaccounts:get', '/services:list',
      'networking.k8s.io/networkpolicies:list', 'kubevirt.io/virtualmachineinstances:list']) {
      assert.ok(perms.has(p), `${version} ${p}`);
    }
    const calico = crdIndex(version).filter((e) => e.folder === 'crd.projectcalico.org');
    for (const e of calico) {
      for (const verb of ['get', 'list', 'watch']) assert.ok(perms.has(`crd.projectcalico.org/${e.plural}:${verb}`), `${version} ${e.plural}:${verb}`);
    }
    assert.deepEqual([...perms].filter((p) => RBAC_WRITE_VERBS.includes(p.split(':')[1])), [], `${version}: read only`);
    assert.ok(![...perms].some((p) => p.startsWith('projectcalico.org/')), 'no v3 group in API-server mode');
    const binding = objects.find((o) => o.kind === 'ClusterRoleBinding');
    assert.deepEqual(binding?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'calicoctl-api' });
    assert.deepEqual(binding?.subjects, [{ kind: 'ServiceAccount', name: 'calicoctl-api', namespace: 'kube-system' }]);
    const deploy = find(objects, 'Deployment');
    assert.equal(deploy.spec.replicas, 1);
    const pod = deploy.spec.template.spec;
    assert.equal(pod.serviceAccountName, 'calicoctl-api');
    assert.equal(pod.automountServiceAccountToken, true);
    assert.equal(pod.hostPID, undefined);
    assert.equal(pod.volumes, undefined, 'no host mounts');
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
    assert.deepEqual(pod.containers[0].env, [{ name: 'DATASTORE_TYPE', value: 'kubernetes' }]);
    // The node-status DaemonSet is still without token or binding.
    assert.equal(podSpec(objects).automountServiceAccountToken, false);
    assert.ok(objects.filter((o) => o.kind === 'ClusterRoleBinding').every((b) => b.subjects.every((s: Obj) => s.name !== 'calicoctl')));
  }
  const native = permissions(find(synth({ calicoVersion: 'v3.32.1', apiMode: 'native-v3-crds', apiAccess: true }).objects, 'ClusterRole'));
  assert.ok(native.has('projectcalico.org/bgppeers:list'));
  assert.ok(native.has('projectcalico.org/ipamconfigurations:get'));
  assert.ok(![...native].some((p) => p.startsWith('crd.projectcalico.org/')));
  assert.ok(permissions(find(synth({ calicoVersion: 'v3.32.1', apiAccess: true }).objects, 'ClusterRole')).has('crd.projectcalico.org/tiers:get'));
  assert.ok(!permissions(find(synth({ calicoVersion: 'v3.24.5', apiAccess: true }).objects, 'ClusterRole')).has('crd.projectcalico.org/tiers:get'));
  const { ctl } = synth({ apiAccess: true });
  assert.equal(ctl.apiExecCommand(['get', 'bgppeers']), 'kubectl exec -n kube-system deploy/calicoctl-api -- /calicoctl get bgppeers');
  assert.throws(() => synth().ctl.apiExecCommand(['get', 'bgppeers']), /has no API workload; set apiAccess: true/);
});

test('adminClusterRole: upstream\'s write rules in an unbound ClusterRole calicoctl-admin', () => {
  for (const version of CALICO_VERSIONS) {
    const { objects } = synth({ calicoVersion: version, adminClusterRole: true });
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ['ServiceAccount/calicoctl', 'DaemonSet/calicoctl', 'ClusterRole/calicoctl-admin']);
    const perms = permissions(find(objects, 'ClusterRole'));
    for (const p of ['/nodes:get', '/nodes:update', '/nodes/status:update', '/namespaces:list', '/pods:list', '/pods/status:update',
      '/serviceaccounts:get', '/services:list', 'networking.k8s.io/networkpolicies:list', 'kubevirt.io/virtualmachineinstances:list']) {
      assert.ok(perms.has(p), `${version} ${p}`);
    }
    const calico = crdIndex(version).filter((e) => e.folder === 'crd.projectcalico.org');
    for (const e of calico) {
      for (const verb of ['create', 'get', 'list', 'update', 'delete', 'watch']) assert.ok(perms.has(`crd.projectcalico.org/${e.plural}:${verb}`), `${version} ${e.plural}:${verb}`);
    }
    assert.ok(![...perms].some((p) => p.endsWith(':*') || p.includes('/*:')), 'no wildcards');
  }
});

test('no ClusterRole granted to a workload has a write verb, whatever the options', () => {
  for (const apiAccess of [false, true]) {
    for (const adminClusterRole of [false, true]) {
      const { objects } = synth({ apiAccess, adminClusterRole });
      const bound = new Set(objects.filter((o) => o.kind === 'ClusterRoleBinding' || o.kind === 'RoleBinding').map((b) => b.roleRef.name));
      for (const role of objects.filter((o) => o.kind === 'ClusterRole' && bound.has(o.metadata.name))) {
        const writes = [...permissions(role)].filter((p) => RBAC_WRITE_VERBS.includes(p.split(':')[1]));
        assert.deepEqual(writes, [], `${role.metadata.name} (apiAccess ${apiAccess}, admin ${adminClusterRole})`);
      }
    }
  }
});

test('namespace, name, registry, pull secrets, tolerations and nodeSelector props', () => {
  const { ctl, objects } = synth({
    calicoVersion: 'v3.31.7',
    namespace: 'calico-tools',
    name: 'ctl',
    registry: 'registry.example.com',
    imagePullSecrets: ['corp-registry'],
    tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
    nodeSelector: { rack: 'r1' },
  });
  assert.equal(container(objects).image, 'registry.example.com/calico/ctl:v3.31.7');
  assert.deepEqual(find(objects, 'ServiceAccount').imagePullSecrets, [{ name: 'corp-registry' }]);
  assert.deepEqual(find(objects, 'DaemonSet').metadata, { name: 'ctl', namespace: 'calico-tools' });
  assert.deepEqual(podSpec(objects).tolerations, [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
  assert.deepEqual(podSpec(objects).nodeSelector, { 'kubernetes.io/os': 'linux', 'rack': 'r1' });
  assert.equal(ctl.execCommand('worker-1', ['get', 'bgppeers', '-o', 'wide']),
    'kubectl exec -n calico-tools "$(kubectl get pod -n calico-tools -l app.kubernetes.io/name=ctl --field-selector spec.nodeName=worker-1 -o name)" -- /calicoctl get bgppeers -o wide');
  assert.equal(synth({ calicoVersion: 'v3.24.5', registry: 'registry.example.com' }).ctl.image, 'registry.example.com/calico/ctl:v3.24.5');
});

test('execCommand targets the pod on a node and runs calicoctl node status by default', () => {
  const { ctl } = synth();
  assert.equal(ctl.execCommand('worker-1'),
    'kubectl exec -n kube-system "$(kubectl get pod -n kube-system -l app.kubernetes.io/name=calicoctl --field-selector spec.nodeName=worker-1 -o name)" -- /calicoctl node status');
  assert.throws(() => ctl.execCommand('worker-1; rm -rf /'), /error Calicoctl\.execCommand\/test\/\S+ nodeName: "worker-1; rm -rf \/" is not a valid name/);
});

test('bad props are refused with the prop and what is allowed', () => {
  assert.throws(() => synth({ namespace: 'Kube_System' }), /Calicoctl\/\S+ namespace: "Kube_System" is not a valid name: .*\(DNS-1123 label\), e\.g\. "kube-system"/);
  assert.throws(() => synth({ registry: 'http://registry.example.com' }), /Calicoctl\/\S+ registry: "http:\/\/registry\.example\.com" is not a registry host.*did you mean "registry\.example\.com"\?/);
  assert.throws(() => synth({ imagePullSecrets: [''] }), /Calicoctl\/\S+ imagePullSecrets\[0\]: "" is not a valid name/);
  assert.throws(() => synth({ tolerations: [{ effect: 'NoSchedule' }] }), /Calicoctl\/\S+ tolerations\[0\]: a toleration without key must use operator 'Exists'/);
  assert.throws(() => synth({ calicoVersion: 'v3.32' as any }), /Calicoctl\/\S+ calicoVersion: Calico version "v3\.32" is not supported/);
});

test('output is deterministic', () => {
  const props: CalicoctlProps = { calicoVersion: 'v3.32.1', apiMode: 'native-v3-crds', imagePullSecrets: ['a'], apiAccess: true, adminClusterRole: true };
  assert.equal(stringify(synth(props).objects), stringify(synth(props).objects));
});
