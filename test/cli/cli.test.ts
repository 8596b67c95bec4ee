import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatInputError, formatPath, parseManifests } from '../../src/cli/manifest-reader';

/** The built command line (this file runs from lib/test/). */
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
/** Fixtures stay in the source tree; the CLI runs there so reported file names are short and stable. */
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'cli');
const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface ViolationRecord {
  readonly file: string | null;
  readonly document: number | null;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly path: string;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

function cli(args: readonly string[], stdin?: string): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: FIXTURES, input: stdin ?? '', encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `validate --format json`, checks stdout holds exactly one JSON array, returns it. */
function validateJson(args: readonly string[], stdin?: string): { status: number | null; records: ViolationRecord[]; stderr: string } {
  const r = cli(['validate', '--format', 'json', ...args], stdin);
  const records = JSON.parse(r.stdout) as ViolationRecord[];
  assert.ok(Array.isArray(records), r.stdout);
  for (const rec of records) {
    assert.deepEqual(Object.keys(rec), ['file', 'document', 'apiVersion', 'kind', 'name', 'path', 'message', 'severity']);
  }
  return { status: r.status, records, stderr: r.stderr };
}

const yaml11Warnings = (records: readonly ViolationRecord[]) => records.filter((r) => r.severity === 'warning' && r.message.includes('YAML 1.1'));
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('cdk8s-calico command line', () => {
  test('--help and --version exit 0', () => {
    const help = cli(['validate', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: cdk8s-calico validate \[options\] <paths\.\.\.>/);
    for (const flag of ['--calico-version', '--format', '--complete', '--api-mode']) assert.ok(help.stdout.includes(flag), flag);

    const top = cli(['--help']);
    assert.equal(top.status, 0);
    assert.match(top.stdout, /validate \[options\] <paths\.\.\.>/);

    const version = cli(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), PACKAGE_VERSION);
  });

  test('usage errors exit 2 without a stack trace', () => {
    for (const args of [[], ['validate'], ['validate', '--format', 'xml', 'errors.yaml'], ['validate', '--api-mode', 'crds', 'errors.yaml'], ['lint', 'errors.yaml'], ['validate', '--strict', 'errors.yaml']]) {
      const r = cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '', args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, args.join(' '));
    }
    assert.match(cli(['validate', '--format', 'xml', 'errors.yaml']).stderr, /Allowed choices are text, json/);
  });

  test('an unsupported --calico-version exits 2 naming the supported ones', () => {
    const r = cli(['validate', '--calico-version', 'v3.99.0', 'reference']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cdk8s-calico: --calico-version: Calico version "v3\.99\.0" is not supported; use one of v3\.24\.5, v3\.31\.7, v3\.32\.1/);
    assert.equal(r.stdout, '');
  });

  test('--api-mode native-v3-crds needs a release that has them', () => {
    const r = cli(['validate', '--calico-version', 'v3.24.5', '--api-mode', 'native-v3-crds', 'reference']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cdk8s-calico: --api-mode: API mode "native-v3-crds" needs the native projectcalico\.org\/v3 CRDs, which Calico v3\.24\.5 does not have \(they exist in v3\.32\.1\)/);
  });

  test('the reference cluster validates: exit 0 and a summary counting files and objects', () => {
    for (const version of ['v3.24.5', 'v3.32.1']) {
      const r = cli(['validate', '--calico-version', version, 'reference']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      // Installation + APIServer, BGPConfiguration, two BGPPeers; README.txt is not read.
      assert.match(lines[lines.length - 1], /^0 errors, \d+ warnings? in 3 files \(5 objects, 5 Calico\)$/);
      assert.equal(r.stderr, '');
    }
  });

  test('a missing file exits 2 and names it', () => {
    const r = cli(['validate', 'reference', 'no-such-dir/peers.yaml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^no-such-dir\/peers\.yaml: cannot read: no such file or directory$/m);
    assert.equal(r.stdout, '', 'nothing is validated when an input is unusable');
  });

  test('a YAML syntax error exits 2 with file:line:column and the source excerpt', () => {
    const r = cli(['validate', 'bad-syntax.yaml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^bad-syntax\.yaml:7:13: YAML syntax error: bad indentation of a mapping entry$/m);
    assert.match(r.stderr, /^ 7 \|     asNumber: 64512$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(r.stdout, '');
    // Also with --format json: stdout stays empty, the problem goes to stderr.
    const j = cli(['validate', '--format', 'json', 'bad-syntax.yaml']);
    assert.equal(j.status, 2);
    assert.equal(j.stdout, '');
    assert.match(j.stderr, /bad-syntax\.yaml:7:13:/);
  });

  test('documents that are not Kubernetes objects exit 2, each named with its line', () => {
    const r = cli(['validate', 'not-objects.yaml', 'reference']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^not-objects\.yaml:2:1: document 0 is not a Kubernetes object: expected a mapping with apiVersion and kind, found a sequence$/m);
    assert.match(r.stderr, /^not-objects\.yaml:5:1: document 1 has no kind: every Kubernetes object needs apiVersion and kind$/m);
    assert.match(r.stderr, /2 input errors; nothing was validated/);
  });

  test('a document expanding to millions of nodes through aliases is refused', () => {
    let yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs}\ndata:\n';
    for (let i = 0; i < 7; i++) {
      const item = i === 0 ? 'lol' : `*l${i - 1}`;
      yaml += `  l${i}: &l${i} [${Array(10).fill(item).join(', ')}]\n`;
    }
    const r = cli(['validate', '-'], yaml);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^<stdin>:1:1: document 0: aliases \(\*anchor\) expand this input by more than 1000000 nodes beyond what is written/m);
  });

  test('other kinds are ignored, including a BGPPeer of another API group', () => {
    const { status, records } = validateJson(['not-calico.yaml']);
    assert.equal(status, 0);
    assert.deepEqual(records, [], 'unquoted yes and 64512:10 in non-Calico objects are not reported either');
    const text = cli(['validate', 'not-calico.yaml']);
    assert.equal(text.stdout, '0 errors, 0 warnings in 1 file (3 objects, 0 Calico)\n');
  });

  test('YAML 1.1 readings: an unquoted community is a warning at its path, exit 0', () => {
    const { status, records } = validateJson(['yaml11.yaml']);
    assert.equal(status, 0);
    const warnings = yaml11Warnings(records);
    assert.equal(warnings.length, 1, JSON.stringify(records, null, 2));
    assert.deepEqual({ ...warnings[0], message: undefined }, {
      file: 'yaml11.yaml',
      document: 2, // document 1 is empty; the ConfigMap's `yes` (document 0) is not Calico's business
      apiVersion: 'projectcalico.org/v3',
      kind: 'BGPConfiguration',
      name: 'default',
      path: 'spec.communities[0].value',
      message: undefined,
      severity: 'warning',
    });
    assert.equal(warnings[0].message,
      'unquoted value 64512:10 is the string "64512:10" in YAML 1.2 but the integer 3870730 to YAML 1.1 parsers (still used by some tools); quote it: "64512:10"');
  });

  test('text output: one line per violation with file#document, Kind/name and path, then a summary', () => {
    const r = cli(['validate', 'yaml11.yaml', 'sorted/b.yaml']);
    assert.equal(r.status, 0, r.stdout);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.includes(
      'yaml11.yaml#2: warning BGPConfiguration/default spec.communities[0].value: unquoted value 64512:10 is the string "64512:10" in YAML 1.2 ' +
      'but the integer 3870730 to YAML 1.1 parsers (still used by some tools); quote it: "64512:10"'), r.stdout);
    assert.ok(lines.some((l) => l.startsWith('sorted/b.yaml#0: warning BGPPeer/peer-b metadata.labels.rack-uplink: unquoted value yes is the string "yes"')), r.stdout);
    assert.match(lines[lines.length - 1], /^0 errors, \d+ warnings in 2 files \(4 objects, 3 Calico\)$/);
  });

  test('List kinds (calicoctl/kubectl get -o yaml) are read item by item, paths relative to the item', () => {
    const { records } = validateJson(['calicoctl-list.yaml']);
    const warnings = yaml11Warnings(records);
    assert.deepEqual(warnings.map((w) => [w.file, w.document, w.kind, w.name, w.path]), [
      ['calicoctl-list.yaml', 0, 'BGPPeer', 'openwrt-peer', 'metadata.labels.managed'],
    ]);
    assert.match(cli(['validate', 'calicoctl-list.yaml']).stdout, /in 1 file \(2 objects, 2 Calico\)\n$/);
  });

  test('directories are read recursively, *.yaml and *.yml only, in code-point order', () => {
    const { status, records } = validateJson(['sorted']);
    assert.equal(status, 0);
    assert.deepEqual(yaml11Warnings(records).map((w) => [w.file, w.name, w.path]), [
      ['sorted/B.yaml', 'peer-upper-b', 'metadata.labels.rack-uplink'],
      ['sorted/a/b.yaml', 'peer-a-b', 'metadata.labels.rack-uplink'],
      ['sorted/a/z.yml', 'peer-a-z', 'metadata.labels.rack-uplink'],
      ['sorted/b-dir/c.yaml', 'peer-b-dir-c', 'metadata.labels.rack-uplink'],
      ['sorted/b.yaml', 'peer-b', 'metadata.labels.rack-uplink'],
    ]);
    // Same input, byte-identical output.
    assert.equal(cli(['validate', 'sorted', 'yaml11.yaml']).stdout, cli(['validate', 'sorted', 'yaml11.yaml']).stdout);
  });

  test('files keep argument order and a file named twice is read once', () => {
    const { records } = validateJson(['yaml11.yaml', 'sorted/b.yaml', 'sorted', 'yaml11.yaml']);
    assert.deepEqual(yaml11Warnings(records).map((w) => w.file), [
      'yaml11.yaml', 'sorted/b.yaml', 'sorted/B.yaml', 'sorted/a/b.yaml', 'sorted/a/z.yml', 'sorted/b-dir/c.yaml',
    ]);
    assert.match(cli(['validate', 'reference', 'reference/bgp-peers.yaml']).stdout, /in 3 files \(5 objects, 5 Calico\)\n$/);
  });

  test('- reads standard input, reported as <stdin>, alongside files', () => {
    const { status, records } = validateJson(['-'], fixture('yaml11.yaml'));
    assert.equal(status, 0);
    assert.deepEqual(yaml11Warnings(records).map((w) => [w.file, w.document, w.path]), [['<stdin>', 2, 'spec.communities[0].value']]);

    const mixed = cli(['validate', 'reference/operator', '-'], fixture('calicoctl-list.yaml'));
    assert.equal(mixed.status, 0, mixed.stdout);
    assert.match(mixed.stdout, /in 2 files \(4 objects, 4 Calico\)\n$/);

    const broken = cli(['validate', '-'], 'apiVersion: projectcalico.org/v3\nkind: [BGPPeer\n');
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /^<stdin>:3:1: YAML syntax error: /m);
  });
});

/**
 * These need the validators behind validateManifests (schema, Calico rules, cross-resource rules):
 * the inputs are certain errors once they exist (unknown field, enum value, CIDR, mesh off without peers).
 */
describe('cdk8s-calico validate with the validators', () => {
  test('errors exit 1; JSON records name file, document, Kind/name and path', () => {
    const { status, records } = validateJson(['errors.yaml']);
    assert.equal(status, 1);
    const errors = records.filter((r) => r.severity === 'error');
    const peer = errors.find((r) => r.kind === 'BGPPeer');
    assert.ok(peer, JSON.stringify(records, null, 2));
    assert.equal(peer.file, 'errors.yaml');
    assert.equal(peer.document, 1);
    assert.equal(peer.name, 'openwrt-peer');
    assert.equal(peer.apiVersion, 'projectcalico.org/v3');
    assert.match(peer.path, /^spec(\.peerIp)?$/);
    assert.match(peer.message, /peerIp/);

    const config = errors.find((r) => r.kind === 'BGPConfiguration');
    assert.ok(config, JSON.stringify(records, null, 2));
    assert.deepEqual([config.file, config.document, config.name, config.path], ['errors.yaml', 3, 'default', 'spec.bindMode']);
    assert.match(config.message, /NodeIP/);

    assert.ok(!records.some((r) => r.document === 0 || r.document === 2), 'the valid IPPool and the ConfigMap have no violations');
  });

  test('text output of errors, with the summary', () => {
    const r = cli(['validate', 'errors.yaml', 'bad-cidr.yaml']);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(lines.some((l) => l.startsWith('errors.yaml#3: error BGPConfiguration/default spec.bindMode: ')), r.stdout);
    assert.ok(lines.some((l) => l.startsWith('bad-cidr.yaml#0: error IPPool/pods-ipv4 spec.cidr: ')), r.stdout);
    assert.match(lines[lines.length - 1], /^\d+ errors?, \d+ warnings? in 2 files \(5 objects, 4 Calico\)$/);
    const errorCount = Number(/^(\d+) error/.exec(lines[lines.length - 1])![1]);
    assert.equal(errorCount, lines.filter((l) => /^\S+#\d+: error /.test(l)).length);
  });

  test('--complete turns on rules that need objects absent from the input', () => {
    const partial = validateJson(['mesh-off-no-peers.yaml']);
    assert.equal(partial.status, 0, JSON.stringify(partial.records, null, 2));
    assert.ok(!partial.records.some((r) => r.severity === 'error'));

    const complete = validateJson(['--complete', 'mesh-off-no-peers.yaml']);
    assert.equal(complete.status, 1);
    const error = complete.records.find((r) => r.severity === 'error' && r.kind === 'BGPConfiguration');
    assert.ok(error, JSON.stringify(complete.records, null, 2));
    assert.equal(error.name, 'default');
    assert.equal(error.file, 'mesh-off-no-peers.yaml');

    // With the peers present the same configuration is complete and fine.
    const withPeers = validateJson(['--complete', 'mesh-off-no-peers.yaml', 'reference/bgp-peers.yaml']);
    assert.ok(!withPeers.records.some((r) => r.severity === 'error' && r.kind === 'BGPConfiguration' && r.file === 'mesh-off-no-peers.yaml'),
      JSON.stringify(withPeers.records, null, 2));
  });
});

describe('manifest reader', () => {
  const peer = (spec: string) => `apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: tor\nspec:\n${spec}`;
  const warningsOf = (text: string) => {
    const r = parseManifests(text, 'm.yaml');
    assert.deepEqual(r.errors, []);
    return r.warnings.map((w) => [w.path, w.message]);
  };

  test('objects are read as YAML 1.2, with merge keys', () => {
    const r = parseManifests(peer('  <<: &base {asNumber: 64512, keepOriginalNextHop: true}\n  peerIP: 10.31.254.253\n  password: {secretKeyRef: {name: bgp, key: tor}}\n'), 'm.yaml');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.objects.map((o) => [o.file, o.document, o.object.spec]), [
      ['m.yaml', 0, { asNumber: 64512, keepOriginalNextHop: true, peerIP: '10.31.254.253', password: { secretKeyRef: { name: 'bgp', key: 'tor' } } }],
    ]);
    assert.deepEqual(parseManifests(peer('  v: 0777\n  w: yes\n  x: 64512:10\n  y: 1_000\n  z: 2024-01-02\n'), 'm.yaml').objects[0].object.spec,
      { v: 777, w: 'yes', x: '64512:10', y: '1_000', z: '2024-01-02' });
  });

  test('each kind of YAML 1.1 difference is flagged with what 1.1 reads and how to fix it', () => {
    assert.deepEqual(warningsOf(peer('  keepOriginalNextHop: Off\n  port: 0777\n  asNumber: 64_512\n  when: 2024-01-02\n  mode: 0o17\n')), [
      ['spec.keepOriginalNextHop', 'unquoted value Off is the string "Off" in YAML 1.2 but the boolean false to YAML 1.1 parsers (still used by some tools); quote it: "Off"'],
      ['spec.port', 'unquoted value 0777 is the integer 777 in YAML 1.2 but the integer 511 to YAML 1.1 parsers (still used by some tools); write 777, or quote it ("0777") if a string is meant'],
      ['spec.asNumber', 'unquoted value 64_512 is the string "64_512" in YAML 1.2 but the integer 64512 to YAML 1.1 parsers (still used by some tools); quote it: "64_512"'],
      ['spec.when', 'unquoted value 2024-01-02 is the string "2024-01-02" in YAML 1.2 but the timestamp 2024-01-02T00:00:00.000Z to YAML 1.1 parsers (still used by some tools); quote it: "2024-01-02"'],
      ['spec.mode', 'unquoted value 0o17 is the integer 15 in YAML 1.2 but the string "0o17" to YAML 1.1 parsers (still used by some tools); write 15, or quote it ("0o17") if a string is meant'],
    ]);
  });

  test('quoted, tagged and unambiguous scalars are not flagged', () => {
    assert.deepEqual(warningsOf(peer(
      '  a: "64512:10"\n  b: \'yes\'\n  c: !!str on\n  d: 64517:300:100\n  e: 10.31.254.253\n  f: 64512\n  g: -1.5\n  h: true\n  i: null\n  j: 1e3x\n  k: |\n    yes\n')), []);
  });

  test('keys are flagged too, and paths bracket keys that are not identifiers', () => {
    const r = parseManifests('apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: p\n  labels:\n    on: "x"\n    topology.kubernetes.io/zone: n\nspec:\n  cidr: 10.33.0.0/17\n', 'm.yaml');
    assert.deepEqual(r.warnings.map((w) => [w.kind, w.name, w.path, w.message.split(' is ')[0]]), [
      ['IPPool', 'p', 'metadata.labels.on', 'unquoted key on'],
      ['IPPool', 'p', 'metadata.labels["topology.kubernetes.io/zone"]', 'unquoted value n'],
    ]);
  });

  test('a %YAML 1.1 document is read as YAML 1.1 and not flagged', () => {
    const r = parseManifests(`%YAML 1.1\n---\n${peer('  keepOriginalNextHop: yes\n')}`, 'm.yaml');
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.equal((r.objects[0].object.spec as any).keepOriginalNextHop, true);
  });

  test('document indexes count empty documents; anchors flag once, at the anchor', () => {
    const text = `---\n---\n${peer('  asNumber: &as 0100\n  other: *as\n')}---\n${peer('  asNumber: 64512\n')}`;
    const r = parseManifests(text, 'm.yaml');
    assert.deepEqual(r.objects.map((o) => o.document), [1, 2]);
    assert.deepEqual(r.warnings.map((w) => [w.document, w.path]), [[1, 'spec.asNumber']]);
  });

  test('input errors carry file, line and column', () => {
    const r = parseManifests('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: 1\n  a: 2\n', 'dup.yaml');
    assert.equal(r.errors.length, 1);
    assert.deepEqual({ ...r.errors[0], snippet: undefined }, { file: 'dup.yaml', line: 5, column: 3, message: 'YAML syntax error: duplicated mapping key', snippet: undefined });
    assert.match(formatInputError(r.errors[0]), /^dup\.yaml:5:3: YAML syntax error: duplicated mapping key\n/);

    const list = parseManifests('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n- 42\n', 'list.yaml');
    assert.deepEqual(list.errors.map((e) => e.message), ['document 0 (List) items[1] is not a Kubernetes object: expected a mapping with apiVersion and kind, found the number 42']);
  });

  test('formatPath', () => {
    assert.equal(formatPath(['spec', 'calicoNetwork', 'ipPools', 0, 'cidr']), 'spec.calicoNetwork.ipPools[0].cidr');
    assert.equal(formatPath(['metadata', 'annotations', 'projectcalico.org/metadata']), 'metadata.annotations["projectcalico.org/metadata"]');
    assert.equal(formatPath([]), '');
  });
});
