// Child process of the benchmark: synthesizes (and so validates) the reference cluster with N
// per-node BGP peers through CalicoApp.synth into an output directory, then prints one JSON line:
// its phase times, its peak memory and what it wrote.
//
//   node lib/bench/scale-child.js <peers> <outdir>
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CalicoApp } from '../src/output/calico-app';
import { CalicoTorChart } from '../src/constructs/calico-tor-chart';
import { scaleChartProps } from './scale-chart';
import { ScaleChildReport } from './scale-child-report';

function main(): void {
  const loadedMs = performance.now();
  const peers = Number(process.argv[2]);
  const outdir = process.argv[3];
  if (!Number.isInteger(peers) || peers < 0 || !outdir) {
    process.stderr.write('usage: scale-child <peers> <outdir>\n');
    process.exit(2);
  }
  const props = scaleChartProps(peers);
  const t0 = performance.now();
  const app = new CalicoApp({ outdir });
  new CalicoTorChart(app, 'reference', props);
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const maxRssKb = process.resourceUsage().maxRSS;

  let bgpPeersWritten = 0;
  let outputBytes = 0;
  for (const f of readdirSync(outdir)) {
    const text = readFileSync(join(outdir, f), 'utf8');
    outputBytes += Buffer.byteLength(text);
    bgpPeersWritten += text.match(/^kind: BGPPeer$/gm)?.length ?? 0;
  }
  const report: ScaleChildReport = {
    peers, loadedMs, constructMs: t1 - t0, synthMs: t2 - t1, totalMs: t2, maxRssKb, bgpPeersWritten, outputBytes,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main();
