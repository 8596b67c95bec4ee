import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { test } from 'node:test';

// The pipeline of src/: each folder imports only from folders before it in this list.
const LAYERS = ['model', 'releases', 'validation', 'plan', 'routers', 'constructs', 'output', 'cli'];
const SRC = join(__dirname, '..', '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

test('dependencies in src/ point one way, down the pipeline (model <- releases <- validation <- plan <- routers <- constructs <- output <- cli)', () => {
  const wrong: string[] = [];
  let imports = 0;
  for (const file of tsFiles(SRC)) {
    const layer = relative(SRC, file).split(sep)[0];
    if (!LAYERS.includes(layer)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/from '(\.[^']*)'/g)) {
      const target = relative(SRC, normalize(join(dirname(file), m[1]))).split(sep)[0];
      if (!LAYERS.includes(target)) continue;
      imports++;
      if (LAYERS.indexOf(target) > LAYERS.indexOf(layer)) wrong.push(`${relative(SRC, file)} imports ${m[1]}`);
    }
  }
  assert.ok(imports > 100, `only ${imports} imports between layers were found: is the pattern still right?`);
  assert.deepEqual(wrong, []);
});

test('plan/ and routers/ read plain manifest objects: they never import cdk8s or constructs', () => {
  for (const layer of ['plan', 'routers']) {
    for (const file of tsFiles(join(SRC, layer))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /from '(cdk8s|constructs|cdk8s-plus-27)'/, relative(SRC, file));
    }
  }
});
