import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { REFERENCE_CLUSTER } from '../../examples/reference/main';
import { formatValuesProblem, loadValues, parsePath, valuesSchema, VALUES_SCHEMA_PATH } from '../../src/cli/values';

/** The built command line (this file runs from lib/test/cli/). */
const CLI = join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const ROOT = join(__dirname, '..', '..', '..');
const REFERENCE_VALUES = join(ROOT, 'examples', 'reference', 'values.yaml');
const work = mkdtempSync(join(tmpdir(), 'cdk8s-calico-values-'));
after(() => rmSync(work, { recursive: true, force: true }));

function cli(args: readonly string[], cwd = work) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** Every file under `dir`, as sorted relative paths (output layouts may have folders). */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tree(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
/** Problems of a values text, formatted as the CLI prints them. */
const problems = (text: string, file = 'site.yaml') => loadValues(text, file).problems.map(formatValuesProblem);
const PEER = 'torPeers:\n  - name: tor\n    peerIp: 10.0.0.1\n    asNumber: 65000\n';

describe('values files', () => {
  test('the reference values file holds exactly the reference cluster\'s props', () => {
    const loaded = loadValues(readFileSync(REFERENCE_VALUES, 'utf8'), 'values.yaml');
    assert.deepEqual(loaded.problems, []);
    assert.deepEqual(loaded.props, REFERENCE_CLUSTER);
  });

  test('unknown, misspelt, mistyped and out-of-enum fields: every problem, with line and column', () => {
    assert.deepEqual(problems([
      'calicoVersion: v3.24.6',
      'podIpPools:',
      '  - cidr: 10.33.0.0/17',
      '    blockSize: "24"',
      'asNumbr: 64517',
      'torPeers:',
      '  - peerIp: 10.0.0.1',
      '    asNumber: 65000',
      'calicoctl: yes',
      '',
    ].join('\n')), [
      'site.yaml:1:16: calicoVersion: string "v3.24.6" is not allowed here; did you mean "v3.24.5"? (allowed: "v3.24.5", "v3.31.7", "v3.32.1")',
      'site.yaml:4:16: podIpPools[0].blockSize: expected a number, got string "24"',
      'site.yaml:5:1: asNumbr: unknown field "asNumbr"; did you mean "asNumber"? (allowed here: $schema, apiMode, apiServerSpec, argoCd, asNumber, bindMode, calicoVersion, calicoctl, communities, componentResources, containerIpForwarding, controlPlaneNodeSelector, ... (41 in all))'.replace('(41 in all)', `(${Object.keys((valuesSchema().definitions as any).CalicoTorChartProps.properties).length} in all)`),
      'site.yaml:7:5: torPeers[0]: missing required field "name"',
      'site.yaml:9:12: calicoctl: expected true or false or a mapping, got string "yes" (YAML 1.2 reads yes as a string: write true)',
    ]);
  });

  test('nested pass-through specs are checked too (installationSpec, felixConfiguration)', () => {
    const found = problems(`${PEER}installationSpec:\n  calicoNetwork:\n    mtuu: 1450\nfelixConfiguration:\n  ipipMtu: 1400\n`);
    assert.equal(found.length, 2, found.join('\n'));
    assert.match(found[0], /^site\.yaml:7:5: installationSpec\.calicoNetwork\.mtuu: unknown field "mtuu"; did you mean "mtu"\? \(allowed here: bgp, /);
    assert.match(found[1], /^site\.yaml:9:3: felixConfiguration\.ipipMtu: unknown field "ipipMtu"; did you mean "ipipMTU"\? \(allowed here: allowIPIPPacketsFromWorkloads, .*, \.\.\. \(\d+ in all\)\)$/);
  });

  test('YAML and JSON syntax errors, duplicate keys, several documents and empty files', () => {
    assert.deepEqual(problems('asNumber: 1\nasNumber: 2\n'), ['site.yaml:2:1: YAML syntax: Map keys must be unique']);
    assert.deepEqual(problems('asNumber: 1\n---\nasNumber: 2\n'), ['site.yaml:2:1: the file holds 2 YAML documents: a values file is one mapping; remove the "---" separators']);
    assert.deepEqual(problems(''), ['site.yaml: the file is empty: it must hold a mapping of CalicoTorChart props (cdk8s-calico init writes a starter file)']);
    assert.deepEqual(problems('- a\n- b\n'), ['site.yaml:1:1: expected a mapping, got a list of 2 items']);
    assert.deepEqual(problems('{"asNumber": 1,\n "mtu": 1450,}\n', 'site.json'), ['site.json:2:14: JSON syntax: Expected double-quoted property name']);
    const json = loadValues('{"$schema": "./values.schema.json", "asNumber": 65010}', 'site.json');
    assert.deepEqual([json.problems, json.props], [[], { asNumber: 65010 }]);
  });

  test('paths are read back into steps', () => {
    assert.deepEqual(parsePath('podIpPools[0].cidr'), ['podIpPools', 0, 'cidr']);
    assert.deepEqual(parsePath('labels["app.kubernetes.io/name"]'), ['labels', 'app.kubernetes.io/name']);
    assert.equal(parsePath('not a path'), undefined);
  });

  test('the schema is the build\'s: generated from the props, with their doc comments and no prose defaults', () => {
    const schema = JSON.parse(readFileSync(VALUES_SCHEMA_PATH, 'utf8'));
    const props = schema.definitions.CalicoTorChartProps.properties;
    for (const key of [...Object.keys(REFERENCE_CLUSTER), 'installationSpec', 'apiServerSpec', 'goldmane', 'whisker', 'felixConfiguration', 'mtu', 'operator']) {
      assert.ok(props[key], key);
    }
    assert.equal(props.listenPort.default, 179);
    assert.match(props.hostPorts.description, /Default: true/);
    const stack = [schema];
    while (stack.length > 0) {
      const n = stack.pop();
      if (n && typeof n === 'object') {
        if (Object.prototype.hasOwnProperty.call(n, 'default')) assert.notEqual(typeof n.default === 'string' && n.default.startsWith('- '), true, JSON.stringify(n));
        stack.push(...Object.values(n));
      }
    }
  });
});

describe('cdk8s-calico synth --values', () => {
  test('the reference values file gives a dist/ byte-identical to npm run synth', () => {
    const r = cli(['synth', '--values', REFERENCE_VALUES, '--out', 'ref-dist']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^cdk8s-calico: wrote ref-dist from .*values\.yaml \(1 warning\)\n$/);
    assert.match(r.stderr, /^warning Installation\/default spec\.calicoNetwork\.nodeAddressAutodetectionV4: /);
    const dist = join(ROOT, 'dist');
    const files = tree(dist);
    assert.deepEqual(tree(join(work, 'ref-dist')), files);
    for (const f of files) assert.equal(readFileSync(join(work, 'ref-dist', f), 'utf8'), readFileSync(join(dist, f), 'utf8'), f);
  });

  test('a JSON values file works the same, and the typed props reach the output', () => {
    writeFileSync(join(work, 'site.json'), JSON.stringify({
      calicoVersion: 'v3.32.1', podIpPools: [{ cidr: '10.40.0.0/16' }], mtu: 9000, goldmane: true, whisker: true,
      felixConfiguration: { prometheusMetricsEnabled: true }, torPeers: [{ name: 'tor', peerIp: '10.41.0.1', asNumber: 65001 }],
      nodeAddressAutodetectionV4: { cidrs: ['10.41.0.0/16'] },
    }, null, 2));
    const r = cli(['synth', '--values', 'site.json', '--out', 'json-dist']);
    assert.equal(r.status, 0, r.stderr);
    const inst = readFileSync(join(work, 'json-dist', '02-calico-installation.yaml'), 'utf8');
    assert.match(inst, /mtu: 9000/);
    assert.match(inst, /kind: Goldmane\nmetadata:\n  name: default/);
    assert.match(inst, /kind: Whisker\n/);
    assert.match(readFileSync(join(work, 'json-dist', '03-calico-resources.yaml'), 'utf8'), /kind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n  prometheusMetricsEnabled: true/);
  });

  test('values problems exit 2 with file:line:column; chart errors exit 1 placed at the prop; nothing is written', () => {
    writeFileSync(join(work, 'typo.yaml'), `${PEER}asNumbr: 1\n`);
    let r = cli(['synth', '--values', 'typo.yaml', '--out', 'never']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^typo\.yaml:5:1: asNumbr: unknown field "asNumbr"; did you mean "asNumber"\?/);
    assert.match(r.stderr, /cdk8s-calico: 1 problem in typo\.yaml; nothing was written\.\n$/);

    writeFileSync(join(work, 'cidr.yaml'), `${PEER}podIpPools:\n  - cidr: 10.33.0.1\n`);
    r = cli(['synth', '--values', 'cidr.yaml', '--out', 'never']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'cidr.yaml:6:11: podIpPools[0].cidr: CIDR mask is missing in "10.33.0.1". Did you mean "10.33.0.1/32"? (CalicoInstallation)\n'
      + 'cdk8s-calico: 1 error in cidr.yaml; nothing was written.\n');

    writeFileSync(join(work, 'many.yaml'), `calicoVersion: v3.24.5\n${PEER}podIpPools:\n  - cidr: 10.33.0.1\nmtu: 10\ngoldmane: true\n`);
    r = cli(['synth', '--values', 'many.yaml', '--out', 'never']);
    assert.equal(r.status, 1);
    assert.deepEqual(r.stderr.split('\n').map((l) => l.split(': ')[0]), ['many.yaml:1:16', 'many.yaml:7:11', 'many.yaml:8:6', 'cdk8s-calico', ''], 'every prop problem at once, in file order');

    writeFileSync(join(work, 'old.yaml'), `calicoVersion: v3.24.5\n${PEER}goldmane: true\n`);
    r = cli(['synth', '--values', 'old.yaml', '--out', 'never']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^old\.yaml:1:16: calicoVersion: Calico v3\.24\.5's operator has no Goldmane \(it comes with v3\.31\.7, v3\.32\.1\)/);

    writeFileSync(join(work, 'field.yaml'), `calicoVersion: v3.24.5\n${PEER}installationSpec:\n  serviceCIDRs: [10.96.0.0/12]\n`);
    r = cli(['synth', '--values', 'field.yaml', '--out', 'never']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^field\.yaml:7:17: error Installation\/default spec\.serviceCIDRs: field spec\.serviceCIDRs is not in Calico v3\.24\.5 \(added in a later release: available in v3\.31\.7, v3\.32\.1\)/);
    assert.match(r.stderr, /cdk8s-calico: 1 error in the chart of field\.yaml; nothing was written\.\n$/);

    r = cli(['synth', '--values', 'missing.yaml']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'cdk8s-calico: cannot read values file missing.yaml: no such file\n');
    assert.ok(!readdirSync(work).includes('never'));
    assert.equal(cli(['synth']).status, 2, 'a values file is required');
  });
});

describe('cdk8s-calico schema and init', () => {
  test('schema prints the shipped schema; --path tells where it is', () => {
    const r = cli(['schema']);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, readFileSync(VALUES_SCHEMA_PATH, 'utf8'));
    assert.equal(JSON.parse(r.stdout).$ref, '#/definitions/CalicoTorChartProps');
    assert.equal(cli(['schema', '--path']).stdout, `${VALUES_SCHEMA_PATH}\n`);
  });

  test('init writes the commented reference values with a schema line relative to the file, refuses to overwrite', () => {
    assert.equal(cli(['init', 'no-such-folder/site.yaml']).stderr, 'cdk8s-calico: cannot write no-such-folder/site.yaml: its folder does not exist\n');
    const r = cli(['init', 'site.yaml']);
    assert.equal(r.status, 0, r.stderr);
    const text = readFileSync(join(work, 'site.yaml'), 'utf8');
    const [first] = text.split('\n');
    const schemaRef = first.replace('# yaml-language-server: $schema=', '');
    assert.notEqual(schemaRef, first);
    assert.equal(readFileSync(join(work, schemaRef), 'utf8'), readFileSync(VALUES_SCHEMA_PATH, 'utf8'), 'the schema line resolves from the file\'s folder');
    assert.equal(text.split('\n').slice(1).join('\n'), readFileSync(REFERENCE_VALUES, 'utf8').split('\n').slice(1).join('\n'));
    assert.deepEqual(loadValues(text, 'site.yaml').props, REFERENCE_CLUSTER);

    const again = cli(['init', 'site.yaml']);
    assert.equal(again.status, 2);
    assert.equal(again.stderr, 'cdk8s-calico: site.yaml exists; nothing was written (use --force to overwrite it, or name another file)\n');
    assert.equal(cli(['init', 'site.yaml', '--force']).status, 0);
    assert.match(cli(['init', '-']).stdout, /^# yaml-language-server: \$schema=\/.*values\.schema\.json\n/);
  });
});

test('the package ships the values schema and the starter values file (init and schema read them at run time)', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
  for (const f of ['lib/schema/values.schema.json', 'examples/reference/values.yaml', 'lib/src/cli/commands/synth.js', 'lib/src/cli/values.js']) assert.ok(files.includes(f), f);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.ok(pkg.dependencies.yaml, 'yaml is a runtime dependency (the values loader parses with it)');
});
