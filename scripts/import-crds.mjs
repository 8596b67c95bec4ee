#!/usr/bin/env node
// Regenerates imports/ from the vendored CRD schemas with `cdk8s import`.
//
// - projectcalico.org/v3 classes are generated from the crd.projectcalico.org/v1 CRDs of
//   the newest vendored release (the Calico API server serves their spec as projectcalico.org/v3),
//   with group and version rewritten, so every class emits `apiVersion: projectcalico.org/v3`.
// - operator.tigera.io/v1 classes: Installation and APIServer.
// Output is deterministic: inputs are read in a fixed order and cdk8s import is pure. It runs in a
// scratch folder: given a cdk8s.yaml in its working directory, cdk8s import would record the imports there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--out DIR` writes elsewhere (the test that checks imports/ is in step with the vendored CRDs).
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : join(root, 'imports');
/** The newest vendored release (tags vN.N.N compared numerically): its schemas are the types' source. */
const release = readdirSync(join(root, 'vendor', 'calico')).filter((d) => /^v\d+\.\d+\.\d+$/.test(d))
  .sort((a, b) => {
    const [x, y] = [a, b].map((t) => t.slice(1).split('.').map(Number));
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  }).pop();
const crdDir = join(root, 'vendor', 'calico', release, 'crds');

/** projectcalico.org/v3 kinds that users write (internal IPAM/status kinds are left out). */
const CALICO_V3 = [
  'bgpconfigurations', 'bgpfilters', 'bgppeers', 'caliconodestatuses', 'felixconfigurations',
  'globalnetworkpolicies', 'globalnetworksets', 'hostendpoints', 'ippools', 'ipreservations',
  'kubecontrollersconfigurations', 'networkpolicies', 'networksets', 'stagedglobalnetworkpolicies',
  'stagedkubernetesnetworkpolicies', 'stagednetworkpolicies', 'tiers',
];
/** operator.tigera.io/v1 kinds. */
const OPERATOR = ['apiservers', 'installations'];

function asV3(plural) {
  const crd = parse(readFileSync(join(crdDir, 'crd.projectcalico.org', `${plural}.crd.projectcalico.org.yaml`), 'utf8'));
  crd.metadata.name = `${plural}.projectcalico.org`;
  crd.spec.group = 'projectcalico.org';
  if (crd.spec.versions.length !== 1 || crd.spec.versions[0].name !== 'v1') {
    throw new Error(`${plural}: expected exactly one version v1`);
  }
  crd.spec.versions[0].name = 'v3';
  return crd;
}

const tmp = mkdtempSync(join(tmpdir(), 'cdk8s-calico-import-'));
try {
  const calico = join(tmp, 'projectcalico.org.yaml');
  writeFileSync(calico, CALICO_V3.map((p) => stringify(asV3(p))).join('---\n'));
  const operator = join(tmp, 'operator.tigera.io.yaml');
  writeFileSync(operator, OPERATOR.map((p) => readFileSync(join(crdDir, 'operator.tigera.io', `${p}.operator.tigera.io.yaml`), 'utf8')).join('---\n'));

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const cdk8s = join(root, 'node_modules', '.bin', 'cdk8s');
  for (const file of [calico, operator]) {
    execFileSync(cdk8s, ['import', '--no-check-upgrade', '--language', 'typescript', '--output', out, file], { cwd: tmp, stdio: ['ignore', 'ignore', 'inherit'] });
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
