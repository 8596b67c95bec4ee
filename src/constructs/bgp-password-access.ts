import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PropChecker } from './prop-checks';
import { CALICO_NODE_NAMESPACE } from '../model/calico-defaults';
import { BGP_PASSWORD_ACCESS_FIELDS } from './prop-shapes';

/** Props of {@link BgpPasswordAccess}. */
export interface BgpPasswordAccessProps {
  /** Names of the Secrets (in calico-node's namespace) that hold BGP passwords. */
  readonly secretNames: readonly string[];
  /**
   * Namespace of calico-node, where the Secrets must be.
   * @default 'calico-system' (under the Tigera operator)
   */
  readonly namespace?: string;
  /**
   * Name of the Role and RoleBinding.
   * @default 'calico-bgp-passwords'
   */
  readonly name?: string;
}

/**
 * Lets calico-node read the Secrets that hold BGP session passwords: a Role (get, list, watch on
 * exactly those Secrets) and a RoleBinding to the `calico-node` ServiceAccount, in calico-node's
 * namespace — which Calico requires for `password.secretKeyRef` (Calico docs: BGP peer, "KeyRef").
 * The Secrets themselves are never written here: create them out of band.
 */
export class BgpPasswordAccess extends Construct {
  /** The Role. */
  public readonly role: kplus.Role;
  /** The RoleBinding. */
  public readonly roleBinding: kplus.RoleBinding;

  constructor(scope: Construct, id: string, props: BgpPasswordAccessProps) {
    super(scope, id);
    const check = new PropChecker('BgpPasswordAccess', this);
    check.props(props, BGP_PASSWORD_ACCESS_FIELDS);
    const namespace = props.namespace ?? CALICO_NODE_NAMESPACE;
    const name = props.name ?? 'calico-bgp-passwords';
    check.name('namespace', namespace);
    check.name('name', name);
    const secretNames = [...new Set(props.secretNames)].sort();
    if (secretNames.length === 0) check.fail('secretNames', 'at least one Secret name is required');
    secretNames.forEach((s, i) => check.name(`secretNames[${i}]`, s));

    this.role = new kplus.Role(this, 'Resource', { metadata: { name, namespace } });
    this.role.allow(['get', 'list', 'watch'], ...secretNames.map((s) => kplus.Secret.fromSecretName(this, `Secret-${s}`, s)));
    const calicoNode = kplus.ServiceAccount.fromServiceAccountName(this, 'CalicoNode', 'calico-node', { namespaceName: namespace });
    this.roleBinding = new kplus.RoleBinding(this, 'Binding', { metadata: { name, namespace }, role: this.role });
    this.roleBinding.addSubjects(calicoNode);
    check.done();
  }
}
