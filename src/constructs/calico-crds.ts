import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { crdIndex, CrdIndexEntry, loadCrd } from '../releases/crd-store';
import { CalicoRelease } from '../releases/releases';
import { CalicoReleaseProps } from '../releases/resolve-release';
import { PropChecker } from './prop-checks';
import { CALICO_CRDS_FIELDS } from './prop-shapes';

/**
 * Which of a release's vendored CRDs to emit.
 * - `apiserver`: operator.tigera.io, crd.projectcalico.org/v1 (the Calico API server's storage)
 *   and the Kubernetes policy CRDs the operator ships: what the operator installs in API-server mode.
 * - `native-v3-crds`: operator.tigera.io, native projectcalico.org/v3 and the Kubernetes policy
 *   CRDs: what the operator installs in native v3 mode (v3.32+).
 * - `all`: every CRD vendored for the release (`vendor/calico/index.json`). On v3.32+ this holds
 *   both Calico API groups, which must not be installed together in one cluster.
 */
export type CalicoCrdSet = 'apiserver' | 'native-v3-crds' | 'all';

/** When {@link CalicoCrds} emits its CRDs. */
export type CalicoCrdsEmit = 'when-operator-does-not-manage' | 'always';

/** Props of {@link CalicoCrds}. */
export interface CalicoCrdsProps extends CalicoReleaseProps {
  /**
   * Which CRDs. `native-v3-crds` is refused on releases without native v3 CRDs.
   * @default 'apiserver'
   */
  readonly set?: CalicoCrdSet;
  /**
   * `when-operator-does-not-manage` emits nothing for releases whose operator installs the CRDs
   * itself (`-manage-crds=true`, release table `operatorManagesCrds`); `always` emits them anyway
   * (e.g. so that custom resources can be applied before the operator has run).
   * @default 'when-operator-does-not-manage'
   */
  readonly emit?: CalicoCrdsEmit;
}

/** Vendored folder of the Calico data CRDs that each API mode leaves out. */
const EXCLUDED_FOLDER: Record<Exclude<CalicoCrdSet, 'all'>, string> = {
  'apiserver': 'projectcalico.org',
  'native-v3-crds': 'crd.projectcalico.org',
};

/** Index entries of the CRDs in `set` for `release`, sorted by CRD name. */
function crdEntries(release: CalicoRelease, set: CalicoCrdSet): CrdIndexEntry[] {
  const entries = crdIndex(release.version).filter((e) => set === 'all' || e.folder !== EXCLUDED_FOLDER[set]);
  return [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The CustomResourceDefinitions of a Calico release, emitted exactly as vendored (one cdk8s
 * ApiObject per CRD, construct id = CRD name, sorted by name) so that the API server gets the
 * upstream definitions. `null` fields of the vendored files (`creationTimestamp`, `status`
 * placeholders) are dropped by cdk8s, which Kubernetes treats as the same.
 *
 * By default only releases whose operator does not install CRDs (v3.24.5: they ship in its
 * `tigera-operator.yaml`) get any. Apply the CRDs before the operator and before any custom
 * resource; they are cluster-scoped, so the chart must not give them a namespace.
 */
export class CalicoCrds extends Construct {
  /** The release. */
  public readonly release: CalicoRelease;
  /** The set selected (emitted or not). */
  public readonly set: CalicoCrdSet;
  /** Names of the CRDs emitted, sorted (empty when the operator manages them and `emit` is the default). */
  public readonly crdNames: readonly string[];
  /** The emitted CRD objects, in `crdNames` order. */
  public readonly apiObjects: readonly ApiObject[];

  constructor(scope: Construct, id: string, props: CalicoCrdsProps = {}) {
    super(scope, id);
    const check = new PropChecker('CalicoCrds', this);
    check.props(props, CALICO_CRDS_FIELDS);
    this.set = props.set ?? 'apiserver';
    check.oneOf('set', this.set, ['apiserver', 'native-v3-crds', 'all']);
    // A set named after an API mode needs that mode in the release.
    this.release = check.release({ calicoVersion: props.calicoVersion, apiMode: this.set === 'all' ? undefined : this.set }, 'set').release;
    const emit = props.emit ?? 'when-operator-does-not-manage';
    check.oneOf('emit', emit, ['when-operator-does-not-manage', 'always']);
    const entries = crdEntries(this.release, this.set);
    const selected = emit === 'always' || !this.release.operatorManagesCrds ? entries : [];
    this.crdNames = selected.map((e) => e.name);
    this.apiObjects = selected.map((e) => new VendoredCrd(this, e.name, this.release.version));
    check.done();
  }
}

/**
 * A vendored CRD as an ApiObject. It renders to what cdk8s's own `toJson()` gives for the same
 * props (null fields dropped, keys sorted), which the build step already did to the vendored
 * CRDs (scripts/build-crds.mjs), instead of resolving the large, static schema on every synth;
 * its metadata (labels, annotations) is rendered as usual.
 */
class VendoredCrd extends ApiObject {
  private readonly body: Record<string, unknown>;

  constructor(scope: Construct, id: string, tag: string) {
    const body = loadCrd(tag, id) as unknown as Record<string, unknown>;
    const { apiVersion, kind, metadata } = body as { apiVersion: string; kind: string; metadata: { name: string } };
    super(scope, id, { apiVersion, kind, metadata: { name: metadata.name } });
    this.body = body;
  }

  public override toJson(): any {
    const json = { ...this.body, metadata: sortedWithoutNulls(this.metadata.toJson()) };
    // JSON patches (the escape hatch) apply to a private copy: the prepared body is shared.
    const patches = (this as unknown as { patches: JsonPatch[] }).patches;
    return patches.length > 0 ? JsonPatch.apply(structuredClone(json), ...patches) : json;
  }
}

/** A copy of JSON data without null/undefined values and with object keys sorted, as cdk8s renders it. */
function sortedWithoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedWithoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && x !== undefined) out[k] = sortedWithoutNulls(x);
  }
  return out;
}
