import { IConstruct } from 'constructs';
import { CalicoVersion, isCalicoVersion } from '../releases/releases';

/**
 * Construct-tree context key under which {@link CalicoTorChart} records its Calico release, so
 * the constructs inside it (BGPPeers, topologies) check their props against that release without
 * being told. Users' own charts may set it too: `chart.node.setContext(CALICO_VERSION_CONTEXT, 'v3.24.5')`.
 */
export const CALICO_VERSION_CONTEXT = 'cdk8s-calico:calicoVersion';

/** The Calico release recorded in the construct tree above `scope`, if any. */
export function contextCalicoVersion(scope: IConstruct): CalicoVersion | undefined {
  const v = scope.node.tryGetContext(CALICO_VERSION_CONTEXT);
  return isCalicoVersion(v) ? v : undefined;
}
