import { Construct, IConstruct } from 'constructs';

/** Props of {@link CalicoStage}. */
export interface CalicoStageProps {
  /**
   * Base name of the file {@link CalicoApp} writes this stage to, e.g. `01-tigera-operator`.
   * Names sort in apply order.
   */
  readonly fileName: string;
  /** Argo CD sync wave of the stage's objects. */
  readonly syncWave: number;
  /**
   * The stage's objects use APIs (CRDs, or the Calico API server) that an earlier stage brings:
   * with Argo CD annotations on, they get `SkipDryRunOnMissingResource=true`.
   * @default false
   */
  readonly apiFromEarlierStage?: boolean;
  /**
   * Kinds that go after the rest of the stage, in the file and by one sync wave (e.g.
   * `BGPConfiguration`, so the BGP peers exist before the node-to-node mesh is disabled).
   * @default - none
   */
  readonly laterKinds?: readonly string[];
  /**
   * Write Argo CD's sync-wave and sync-options annotations on every object of the stage, also
   * on objects added after the stage was built (they are added when the chart renders).
   * @default false
   */
  readonly argoCd?: boolean;
}

/** Annotation keys of Argo CD. */
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

/**
 * One apply stage of a Calico deployment (operator, then Installation, then projectcalico.org/v3
 * objects): a scope whose objects a deploy tool applies after those of the previous stage.
 * {@link CalicoApp} writes each stage to its own file.
 */
export class CalicoStage extends Construct {
  /** Returns whether `x` is a stage. */
  public static isStage(x: unknown): x is CalicoStage {
    return x instanceof CalicoStage;
  }

  /** The stage that `c` belongs to, if any. */
  public static of(c: IConstruct): CalicoStage | undefined {
    for (let s: IConstruct | undefined = c; s; s = s.node.scope) {
      if (CalicoStage.isStage(s)) return s;
    }
    return undefined;
  }

  /** Base name of the stage's file. */
  public readonly fileName: string;
  /** Argo CD sync wave of the stage. */
  public readonly syncWave: number;
  private readonly apiFromEarlierStage: boolean;
  private readonly laterKinds: ReadonlySet<string>;
  private argoCd: boolean;

  constructor(scope: Construct, id: string, props: CalicoStageProps) {
    super(scope, id);
    this.fileName = props.fileName;
    this.syncWave = props.syncWave;
    this.apiFromEarlierStage = props.apiFromEarlierStage ?? false;
    this.laterKinds = new Set(props.laterKinds ?? []);
    this.argoCd = props.argoCd ?? false;
  }

  /** Whether objects of `kind` go after the stage's other objects (and one sync wave later). */
  public isLaterKind(kind: string): boolean {
    return this.laterKinds.has(kind);
  }

  /**
   * Turns on the Argo CD sync-wave and sync-options annotations for every object of the stage,
   * including objects added later: they are computed when the chart renders, not now.
   */
  public addArgoCdAnnotations(): void {
    this.argoCd = true;
  }

  /**
   * The Argo CD annotations of an object of `kind` in this stage (none unless Argo CD annotations
   * are on): its sync wave (one later for the stage's later kinds), and sync options for objects
   * whose API an earlier stage brings and for CRDs.
   */
  public argoCdAnnotations(kind: string): Record<string, string> {
    if (!this.argoCd) return {};
    const options: string[] = [];
    if (this.apiFromEarlierStage) options.push('SkipDryRunOnMissingResource=true');
    // CRDs such as the Installation CRD exceed client-side apply's 256 KiB annotation limit.
    if (kind === 'CustomResourceDefinition') options.push('ServerSideApply=true');
    const annotations: Record<string, string> = { [SYNC_WAVE]: String(this.syncWave + (this.laterKinds.has(kind) ? 1 : 0)) };
    if (options.length > 0) annotations[SYNC_OPTIONS] = options.join(',');
    return annotations;
  }
}
