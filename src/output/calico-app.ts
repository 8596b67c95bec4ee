import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { App, AppProps, Chart, Names } from 'cdk8s';
import { CalicoStage } from '../constructs/calico-stage';
import { CalicoTorChart } from '../constructs/calico-tor-chart';
import { chartApiObjects, renderObject } from '../constructs/render';
import { FluxKustomizationsOptions, fluxKustomizations } from './flux';
import { writeDirectoryAtomically } from './atomic-write';
import { toYaml } from './yaml-output';
import { CalicoValidationError, Violation, formatViolation } from '../validation';

/**
 * How CalicoApp lays out its output:
 * - `flat`: one file per stage (`01-tigera-operator.yaml`, ...) and a `kustomization.yaml`
 *   listing them in apply order (`kubectl apply -k`, Argo CD);
 * - `folder-per-stage`: one folder per stage (`01-tigera-operator/`), each with its file and its
 *   own `kustomization.yaml`, for a deploy tool that applies folder by folder (Flux: one
 *   Kustomization per folder, chained with `dependsOn`).
 */
export type CalicoOutputLayout = 'flat' | 'folder-per-stage';

/** Props of {@link CalicoApp}. */
export interface CalicoAppProps extends AppProps {
  /**
   * Write a top-level `kustomization.yaml` listing the files (or, in the `folder-per-stage`
   * layout, the folders) in apply order, so `kubectl apply -k` works. Each folder of the
   * `folder-per-stage` layout always gets its own.
   * @default true
   */
  readonly kustomization?: boolean;
  /**
   * Output layout: one file per stage, or one folder per stage.
   * @default 'flat', or 'folder-per-stage' when `flux` is set
   */
  readonly layout?: CalicoOutputLayout;
  /**
   * Also write Flux Kustomizations (kustomize.toolkit.fluxcd.io/v1) that apply the stage folders
   * in order (`dependsOn` the previous folder, `wait: true`), to `flux/kustomizations.yaml` with a
   * `flux/kustomization.yaml`. Needs the `folder-per-stage` layout.
   * @default - none
   */
  readonly flux?: FluxKustomizationsOptions;
}

/** One file of a synthesized app. */
export interface SynthesizedFile {
  /** Path relative to the output directory, `/`-separated (e.g. `01-tigera-operator.yaml`, `routers/tor-a.frr.conf`). */
  readonly name: string;
  /** File content. */
  readonly content: string;
}

/** A chart's files written beside its YAML, outside kustomization.yaml (plans, router configs). */
/** A chart that writes files beside its YAML; given the rendered manifests, it need not render again. */
interface ArtifactSource {
  artifacts(manifests?: readonly any[]): readonly { readonly path: string; readonly content: string }[];
}

function hasArtifacts(c: unknown): c is ArtifactSource {
  return typeof (c as Partial<ArtifactSource>).artifacts === 'function';
}

/**
 * A cdk8s App that writes Calico charts as staged files whose names sort in apply order
 * (`01-tigera-operator.yaml`, `02-calico-installation.yaml`, `03-calico-resources.yaml`), plus a
 * `kustomization.yaml` (or one folder per stage, see {@link CalicoAppProps.layout}), and the files
 * a chart's `artifacts()` returns. Everything is validated before anything is written, and the
 * output directory is replaced as a whole: never a partly written `dist/`.
 */
export class CalicoApp extends App {
  private readonly kustomization: boolean;
  private readonly layout: CalicoOutputLayout;
  private readonly flux?: FluxKustomizationsOptions;
  /** Warnings found by the last `synth()` / `synthFiles()`. */
  public warnings: Violation[] = [];

  constructor(props: CalicoAppProps = {}) {
    super(props);
    // CalicoApp prints the warnings itself, once per synth (see CalicoTorChart's printWarningsOnSynth).
    Object.defineProperty(this, Symbol.for('cdk8s-calico.printsWarnings'), { value: true });
    this.kustomization = props.kustomization ?? true;
    this.layout = props.layout ?? (props.flux ? 'folder-per-stage' : 'flat');
    if (this.layout !== 'flat' && this.layout !== 'folder-per-stage') {
      throw new Error(`CalicoApp: layout ${JSON.stringify(this.layout)} is not supported; use "flat" or "folder-per-stage"`);
    }
    if (props.flux && this.layout !== 'folder-per-stage') {
      throw new Error('CalicoApp: flux needs layout "folder-per-stage" (one Flux Kustomization per stage folder); remove layout or set it to "folder-per-stage"');
    }
    this.flux = props.flux;
  }

