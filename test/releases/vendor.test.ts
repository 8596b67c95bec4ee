import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CALICO_VERSIONS } from '../../src';

const ROOT = join(__dirname, '..', '..', '..');

test('vendored Calico files are unchanged: sha256 of each equals vendor/calico/index.json', () => {
  const index = JSON.parse(readFileSync(join(ROOT, 'vendor', 'calico', 'index.json'), 'utf8'));
  for (const tag of CALICO_VERSIONS) {
    const files: Record<string, string> = index[tag].files;
    assert.ok(Object.keys(files).length > 0, tag);
    for (const [file, sha] of Object.entries(files)) {
      const actual = createHash('sha256').update(readFileSync(join(ROOT, 'vendor', 'calico', tag, file))).digest('hex');
      assert.equal(actual, sha, `${tag}/${file}`);
    }
  }
});

test('imports/ is exactly what `npm run import` generates from the vendored CRDs (never edited by hand)', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'cdk8s-calico-imports-'));
  const cdk8sYaml = readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8');
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'import-crds.mjs'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
    const committed = readdirSync(join(ROOT, 'imports')).sort();
    assert.deepEqual(readdirSync(out).sort(), committed);
    for (const f of committed) {
      assert.ok(readFileSync(join(out, f), 'utf8') === readFileSync(join(ROOT, 'imports', f), 'utf8'), `imports/${f} differs from the generated file: run npm run import`);
    }
    assert.equal(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8'), cdk8sYaml, 'the import leaves cdk8s.yaml alone');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
