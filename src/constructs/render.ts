import { ApiObject, Chart, DependencyGraph } from 'cdk8s';
import { IConstruct } from 'constructs';
import { CalicoStage } from './calico-stage';
// JSON patches on the generated classes apply to the written JSON (see generated.ts).
import './generated';

/**
 * The ApiObjects of `chart` (not of nested charts) in apply order, without running the app-wide
 * validation that `Chart.toJson()` runs (so validations may call it): in dependency order when any
 * construct declares a dependency (cdk8s's DependencyGraph), else in construct order, which is
 * the same and linear (the graph costs 0.1 s at 10,000 objects). Within each stage, the stage's
 * `laterKinds` (e.g. BGPConfiguration) come after its other objects.
 */
export function chartApiObjects(chart: Chart): ApiObject[] {
  const all = chart.node.findAll();
  const ordered: IConstruct[] = all.some((c) => c.node.dependencies.length > 0) ? new DependencyGraph(chart.node).topology() : all;
  const objects = ordered.filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
  return laterKindsLast(objects);
}

/** Stable partition: in each stage, objects of the stage's later kinds move behind the others. */
function laterKindsLast(objects: ApiObject[]): ApiObject[] {
  const later = new Map<CalicoStage, ApiObject[]>();
  const out: ApiObject[] = [];
  let last: CalicoStage | undefined;
  const flush = () => {
    if (last && later.has(last)) out.push(...later.get(last)!);
    if (last) later.delete(last);
  };
  for (const o of objects) {
    const stage = CalicoStage.of(o);
    if (stage !== last) {
      flush();
      last = stage;
    }
    if (stage?.isLaterKind(o.kind)) {
      if (!later.has(stage)) later.set(stage, []);
      later.get(stage)!.push(o);
    } else {
      out.push(o);
    }
  }
  flush();
  for (const rest of later.values()) out.push(...rest);
  return out;
}