  /**
   * Validates the app and renders every file in memory, as `synth()` writes them.
   * @throws CalicoValidationError when a Calico chart has errors; Error for other construct validations.
   */
  public synthFiles(): SynthesizedFile[] {
    return [...this.synthOutput()].map(([name, content]) => ({ name, content }));
  }

  /**
   * Validates the app and renders the complete output: relative path -> content.
   * @throws CalicoValidationError when a Calico chart has errors; Error for other construct validations.
   */
  public synthOutput(): Map<string, string> {
    const charts = this.node.findAll().filter((c): c is Chart => Chart.isChart(c));
    // Render each object once: validation and output use the same documents.
    const groups = new Map<string, any[]>();
    const violations: Violation[] = [];
    const manifestsOf = new Map<Chart, any[]>();
    for (const chart of charts) {
      const rendered = chartApiObjects(chart).map((o) => ({ o, json: renderObject(o) }));
      // The same array for the validation and the artifacts: the chart computes its plan once per rendering.
      const manifests = rendered.map((r) => r.json);
      manifestsOf.set(chart, manifests);
      if (CalicoTorChart.isCalicoTorChart(chart)) violations.push(...chart.calicoViolations(manifests));
      for (const { o, json } of rendered) {
        const name = CalicoStage.of(o)?.fileName ?? Names.toDnsLabel(chart);
        if (!groups.has(name)) groups.set(name, []);
        groups.get(name)!.push(json);
      }
    }
    if (violations.some((v) => v.severity === 'error')) {
      throw new CalicoValidationError(sortErrorsFirst(violations));
    }
    this.warnings = violations;
    const otherErrors = this.node.findAll()
      .filter((c) => !CalicoTorChart.isCalicoTorChart(c))
      .flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (otherErrors.length > 0) {
      throw new Error(`Validation failed with the following errors:\n  ${otherErrors.join('\n  ')}`);
    }
    if (charts.filter((c) => CalicoTorChart.isCalicoTorChart(c)).length > 1) {
      throw new Error('A CalicoApp holds one CalicoTorChart (one cluster): its stages are written to fixed file names. Use one app (and outdir) per cluster.');
    }

    // Code-point order, never localeCompare: the same files in the same order under every locale.
    const names = [...groups.keys()].sort(byCodePoint);
    const files = new Map<string, string>();
    if (this.layout === 'flat') {
      for (const n of names) files.set(`${n}.yaml`, toYaml(groups.get(n)!));
      if (this.kustomization) files.set('kustomization.yaml', kustomizationYaml(names.map((n) => `${n}.yaml`)));
    } else {
      for (const n of names) {
        files.set(`${n}/${n}.yaml`, toYaml(groups.get(n)!));
        files.set(`${n}/kustomization.yaml`, kustomizationYaml([`${n}.yaml`]));
      }
      if (this.kustomization) files.set('kustomization.yaml', kustomizationYaml(names));
      if (this.flux) {
        if (groups.has('flux')) throw new Error('CalicoApp: a chart named "flux" would share its folder with the Flux Kustomizations; rename the chart');
        const kustomizations = fluxKustomizations(names.map((n) => ({ folder: n, objects: groups.get(n)! })), this.flux);
        files.set('flux/kustomizations.yaml', toYaml(kustomizations));
        files.set('flux/kustomization.yaml', kustomizationYaml(['kustomizations.yaml']));
      }
    }
    for (const chart of charts) {
      if (!hasArtifacts(chart)) continue;
      for (const a of chart.artifacts(manifestsOf.get(chart))) {
        const problem = artifactPathProblem(a.path);
        if (problem) throw new Error(`CalicoApp: chart "${chart.node.path}" returns an artifact with path ${JSON.stringify(a.path)}: ${problem}`);
        if (files.has(a.path) || [...files.keys()].some((f) => f.startsWith(`${a.path}/`) || a.path.startsWith(`${f}/`))) {
          throw new Error(`CalicoApp: chart "${chart.node.path}" returns an artifact "${a.path}" that another output file already takes; give it another path`);
        }
        files.set(a.path, a.content);
      }
    }
    return files;
  }

