import { parseGoDuration } from '../model/duration';
import { dnsSubdomainProblem } from '../model/names';

/** The Flux source that holds the synthesized output (a `sourceRef` of a Flux Kustomization). */
export interface FluxSourceReference {
  /** Kind of the source object. */
  readonly kind: 'GitRepository' | 'OCIRepository' | 'Bucket';
  /** Name of the source object, e.g. `flux-system` (the repository `flux bootstrap` creates). */
  readonly name: string;
  /**
   * Namespace of the source object.
   * @default - the Kustomization's namespace
   */
  readonly namespace?: string;
}

/**
 * Flux `Kustomization` objects (kustomize.toolkit.fluxcd.io/v1), one per output folder, chained
 * in apply order: each `dependsOn` the previous one and has `wait: true`, so Flux applies a folder
 * only once everything of the previous folder is ready (the operator rolled out, the Calico API
 * server Available). CalicoApp writes them to `flux/kustomizations.yaml`, with a
 * `flux/kustomization.yaml`, outside the stage folders: point one Flux Kustomization (or
 * `flux bootstrap`'s cluster folder) at `<pathPrefix>/flux`.
 */
export interface FluxKustomizationsOptions {
  /** The Flux source (Git repository, OCI repository or bucket) holding the output. */
  readonly sourceRef: FluxSourceReference;
  /**
   * Path of the output directory inside the source, e.g. `clusters/prod/calico`; each
   * Kustomization's `path` is `./<pathPrefix>/<folder>`.
   */
  readonly pathPrefix: string;
  /**
   * How often Flux reconciles each Kustomization (a Go duration such as `10m`, `1h`).
   * @default '10m'
   */
  readonly interval?: string;
  /**
   * Timeout of a Kustomization's apply and health checks (Go duration). The installation stage
   * waits for the operator to deploy the Calico API server, which takes minutes.
   * @default '10m'
   */
  readonly timeout?: string;
  /**
   * Namespace of the Kustomization objects.
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Prefix of the Kustomization names: `<namePrefix><folder>`, e.g. `calico-01-tigera-operator`.
   * @default 'calico-'
   */
  readonly namePrefix?: string;
  /**
   * Let Flux delete objects that disappear from a folder (garbage collection, `spec.prune`).
   * @default true
   */
  readonly prune?: boolean;
}

/** One output folder that a Flux Kustomization applies. */
export interface FluxFolder {
  /** Folder name relative to the output directory. */
  readonly folder: string;
  /** Objects of the folder (as written). */
  readonly objects: readonly { readonly apiVersion?: string; readonly kind?: string }[];
}

/**
 * The Flux Kustomizations for `folders`, in order; throws on bad options, listing every problem.
 *
 * Flux's `wait: true` checks the health of every applied object with kstatus, which reads status
 * conditions. The operator's APIServer of v3.24.5 reports no condition, only `status.state`
 * (`Ready` once the API server runs: tigera/operator's apiserver controller sets
 * `TigeraStatusReady`), so kstatus would call it ready at once. For a folder holding an APIServer
 * a `healthCheckExprs` entry (Flux 2.5+; older Flux prunes the field) waits for that state.
 */
export function fluxKustomizations(folders: readonly FluxFolder[], options: FluxKustomizationsOptions): any[] {
  const problems: string[] = [];
  const interval = options.interval ?? '10m';
  const timeout = options.timeout ?? '10m';
  const namespace = options.namespace ?? 'flux-system';
  const prefix = options.namePrefix ?? 'calico-';
  for (const [prop, value] of [['interval', interval], ['timeout', timeout]] as const) {
    // Flux's CRD pattern: ^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$ (kustomize-controller api/v1).
    if (!/^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/.test(value) || !parseGoDuration(value).ok) {
      problems.push(`flux.${prop}: ${JSON.stringify(value)} is not a Flux duration; write e.g. "10m", "1h" or "90s"`);
    }
  }
  const nsProblem = dnsSubdomainProblem(namespace);
  if (nsProblem) problems.push(`flux.namespace: ${nsProblem}`);
  if (!options.sourceRef || typeof options.sourceRef.name !== 'string' || options.sourceRef.name === '') {
    problems.push('flux.sourceRef.name: the Flux source is required; e.g. { kind: "GitRepository", name: "flux-system" }');
  } else if (!['GitRepository', 'OCIRepository', 'Bucket'].includes(options.sourceRef.kind)) {
    problems.push(`flux.sourceRef.kind: ${JSON.stringify(options.sourceRef.kind)} is not a Flux source kind; use "GitRepository", "OCIRepository" or "Bucket"`);
  }
  const path = normalizePathPrefix(options.pathPrefix);
  if (typeof path !== 'string') problems.push(`flux.pathPrefix: ${path.error}`);
  const names = folders.map((f) => `${prefix}${f.folder}`);
  for (const name of names) {
    const problem = dnsSubdomainProblem(name);
    if (problem) problems.push(`flux.namePrefix: the Kustomization name ${JSON.stringify(name)} is not valid: ${problem}`);
  }
  if (problems.length > 0) throw new Error(`CalicoApp: ${problems.length} problem(s) with the flux option:\n  ${problems.join('\n  ')}`);

  return folders.map((f, i) => {
    const apiServer = f.objects.some((o) => o.apiVersion === 'operator.tigera.io/v1' && o.kind === 'APIServer');
    return {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: names[i], namespace },
      spec: {
        ...(i > 0 ? { dependsOn: [{ name: names[i - 1] }] } : {}),
        ...(apiServer ? {
          healthCheckExprs: [{
            apiVersion: 'operator.tigera.io/v1',
            kind: 'APIServer',
            current: "status.?state.orValue('') == 'Ready'",
          }],
        } : {}),
        interval,
        path: `${path as string}/${f.folder}`,
        prune: options.prune ?? true,
        sourceRef: { kind: options.sourceRef.kind, name: options.sourceRef.name, ...(options.sourceRef.namespace ? { namespace: options.sourceRef.namespace } : {}) },
        timeout,
        wait: true,
      },
    };
  });
}

/** `clusters/prod/calico`, `./clusters/prod/calico/` -> `./clusters/prod/calico`; `.` -> `.` */
function normalizePathPrefix(p: unknown): string | { error: string } {
  if (typeof p !== 'string' || p.trim() === '') return { error: 'the path of the output inside the Flux source is required, e.g. "clusters/prod/calico"' };
  const parts = p.split('/').filter((s) => s !== '' && s !== '.');
  if (p.startsWith('/') || parts.includes('..')) {
    return { error: `${JSON.stringify(p)} must be a path inside the source, relative to its root, without ".." (e.g. "clusters/prod/calico")` };
  }
  return ['.', ...parts].join('/');
}
