/**
 * A seeded fuzzer over what takes untrusted input: the CLI's manifest reader (whole texts and
 * streamed in random pieces), validateManifests on mutated objects, and the constructs with props
 * of random JavaScript types. It looks for crashes, not verdicts: the reader and the validator must
 * never throw, a construct may throw only an Error naming itself (no TypeError or RangeError), and
 * every message must print as one bounded line. test/fuzz/fuzz.test.ts runs it in CI; the bench
 * (and test/fuzz/run.ts) runs more inputs.
 */
import { Testing } from 'cdk8s';
import { ManifestStream, parseManifests } from '../../src/cli/manifest-reader';
import {
  BgpPasswordAccess, CalicoBgpConfiguration, CalicoBgpPeer, Calicoctl, CalicoInstallation, CalicoTorChart, TigeraOperator,
} from '../../src';
import { formatViolation, validateManifests, Violation } from '../../src/validation';
import { CALICO_VERSIONS } from '../../src/releases/releases';
import { scratchApp, scratchChart } from '../fixtures/apps';
import { prng } from '../fixtures/prng';

/** A failure the fuzzer found: what was run and what went wrong. */
export interface FuzzFailure {
  readonly target: string;
  readonly input: string;
  readonly error: string;
}

/** Outcome of {@link fuzz}. */
export interface FuzzReport {
  readonly inputs: number;
  readonly byTarget: Record<string, number>;
  /** How the inputs went: objects read and validated, violations found, constructs built or refused. */
  readonly outcomes: Record<string, number>;
  readonly failures: FuzzFailure[];
  readonly ms: number;
}


const BASE_DOCS = [
  'apiVersion: projectcalico.org/v3\nkind: BGPPeer\nmetadata:\n  name: openwrt-peer\nspec:\n  peerIP: 10.31.254.253\n  asNumber: 64512\n  keepOriginalNextHop: true\n  nodeSelector: rack == "a" && !has(edge)\n  password:\n    secretKeyRef: {name: bgp, key: tor}\n',
  'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: pods\nspec:\n  cidr: 10.33.0.0/17\n  blockSize: 24\n  vxlanMode: CrossSubnet\n  natOutgoing: true\n  nodeSelector: all()\n',
  'apiVersion: projectcalico.org/v3\nkind: BGPConfiguration\nmetadata:\n  name: default\nspec:\n  asNumber: 64517\n  nodeToNodeMeshEnabled: false\n  serviceClusterIPs:\n  - cidr: 10.33.128.0/18\n  communities:\n  - {name: big, value: "64517:300:100"}\n  prefixAdvertisements:\n  - cidr: 10.33.0.0/17\n    communities: [big, "64517:120"]\n',
  'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n    bgp: Enabled\n    ipPools:\n    - {cidr: 10.33.0.0/17, blockSize: 24, encapsulation: VXLANCrossSubnet, natOutgoing: Enabled, nodeSelector: all()}\n    nodeAddressAutodetectionV4: {cidrs: [10.31.0.0/16]}\n',
  'apiVersion: v1\nkind: List\nitems:\n- apiVersion: crd.projectcalico.org/v1\n  kind: BGPPeer\n  metadata: {name: x}\n  spec: {peerIP: "fd00::1", asNumber: 65000}\n',
  'apiVersion: v1\nkind: Secret\nmetadata: {name: bgp, namespace: calico-system}\nstringData:\n  tor: hunter2\n',
  'base: &a {apiVersion: v1, kind: ConfigMap}\n',
];

const TOKENS = [
  '(', ')', '((((((((((', '[', ']', '{', '}', ',', ':', ': ', '- ', '? ', '|', '>', '#', '&a ', '*a', '<<: *a', '!!str ', '!!binary ', '!<tag:x> ',
  '"', "'", '\\', '\n', '\r\n', '\t', '---\n', '...\n', '%YAML 1.1\n', '%TAG ! x\n', '\u0000', '\u001b[2K', '\u009b', '\u2028', '\u202e', '\ufeff',
  '0x1F', '0o17', '1e400', '-0', '.inf', '.nan', '~', 'null', 'yes', 'no', 'on', '0777', '64512:10', '2024-01-01', '4294967296', '-1', '99999999999999999999',
  '10.0.0.0/33', '::ffff:10.0.0.1', 'fe80::1%eth0', '10.0.0.1:179', '[fd00::1]:179', 'all()', 'global()', 'has(', 'in {', '!!',
  'apiVersion: ', 'kind: ', 'metadata: ', 'spec: ', 'items: ', 'List', 'projectcalico.org/v3', 'operator.tigera.io/v1', 'BGPPeer', 'IPPool', 'Installation',
];

