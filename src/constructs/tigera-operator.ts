import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { operatorReferenceManifest } from '../releases/crd-store';
import { withRegistry } from '../model/image';
import { CalicoRelease } from '../releases/releases';
import { ApiMode, CalicoDeploymentProps } from '../releases/resolve-release';
import { escapePointer } from './internal/json-pointer';
import { KubernetesServicesEndpoint, PodToleration } from './pod-settings';
import { PropChecker } from './prop-checks';
import { TIGERA_OPERATOR_FIELDS } from './prop-shapes';

/** Props of {@link TigeraOperator}. */
export interface TigeraOperatorProps extends CalicoDeploymentProps {
  /**
   * Registry (host[:port][/path]) to pull the operator image from instead of upstream's, e.g. a
   * private mirror: `registry.example.com` turns `quay.io/tigera/operator` into
   * `registry.example.com/tigera/operator`. Only the operator image: Calico's own images follow
   * the Installation's `spec.registry`.
   * @default - upstream's registry (quay.io)
   */
  readonly registry?: string;
  /**
   * Names of existing `kubernetes.io/dockerconfigjson` Secrets in the operator namespace used to
   * pull the operator image (added to the operator ServiceAccount's `imagePullSecrets`). References
   * only: create the Secrets by other means.
   * @default - none
   */
  readonly imagePullSecrets?: readonly string[];
  /**
   * Tolerations of the operator pod, replacing upstream's (which tolerate every `NoSchedule` and
   * `NoExecute` taint).
   * @default - upstream's tolerations
   */
  readonly tolerations?: readonly PodToleration[];
  /**
   * Tolerations added after `tolerations` (or after upstream's when `tolerations` is not set).
   * @default - none
   */
  readonly extraTolerations?: readonly PodToleration[];
  /**
   * Node labels the operator pod must match, merged over upstream's `kubernetes.io/os: linux`
   * (a key given here overrides upstream's value).
   * @default - upstream's node selector only
   */
  readonly nodeSelector?: { readonly [label: string]: string };
  /**
   * API server endpoint for clusters without kube-proxy (e.g. the eBPF data plane replacing it):
   * writes the `kubernetes-services-endpoint` ConfigMap in the operator namespace
   * (`KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT`), which the operator reads and passes on
   * to the Calico components.
   * @default - no ConfigMap (the operator uses the `kubernetes` Service)
   */
  readonly kubernetesServicesEndpoint?: KubernetesServicesEndpoint;
}

/** Name of the ConfigMap that the operator reads the API server endpoint from. */
export const KUBERNETES_SERVICES_ENDPOINT_CONFIG_MAP = 'kubernetes-services-endpoint';

/**
 * Environment variable that forces the operator's (and Calico components') API group; with
 * `projectcalico.org/v3` they use the native v3 CRDs (Calico v3.32+).
 */
export const CALICO_API_GROUP_ENV = 'CALICO_API_GROUP';

/** Value of {@link CALICO_API_GROUP_ENV} in native v3 CRD mode. */
export const NATIVE_V3_API_GROUP = 'projectcalico.org/v3';

/**
 * The Tigera operator of a Calico release, written with cdk8s-plus: its Namespace, ServiceAccount,
 * RBAC (ClusterRoles and their bindings) and Deployment, semantically equal to that release's
 * upstream `tigera-operator.yaml` (without CRDs) unless a prop asks for a change.
 *
 * Per-release content (RBAC rules, arguments such as `-manage-crds=true`, environment, volumes,
 * labels) comes from the release's vendored reference manifest, so a new release is a data change.
 * cdk8s-plus defaults that upstream does not have (security contexts, resources, automount,
 * rollout strategy, selector labels...) are removed with JSON patches.
 *
 * Objects are emitted in apply order: Namespace, ServiceAccount, RBAC, the
 * `kubernetes-services-endpoint` ConfigMap (if any), then the Deployment. None of them may get a
 * chart-level namespace or labels, or they stop matching upstream.
 */
