import { ManifestObject } from '../../model/violation';
import { CALICO_NODE_NAMESPACE } from '../../model/calico-defaults';
import { isRecord } from '../../model/values';
import { apiGroup, asArray, objectName, objectNamespace } from '../../model/manifest';

/**
 * Where the BGP password Secrets referenced by BGPPeers and the default BGPConfiguration are, and
 * whether calico-node may read them. Calico resolves `secretKeyRef` in calico-node's own
 * namespace, and calico-node's ServiceAccount needs get/list/watch on the Secret
 * (docs: reference/resources/bgppeer, "KeyRef"): under the operator that namespace is
 * calico-system.
 */
export class PasswordSecretIndex {
  /** Secret name -> namespaces holding a Secret of that name, in input order. */
  private readonly secrets = new Map<string, string[]>();
  private readonly roles = new Map<string, ManifestObject>();
  private readonly bindings: ManifestObject[] = [];
  private readonly readable = new Map<string, boolean>();

  public add(obj: ManifestObject): void {
    const group = apiGroup(obj.apiVersion);
    if (obj.kind === 'Secret' && (obj.apiVersion === 'v1' || group === '')) {
      const name = objectName(obj);
      if (name === '') return;
      const list = this.secrets.get(name) ?? [];
      list.push(objectNamespace(obj) || 'default');
      this.secrets.set(name, list);
    } else if (group === 'rbac.authorization.k8s.io') {
      if (obj.kind === 'Role') this.roles.set(`Role/${objectNamespace(obj)}/${objectName(obj)}`, obj);
      else if (obj.kind === 'ClusterRole') this.roles.set(`ClusterRole//${objectName(obj)}`, obj);
      else if (obj.kind === 'RoleBinding' && objectNamespace(obj) === CALICO_NODE_NAMESPACE) this.bindings.push(obj);
    }
  }

  /** Namespaces of the input's Secrets named `name` (empty when none). */
  public namespacesOf(name: string): readonly string[] {
    return this.secrets.get(name) ?? [];
  }

  /** Whether a RoleBinding in calico-system lets ServiceAccount calico-node get the Secret `name`. */
  public calicoNodeCanRead(name: string): boolean {
    let v = this.readable.get(name);
    if (v === undefined) {
      v = this.bindings.some((b) => this.bindingGrants(b, name));
      this.readable.set(name, v);
    }
    return v;
  }

  private bindingGrants(binding: ManifestObject, secret: string): boolean {
    const subjects = asArray((binding as { subjects?: unknown }).subjects);
    const toNode = subjects.some(
      (s) => isRecord(s) && s.kind === 'ServiceAccount' && s.name === 'calico-node' && (s.namespace === undefined || s.namespace === CALICO_NODE_NAMESPACE),
    );
    const ref: unknown = (binding as { roleRef?: unknown }).roleRef;
    if (!toNode || !isRecord(ref) || typeof ref.name !== 'string') return false;
    const role = ref.kind === 'ClusterRole' ? this.roles.get(`ClusterRole//${ref.name}`) : this.roles.get(`Role/${CALICO_NODE_NAMESPACE}/${ref.name}`);
    if (!role) return false;
    return asArray((role as { rules?: unknown }).rules).some((r) => {
      if (!isRecord(r)) return false;
      const groups = asArray(r.apiGroups);
      const resources = asArray(r.resources);
      const verbs = asArray(r.verbs);
      const names = asArray(r.resourceNames);
      return (
        (groups.includes('') || groups.includes('*')) &&
        (resources.includes('secrets') || resources.includes('*')) &&
        (verbs.includes('get') || verbs.includes('*')) &&
        (names.length === 0 || names.includes(secret))
      );
    });
  }
}