  /**
   * Validates, then replaces the output directory with the rendered files, and prints the
   * warnings to stderr (once; they stay in {@link warnings}). The directory is replaced only if it holds nothing but what a
   * synth writes (a previous synth's output): never the working directory, one of its parents, or
   * a folder with other content.
   */
  public override synth(): void {
    const files = this.synthOutput();
    const outdir = resolve(this.outdir);
    checkReplaceable(outdir, files);
    writeDirectoryAtomically(outdir, files);
    for (const w of this.warnings) process.stderr.write(`${formatViolation(w)}\n`);
  }
}

/** Compares strings by UTF-16 code units (the same order under every locale). */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kustomizationYaml(resources: readonly string[]): string {
  return toYaml([{
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    // Keep the listed order (kustomize >= 5.0, kubectl >= 1.27): it is the apply order.
    sortOptions: { order: 'fifo' },
    resources: [...resources],
  }]);
}

function artifactPathProblem(p: unknown): string | undefined {
  if (typeof p !== 'string' || p === '') return 'a relative file path is required, e.g. "routers/tor-a.frr.conf"';
  const parts = p.split('/');
  if (p.startsWith('/') || p.includes('\\') || parts.some((s) => s === '' || s === '.' || s === '..')) {
    return 'use a relative path of "/"-separated names without ".", ".." or empty parts, e.g. "routers/tor-a.frr.conf"';
  }
  if (parts.length === 1 && p === 'kustomization.yaml') return 'kustomization.yaml is written by CalicoApp';
  return undefined;
}


/** Extensions of the files a synth writes: manifests, plans, router configurations. */
const OUTPUT_EXTENSIONS = ['.yaml', '.yml', '.json', '.md', '.conf', '.txt'];

/**
 * Throws unless `outdir` is absent, or a directory away from the working directory that holds only
 * what a synth writes (a previous synth's files, stage folders and artifacts): files, also in
 * folders, with the extensions of OUTPUT_EXTENSIONS or of `files`; no hidden entries.
 */
function checkReplaceable(outdir: string, files: ReadonlyMap<string, string>): void {
  const cwd = resolve(process.cwd());
  if (outdir === dirname(outdir) || cwd === outdir || cwd.startsWith(`${outdir}${sep}`)) {
    throw new Error(`CalicoApp: outdir "${outdir}" is the working directory, one of its parents or a filesystem root; `
      + 'the output directory is replaced as a whole, so give it a folder of its own, e.g. "dist"');
  }
  if (!existsSync(outdir)) return;
  if (!statSync(outdir).isDirectory()) throw new Error(`CalicoApp: outdir "${outdir}" exists and is not a directory`);
  const written = new Set([...OUTPUT_EXTENSIONS, ...[...files.keys()].map((f) => extname(f)).filter((e) => e !== '')]);
  const others: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const f of readdirSync(dir).sort(byCodePoint)) {
      const path = join(dir, f);
      const stat = statSync(path);
      if (stat.isDirectory() && !f.startsWith('.')) walk(path, `${rel}${f}/`);
      else if (!stat.isFile() || !written.has(extname(f)) || f.startsWith('.')) others.push(`${rel}${f}`);
    }
  };
  walk(outdir, '');
  if (others.length > 0) {
    throw new Error(`CalicoApp: outdir "${outdir}" holds more than synthesized YAML (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}); `
      + 'it is replaced as a whole on every synth, so give the output a folder of its own');
  }
}

function sortErrorsFirst(vs: Violation[]): Violation[] {
  return [...vs.filter((v) => v.severity === 'error'), ...vs.filter((v) => v.severity !== 'error')];
}
