import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PropChecker } from './prop-checks';
import { findCrd } from '../releases/crd-store';
import { CALICO_VERSIONS, CalicoVersion } from '../releases/releases';
import { CalicoReleaseProps } from '../releases/resolve-release';
import { GoldmaneSpecJson, WhiskerSpecJson } from '../releases/spec-types';
import { mergeSpec } from './spec-merge';

/** Props of {@link CalicoGoldmane}. */
export interface CalicoGoldmaneProps extends CalicoReleaseProps {
  /**
   * The Goldmane spec (JSON field names), e.g. `{ goldmaneDeployment: { spec: { template: ... } } }`.
   * @default {} (the operator's defaults)
   */
  readonly spec?: GoldmaneSpecJson;
}

/** Props of {@link CalicoWhisker}. */
export interface CalicoWhiskerProps extends CalicoReleaseProps {
  /**
   * The Whisker spec (JSON field names), e.g. `{ notifications: 'Disabled' }`.
   * @default {} (the operator's defaults)
   */
  readonly spec?: WhiskerSpecJson;
}

/**
 * One of the operator's observability CRs (operator.tigera.io/v1, cluster-scoped, named
 * `default`, as Calico's manifests and Helm chart create them). Refused on releases whose operator
 * has no such CRD, naming the releases that have it.
 */
function operatorCr(scope: Construct, kind: 'Goldmane' | 'Whisker', where: string, props: CalicoReleaseProps & { spec?: object }): ApiObject {
  const check = new PropChecker(where, scope);
  const { version } = check.release(props);
  if (!findCrd(version, 'operator.tigera.io', kind)) {
    const having = CALICO_VERSIONS.filter((v: CalicoVersion) => findCrd(v, 'operator.tigera.io', kind));
    check.fail('calicoVersion', `Calico ${version}'s operator has no ${kind} (it comes with ${having.join(', ')}): choose one of those releases, or leave ${kind} out`);
  }
  const resource = new ApiObject(scope, 'Resource', {
    apiVersion: 'operator.tigera.io/v1',
    kind,
    metadata: { name: 'default' },
    spec: mergeSpec(check, 'spec', props.spec, {}),
  });
  check.done();
  return resource;
}

/** Goldmane, Calico's flow aggregator (v3.30+): collects flow logs from every node for Whisker and the API. */
export class CalicoGoldmane extends Construct {
  /** The Goldmane object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CalicoGoldmaneProps = {}) {
    super(scope, id);
    this.resource = operatorCr(this, 'Goldmane', 'CalicoGoldmane', props);
  }
}

/** Whisker, Calico's observability UI (v3.30+): shows the flows Goldmane aggregates (enable both). */
export class CalicoWhisker extends Construct {
  /** The Whisker object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CalicoWhiskerProps = {}) {
    super(scope, id);
    this.resource = operatorCr(this, 'Whisker', 'CalicoWhisker', props);
  }
}