const VALUES: ReadonlyArray<() => unknown> = [
  () => null, () => undefined, () => '', () => 'x'.repeat(5000), () => -1, () => 0, () => 2 ** 53, () => 1e300, () => NaN, () => Infinity, () => -0,
  () => true, () => false, () => [], () => [null], () => [[]], () => ({}), () => ({ a: null }), () => 'a\nb\u001b[31m', () => '(((((', () => '10.0.0.0/8',
  () => 'fd00::/8', () => 'all()', () => '64512:100', () => 4294967295, () => 65535.5, () => new Date(0), () => [1, 'a', null], () => ({ secretKeyRef: null }),
];

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** A base text with 1-4 random edits. */
function mutatedText(rand: () => number): string {
  let text = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, BASE_DOCS)).join('---\n');
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (text.length + 1));
    switch (Math.floor(rand() * 6)) {
      case 0: text = text.slice(0, at) + pick(rand, TOKENS) + text.slice(at); break;
      case 1: text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 20)); break;
      case 2: { const len = Math.floor(rand() * 40); text = text.slice(0, at) + text.slice(at, at + len).repeat(2 + Math.floor(rand() * 5)) + text.slice(at); break; }
      case 3: text = text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x3000)) + text.slice(at + 1); break;
      case 4: text = text.slice(0, at) + pick(rand, TOKENS).repeat(1 + Math.floor(rand() * 200)) + text.slice(at); break;
      default: text = text.slice(0, at) + pick(rand, TOKENS) + pick(rand, TOKENS) + text.slice(at); break;
    }
  }
  return text;
}

/** A copy of `value` with one value somewhere inside replaced (or added) at random. */
function mutatedObject(rand: () => number, value: unknown, depth = 0): unknown {
  if (depth > 0 && rand() < 0.3) return pick(rand, VALUES)();
  if (Array.isArray(value)) {
    if (value.length === 0 || rand() < 0.2) return [...value, pick(rand, VALUES)()];
    const i = Math.floor(rand() * value.length);
    return value.map((v, j) => (j === i ? mutatedObject(rand, v, depth + 1) : v));
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const keys = Object.keys(value);
    if (keys.length === 0 || rand() < 0.15) return { ...value, [pick(rand, ['extra', 'peerIp', 'PeerIP', 'cidr', 'items', 'kind', '__proto__', 'constructor'])]: pick(rand, VALUES)() };
    const k = pick(rand, keys);
    return { ...value, [k]: mutatedObject(rand, (value as Record<string, unknown>)[k], depth + 1) };
  }
  return pick(rand, VALUES)();
}

function checkMessages(violations: readonly Violation[], input: () => string): string | undefined {
  for (const v of violations) {
    const line = formatViolation(v);
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(line)) return `unescaped control character in: ${JSON.stringify(line.slice(0, 200))}`;
    if (line.length > 3000) return `a violation line of ${line.length} characters for ${input().slice(0, 100)}`;
  }
  return undefined;
}

const CHART_PROPS = {
  calicoVersion: 'v3.24.5', podIpPools: [{ cidr: '10.33.0.0/17', blockSize: 24, encapsulation: 'VXLANCrossSubnet', natOutgoing: true }],
  asNumber: 64517, serviceClusterIps: ['10.33.128.0/18'], communities: [{ name: 'big', value: '64517:300:100' }],
  prefixAdvertisements: [{ cidr: '10.33.0.0/17', communities: ['big'] }],
  torPeers: [{ name: 'tor', peerIp: '10.31.254.253', asNumber: 64512, keepOriginalNextHop: true, password: { name: 'bgp', key: 'tor' } }],
  nodeAddressAutodetectionV4: { cidrs: ['10.31.0.0/16'] }, calicoctl: { apiAccess: true }, operator: { nodeSelector: { a: 'b' } },
};

