#!/usr/bin/env node
// Build step: the JSON Schema of a values file (`cdk8s-calico synth --values`), generated from the
// TypeScript props (CalicoTorChartProps, with every type it uses) by ts-json-schema-generator, into
// lib/schema/values.schema.json (shipped in the package; `cdk8s-calico schema` prints it). A
// values file holds exactly the chart's props, so a prop added to the TypeScript interface is in
// the schema, and accepted by the loader, with no other change.
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
}).createSchema(ROOT_TYPE);

const definitions = schema.definitions ?? {};
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
