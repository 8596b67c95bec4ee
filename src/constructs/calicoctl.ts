import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { crdIndex } from '../releases/crd-store';
import { CalicoRelease } from '../releases/releases';
import { withRegistry } from '../model/image';
import { ApiMode, CalicoDeploymentProps } from '../releases/resolve-release';
import { escapePointer } from './internal/json-pointer';
import { PodToleration } from './pod-settings';
import { PropChecker } from './prop-checks';
import { CALICO_API_GROUP_ENV, NATIVE_V3_API_GROUP } from './tigera-operator';

/** Props of {@link Calicoctl}. */
export interface CalicoctlProps extends CalicoDeploymentProps {
  /**
   * Namespace of the calicoctl objects. The pods use hostPID, hostNetwork and a hostPath, so the
   * namespace must allow the `privileged` Pod Security level.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Name of the ServiceAccount, ClusterRole, ClusterRoleBinding and DaemonSet, and value of the
   * pods' `app.kubernetes.io/name` label.
   * @default 'calicoctl'
   */
  readonly name?: string;
  /**
   * Registry (host[:port][/path]) to pull the calicoctl image from instead of upstream's, e.g.
   * `registry.example.com` turns `quay.io/calico/ctl` into `registry.example.com/calico/ctl`.
   * @default - upstream's registry
   */
  readonly registry?: string;
  /**
   * Names of existing image pull Secrets in `namespace` (added to the ServiceAccount). References only.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Tolerations of the pods. The default tolerates every taint, like calico-node, so that there is
   * a calicoctl on every node calico-node runs on.
   * @default [{ operator: 'Exists' }]
   */
  readonly tolerations?: readonly PodToleration[];
  /**
   * Node labels the pods must match, merged over `kubernetes.io/os: linux`.
   * @default - every Linux node
   */
  readonly nodeSelector?: { readonly [label: string]: string };
}

/** Label that selects the calicoctl pods. */
export const CALICOCTL_POD_LABEL = 'app.kubernetes.io/name';

/**
 * An in-cluster calicoctl against the Kubernetes datastore (`DATASTORE_TYPE=kubernetes`), so that
 * no workstation install is needed: a ServiceAccount, a ClusterRole/ClusterRoleBinding with what
 * calicoctl reads and writes (upstream's `manifests/calicoctl.yaml` rules, over the release's Calico
 * CRDs), and a DaemonSet with one calicoctl pod per node.
 *
 * A DaemonSet, not upstream's single Pod, because `calicoctl node status` inspects the node it
 * runs on: it must run as root, find the `calico-node -felix` and `bird` processes (so the pod
 * shares the host PID namespace, `hostPID: true`) and query BIRD over its control socket
 * `/var/run/calico/bird.ctl` (a read-only hostPath mount of `/var/run/calico`). The pods also use
 * the host network, so calicoctl reaches the API server even when pod networking is broken. The
 * container runs calicoctl's own long-running `version --poll=1m`, without capabilities, with a
 * read-only root file system.
 *
 * To run calicoctl on node `worker-1` (see {@link Calicoctl.execCommand}):
 *
 *     kubectl exec -n kube-system \
 *       "$(kubectl get pod -n kube-system -l app.kubernetes.io/name=calicoctl \
 *          --field-selector spec.nodeName=worker-1 -o name)" -- /calicoctl node status
 *
 * Commands that do not depend on the node (`get bgppeers`, `get workloadendpoints -A`,
 * `ipam show`) can use any pod: `kubectl exec -n kube-system ds/calicoctl -- /calicoctl get bgppeers`.
 */
export class Calicoctl extends Construct {
  /** The release. */
  public readonly release: CalicoRelease;
  /** How projectcalico.org/v3 objects are served. */
  public readonly apiMode: ApiMode;
  /** Namespace of the objects. */
  public readonly namespaceName: string;
  /** Name of the objects and value of the pods' `app.kubernetes.io/name` label. */
  public readonly name: string;
  /** calicoctl image with tag, after the registry override. */
  public readonly image: string;
  /** The ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The ClusterRole. */
  public readonly clusterRole: kplus.ClusterRole;
  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;

