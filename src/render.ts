import { ApiObject, Chart, DependencyGraph } from 'cdk8s';

/**
 * The ApiObjects of `chart` (not of nested charts) in dependency order, without running the
 * app-wide validation that `Chart.toJson()` runs (so validations may call it).
 */
export function chartApiObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
}