export class TigeraOperator extends Construct {
  /** The release written. */
  public readonly release: CalicoRelease;
  /** How projectcalico.org/v3 objects are served. */
  public readonly apiMode: ApiMode;
  /** Namespace of the operator (`tigera-operator`). */
  public readonly namespaceName: string;
  /** Operator image with tag, after the registry override. */
  public readonly image: string;
  /** The operator Namespace. */
  public readonly namespace: kplus.Namespace;
  /** The operator ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The operator Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The `kubernetes-services-endpoint` ConfigMap, when `kubernetesServicesEndpoint` is set. */
  public readonly servicesEndpoint?: kplus.ConfigMap;

  constructor(scope: Construct, id: string, props: TigeraOperatorProps = {}) {
    super(scope, id);
    const check = new PropChecker('TigeraOperator', this);
    check.props(props, TIGERA_OPERATOR_FIELDS);
    ({ release: this.release, apiMode: this.apiMode } = check.release(props));
    const registry = check.registry('registry', props.registry);
    const pullSecrets = check.imagePullSecrets('imagePullSecrets', props.imagePullSecrets);
    const tolerations = props.tolerations === undefined ? undefined : check.tolerations('tolerations', props.tolerations);
    const extraTolerations = check.tolerations('extraTolerations', props.extraTolerations ?? []);
    const nodeSelector = check.nodeSelector('nodeSelector', props.nodeSelector);
    const endpoint = check.servicesEndpoint('kubernetesServicesEndpoint', props.kubernetesServicesEndpoint);
    this.image = `${withRegistry(this.release.operatorImage, registry)}:${this.release.operatorVersion}`;

    const tag = this.release.version;
    const reference = operatorReferenceManifest(tag);
    const ctx = new ReferenceContext(tag);
    const built = new Map<string, Construct>();
    let namespace: kplus.Namespace | undefined;
    let serviceAccount: kplus.ServiceAccount | undefined;
    let deployment: kplus.Deployment | undefined;

    for (const obj of reference) {
      const where = ctx.where(obj);
      switch (obj.kind) {
        case 'Namespace': {
          checkKeys(obj, ['apiVersion', 'kind', 'metadata'], where);
          namespace = new kplus.Namespace(this, 'Namespace', { metadata: ctx.metadata(obj) });
          // cdk8s-plus writes `spec: {}`; upstream has none.
          ApiObject.of(namespace).addJsonPatch(JsonPatch.remove('/spec'));
          break;
        }
        case 'ServiceAccount': {
          checkKeys(obj, ['apiVersion', 'kind', 'metadata', 'imagePullSecrets'], where);
          serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: ctx.metadata(obj) });
          const sa = ApiObject.of(serviceAccount);
          // cdk8s-plus writes `automountServiceAccountToken: false`; upstream leaves the default (true).
          sa.addJsonPatch(JsonPatch.remove('/automountServiceAccountToken'));
          const secrets = [...(obj.imagePullSecrets ?? []), ...pullSecrets.map((name) => ({ name }))];
          if (obj.imagePullSecrets !== undefined || secrets.length > 0) {
            sa.addJsonPatch(JsonPatch.add('/imagePullSecrets', secrets));
          }
          break;
        }
        case 'ClusterRole':
        case 'Role': {
          checkKeys(obj, ['apiVersion', 'kind', 'metadata', 'rules'], where);
          const role = obj.kind === 'ClusterRole'
            ? new kplus.ClusterRole(this, `ClusterRole-${obj.metadata.name}`, { metadata: ctx.metadata(obj) })
            : new kplus.Role(this, `Role-${obj.metadata.name}`, { metadata: ctx.metadata(obj) });
          // cdk8s-plus writes one rule per resource (with `resourceNames: []`); write upstream's
          // rules as they are, so the role reads (and diffs) like upstream's.
          ApiObject.of(role).addJsonPatch(JsonPatch.replace('/rules', clone(obj.rules ?? [])));
          built.set(`${obj.kind}/${obj.metadata.name}`, role);
          break;
        }
        case 'ClusterRoleBinding':
        case 'RoleBinding': {
          checkKeys(obj, ['apiVersion', 'kind', 'metadata', 'subjects', 'roleRef'], where);
          const roleRef = obj.roleRef ?? {};
          checkKeys(roleRef, ['apiGroup', 'kind', 'name'], `${where} roleRef`);
          const role = (built.get(`${roleRef.kind}/${roleRef.name}`) as kplus.IRole | undefined)
            ?? (roleRef.kind === 'ClusterRole'
              ? kplus.ClusterRole.fromClusterRoleName(this, `Imported-${obj.kind}-${obj.metadata.name}`, roleRef.name)
              : kplus.Role.fromRoleName(this, `Imported-${obj.kind}-${obj.metadata.name}`, roleRef.name));
          const binding = obj.kind === 'ClusterRoleBinding'
            ? new kplus.ClusterRoleBinding(this, `ClusterRoleBinding-${obj.metadata.name}`, { metadata: ctx.metadata(obj), role: role as kplus.IClusterRole })
            : new kplus.RoleBinding(this, `RoleBinding-${obj.metadata.name}`, { metadata: ctx.metadata(obj), role });
          const api = ApiObject.of(binding);
          (obj.subjects ?? []).forEach((subject: Record<string, any>, i: number) => {
            checkKeys(subject, ['kind', 'name', 'namespace'], `${where} subjects[${i}]`);
            if (subject.kind !== 'ServiceAccount') {
              throw new Error(`${where} subjects[${i}]: subject kind "${subject.kind}" is not translated (only ServiceAccount).`);
            }
            const sa = serviceAccount && serviceAccount.name === subject.name && serviceAccount.metadata.namespace === subject.namespace
              ? serviceAccount
              : kplus.ServiceAccount.fromServiceAccountName(this, `Subject-${obj.metadata.name}-${i}`, subject.name, { namespaceName: subject.namespace });
            binding.addSubjects(sa);
            // cdk8s-plus writes `apiGroup: ""` on ServiceAccount subjects; upstream omits it.
            api.addJsonPatch(JsonPatch.remove(`/subjects/${i}/apiGroup`));
          });
          break;
        }
        case 'Deployment': {
          if (endpoint) {
            this.servicesEndpoint = new kplus.ConfigMap(this, 'ServicesEndpoint', {
              metadata: { name: KUBERNETES_SERVICES_ENDPOINT_CONFIG_MAP, namespace: obj.metadata.namespace },
              data: { KUBERNETES_SERVICE_HOST: endpoint.host, KUBERNETES_SERVICE_PORT: String(endpoint.port) },
            });
            // cdk8s-plus writes `immutable: false` (the default).
            ApiObject.of(this.servicesEndpoint).addJsonPatch(JsonPatch.remove('/immutable'));
          }
          deployment = this.addDeployment(obj, ctx, {
            serviceAccount,
            tolerations,
            extraTolerations,
            nodeSelector,
            extraEnv: this.apiMode === 'native-v3-crds' ? { [CALICO_API_GROUP_ENV]: NATIVE_V3_API_GROUP } : {},
          });
          break;
        }
        default:
          throw new Error(`${where}: kind ${obj.kind} is not translated by TigeraOperator.`);
      }
    }
    if (!namespace || !serviceAccount || !deployment) {
      throw new Error(`The tigera-operator reference manifest of ${tag} lacks a Namespace, ServiceAccount or Deployment.`);
    }
    this.namespace = namespace;
    this.serviceAccount = serviceAccount;
    this.deployment = deployment;
    this.namespaceName = namespace.name;
    check.done();
  }

  /** Writes the operator Deployment from the reference Deployment `obj`. */
  private addDeployment(obj: Record<string, any>, ctx: ReferenceContext, opts: {
    serviceAccount?: kplus.ServiceAccount;
    tolerations?: Array<Record<string, unknown>>;
    extraTolerations: Array<Record<string, unknown>>;
    nodeSelector: Record<string, string>;
    extraEnv: Record<string, string>;
  }): kplus.Deployment {
    const where = ctx.where(obj);
    checkKeys(obj, ['apiVersion', 'kind', 'metadata', 'spec'], where);
    const spec = obj.spec ?? {};
    checkKeys(spec, ['replicas', 'selector', 'template'], `${where} spec`);
    checkKeys(spec.selector ?? {}, ['matchLabels'], `${where} spec.selector`);
    const template = spec.template ?? {};
    checkKeys(template, ['metadata', 'spec'], `${where} spec.template`);
    checkKeys(template.metadata ?? {}, ['labels'], `${where} spec.template.metadata`);
    const pod = template.spec ?? {};
    checkKeys(pod, ['nodeSelector', 'tolerations', 'serviceAccountName', 'terminationGracePeriodSeconds', 'hostNetwork', 'dnsPolicy', 'containers', 'volumes'], `${where} spec.template.spec`);
    const containers: Array<Record<string, any>> = pod.containers ?? [];
    if (containers.length !== 1) {
      throw new Error(`${where}: expected exactly one container, found ${containers.length}.`);
    }
    const c = containers[0];
    checkKeys(c, ['name', 'image', 'imagePullPolicy', 'command', 'args', 'volumeMounts', 'env', 'envFrom'], `${where} container ${c.name}`);
    const upstreamImage = `${this.release.operatorImage}:${this.release.operatorVersion}`;
    if (c.image !== upstreamImage) {
      throw new Error(`${where}: the release table says the operator image is "${upstreamImage}" but the reference manifest runs "${c.image}"; fix src/releases.ts.`);
    }
    if (opts.serviceAccount && pod.serviceAccountName !== opts.serviceAccount.name) {
      throw new Error(`${where}: the pod runs as ServiceAccount "${pod.serviceAccountName}", not the manifest's "${opts.serviceAccount.name}".`);
    }

    const volumes = new Map<string, { volume: kplus.Volume; typed: boolean }>();
    for (const [i, v] of (pod.volumes ?? []).entries()) {
      checkKeys(v, ['name', 'hostPath'], `${where} volumes[${i}]`);
      if (!v.hostPath) throw new Error(`${where} volumes[${i}]: only hostPath volumes are translated.`);
      checkKeys(v.hostPath, ['path', 'type'], `${where} volumes[${i}].hostPath`);
      volumes.set(v.name, {
        volume: kplus.Volume.fromHostPath(this, `Volume-${v.name}`, v.name, { path: v.hostPath.path, type: v.hostPath.type }),
        typed: v.hostPath.type !== undefined,
      });
    }
    const volumeMounts: kplus.VolumeMount[] = (c.volumeMounts ?? []).map((m: Record<string, any>, i: number) => {
      checkKeys(m, ['name', 'readOnly', 'mountPath'], `${where} volumeMounts[${i}]`);
      const vol = volumes.get(m.name);
      if (!vol) throw new Error(`${where} volumeMounts[${i}]: no volume named "${m.name}".`);
      return { volume: vol.volume, path: m.mountPath, readOnly: m.readOnly };
    });

    const envVariables: Record<string, kplus.EnvValue> = {};
    const fieldPaths = new Set<string>(Object.values(kplus.EnvFieldPaths));
    for (const [i, e] of (c.env ?? []).entries()) {
      checkKeys(e, ['name', 'value', 'valueFrom'], `${where} env[${i}]`);
      if (e.valueFrom !== undefined) {
        checkKeys(e.valueFrom, ['fieldRef'], `${where} env[${i}].valueFrom`);
        checkKeys(e.valueFrom.fieldRef ?? {}, ['fieldPath'], `${where} env[${i}].valueFrom.fieldRef`);
        const path = e.valueFrom.fieldRef?.fieldPath;
        if (!fieldPaths.has(path)) throw new Error(`${where} env[${i}]: fieldRef "${path}" is not translated.`);
        envVariables[e.name] = kplus.EnvValue.fromFieldRef(path as kplus.EnvFieldPaths);
      } else {
        envVariables[e.name] = kplus.EnvValue.fromValue(e.value ?? '');
      }
    }
    for (const [name, value] of Object.entries(opts.extraEnv)) {
      if (name in envVariables) throw new Error(`${where}: the reference already sets ${name}.`);
      envVariables[name] = kplus.EnvValue.fromValue(value);
    }
    const envFromOptional: boolean[] = [];
    const envFrom = (c.envFrom ?? []).map((f: Record<string, any>, i: number) => {
      checkKeys(f, ['configMapRef'], `${where} envFrom[${i}]`);
      checkKeys(f.configMapRef ?? {}, ['name', 'optional'], `${where} envFrom[${i}].configMapRef`);
      envFromOptional.push(f.configMapRef.optional === true);
      return kplus.Env.fromConfigMap(kplus.ConfigMap.fromConfigMapName(this, `EnvFrom-${f.configMapRef.name}`, f.configMapRef.name));
    });

    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: ctx.metadata(obj),
      podMetadata: { labels: template.metadata?.labels },
      select: false,
      replicas: spec.replicas,
      serviceAccount: opts.serviceAccount,
      hostNetwork: pod.hostNetwork,
      dns: pod.dnsPolicy === undefined ? undefined : { policy: pod.dnsPolicy as kplus.DnsPolicy },
      automountServiceAccountToken: true,
      terminationGracePeriod: pod.terminationGracePeriodSeconds === undefined ? undefined : Duration.seconds(pod.terminationGracePeriodSeconds),
      containers: [{
        name: c.name,
        image: this.image,
        imagePullPolicy: c.imagePullPolicy as kplus.ImagePullPolicy,
        command: c.command,
        args: c.args,
        envVariables,
        envFrom,
        volumeMounts,
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: spec.selector?.matchLabels }));

    // JSON patches apply before cdk8s converts the props to Kubernetes casing, so paths use the
    // generated k8s import's property names (`setHostnameAsFqdn` for `setHostnameAsFQDN`), and
    // fields the import does not know are dropped.
    const api = ApiObject.of(deployment);
    const podPath = '/spec/template/spec';
    const containerPath = `${podPath}/containers/0`;
    // cdk8s-plus additions that upstream does not have.
    api.addJsonPatch(
      JsonPatch.remove(`/spec/template/metadata/labels/${escapePointer(kplus.Pod.ADDRESS_LABEL)}`),
      JsonPatch.remove('/spec/minReadySeconds'),
      JsonPatch.remove('/spec/progressDeadlineSeconds'),
      JsonPatch.remove('/spec/strategy'),
      JsonPatch.remove(`${podPath}/restartPolicy`),
      JsonPatch.remove(`${podPath}/securityContext`),
      JsonPatch.remove(`${podPath}/setHostnameAsFqdn`),
      JsonPatch.remove(`${podPath}/automountServiceAccountToken`),
      JsonPatch.remove(`${containerPath}/resources`),
      JsonPatch.remove(`${containerPath}/securityContext`),
    );
    if (spec.replicas === undefined) api.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    if (pod.hostNetwork === undefined) api.addJsonPatch(JsonPatch.remove(`${podPath}/hostNetwork`));
    if (pod.dnsPolicy === undefined) api.addJsonPatch(JsonPatch.remove(`${podPath}/dnsPolicy`));
    if (pod.terminationGracePeriodSeconds === undefined) api.addJsonPatch(JsonPatch.remove(`${podPath}/terminationGracePeriodSeconds`));
    [...volumes.values()].forEach((v, i) => {
      if (!v.typed) api.addJsonPatch(JsonPatch.remove(`${podPath}/volumes/${i}/hostPath/type`));
    });
    // Not expressible with cdk8s-plus: optional ConfigMap sources, key-less tolerations, nodeSelector.
    envFromOptional.forEach((optional, i) => {
      if (optional) api.addJsonPatch(JsonPatch.add(`${containerPath}/envFrom/${i}/configMapRef/optional`, true));
    });
    const selector = { ...(pod.nodeSelector ?? {}), ...opts.nodeSelector };
    if (Object.keys(selector).length > 0) api.addJsonPatch(JsonPatch.add(`${podPath}/nodeSelector`, selector));
    const allTolerations = [...(opts.tolerations ?? clone(pod.tolerations ?? [])), ...opts.extraTolerations];
    if (allTolerations.length > 0) api.addJsonPatch(JsonPatch.add(`${podPath}/tolerations`, allTolerations));
    return deployment;
  }
}

/** Reads metadata and locations of reference manifest objects. */
class ReferenceContext {
  constructor(private readonly tag: string) {}

  where(obj: Record<string, any>): string {
    return `tigera-operator reference ${this.tag} ${obj.kind}/${obj.metadata?.name ?? '<unnamed>'}`;
  }

  metadata(obj: Record<string, any>): { name: string; namespace?: string; labels?: Record<string, string> } {
    const md = obj.metadata ?? {};
    checkKeys(md, ['name', 'namespace', 'labels'], `${this.where(obj)} metadata`);
    return { name: md.name, namespace: md.namespace, labels: md.labels };
  }
}

/** Throws when `obj` has a key outside `allowed`: a reference field this code would silently drop. */
function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw new Error(`${where}: field "${key}" is not translated by TigeraOperator; extend src/tigera-operator.ts for it.`);
    }
  }
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

