#!/usr/bin/env node
// Build step: converts the vendored Calico/Tigera YAML (vendor/calico/<tag>/) into JSON under
// lib/calico/<tag>/, so that nothing parses 0.5 MB of YAML at synth time. Each CRD becomes one
// JSON file (loaded lazily, only when its kind is used) and each release gets an index.json.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vendor = join(root, 'vendor', 'calico');
const out = join(root, 'lib', 'calico');
rmSync(out, { recursive: true, force: true });

/**
 * The CRD as cdk8s renders an object (null fields dropped, keys sorted), so that the CRD
 * constructs can emit it as it is, with no work at synth time.
 */
function sortedWithoutNulls(v) {
  if (Array.isArray(v)) return v.map(sortedWithoutNulls);
  if (v === null || typeof v !== 'object') return v;
  const out = {};
  for (const k of Object.keys(v).sort()) {
    if (v[k] !== null && v[k] !== undefined) out[k] = sortedWithoutNulls(v[k]);
  }
  return out;
}

for (const tag of readdirSync(vendor).filter((d) => d.startsWith('v')).sort()) {
  const crdRoot = join(vendor, tag, 'crds');
  const crds = [];
  mkdirSync(join(out, tag, 'crds'), { recursive: true });
  for (const group of readdirSync(crdRoot).sort()) {
    for (const file of readdirSync(join(crdRoot, group)).filter((f) => f.endsWith('.yaml')).sort()) {
      const crd = sortedWithoutNulls(parse(readFileSync(join(crdRoot, group, file), 'utf8')));
      const name = crd.metadata.name;
      writeFileSync(join(out, tag, 'crds', `${name}.json`), JSON.stringify(crd));
      crds.push({
        name,
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        plural: crd.spec.names.plural,
        scope: crd.spec.scope,
        versions: crd.spec.versions.map((v) => v.name),
        folder: group,
      });
    }
  }
  const reference = join(vendor, tag, 'tigera-operator.reference.yaml');
  if (existsSync(reference)) {
    const docs = parseAllDocuments(readFileSync(reference, 'utf8')).map((d) => d.toJS()).filter((d) => d);
    writeFileSync(join(out, tag, 'tigera-operator.reference.json'), JSON.stringify(docs));
  }
  writeFileSync(join(out, tag, 'index.json'), JSON.stringify({ tag, crds }, null, 1));
}
