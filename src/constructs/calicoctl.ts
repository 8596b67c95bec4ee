import { ApiObject, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { crdIndex } from '../releases/crd-store';
import { withRegistry } from '../model/image';
import { CalicoRelease } from '../releases/releases';
import { ApiMode, CalicoDeploymentProps } from '../releases/resolve-release';
import { escapePointer } from './internal/json-pointer';
import { PodToleration } from './pod-settings';
import { IpFamily } from '../model/net';
import { PropChecker } from './prop-checks';
import { CALICOCTL_FIELDS } from './prop-shapes';
import { CALICO_API_GROUP_ENV, NATIVE_V3_API_GROUP } from './tigera-operator';

/** Props of {@link Calicoctl}. */
export interface CalicoctlProps extends CalicoDeploymentProps {
  /**
   * Namespace of the calicoctl objects. The node-status pods use hostPID, hostNetwork and hostPath
   * mounts, so the namespace must allow the `privileged` Pod Security level.
   * @default 'kube-system'
   */
  readonly namespace?: string;
  /**
   * Name of the node-status DaemonSet and its ServiceAccount, and value of its pods'
   * `app.kubernetes.io/name` label; the API workload is `<name>-api`, the admin ClusterRole
   * `<name>-admin`.
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
   * Names of existing image pull Secrets in `namespace` (added to the ServiceAccounts). References only.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Tolerations of the node-status pods: the tainted nodes they may run on. By default they tolerate
   * no taint, so they stay off control-plane nodes and other nodes reserved by a taint: a root pod
   * in the host PID namespace is a debugging aid, not something a dedicated node should get without
   * being asked. Add `{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect:
   * 'NoSchedule' }` for control-plane nodes, `{ operator: 'Exists' }` for every node calico-node runs on.
   * @default [] (untainted nodes only)
   */
  readonly tolerations?: readonly PodToleration[];
  /**
   * Node labels the node-status pods must match, merged over `kubernetes.io/os: linux`, e.g.
   * `{ 'example.com/bgp-debug': 'true' }` to run them only on the nodes labelled so.
   * @default - every Linux node (that `tolerations` allow)
   */
  readonly nodeSelector?: { readonly [label: string]: string };
  /**
   * IP families whose BIRD control socket the node-status pods mount: `/var/run/calico/bird.ctl`
   * (IPv4) and `/var/run/calico/bird6.ctl` (IPv6), where calico-node's BIRD and BIRD6 listen. A
   * socket that does not exist keeps the pod from starting, so give only the families the cluster
   * runs BGP for.
   * @default [4]
   */
  readonly ipFamilies?: readonly IpFamily[];
  /**
   * Also deploy a read-only API workload, `<name>-api`: one pod (Deployment) whose ServiceAccount may
   * get, list and watch Calico's resources and what calicoctl reads beside them (nodes, namespaces,
   * pods, service accounts, services, network policies), for `calicoctl get ...` and `calicoctl ipam
   * show` without a workstation install. It cannot change anything.
   * @default false
   */
  readonly apiAccess?: boolean;
  /**
   * Also emit the ClusterRole `<name>-admin` with what calicoctl needs to write (upstream's
   * `calicoctl.yaml` rules: create, update and delete of every Calico resource, node and pod status
   * updates). It is bound to nobody: bind it to the people who administer Calico, e.g.
   * `kubectl create clusterrolebinding alice-calicoctl --clusterrole=calicoctl-admin --user=alice`,
   * and let them run calicoctl with their own credentials.
   * @default false
   */
  readonly adminClusterRole?: boolean;
}

/** Label that selects the calicoctl pods. */
export const CALICOCTL_POD_LABEL = 'app.kubernetes.io/name';

/**
 * BIRD's control sockets in calico-node (`bird -s /var/run/calico/bird.ctl`, `bird6 -s
 * /var/run/calico/bird6.ctl`), the paths `calicoctl node status` dials first
 * (calicoctl/calicoctl/commands/node/status.go, printBIRDPeers).
 */
export const BIRD_SOCKETS: Readonly<Record<IpFamily, string>> = { 4: '/var/run/calico/bird.ctl', 6: '/var/run/calico/bird6.ctl' };

/**
 * Where the node-status pods' calicoctl looks for an API server: a closed port on the loopback
 * interface. `calicoctl version --poll`, the only long-running calicoctl command, needs a datastore
 * configuration to start, and without a token in-cluster configuration is impossible; this gives
 * it one that never reaches the API server (it prints "Unable to retrieve Cluster Version" once a
 * poll), while `calicoctl node status` needs no datastore at all.
 */
export const NODE_STATUS_API_ENDPOINT = 'https://127.0.0.1:1';

/**
 * An in-cluster calicoctl against the Kubernetes datastore (`DATASTORE_TYPE=kubernetes`), split by
 * privilege:
 *
 * - Node status (always): a DaemonSet whose pods run `calicoctl node status` on their node. That
 *   command reads no API: it must run as root, find the `calico-node -felix` and `bird` processes
 *   (so the pod shares the host PID namespace, `hostPID: true`) and query BIRD over its control
 *   sockets (calicoctl/calicoctl/commands/node/status.go). So the pods get no service-account token
 *   (`automountServiceAccountToken: false`, a ServiceAccount bound to no role), only BIRD's sockets
 *   mounted (read-only hostPath mounts of the socket files, not of `/var/run/calico`), no
 *   capabilities, a read-only root file system and `seccompProfile: RuntimeDefault`. They use the
 *   host network, so they start even when pod networking is broken, and by default they stay off
 *   tainted nodes (see `tolerations`).
 * - API access (`apiAccess`, opt-in): a Deployment `<name>-api` with one pod whose ServiceAccount has
 *   get/list/watch on Calico's resources (upstream's `calicoctl.yaml` pod, read-only).
 * - Write access (`adminClusterRole`, opt-in): the unbound ClusterRole `<name>-admin`, for people.
 *
 * No ClusterRole this construct emits by default grants anything, and none ever grants a write verb
 * to a workload. The README's calicoctl section explains the trade-offs.
 *
 * To run calicoctl on node `worker-1` (see {@link Calicoctl.execCommand}):
 *
 *     kubectl exec -n kube-system \
 *       "$(kubectl get pod -n kube-system -l app.kubernetes.io/name=calicoctl \
 *          --field-selector spec.nodeName=worker-1 -o name)" -- /calicoctl node status
 *
 * Commands that read the datastore (`get bgppeers`, `ipam show`) need `apiAccess`:
 * `kubectl exec -n kube-system deploy/calicoctl-api -- /calicoctl get bgppeers` (see
 * {@link Calicoctl.apiExecCommand}).
 */
export class Calicoctl extends Construct {
  /** The release. */
  public readonly release: CalicoRelease;
  /** How projectcalico.org/v3 objects are served. */
  public readonly apiMode: ApiMode;
  /** Namespace of the objects. */
  public readonly namespaceName: string;
  /** Name of the node-status objects and value of their pods' `app.kubernetes.io/name` label. */
  public readonly name: string;
  /** calicoctl image with tag, after the registry override. */
  public readonly image: string;
  /** The node-status pods' ServiceAccount (bound to no role; its token is not mounted). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The node-status DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;
  /** The read-only ClusterRole of the API workload, with `apiAccess`. */
  public readonly apiClusterRole?: kplus.ClusterRole;
  /** The read-only API workload, with `apiAccess`. */
  public readonly apiDeployment?: kplus.Deployment;
  /** The unbound write-capable ClusterRole for people, with `adminClusterRole`. */
  public readonly adminClusterRole?: kplus.ClusterRole;

  constructor(scope: Construct, id: string, props: CalicoctlProps = {}) {
    super(scope, id);
    const check = new PropChecker('Calicoctl', this);
    check.props(props, CALICOCTL_FIELDS);
    ({ release: this.release, apiMode: this.apiMode } = check.release(props));
    this.namespaceName = props.namespace ?? 'kube-system';
    this.name = props.name ?? 'calicoctl';
    check.labelName('namespace', this.namespaceName);
    // The name is also the value of the pods' app.kubernetes.io/name label: a DNS label.
    check.labelName('name', this.name);
    if (props.apiAccess && this.name.length > 63 - '-api'.length) {
      check.fail('name', `${JSON.stringify(this.name)} is too long with apiAccess: the API workload's label value "${this.name}-api" must be at most 63 characters; use a name of at most ${63 - '-api'.length}`);
    }
    const registry = check.registry('registry', props.registry);
    const pullSecrets = check.imagePullSecrets('imagePullSecrets', props.imagePullSecrets);
    const tolerations = check.tolerations('tolerations', props.tolerations ?? []);
    const nodeSelector = { 'kubernetes.io/os': 'linux', ...check.nodeSelector('nodeSelector', props.nodeSelector) };
    const families = checkFamilies(check, props.ipFamilies ?? [4]);
    check.stopIfFailed();
    this.image = `${withRegistry(this.release.calicoctlImage, registry)}:${this.release.version}`;
    const env: Record<string, kplus.EnvValue> = { DATASTORE_TYPE: kplus.EnvValue.fromValue('kubernetes') };
    if (this.apiMode === 'native-v3-crds') env[CALICO_API_GROUP_ENV] = kplus.EnvValue.fromValue(NATIVE_V3_API_GROUP);

    this.serviceAccount = this.addServiceAccount('ServiceAccount', this.name, pullSecrets);
    const sockets = families.map((f) => ({
      family: f,
      path: BIRD_SOCKETS[f],
      volume: kplus.Volume.fromHostPath(this, `BirdSocketV${f}`, `bird${f === 6 ? '6' : ''}-ctl`, { path: BIRD_SOCKETS[f], type: kplus.HostPathVolumeType.SOCKET }),
    }));
    this.daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata: { name: this.name, namespace: this.namespaceName },
      podMetadata: { labels: { [CALICOCTL_POD_LABEL]: this.name } },
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      hostNetwork: true,
      dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
      securityContext: { ensureNonRoot: false },
      containers: [{
        ...this.containerBase(),
        envVariables: { ...env, K8S_API_ENDPOINT: kplus.EnvValue.fromValue(NODE_STATUS_API_ENDPOINT) },
        volumeMounts: sockets.map((s) => ({ volume: s.volume, path: s.path, readOnly: true })),
        // Root (calicoctl node status refuses to run otherwise) without capabilities: the BIRD
        // sockets belong to root, and /proc/<pid>/cmdline is world-readable.
        securityContext: { ...CONTAINER_SECURITY, user: 0, ensureNonRoot: false },
      }],
    });
    this.daemonSet.select(kplus.LabelSelector.of({ labels: { [CALICOCTL_POD_LABEL]: this.name } }));
    // Patches apply before cdk8s converts props to Kubernetes casing: `hostPid` becomes `hostPID`.
    ApiObject.of(this.daemonSet).addJsonPatch(
      JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(kplus.Pod.ADDRESS_LABEL)}`),
      JsonPatch.add('/spec/template/spec/hostPid', true),
      JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
      JsonPatch.add('/spec/template/spec/nodeSelector', nodeSelector),
      ...(tolerations.length > 0 ? [JsonPatch.add('/spec/template/spec/tolerations', tolerations)] : []),
    );

    if (props.apiAccess) {
      const apiName = `${this.name}-api`;
      const account = this.addServiceAccount('ApiServiceAccount', apiName, pullSecrets);
      this.apiClusterRole = this.addClusterRole('ApiClusterRole', apiName, calicoctlRules(this.release, this.apiMode, 'read'));
      const binding = new kplus.ClusterRoleBinding(this, 'ApiClusterRoleBinding', { metadata: { name: apiName }, role: this.apiClusterRole });
      binding.addSubjects(account);
      ApiObject.of(binding).addJsonPatch(JsonPatch.remove('/subjects/0/apiGroup'));
      const apiLabel = { [CALICOCTL_POD_LABEL]: apiName };
      this.apiDeployment = new kplus.Deployment(this, 'ApiDeployment', {
        metadata: { name: apiName, namespace: this.namespaceName },
        podMetadata: { labels: apiLabel },
        select: false,
        replicas: 1,
        serviceAccount: account,
        automountServiceAccountToken: true,
        // As upstream's calicoctl pod: reaches the API server even when pod networking is broken.
        hostNetwork: true,
        dns: { policy: kplus.DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET },
        securityContext: { ensureNonRoot: true, user: 65534, group: 65534 },
        containers: [{
          ...this.containerBase(),
          envVariables: env,
          securityContext: { ...CONTAINER_SECURITY, user: 65534, group: 65534, ensureNonRoot: true },
        }],
      });
      this.apiDeployment.select(kplus.LabelSelector.of({ labels: apiLabel }));
      ApiObject.of(this.apiDeployment).addJsonPatch(
        JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(kplus.Pod.ADDRESS_LABEL)}`),
        JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
        JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/os': 'linux' }),
      );
    }
    if (props.adminClusterRole) {
      this.adminClusterRole = this.addClusterRole('AdminClusterRole', `${this.name}-admin`, calicoctlRules(this.release, this.apiMode, 'admin'));
    }
    check.done();
  }

  private addServiceAccount(id: string, name: string, pullSecrets: readonly string[]): kplus.ServiceAccount {
    const account = new kplus.ServiceAccount(this, id, { metadata: { name, namespace: this.namespaceName }, automountToken: false });
    if (pullSecrets.length > 0) {
      ApiObject.of(account).addJsonPatch(JsonPatch.add('/imagePullSecrets', pullSecrets.map((n) => ({ name: n }))));
    }
    return account;
  }

  private addClusterRole(id: string, name: string, rules: readonly CalicoctlRule[]): kplus.ClusterRole {
    const role = new kplus.ClusterRole(this, id, { metadata: { name } });
    for (const rule of rules) {
      role.allow([...rule.verbs], ...rule.resources.map((r) => kplus.ApiResource.custom({ apiGroup: rule.apiGroup, resourceType: r })));
    }
    return role;
  }

  private containerBase() {
    return {
      name: 'calicoctl',
      image: this.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      command: [this.release.calicoctlBinary],
      // calicoctl's own long-running command, so that the pod stays up for `kubectl exec`.
      args: ['version', '--poll=1m'],
      resources: {
        cpu: { request: kplus.Cpu.millis(10) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(256) },
      },
    };
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

  /**
   * A shell command that runs `calicoctl <args>` in the read-only API workload, e.g.
   * `apiExecCommand(['get', 'bgppeers'])`.
   * @throws Error when the construct was made without `apiAccess`
   */
  public apiExecCommand(args: readonly string[]): string {
    if (!this.apiDeployment) {
      throw new Error('Calicoctl.apiExecCommand: this calicoctl has no API workload; set apiAccess: true (read-only) to run commands that read the datastore.');
    }
    return `kubectl exec -n ${this.namespaceName} deploy/${this.name}-api -- ${[this.release.calicoctlBinary, ...args.map(shellQuote)].join(' ')}`;
  }
}

