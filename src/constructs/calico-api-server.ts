import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PropChecker } from './prop-checks';
import { CalicoReleaseProps } from '../releases/resolve-release';
import { ApiServerSpecJson } from '../releases/spec-types';
import { mergeSpec } from './spec-merge';

/** Props of {@link CalicoApiServer}. */
export interface CalicoApiServerProps extends CalicoReleaseProps {
  /**
   * The whole APIServer spec, as in the operator's API reference (JSON field names), e.g.
   * `{ apiServerDeployment: { spec: { template: { spec: { nodeSelector: {...} } } } } }`. It
   * passes through as is; fields are checked against the selected release's schema (v3.24.5's
   * APIServer has no spec fields at all).
   * @default {} (the operator's defaults)
   */
  readonly apiServerSpec?: ApiServerSpecJson;
}

/**
 * The operator's APIServer (operator.tigera.io/v1, name `default`): runs the Calico API server
 * that serves projectcalico.org/v3 (BGPConfiguration, BGPPeer, IPPool...) to kubectl.
 */
export class CalicoApiServer extends Construct {
  /** The APIServer object: a plain ApiObject whose spec is JSON as written. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CalicoApiServerProps = {}) {
    super(scope, id);
    const check = new PropChecker('CalicoApiServer', this);
    check.release(props);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'operator.tigera.io/v1',
      kind: 'APIServer',
      metadata: { name: 'default' },
      spec: mergeSpec(check, 'apiServerSpec', props.apiServerSpec, {}),
    });
    check.done();
  }
}
