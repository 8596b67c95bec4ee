import { Parsed, describeValue } from '../model/values';
import { CALICO_RELEASES, CALICO_VERSIONS, CalicoRelease, CalicoVersion, DEFAULT_CALICO_VERSION, isCalicoVersion } from './releases';

/**
 * How projectcalico.org/v3 objects are served.
 * - `apiserver`: by the Calico API server (schema of the crd.projectcalico.org/v1 CRDs).
 * - `native-v3-crds`: by native projectcalico.org/v3 CRDs, no API server (v3.32+ tech preview).
 */
export type ApiMode = 'apiserver' | 'native-v3-crds';

/** Every API mode. */
export const API_MODES: readonly ApiMode[] = ['apiserver', 'native-v3-crds'];

/** The default API mode. */
export const DEFAULT_API_MODE: ApiMode = 'apiserver';

/** Props shared by everything that depends on the Calico release. */
export interface CalicoReleaseProps {
  /**
   * Calico release; chooses the operator, the CRDs, the schemas and the rules.
   * @default DEFAULT_CALICO_VERSION (the newest supported)
   */
  readonly calicoVersion?: CalicoVersion;
}

/** Props shared by everything that depends on the release and on how projectcalico.org/v3 is served. */
export interface CalicoDeploymentProps extends CalicoReleaseProps {
  /**
   * How projectcalico.org/v3 objects are served: by the Calico API server (`apiserver`) or by
   * native v3 CRDs without API server (`native-v3-crds`, Calico v3.32+ tech preview).
   * @default 'apiserver'
   */
  readonly apiMode?: ApiMode;
}

/** A release and API mode that go together. */
export interface ResolvedRelease {
  readonly version: CalicoVersion;
  readonly release: CalicoRelease;
  readonly apiMode: ApiMode;
}

/** The releases that serve projectcalico.org/v3 through native CRDs. */
export function nativeV3Releases(): CalicoVersion[] {
  return CALICO_VERSIONS.filter((v) => CALICO_RELEASES[v].nativeV3Crds);
}

/**
 * The one check of a Calico version and API mode, used by the constructs, the CLI and the schema
 * check alike (each adds where the value came from: a prop, a flag, an option).
 * @param version a release tag; `undefined` means the default (newest) release
 * @param apiMode an API mode; `undefined` means `apiserver`
 */
export function resolveRelease(version: unknown, apiMode?: unknown): Parsed<ResolvedRelease> {
  const v = version === undefined ? DEFAULT_CALICO_VERSION : version;
  if (!isCalicoVersion(v)) {
    return { ok: false, error: `Calico version ${describeValue(v)} is not supported; use one of ${CALICO_VERSIONS.join(', ')}` };
  }
  const mode = apiMode === undefined ? DEFAULT_API_MODE : apiMode;
  if (!API_MODES.includes(mode as ApiMode)) {
    return { ok: false, error: `API mode ${describeValue(mode)} is not supported; use ${API_MODES.map((m) => `"${m}"`).join(' or ')}` };
  }
  const release = CALICO_RELEASES[v];
  if (mode === 'native-v3-crds' && !release.nativeV3Crds) {
    return {
      ok: false,
      error: `API mode "native-v3-crds" needs the native projectcalico.org/v3 CRDs, which Calico ${v} does not have `
        + `(they exist in ${nativeV3Releases().join(', ')}); use API mode "apiserver" with ${v}, or a release that has them`,
    };
  }
  return { ok: true, value: { version: v, release, apiMode: mode as ApiMode } };
}