/** One group of RBAC permissions of calicoctl. */
export interface CalicoctlRule {
  readonly apiGroup: string;
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/** What calicoctl may do: read (get/list/watch) or administer (upstream's full rules). */
export type CalicoctlAccess = 'read' | 'admin';

/**
 * calicoctl's RBAC against the Kubernetes datastore, with the Calico resources being every Calico
 * data CRD of the release in the API group that `apiMode` uses.
 *
 * `admin` is upstream's `manifests/calicoctl.yaml` ClusterRole (create/get/list/update/delete of
 * every Calico resource, updates of namespaces, nodes, node and pod status), plus watch. `read` is
 * the same resources with get, list and watch only (list where upstream only lists).
 */
export function calicoctlRules(release: CalicoRelease, apiMode: ApiMode, access: CalicoctlAccess): CalicoctlRule[] {
  const folder = apiMode === 'native-v3-crds' ? 'projectcalico.org' : 'crd.projectcalico.org';
  const calico = crdIndex(release.version).filter((e) => e.folder === folder);
  if (calico.length === 0) {
    throw new Error(`Calicoctl: Calico ${release.version} has no ${folder} CRDs vendored.`);
  }
  const calicoResources = calico.map((e) => e.plural).sort();
  const read = ['get', 'list', 'watch'];
  const listOnly = [
    // calicoctl ipam check looks up LoadBalancer Services and KubeVirt VMs holding addresses.
    { apiGroup: '', resources: ['services'], verbs: ['list'] },
    { apiGroup: 'kubevirt.io', resources: ['virtualmachines', 'virtualmachineinstances'], verbs: ['list'] },
  ];
  if (access === 'read') {
    return [
      { apiGroup: '', resources: ['namespaces', 'nodes', 'pods', 'serviceaccounts'], verbs: read },
      ...listOnly,
      { apiGroup: calico[0].group, resources: calicoResources, verbs: read },
      { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'], verbs: read },
    ];
  }
  return [
    { apiGroup: '', resources: ['namespaces', 'nodes'], verbs: ['get', 'list', 'update', 'watch'] },
    { apiGroup: '', resources: ['nodes/status'], verbs: ['update'] },
    { apiGroup: '', resources: ['pods', 'serviceaccounts'], verbs: read },
    { apiGroup: '', resources: ['pods/status'], verbs: ['update'] },
    ...listOnly,
    { apiGroup: calico[0].group, resources: calicoResources, verbs: ['create', 'get', 'list', 'update', 'delete', 'watch'] },
    { apiGroup: 'networking.k8s.io', resources: ['networkpolicies'], verbs: read },
  ];
}

/** Write verbs of Kubernetes RBAC: what no workload this library emits is granted. */
export const RBAC_WRITE_VERBS: readonly string[] = ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate', '*'];

const CONTAINER_SECURITY = {
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL' as kplus.Capability] },
};

function checkFamilies(check: PropChecker, families: readonly IpFamily[]): IpFamily[] {
  if (!Array.isArray(families) || families.length === 0 || families.some((f) => f !== 4 && f !== 6) || new Set(families).size !== families.length) {
    check.fail('ipFamilies', `${JSON.stringify(families)} is not allowed: give [4], [6] or [4, 6] (the families calico-node runs BIRD for)`);
    return [4];
  }
  return [...families].sort();
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,@-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
