import { ApiObject } from 'cdk8s';
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

  constructor(scope: Construct, id: string, props: CalicoStageProps) {
    super(scope, id);
    this.fileName = props.fileName;
    this.syncWave = props.syncWave;
    this.apiFromEarlierStage = props.apiFromEarlierStage ?? false;
    this.laterKinds = new Set(props.laterKinds ?? []);
  }

  /** Whether objects of `kind` go after the stage's other objects (and one sync wave later). */
  public isLaterKind(kind: string): boolean {
    return this.laterKinds.has(kind);
  }

  /** Adds the Argo CD sync-wave and sync-options annotations to every object of the stage. */
  public addArgoCdAnnotations(): void {
    for (const obj of this.node.findAll()) {
      if (!ApiObject.isApiObject(obj)) continue;
      const options: string[] = [];
      if (this.apiFromEarlierStage) options.push('SkipDryRunOnMissingResource=true');
      // CRDs such as the Installation CRD exceed client-side apply's 256 KiB annotation limit.
      if (obj.kind === 'CustomResourceDefinition') options.push('ServerSideApply=true');
      obj.metadata.addAnnotation(SYNC_WAVE, String(this.syncWave + (this.laterKinds.has(obj.kind) ? 1 : 0)));
      if (options.length > 0) obj.metadata.addAnnotation(SYNC_OPTIONS, options.join(','));
    }
  }
}
