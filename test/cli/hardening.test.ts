import assert from 'node:assert/strict';
import { spawnSync, SpawnSyncOptions } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ManifestStream, parseManifests, ParsedManifests } from '../../src/cli/manifest-reader';

const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');

interface Run { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(args: readonly string[], options: SpawnSyncOptions = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, input: '', ...options });
  return { status: r.status, signal: r.signal, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
}

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'cli-hardening-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const peer = (name: string, spec = '  peerIP: 10.31.0.1\n  asNumber: 64512\n') =>
  `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

/** No stack trace and no internal-error text. */
function assertClean(r: Run): void {
  assert.equal(r.signal, null, 'finished by itself');
  assert.doesNotMatch(r.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error/, r.stderr);
}

describe('validate on hostile input: no crash, hang or runaway', () => {
  test('a FIFO or /dev/zero as PATH is refused at once', () => {
    withDir((dir) => {
      const fifo = join(dir, 'pipe.yaml');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const r = cli(['validate', fifo]);
      assertClean(r);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /pipe\.yaml: cannot read: not a regular file \(a FIFO\)/);
    });
    const zero = cli(['validate', '/dev/zero']);
    assertClean(zero);
    assert.equal(zero.status, 2);
    assert.match(zero.stderr, /^\/dev\/zero: cannot read: not a regular file \(a character device\)/m);
  });

  test('a FIFO inside a directory is skipped with a note; the rest is validated', () => {
    withDir((dir) => {
      writeFileSync(join(dir, 'a.yaml'), peer('tor'));
      assert.equal(spawnSync('mkfifo', [join(dir, 'b.yaml')]).status, 0);
      const r = cli(['validate', dir]);
      assertClean(r);
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.match(r.stderr, /^cdk8s-calico: note: skipped .*b\.yaml: not a regular file \(a FIFO\)$/m);
      assert.match(r.stdout, /in 1 file \(1 object, 1 Calico\)\n$/);
    });
  });

  test('an input over 512 MiB is refused without reading it', () => {
    withDir((dir) => {
      const big = join(dir, 'big.yaml');
      writeFileSync(big, '');
      truncateSync(big, 600 * 1024 * 1024); // sparse: no disk used
      const r = cli(['validate', big]);
      assertClean(r);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /big\.yaml: input is larger than 512 MiB: split it into several files/);
    });
  });

  test('a full stdout (>/dev/full) is an error with exit 4, not a stack trace', () => {
    withDir((dir) => {
      writeFileSync(join(dir, 'a.yaml'), peer('tor'));
      const full = openSync('/dev/full', 'w');
      try {
        const r = cli(['validate', join(dir, 'a.yaml')], { stdio: ['pipe', full, 'pipe'] });
        assertClean(r);
        assert.equal(r.status, 4);
        assert.match(r.stderr, /^cdk8s-calico: cannot write the output to standard output: ENOSPC/m);
      } finally {
        closeSync(full);
      }
    });
  });

  test('a directory as standard input is an error, not "0 objects"', () => {
    withDir((dir) => {
      const fd = openSync(dir, 'r');
      try {
        const r = cli(['validate', '-'], { stdio: [fd, 'pipe', 'pipe'], input: undefined });
        assertClean(r);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /^<stdin>: cannot read: standard input is a directory/m);
      } finally {
        closeSync(fd);
      }
    });
  });

  test('a List inside a List is validated', () => {
    const text = [
      'apiVersion: v1', 'kind: List', 'items:',
      '- apiVersion: v1', '  kind: List', '  items:',
      '  - apiVersion: projectcalico.org/v3', '    kind: BGPPeer', '    metadata: {name: inner}', '    spec: {peerIP: 10.31.0.1, asNumber: "not a number"}',
      '  - 42',
      '',
    ].join('\n');
    const parsed = parseManifests(text, 'l.yaml');
    assert.deepEqual(parsed.objects.map((o) => o.object.metadata?.name), ['inner']);
    assert.deepEqual(parsed.errors.map((e) => e.message), ['document 0 (List) items[0] (List) items[1] is not a Kubernetes object: expected a mapping with apiVersion and kind, found the number 42']);
    const ok = cli(['validate', '--format', 'json', '-'], { input: text.replace('  - 42\n', '') });
    assert.equal(ok.status, 1, ok.stderr);
    const records = JSON.parse(ok.stdout) as Array<{ name: string; path: string }>;
    assert.ok(records.some((r) => r.name === 'inner' && r.path === 'spec.asNumber'), ok.stdout);
  });

  test('a name holding a newline or ANSI escapes cannot forge summary lines', () => {
    const text = peer('"evil\\n0 errors, 0 warnings in 1 file (1 object, 1 Calico)\\u001b[2K"', '  peerIP: 10.31.0.1\n  asNumber: -1\n');
    const r = cli(['validate', '-'], { input: text });
    assertClean(r);
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stdout, /\u001b/);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.every((l) => l.startsWith('<stdin>#0: ') || /^\d+ errors?, \d+ warnings? in 1 file \(1 object, 1 Calico\)$/.test(l)), r.stdout);
    assert.match(lines[lines.length - 1], /^[1-9]\d* errors?, /);
    assert.ok(lines.some((l) => l.includes('evil\\n0 errors, 0 warnings in 1 file (1 object, 1 Calico)\\u001b[2K')), r.stdout);
  });

  test('one anchored 1 MB value referenced 300 times is refused as an alias expansion, at once', () => {
    const big = 'x'.repeat(1024 * 1024);
    const refs = Array.from({ length: 300 }, (_, i) => `  k${i}: *big`).join('\n');
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  base: &big ${big}\n${refs}\n`;
    const started = Date.now();
    const r = cli(['validate', '-'], { input: text });
    assertClean(r);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /aliases \(\*anchor\) expand this input by more than 1000000 nodes/);
    assert.ok(r.stderr.length + r.stdout.length < 10_000, 'output stays small');
    assert.ok(Date.now() - started < 10_000);
  });

  test('a 1 MB value without aliases is echoed cut short: the output stays small', () => {
    const text = peer('p', `  peerIP: ${'9'.repeat(1024 * 1024)}\n  asNumber: 64512\n  nodeSelector: "${'('.repeat(3000)}"\n`);
    for (const format of ['text', 'json']) {
      const r = cli(['validate', '--format', format, '-'], { input: text });
      assertClean(r);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stdout.length < 8000, `${format}: ${r.stdout.length} characters`);
      assert.match(r.stdout, /parentheses nested more than 100 levels deep/);
    }
  });

  test('alias expansion is capped per input: many documents each under a per-document cap add up', () => {
    const doc = (i: number) => {
      let y = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${i}}\ndata:\n`;
      for (let j = 0; j < 5; j++) y += `  l${j}: &l${j} [${Array(10).fill(j === 0 ? 'lol' : `*l${j - 1}`).join(', ')}]\n`;
      return y; // about 111,000 nodes each
    };
    const text = Array.from({ length: 12 }, (_, i) => doc(i)).join('---\n');
    const r = cli(['validate', '-'], { input: text });
    assertClean(r);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^<stdin>:\d+:1: document (8|9): aliases \(\*anchor\) expand this input by more than 1000000 nodes/m);
    assert.equal(cli(['validate', '-'], { input: Array.from({ length: 5 }, (_, i) => doc(i)).join('---\n') }).status, 0);
  });

  test('directory walks stay inside the tree unless --follow-symlinks', () => {
    withDir((dir) => {
      const tree = join(dir, 'tree');
      mkdirSync(join(tree, 'sub'), { recursive: true });
      writeFileSync(join(dir, 'outside.yaml'), peer('outside'));
      writeFileSync(join(tree, 'sub', 'inside.yaml'), peer('inside'));
      symlinkSync(join(dir, 'outside.yaml'), join(tree, 'out.yaml'));
      symlinkSync(dir, join(tree, 'up'));
      symlinkSync(join(tree, 'sub', 'inside.yaml'), join(tree, 'alias.yaml'));
      const r = cli(['validate', '--format', 'json', tree]);
      assertClean(r);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /note: skipped .*tree\/out\.yaml: a symbolic link out of .*tree \(to .*outside\.yaml\); pass --follow-symlinks to read it/);
      assert.match(r.stderr, /note: skipped .*tree\/up: a symbolic link out of/);
      const text = cli(['validate', tree]);
      assert.match(text.stdout, /in 1 file \(1 object, 1 Calico\)\n$/, 'the link inside the tree is read once');
      const followed = cli(['validate', '--follow-symlinks', tree]);
      assert.equal(followed.status, 0, followed.stderr);
      assert.match(followed.stdout, /in 2 files \(2 objects, 2 Calico\)\n$/);
    });
  });

  test('a stray non-mapping document shows only a short escaped excerpt; a syntax error masks secret values', () => {
    const token = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const r = cli(['validate', '-'], { input: `${peer('p')}---\n${token}\n` });
    assertClean(r);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /document 1 is not a Kubernetes object: expected a mapping with apiVersion and kind, found a string of 42 characters starting "ghp_0123"…/);
    assert.ok(!r.stderr.includes('456789abcdef'), r.stderr);

    const broken = cli(['validate', '-'], { input: 'apiVersion: v1\nkind: Secret\nstringData:\n  password: hunter2-secret\n  token: "abc"\n   bad: [\n' });
    assertClean(broken);
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^ 4 \|   password: <redacted>$/m);
    assert.match(broken.stderr, /^ 5 \|   token: <redacted>$/m);
    assert.ok(!broken.stderr.includes('hunter2'), broken.stderr);
  });
});

test('validate never echoes a value at a password field (schema, rules, YAML 1.1 warnings), text and JSON', () => {
  const text = [
    peer('a', '  peerIP: 10.31.0.1\n  asNumber: 64512\n  password: hunter2-clear\n'),
    'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata: {name: default}\nspec:\n  nodeMeshPassword: 0777\n',
  ].join('---\n');
  for (const format of ['text', 'json']) {
    const r = cli(['validate', '--format', format, '-'], { input: text });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(!r.stdout.includes('hunter2') && !r.stdout.includes('0777'), r.stdout);
    assert.match(r.stdout, /spec\.password/);
    assert.match(r.stdout, /calico-system|calico-node/, 'the guidance is kept');
  }
});

describe('ManifestStream: document by document, same results as parsing the whole text', () => {
  const docs: string[] = [];
  for (let i = 0; i < 16000; i++) {
    if (i % 997 === 5) docs.push('%YAML 1.1\n---\n' + peer(`y${i}`, '  peerIP: 10.31.0.1\n  asNumber: 64512\n  keepOriginalNextHop: yes\n'));
    else if (i % 500 === 7) docs.push('# only a comment\n');
    else if (i % 700 === 3) docs.push('apiVersion: v1\nkind: List\nitems:\n- ' + peer(`l${i}`).replace(/\n/g, '\n  ').trimEnd() + '\n');
    else docs.push(peer(`p${i}`, `  peerIP: 10.31.0.1\n  asNumber: ${i % 3 === 0 ? 0o777 : 64512}\n  note: |\n    ---not a marker\n    text\n`));
  }
  // A document with directives follows an explicit end marker (`...`), as YAML requires.
  const text = docs.map((d, i) => (i === 0 ? d : d.startsWith('%') ? `...\n${d}` : `---\n${d}`)).join('');

  function streamed(chunkSizes: () => number): ParsedManifests {
    const out: ParsedManifests = { objects: [], warnings: [], errors: [] };
    const s = new ManifestStream('m.yaml', (p) => {
      out.objects.push(...p.objects);
      out.warnings.push(...p.warnings);
      out.errors.push(...p.errors);
    });
    for (let i = 0; i < text.length;) {
      const n = chunkSizes();
      s.push(text.slice(i, i + n));
      i += n;
    }
    s.end();
    return out;
  }

  test('objects, document numbers and YAML 1.1 warnings match, whatever the chunk sizes', () => {
    assert.ok(text.length > 2 * (1 << 20), 'several batches');
    const whole = parseManifests(text, 'm.yaml');
    assert.deepEqual(whole.errors, []);
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (const sizes of [() => 65536, () => 1 + (rand() % 300000), () => 1 << 22]) {
      const s = streamed(sizes);
      assert.deepEqual(s.errors, []);
      assert.deepEqual(s.objects.map((o) => [o.document, o.object.metadata?.name]), whole.objects.map((o) => [o.document, o.object.metadata?.name]));
      assert.deepEqual(s.warnings, whole.warnings);
    }
  });

  test('an error late in a large input is reported at its line in the whole input', () => {
    const bad = `${text}---\napiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n  a: 2\n`;
    const whole = parseManifests(bad, 'm.yaml');
    const out: ParsedManifests = { objects: [], warnings: [], errors: [] };
    const s = new ManifestStream('m.yaml', (p) => out.errors.push(...p.errors));
    s.push(bad);
    s.end();
    assert.equal(out.errors.length, 1);
    assert.equal(out.errors[0].line, whole.errors[0].line);
    assert.equal(out.errors[0].line, bad.split('\n').length - 1);
    assert.match(out.errors[0].snippet ?? '', new RegExp(`^ ?${out.errors[0].line} \\|   a: 2$`, 'm'));
  });
});
