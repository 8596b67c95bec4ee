#!/usr/bin/env node
// Generates src/releases/spec-types.ts: TypeScript interfaces, with the JSON field names, of the
// specs users may pass through whole (Installation, APIServer, Goldmane, Whisker, the
// FelixConfiguration), from the vendored CRD schemas of EVERY supported release merged together:
// a field that only some releases have is typed, and its doc comment names those releases (the
// schema check of the output refuses it on the others, naming the releases that have it).
// cdk8s's generated classes (imports/) use TypeScript-cased names (serviceCidRs, ipipMtu) and
// class wrappers for int-or-string and quantities, which neither a values file nor a JSON patch
// can express; these types are plain JSON. Structurally identical objects share one interface.
//
//   node scripts/gen-spec-types.mjs [--out FILE]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : join(root, 'src', 'releases', 'spec-types.ts');
const vendor = join(root, 'vendor', 'calico');
const numeric = (t) => t.slice(1).split('.').map(Number);
const tags = readdirSync(vendor).filter((d) => /^v\d+\.\d+\.\d+$/.test(d))
  .sort((a, b) => { const [x, y] = [numeric(a), numeric(b)]; return x[0] - y[0] || x[1] - y[1] || x[2] - y[2]; });

/** Root types: name, CRD file (group folder, file name), the schema under openAPIV3Schema. */
const ROOTS = [
  ['InstallationSpecJson', 'operator.tigera.io', 'installations.operator.tigera.io', 'Installation'],
  ['ApiServerSpecJson', 'operator.tigera.io', 'apiservers.operator.tigera.io', 'APIServer'],
  ['GoldmaneSpecJson', 'operator.tigera.io', 'goldmanes.operator.tigera.io', 'Goldmane'],
  ['WhiskerSpecJson', 'operator.tigera.io', 'whiskers.operator.tigera.io', 'Whisker'],
  ['FelixConfigurationSpecJson', 'crd.projectcalico.org', 'felixconfigurations.crd.projectcalico.org', 'FelixConfiguration (projectcalico.org/v3)'],
];

function specSchema(tag, folder, name) {
  let text;
  try {
    text = readFileSync(join(vendor, tag, 'crds', folder, `${name}.yaml`), 'utf8');
  } catch {
    return undefined;
  }
  return parse(text).spec.versions[0].schema.openAPIV3Schema.properties.spec;
}

/** Adds schema `s` of release `tag` into the merged node `m` (which records the releases of each node). */
function merge(m, s, tag) {
  m.releases.add(tag);
  if (s['x-kubernetes-int-or-string']) m.intOrString = true;
  if (s['x-kubernetes-preserve-unknown-fields']) m.preserve = true;
  if (s.type) m.types.add(s.type);
  if (s.enum) for (const e of s.enum) m.enum.add(e);
  else if (s.type === 'string' || s.type === undefined) m.openString = m.openString || (s.type === 'string' && !s.enum);
  if (s.properties) {
    m.hasProperties = true;
    for (const [k, v] of Object.entries(s.properties)) {
      if (!m.properties.has(k)) m.properties.set(k, node());
      merge(m.properties.get(k), v, tag);
    }
  }
  if (s.required) m.requiredIn.push(new Set(s.required));
  else m.requiredIn.push(new Set());
  if (s.items) { m.items ??= node(); merge(m.items, s.items, tag); }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    m.additional ??= node();
    merge(m.additional, s.additionalProperties, tag);
  }
}

function node() {
  return { releases: new Set(), types: new Set(), enum: new Set(), openString: false, properties: new Map(), requiredIn: [], hasProperties: false };
}

const interfaces = new Map(); // canonical text -> name
const emitted = []; // [name, text]

function pascal(s) {
  return s.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c) => c.toUpperCase());
}

function releaseNote(m, parent) {
  if (m.releases.size === parent.size) return undefined;
  return `Only in Calico ${[...m.releases].join(', ')}.`;
}

/** The TypeScript type of a merged node; object nodes become (shared) interfaces named after `path`. */
function typeOf(m, path, all) {
  if (m.intOrString) return 'number | string';
  if (m.enum.size > 0 && !m.openString) return [...m.enum].sort().map((e) => JSON.stringify(e)).join(' | ');
  const t = m.types.size === 1 ? [...m.types][0] : undefined;
  if (t === 'string') return 'string';
  if (t === 'integer' || t === 'number') return 'number';
  if (t === 'boolean') return 'boolean';
  if (t === 'array') {
    const item = m.items ? typeOf(m.items, [...path, 'item'], all) : 'unknown';
    return `readonly (${item})[]`.replace(/^readonly \(([A-Za-z0-9]+)\)\[\]$/, 'readonly $1[]');
  }
  if (m.hasProperties) return interfaceFor(m, path, all);
  if (m.additional) return `{ readonly [key: string]: ${typeOf(m.additional, [...path, 'value'], all)} }`;
  return '{ readonly [key: string]: unknown }';
}

function interfaceFor(m, path) {
  const required = m.requiredIn.length > 0 ? [...m.requiredIn[0]].filter((k) => m.requiredIn.every((r) => r.has(k))) : [];
  const lines = [];
  for (const k of [...m.properties.keys()].sort()) {
    const p = m.properties.get(k);
    const note = releaseNote(p, m.releases);
    const type = typeOf(p, [...path, k], p.releases);
    if (note) lines.push(`  /** ${note} */`);
    const key = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k);
    lines.push(`  readonly ${key}${required.includes(k) ? '' : '?'}: ${type};`);
  }
  if (m.preserve) lines.push('  readonly [key: string]: unknown;');
  const body = lines.join('\n');
  const known = interfaces.get(body);
  if (known) return known;
  const name = uniqueName(path);
  interfaces.set(body, name);
  emitted.push([name, body]);
  return name;
}

const taken = new Set();
/** `<Root><last segment>`, or more segments until the name is free ('item' / 'value' steps are skipped). */
function uniqueName(path) {
  const steps = path.slice(1).filter((s) => s !== 'item' && s !== 'value');
  for (let n = Math.min(1, steps.length); n <= steps.length; n++) {
    const name = path[0] + steps.slice(steps.length - n).map(pascal).join('');
    if (!taken.has(name)) { taken.add(name); return name; }
  }
  for (let i = 2; ; i++) {
    const name = `${path[0]}${steps.map(pascal).join('')}${i}`;
    if (!taken.has(name)) { taken.add(name); return name; }
  }
}

const header = `// Generated by scripts/gen-spec-types.mjs from vendor/calico/{${tags.join(',')}}: do not edit.
// JSON-shaped types (JSON field names, plain values) of the specs the chart passes through.
/* eslint-disable */
`;
const roots = [];
for (const [name, folder, crd, kind] of ROOTS) {
  const m = node();
  const all = new Set();
  for (const tag of tags) {
    const s = specSchema(tag, folder, crd);
    if (s) { merge(m, s, tag); all.add(tag); }
  }
  const before = emitted.length;
  const type = interfaceFor(m, [name]);
  if (type !== name) throw new Error(`${name}: root collides with ${type}`);
  roots.push([name, kind, [...all], emitted.length - before]);
}
const text = [header, ...emitted.map(([name, body]) => {
  const root = roots.find((r) => r[0] === name);
  const doc = root ? `/** The spec of a ${root[1]}, as in its CRD (Calico ${root[2].join(', ')}); JSON field names. */\n` : '';
  return `${doc}export interface ${name} {\n${body}\n}\n`;
})].join('\n');
writeFileSync(out, text);
