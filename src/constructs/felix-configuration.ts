import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PropChecker } from './prop-checks';
import { FelixConfigurationSpecJson } from '../releases/spec-types';
import { mergeSpec } from './spec-merge';

/** Props of {@link CalicoFelixConfiguration}. */
export interface CalicoFelixConfigurationProps {
  /**
   * Name of the FelixConfiguration: `default` applies to every node, `node.<nodename>` to one.
   * @default 'default'
   */
  readonly name?: string;
  /**
   * The FelixConfiguration spec (projectcalico.org/v3, JSON field names as in Calico's reference:
   * `bpfEnabled`, `ipipMTU`, `prometheusMetricsEnabled`...). Checked against the selected
   * release's schema with the rest of the chart.
   */
  readonly spec: FelixConfigurationSpecJson;
}

/**
 * A FelixConfiguration (projectcalico.org/v3), by default `default`: Felix's settings for every
 * node, as Calico's Helm chart writes it from `defaultFelixConfiguration`. The operator also
 * sets a few fields of `default` itself (e.g. for the eBPF dataplane); applying this object
 * leaves the fields it does not name alone.
 */
export class CalicoFelixConfiguration extends Construct {
  /** The FelixConfiguration object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: CalicoFelixConfigurationProps) {
    super(scope, id);
    const check = new PropChecker('CalicoFelixConfiguration', this);
    const name = props.name ?? 'default';
    check.name('name', name);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'projectcalico.org/v3',
      kind: 'FelixConfiguration',
      metadata: { name },
      spec: mergeSpec(check, 'spec', props.spec, {}),
    });
    check.done();
  }
}
