import { Chart, Testing } from 'cdk8s';
import { CalicoTorChart } from '../constructs/calico-tor-chart';
import { Violation } from '../validation';

/** What {@link CalicoTesting.synth} returns. */
export interface CalicoSynthResult {
  /** The chart's objects, as `Testing.synth()` returns them. */
  readonly manifests: any[];
  /** The Calico warnings of the chart (none for a chart that is not a CalicoTorChart). */
  readonly warnings: readonly Violation[];
}

/** Test helpers in the manner of cdk8s's `Testing`, which also return the Calico warnings. */
export class CalicoTesting {
  /**
   * Synthesizes `chart` as `Testing.synth()` does and returns its objects and warnings.
   * @throws CalicoValidationError listing every violation when the chart has errors
   */
  public static synth(chart: Chart): CalicoSynthResult {
    const manifests = Testing.synth(chart);
    return { manifests, warnings: CalicoTorChart.isCalicoTorChart(chart) ? [...chart.warnings] : [] };
  }

  private constructor() {}
}
