import { Construct } from 'constructs';
import { ApiServer } from '../../imports/operator.tigera.io';

/** Props of {@link CalicoApiServer}. */
export interface CalicoApiServerProps {}

/**
 * The operator's APIServer (operator.tigera.io/v1, name `default`): runs the Calico API server
 * that serves projectcalico.org/v3 (BGPConfiguration, BGPPeer, IPPool...) to kubectl.
 */
export class CalicoApiServer extends Construct {
  /** The generated APIServer object. */
  public readonly resource: ApiServer;

  constructor(scope: Construct, id: string, _props: CalicoApiServerProps = {}) {
    super(scope, id);
    this.resource = new ApiServer(this, 'Resource', { metadata: { name: 'default' }, spec: {} });
  }
}
