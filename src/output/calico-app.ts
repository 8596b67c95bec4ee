import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { App, AppProps, Chart, Names } from 'cdk8s';
import { CalicoStage } from '../constructs/calico-stage';
import { CalicoTorChart } from '../constructs/calico-tor-chart';
import { chartApiObjects } from '../constructs/render';
import { writeDirectoryAtomically } from './atomic-write';
import { toYaml } from './yaml-output';
import { CalicoValidationError, Violation } from '../validation';

/** Props of {@link CalicoApp}. */
export interface CalicoAppProps extends AppProps {
  /**
   * Write a `kustomization.yaml` listing the files in apply order, so `kubectl apply -k` works.
   * @default true
   */
  readonly kustomization?: boolean;
}

/** One file of a synthesized app. */
export interface SynthesizedFile {
  /** File name relative to the output directory. */
  readonly name: string;
  /** File content (YAML). */
  readonly content: string;
}

/**
 * A cdk8s App that writes Calico charts as staged files whose names sort in apply order
 * (`01-tigera-operator.yaml`, `02-calico-installation.yaml`, `03-calico-resources.yaml`), plus a
 * `kustomization.yaml`. Everything is validated before anything is written, and the output
 * directory is replaced as a whole: never a partly written `dist/`.
 */
export class CalicoApp extends App {
  private readonly kustomization: boolean;
  /** Warnings found by the last `synth()` / `synthFiles()`. */
  public warnings: Violation[] = [];

  constructor(props: CalicoAppProps = {}) {
    super(props);
    this.kustomization = props.kustomization ?? true;
  }

  /**
   * Validates the app and renders every file in memory.
   * @throws CalicoValidationError when a Calico chart has errors; Error for other construct validations.
   */
  public synthFiles(): SynthesizedFile[] {
    const charts = this.node.findAll().filter((c): c is Chart => Chart.isChart(c));
    // Render each object once: validation and output use the same documents.
    const groups = new Map<string, any[]>();
    const violations: Violation[] = [];
    for (const chart of charts) {
      const rendered = chartApiObjects(chart).map((o) => ({ o, json: o.toJson() }));
      if (CalicoTorChart.isCalicoTorChart(chart)) violations.push(...chart.calicoViolations(rendered.map((r) => r.json)));
      for (const { o, json } of rendered) {
        const name = `${CalicoStage.of(o)?.fileName ?? Names.toDnsLabel(chart)}.yaml`;
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

    const files: SynthesizedFile[] = [...groups].map(([name, docs]) => ({ name, content: toYaml(docs) }));
    files.sort((a, b) => a.name.localeCompare(b.name));
    if (this.kustomization) {
      files.push({
        name: 'kustomization.yaml',
        content: toYaml([{
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          // Keep the listed order (kustomize >= 5.0, kubectl >= 1.27): it is the apply order.
          sortOptions: { order: 'fifo' },
          resources: files.map((f) => f.name),
        }]),
      });
    }
    return files;
  }

  /**
   * Validates, then replaces the output directory with the rendered files. The directory is
   * replaced only if it holds nothing but YAML files (a previous synth's output): never the working
   * directory, one of its parents, or a folder with other content.
   */
  public override synth(): void {
    const files = this.synthFiles();
    const outdir = resolve(this.outdir);
    checkReplaceable(outdir);
    writeDirectoryAtomically(outdir, new Map(files.map((f) => [f.name, f.content])));
  }
}

/** Throws unless `outdir` is absent, or a directory of YAML files away from the working directory. */
function checkReplaceable(outdir: string): void {
  const cwd = resolve(process.cwd());
  if (outdir === dirname(outdir) || cwd === outdir || cwd.startsWith(`${outdir}${sep}`)) {
    throw new Error(`CalicoApp: outdir "${outdir}" is the working directory, one of its parents or a filesystem root; `
      + 'the output directory is replaced as a whole, so give it a folder of its own, e.g. "dist"');
  }
  if (!existsSync(outdir)) return;
  if (!statSync(outdir).isDirectory()) throw new Error(`CalicoApp: outdir "${outdir}" exists and is not a directory`);
  const others = readdirSync(outdir).filter((f) => !/\.ya?ml$/.test(f) || !statSync(join(outdir, f)).isFile());
  if (others.length > 0) {
    throw new Error(`CalicoApp: outdir "${outdir}" holds more than synthesized YAML (${others.slice(0, 5).join(', ')}${others.length > 5 ? ', ...' : ''}); `
      + 'it is replaced as a whole on every synth, so give the output a folder of its own');
  }
}

function sortErrorsFirst(vs: Violation[]): Violation[] {
  return [...vs.filter((v) => v.severity === 'error'), ...vs.filter((v) => v.severity !== 'error')];
}

