import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');

test('src/releases/spec-types.ts is in step with the vendored CRDs (npm run spec-types regenerates it)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-types-'));
  try {
    const out = join(dir, 'spec-types.ts');
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'gen-spec-types.mjs'), '--out', out]);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(ROOT, 'src', 'releases', 'spec-types.ts'), 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('spec types use the JSON field names and note fields of some releases only', () => {
  const text = readFileSync(join(ROOT, 'src', 'releases', 'spec-types.ts'), 'utf8');
  assert.match(text, /\/\*\* Only in Calico v3\.31\.7, v3\.32\.1\. \*\/\n  readonly serviceCIDRs\?: readonly string\[\];/);
  assert.match(text, /readonly ipipMTU\?: number;/);
  assert.match(text, /readonly maxUnavailable\?: number \| string;/);
  assert.match(text, /readonly linuxDataplane\?: "BPF" \| "Iptables" \| "Nftables" \| "VPP";/);
});