const CONSTRUCTS: ReadonlyArray<[string, Record<string, unknown>, (props: any) => unknown]> = [
  ['CalicoTorChart', CHART_PROPS, (p) => Testing.synth(new CalicoTorChart(scratchApp(), 'fuzz', p))],
  ['CalicoBgpPeer', { name: 'tor', peerIp: '10.0.0.1', asNumber: 65000, nodeSelector: 'a == "b"', filters: ['f'] }, (p) => new CalicoBgpPeer(scratchChart(), 'p', p)],
  ['CalicoBgpConfiguration', { asNumber: 65000, serviceClusterIps: ['10.96.0.0/12'], communities: [{ name: 'c', value: '1:2' }] }, (p) => new CalicoBgpConfiguration(scratchChart(), 'b', p)],
  ['CalicoInstallation', { podIpPools: [{ cidr: '10.0.0.0/16' }], registry: 'r.example.com/', mtu: 1450 }, (p) => new CalicoInstallation(scratchChart(), 'i', p)],
  ['TigeraOperator', { tolerations: [{ operator: 'Exists' }], nodeSelector: { a: 'b' } }, (p) => new TigeraOperator(scratchChart(), 'o', p)],
  ['Calicoctl', { ipFamilies: [4, 6], tolerations: [{ operator: 'Exists' }], apiAccess: true }, (p) => new Calicoctl(scratchChart(), 'c', p)],
  ['BgpPasswordAccess', { secretNames: ['s'] }, (p) => new BgpPasswordAccess(scratchChart(), 'a', p)],
];

/**
 * Runs `count` inputs from `seed`. Targets, per 100 inputs: 55 reader texts (a third streamed in
 * random pieces), 40 validateManifests calls on mutated objects (every release), 5 constructs.
 */
export function fuzz(count: number, seed: number): FuzzReport {
  const rand = prng(seed);
  const failures: FuzzFailure[] = [];
  const byTarget: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const count_ = (k: string, n = 1) => { outcomes[k] = (outcomes[k] ?? 0) + n; };
  const started = Date.now();
  const baseObjects = BASE_DOCS.flatMap((d) => parseManifests(d, 'base.yaml').objects.map((o) => o.object));
  for (let i = 0; i < count; i++) {
    const slot = i % 100;
    const target = slot < 55 ? 'reader' : slot < 95 ? 'validate' : 'construct';
    byTarget[target] = (byTarget[target] ?? 0) + 1;
    let input = '';
    try {
      if (target === 'reader') {
        input = mutatedText(rand);
        const streamed = rand() < 0.33;
        const parsed = { objects: [] as unknown[], errors: [] as unknown[] };
        if (streamed) {
          const s = new ManifestStream('fuzz.yaml', (p) => { parsed.objects.push(...p.objects); parsed.errors.push(...p.errors); });
          for (let at = 0; at < input.length;) {
            const n = 1 + Math.floor(rand() * 64);
            s.push(input.slice(at, at + n));
            at += n;
          }
          s.end();
        } else {
          const r = parseManifests(input, 'fuzz.yaml');
          parsed.objects.push(...r.objects);
          parsed.errors.push(...r.errors);
        }
        const found = validateManifests(parsed.objects as any, { calicoVersion: pick(rand, CALICO_VERSIONS), complete: rand() < 0.5 });
        count_('objects read', parsed.objects.length);
        count_('input errors', parsed.errors.length);
        count_('violations', found.length);
        const bad = checkMessages(found, () => input);
        if (bad) failures.push({ target, input, error: bad });
      } else if (target === 'validate') {
        const objects = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => mutatedObject(rand, pick(rand, baseObjects)));
        input = JSON.stringify(objects, (_k, v) => (v === undefined ? '<undefined>' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)).slice(0, 2000);
        const records = objects.filter((o) => o !== null && typeof o === 'object').map((object) => ({ object: object as any, file: 'f.yaml', document: 0 }));
        count_('objects validated', records.length);
        const found = validateManifests(records, { calicoVersion: pick(rand, CALICO_VERSIONS), apiMode: rand() < 0.2 ? 'native-v3-crds' : 'apiserver', complete: rand() < 0.5, expectedNodes: rand() < 0.3 ? Math.floor(rand() * 5000) : undefined });
        const bad = checkMessages(found, () => input);
        if (bad) failures.push({ target, input, error: bad });
      } else {
        const [name, valid, make] = pick(rand, CONSTRUCTS);
        const props = rand() < 0.05 ? pick(rand, VALUES)() : mutatedObject(rand, valid);
        input = `${name} ${JSON.stringify(props, (_k, v) => (v === undefined ? '<undefined>' : v))?.slice(0, 2000)}`;
        try {
          make(props);
          count_('constructs built');
        } catch (e) {
          count_('constructs refused');
          if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError) throw e;
          if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(e.message.split('\n')[0])) failures.push({ target, input, error: `unescaped control character in: ${e.message.slice(0, 200)}` });
        }
      }
    } catch (e) {
      failures.push({ target, input, error: e instanceof Error ? `${e.name}: ${e.message}\n${(e.stack ?? '').split('\n').slice(1, 6).join('\n')}` : String(e) });
    }
  }
  return { inputs: count, byTarget, outcomes, failures, ms: Date.now() - started };
}