  constructor(scope: Construct, id: string, props: CalicoctlProps = {}) {
    super(scope, id);
    const check = new PropChecker('Calicoctl', this);
    ({ release: this.release, apiMode: this.apiMode } = check.release(props));
    this.namespaceName = props.namespace ?? 'kube-system';
    this.name = props.name ?? 'calicoctl';
    check.labelName('namespace', this.namespaceName);
    // The name is also the value of the pods' app.kubernetes.io/name label: a DNS label.
    check.labelName('name', this.name);
    const registry = check.registry('registry', props.registry);
    const pullSecrets = check.imagePullSecrets('imagePullSecrets', props.imagePullSecrets);
    const tolerations = check.tolerations('tolerations', props.tolerations ?? [{ operator: 'Exists' }]);
    const nodeSelector = { 'kubernetes.io/os': 'linux', ...check.nodeSelector('nodeSelector', props.nodeSelector) };
    this.image = `${withRegistry(this.release.calicoctlImage, registry)}:${this.release.version}`;
    const metadata = { name: this.name, namespace: this.namespaceName };

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata });
    // The pods mount the token themselves (pod-level automountServiceAccountToken below).
    if (pullSecrets.length > 0) {
      ApiObject.of(this.serviceAccount).addJsonPatch(JsonPatch.add('/imagePullSecrets', pullSecrets.map((name) => ({ name }))));
    }

    this.clusterRole = new kplus.ClusterRole(this, 'ClusterRole', { metadata: { name: this.name } });
    for (const rule of calicoctlRules(this.release, this.apiMode)) {
      this.clusterRole.allow([...rule.verbs], ...rule.resources.map((r) => kplus.ApiResource.custom({ apiGroup: rule.apiGroup, resourceType: r })));
    }
    const binding = new kplus.ClusterRoleBinding(this, 'ClusterRoleBinding', { metadata: { name: this.name }, role: this.clusterRole });
    binding.addSubjects(this.serviceAccount);
    ApiObject.of(binding).addJsonPatch(JsonPatch.remove('/subjects/0/apiGroup'));

    const varRunCalico = kplus.Volume.fromHostPath(this, 'VarRunCalico', 'var-run-calico', { path: '/var/run/calico' });
    const env: Record<string, kplus.EnvValue> = { DATASTORE_TYPE: kplus.EnvValue.fromValue('kubernetes') };
    if (this.apiMode === 'native-v3-crds') env[CALICO_API_GROUP_ENV] = kplus.EnvValue.fromValue(NATIVE_V3_API_GROUP);

    this.daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata,
      podMetadata: { labels: { [CALICOCTL_POD_LABEL]: this.name } },
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: true,
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: { ensureNonRoot: false },
      containers: [{
        name: 'calicoctl',
        image: this.image,
        imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
        command: [this.release.calicoctlBinary],
        args: ['version', '--poll=1m'],
        envVariables: env,
        volumeMounts: [{ volume: varRunCalico, path: '/var/run/calico', readOnly: true }],
        // Root (calicoctl node status refuses to run otherwise) without capabilities: the BIRD
        // socket belongs to root, and /proc/<pid>/cmdline is world-readable.
        securityContext: {
          user: 0,
          ensureNonRoot: false,
          privileged: false,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL' as kplus.Capability] },
        },
        resources: {
          cpu: { request: kplus.Cpu.millis(10) },
          memory: { request: Size.mebibytes(32), limit: Size.mebibytes(256) },
        },
      }],
    });
    this.daemonSet.select(kplus.LabelSelector.of({ labels: { [CALICOCTL_POD_LABEL]: this.name } }));
    // Patches apply before cdk8s converts props to Kubernetes casing: `hostPid` becomes `hostPID`.
    ApiObject.of(this.daemonSet).addJsonPatch(
      JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(kplus.Pod.ADDRESS_LABEL)}`),
      JsonPatch.add('/spec/template/spec/hostPid', true),
      JsonPatch.add('/spec/template/spec/nodeSelector', nodeSelector),
      ...(tolerations.length > 0 ? [JsonPatch.add('/spec/template/spec/tolerations', tolerations)] : []),
    );
    check.done();
  }

  /**
   * A shell command that runs `calicoctl <args>` in the calicoctl pod on node `nodeName`, e.g.
   * `execCommand('worker-1')` for `calicoctl node status` on worker-1.
   */
  public execCommand(nodeName: string, args: readonly string[] = ['node', 'status']): string {
    const check = new PropChecker('Calicoctl.execCommand', this);
    check.name('nodeName', nodeName);
    check.done();
    const ns = this.namespaceName;
    const pod = `kubectl get pod -n ${ns} -l ${CALICOCTL_POD_LABEL}=${this.name} --field-selector spec.nodeName=${nodeName} -o name`;
    return `kubectl exec -n ${ns} "$(${pod})" -- ${[this.release.calicoctlBinary, ...args.map(shellQuote)].join(' ')}`;
  }
}

/** One group of RBAC permissions of calicoctl. */
export interface CalicoctlRule {
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * What calicoctl needs against the Kubernetes datastore: upstream's `manifests/calicoctl.yaml`
 * rules, with the Calico resources being every Calico data CRD of the release in the API group
 * that `apiMode` uses.
 */
export function calicoctlRules(release: CalicoRelease, apiMode: ApiMode): CalicoctlRule[] {
  const folder = apiMode === 'native-v3-crds' ? 'projectcalico.org' : 'crd.projectcalico.org';
  const calico = crdIndex(release.version).filter((e) => e.folder === folder);
  if (calico.length === 0) {
    throw new Error(`Calicoctl: Calico ${release.version} has no ${folder} CRDs vendored.`);
  }
  return [
    { apiGroup: '', resources: ['namespaces', 'nodes'], verbs: ['get', 'list', 'update'] },
    { apiGroup: '', resources: ['nodes/status'], verbs: ['update'] },
    { apiGroup: '', resources: ['pods', 'serviceaccounts'], verbs: ['get', 'list'] },
    { apiGroup: '', resources: ['pods/status'], verbs: ['update'] },
    // calicoctl ipam check looks up LoadBalancer Services and KubeVirt VMs holding addresses.
    { apiGroup: '', resources: ['services'], verbs: ['list'] },
    { apiGroup: 'kubevirt.io', resources: ['virtualmachines', 'virtualmachineinstances'], verbs: ['list'] },
    { apiGroup: calico[0].group, resources: calico.map((e) => e.plural).sort(), verbs: ['create', 'get', 'list', 'update', 'delete'] },
    { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'], verbs: ['get', 'list'] },
  ];
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
