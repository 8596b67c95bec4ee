#!/usr/bin/env node
// Build step: the JSON Schema of a values file (`cdk8s-calico synth --values`), generated from the
// TypeScript props (CalicoTorChartProps, with every type it uses) by ts-json-schema-generator, into
// lib/schema/values.schema.json (shipped in the package; `cdk8s-calico schema` prints it). A
// values file holds exactly the chart's props, so a prop added to the TypeScript interface is in
// the schema, and accepted by the loader, with no other change.
//
// Types are inlined (expose 'none'): with named definitions, two exported types of the same name
// in different modules (a prop type of one helper and another's) would make the generator fail.
// Large subschemas that occur more than once are then shared again, as `definitions` named after
// the first prop path that uses them, so the file stays small.
//
// Post-processing, the same for every prop:
// - a `@default` that is prose (`- none`, `'NodeIP'`) rather than a value of the field's type
//   moves into the description (editors would otherwise offer the prose as the value);
// - the root accepts a `$schema` key, for JSON values files that name their schema.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? process.argv[outArg + 1] : join(root, 'lib', 'schema', 'values.schema.json');
const ROOT_TYPE = 'CalicoTorChartProps';

const schema = createGenerator({
  path: join(root, 'src', 'constructs', 'calico-tor-chart.ts'),
  tsconfig: join(root, 'tsconfig.json'),
  type: ROOT_TYPE,
  skipTypeCheck: true, // tsc has checked the sources already
  jsDoc: 'extended',
  additionalProperties: false, // an unknown (misspelt) key is an error
  topRef: true,
  sortProps: true,
  expose: 'none',
}).createSchema(ROOT_TYPE);

const definitions = schema.definitions ?? {};
const rootName = Object.keys(definitions).find((k) => decodeURIComponent(k) === ROOT_TYPE);
if (rootName !== ROOT_TYPE) throw new Error(`build-schema: expected one definition ${ROOT_TYPE}, got ${Object.keys(definitions).join(', ')}`);
const resolve = (s) => {
  for (let i = 0; s && s.$ref && i < 50; i++) s = definitions[decodeURIComponent(s.$ref.replace('#/definitions/', ''))];
  return s;
};
/** Whether `value` is a value the schema node takes (types and enums; enough for defaults). */
function fits(node, value) {
  const s = resolve(node);
  if (!s) return false;
  if (s.anyOf) return s.anyOf.some((b) => fits(b, value));
  if (s.enum) return s.enum.includes(value);
  if (s.const !== undefined) return s.const === value;
  const types = s.type === undefined ? [] : [].concat(s.type);
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  return types.includes(actual) || (actual === 'number' && types.includes('integer') && Number.isInteger(value));
}
function visit(node) {
  if (Array.isArray(node)) return node.forEach(visit);
  if (node === null || typeof node !== 'object') return;
  const prose = typeof node.default === 'string' && node.default.startsWith('- ');
  if (Object.prototype.hasOwnProperty.call(node, 'default') && (prose || !fits(node, node.default))) {
    const text = typeof node.default === 'string' ? node.default.replace(/^- /, '') : JSON.stringify(node.default);
    node.description = `${node.description ? `${node.description} ` : ''}Default: ${text}.`;
    delete node.default;
  }
  for (const v of Object.values(node)) visit(v);
}
visit(schema);

/**
 * Shares repeated subschemas: repeatedly takes the largest object subschema (over MIN_SHARED
 * characters) that occurs at least twice, moves it into `definitions` and points each occurrence
 * at it. Deterministic: the walk order is the (sorted) schema order.
 */
const MIN_SHARED = 400;
function share() {
  for (;;) {
    const seen = new Map(); // canonical text -> { count, path }
    const walk = (node, path) => {
      if (node === null || typeof node !== 'object') return;
      if (!Array.isArray(node) && path.length > 0 && (node.properties || node.anyOf || node.items)) {
        const text = JSON.stringify(node);
        if (text.length >= MIN_SHARED) {
          const entry = seen.get(text);
          if (entry) entry.count++;
          else seen.set(text, { count: 1, path });
        }
      }
      for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
    };
    for (const [name, def] of Object.entries(definitions)) walk(def, [name]);
    let best;
    for (const [text, e] of seen) if (e.count > 1 && (!best || text.length > best[0].length)) best = [text, e];
    if (!best) return;
    const [text, { path }] = best;
    const steps = path.slice(1).filter((p, i, a) => p !== 'properties' && p !== 'items' && p !== 'anyOf' && p !== 'additionalProperties' && a[i - 1] !== 'anyOf');
    let name = steps.join('.') || 'shared';
    for (let i = 2; definitions[name]; i++) name = `${steps.join('.')}.${i}`;
    const ref = { $ref: `#/definitions/${name}` };
    const replace = (node) => {
      if (node === null || typeof node !== 'object') return node;
      for (const [k, v] of Object.entries(node)) {
        if (v && typeof v === 'object' && !Array.isArray(v) && JSON.stringify(v) === text) node[k] = { ...ref };
        else replace(v);
      }
      return node;
    };
    for (const def of Object.values(definitions)) replace(def);
    definitions[name] = JSON.parse(text);
  }
}
share();

const props = definitions[ROOT_TYPE];
if (!props || !props.properties) throw new Error(`build-schema: no properties for ${ROOT_TYPE}`);
props.properties = { $schema: { type: 'string', description: 'The JSON Schema of this file, for editors; ignored.' }, ...props.properties };
const document = {
  $schema: schema.$schema,
  title: 'cdk8s-calico values',
  description: 'A values file of `cdk8s-calico synth --values`: the props of CalicoTorChart, field for field.',
  ...schema,
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
