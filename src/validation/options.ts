import { CalicoVersion } from '../releases/releases';
import { ApiMode } from '../releases/resolve-release';


/** Options of a validation run. */
export interface ValidateOptions {
  /** Calico release whose schemas and rules apply. */
  readonly calicoVersion: CalicoVersion;
  /**
   * How projectcalico.org/v3 objects are served.
   * @default 'apiserver'
   */
  readonly apiMode?: ApiMode;
  /**
   * The objects are the whole Calico configuration: cross-resource rules that need objects
   * absent from the input (pools, peers, the BGPConfiguration) run instead of being skipped.
   * @default false
   */
  readonly complete?: boolean;
  /**
   * Number of nodes the pod pools must serve; a warning is raised when a pool has fewer blocks.
   * @default - not checked
   */
  readonly expectedNodes?: number;
}
