import { describeValue } from '../model/values';
import { isRecord } from '../model/values';
/**
 * Reading the plan's input objects: BGPConfiguration, BGPPeer, IPPool (and the operator
 * Installation's pools), BGPFilter, BlockAffinity, Service and EndpointSlice, from plain manifest
 * objects. Each reader returns the fields the plan needs, already parsed, and reports unusable
 * values as findings (the object or the field is then left out, as calico-node leaves out what it
 * cannot parse).
 */
import { parseAsNumber } from '../model/bgp-values';
import { Cidr, IpAddress, parseCidr, parseIp, parsePeerAddress } from '../model/net';
import { parseSelector, SelectorNode } from '../model/selector';
import { ManifestObject, SourcedObject, Violation } from '../model/violation';
import { CalicoVersion } from '../releases/releases';
import { crdHasField } from '../releases/crd-store';
import { parseGoDuration } from '../model/duration';
import { DEFAULT_AS_NUMBER, DEFAULT_BLOCK_SIZE } from '../model/calico-defaults';
import { bgpConfigurationNameProblem, checkBlockSize } from '../model/calico-rules';
import { PlanSecretRef } from './types';

/** A parsed selector with its text. */
export interface Selector {
  readonly text: string;
  readonly ast: SelectorNode;
}

/** The BGP settings of BGPConfiguration `default` (defaults of libcalico-go / confd filled in). */
export interface GlobalBgpConfig {
  /** Cluster AS: spec.asNumber, else 64512 (confd client.go globalDefaults). */
  readonly asNumber: number;
  /** spec.nodeToNodeMeshEnabled, default true (confd globalDefaults `node_mesh`). */
  readonly meshEnabled: boolean;
  /** spec.listenPort, 0 when unset (BIRD then listens on 179). */
  readonly listenPort: number;
  readonly meshPassword: PlanSecretRef | null;
  readonly meshRestartSeconds: number | null;
  readonly serviceClusterIps: readonly Cidr[];
  readonly serviceExternalIps: readonly Cidr[];
  readonly serviceLoadBalancerIps: readonly Cidr[];
  readonly prefixAdvertisements: readonly PrefixAdvertisement[] | null;
  /** Whether a BGPConfiguration `default` was given. */
  readonly present: boolean;
}

/** A per-node BGPConfiguration `node.<name>`: the fields confd reads from it. */
export interface NodeBgpConfig {
  readonly node: string;
  readonly listenPort: number;
  /** Null when the resource sets no prefixAdvertisements (the global list then applies). */
  readonly prefixAdvertisements: readonly PrefixAdvertisement[] | null;
}

/** A prefixAdvertisements entry with its communities resolved to values. */
export interface PrefixAdvertisement {
  readonly cidr: Cidr;
  readonly communities: readonly string[];
}

/** A BGPPeer, parsed. */
export interface BgpPeerSpec {
  readonly name: string;
  readonly node: string;
  readonly nodeSelector: Selector | null;
  readonly peerSelector: Selector | null;
  readonly peerIp: IpAddress | null;
  /**
   * The address as written in peerIP (without a port). confd matches it against the nodes'
   * addresses as text (client.go nodesWithIPPortAndAS, nodeIPs), so a non-canonical IPv6 text
   * (`FD00::0001`) is not recognised as a Calico node.
   */
  readonly peerHost: string;
  /** Port written in peerIP, 0 when none. */
  readonly peerPort: number;
  /** spec.asNumber, 0 when unset. */
  readonly asNumber: number;
  readonly keepOriginalNextHop: boolean;
  readonly password: PlanSecretRef | null;
  /** "UseNodeIP" (default) or "None". */
  readonly sourceAddress: string;
  readonly restartSeconds: number | null;
  readonly numAllowedLocalAsNumbers: number;
  readonly ttlSecurity: number;
  readonly reachableBy: string | null;
  readonly localAsNumber: number | null;
  readonly filters: readonly string[];
  readonly keepaliveSeconds: number | null;
  readonly nextHopMode: 'Auto' | 'Self' | 'Keep' | null;
  readonly reversePeering: 'Auto' | 'Manual';
  readonly localWorkloadSelector: string | null;
  readonly file?: string;
  readonly document?: number;
}

/** An IP pool the nodes take blocks from. */
export interface PoolSpec {
  readonly name: string;
  readonly cidr: Cidr;
  readonly blockSize: number;
  readonly nodeSelector: Selector;
  readonly disableBgpExport: boolean;
  /** 'None', 'IPIP' or 'VXLAN' (with CrossSubnet variants folded into their family). */
  readonly encapsulation: 'None' | 'IPIP' | 'VXLAN';
  readonly disabled: boolean;
  readonly kind: string;
  readonly apiVersion: string;
}

/** A BGPFilter: which families it has import and export rules for. */
export interface FilterSpec {
  readonly name: string;
  readonly import4: boolean;
  readonly import6: boolean;
  readonly export4: boolean;
  readonly export6: boolean;
}

/** A confirmed block affinity. */
export interface BlockAffinitySpec {
  readonly node: string;
  readonly cidr: Cidr;
}

/** A Service address that may be advertised as a single address. */
export interface ServiceSpec {
  readonly namespace: string;
  readonly name: string;
  readonly localTrafficPolicy: boolean;
  readonly clusterIps: readonly IpAddress[];
  readonly externalIps: readonly IpAddress[];
  readonly loadBalancerIps: readonly IpAddress[];
}

/** Everything the plan reads. */
export interface PlanInputs {
  readonly global: GlobalBgpConfig;
  readonly nodeConfigs: ReadonlyMap<string, NodeBgpConfig>;
  readonly peers: readonly BgpPeerSpec[];
  readonly pools: readonly PoolSpec[];
  readonly filters: ReadonlyMap<string, FilterSpec>;
  readonly affinities: readonly BlockAffinitySpec[];
  readonly services: readonly ServiceSpec[];
  /** Node names hosting endpoints, per `namespace/service`. */
  readonly endpointNodes: ReadonlyMap<string, ReadonlySet<string>>;
  /** Keys of each Secret given (never the values), per `namespace/name`; empty when no Secret was given. */
  readonly secretKeys: ReadonlyMap<string, ReadonlySet<string>>;
  readonly findings: Violation[];
}

const CALICO_V3 = 'projectcalico.org/v3';
const CALICO_CRD = 'crd.projectcalico.org/v1';

function isCalico(o: ManifestObject): boolean {
  return o.apiVersion === CALICO_V3 || o.apiVersion === CALICO_CRD;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Seconds of a Go duration, rounded as confd does (`math.Round(d.Seconds())`). */
function durationSeconds(v: unknown, report: (m: string) => void): number | null {
  if (v === undefined || v === null) return null;
  const d = parseGoDuration(v);
  if (!d.ok) {
    report(d.error);
    return null;
  }
  return Math.round(d.value / 1e9);
}

function secretRef(v: unknown, report: (m: string) => void): PlanSecretRef | null {
  if (v === undefined || v === null) return null;
  const ref = isRecord(v) ? v.secretKeyRef : undefined;
  if (!isRecord(ref) || typeof ref.name !== 'string' || typeof ref.key !== 'string' || ref.name === '' || ref.key === '') {
    report('a BGP password is a secretKeyRef {name, key} naming a Secret in calico-node\'s namespace; this one names none, so calico-node sets no password');
    return null;
  }
  return { name: ref.name, key: ref.key };
}

/** Fields of BGPPeer spec that not every release has, and the CRD field that shows it. */
const RELEASE_PEER_FIELDS = ['ttlSecurity', 'reachableBy', 'filters', 'localASNumber', 'nextHopMode', 'reversePeering', 'localWorkloadSelector', 'keepaliveTime'] as const;

/** Reads the plan's inputs. */
export function readPlanInputs(objects: readonly SourcedObject[], version: CalicoVersion): PlanInputs {
  const findings: Violation[] = [];
  let globalObj: SourcedObject | undefined;
  const nodeConfigObjs: SourcedObject[] = [];
  const peers: BgpPeerSpec[] = [];
  const pools: PoolSpec[] = [];
  const filters = new Map<string, FilterSpec>();
  const affinities: BlockAffinitySpec[] = [];
  const services: ServiceSpec[] = [];
  const endpointNodes = new Map<string, Set<string>>();
  const secretKeys = new Map<string, Set<string>>();
  const installationPools: { s: SourcedObject; pool: unknown; i: number }[] = [];

  for (const s of objects) {
    const o = s.object;
    const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
    const spec = isRecord((o as Record<string, unknown>).spec) ? ((o as Record<string, unknown>).spec as Record<string, unknown>) : {};
    const at = (path: string, message: string, severity: 'error' | 'warning' = 'error') => findings.push({
      apiVersion: o.apiVersion, kind: o.kind, name, path, message, severity,
      ...(s.file !== undefined ? { file: s.file } : {}), ...(s.document !== undefined ? { document: s.document } : {}),
    });
    if (isCalico(o) && o.kind === 'BGPConfiguration') {
      if (name === 'default') globalObj = s;
      else {
        // The validation's rule (model/calico-rules): "node." is refused, other names are ignored.
        const problem = bgpConfigurationNameProblem(name);
        if (problem) at('metadata.name', problem.message, problem.severity);
        else if (name.startsWith('node.')) nodeConfigObjs.push(s);
        else at('metadata.name', 'BGPConfiguration has no name, so calico-node never reads it: name it "default" or "node.<node name>"', 'warning');
      }
    } else if (isCalico(o) && o.kind === 'BGPPeer') {
      const p = readPeer(s, name, spec, version, at);
      if (p) peers.push(p);
    } else if (isCalico(o) && o.kind === 'IPPool') {
      const p = readPool(o, name, spec, at);
      if (p) pools.push(p);
    } else if (o.apiVersion === 'operator.tigera.io/v1' && o.kind === 'Installation') {
      const net = isRecord(spec.calicoNetwork) ? spec.calicoNetwork : {};
      if (Array.isArray(net.ipPools)) net.ipPools.forEach((pool, i) => installationPools.push({ s, pool, i }));
    } else if (isCalico(o) && o.kind === 'BGPFilter') {
      const has = (k: string) => Array.isArray(spec[k]) && (spec[k] as unknown[]).length > 0;
      filters.set(name, { name, import4: has('importV4'), import6: has('importV6'), export4: has('exportV4'), export6: has('exportV6') });
    } else if (isCalico(o) && o.kind === 'BlockAffinity') {
      // confd client.go updateCache: pending affinities are treated as absent; deleted ones too.
      const state = spec.state;
      if (state === 'pending' || state === 'pendingDeletion' || spec.deleted === true || spec.deleted === 'true') continue;
      const cidr = parseCidr(spec.cidr);
      if (typeof spec.node !== 'string' || spec.node === '') { at('spec.node', 'a BlockAffinity names no node: set spec.node'); continue; }
      if (!cidr.ok) { at('spec.cidr', cidr.error); continue; }
      affinities.push({ node: spec.node, cidr: cidr.value });
    } else if (o.apiVersion === 'v1' && o.kind === 'Service') {
      const sv = readService(o, spec);
      if (sv) services.push(sv);
    } else if (o.apiVersion === 'v1' && o.kind === 'Secret') {
      // Only the key names are kept: a password never reaches the plan.
      const ns = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
      const keys = new Set<string>();
      for (const field of ['data', 'stringData']) {
        const d = (o as Record<string, unknown>)[field];
        if (isRecord(d)) for (const k of Object.keys(d)) keys.add(k);
      }
      secretKeys.set(`${ns}/${name}`, keys);
    } else if (o.apiVersion === 'discovery.k8s.io/v1' && o.kind === 'EndpointSlice') {
      const svc = isRecord(o.metadata?.labels) ? (o.metadata!.labels as Record<string, unknown>)['kubernetes.io/service-name'] : undefined;
      const ns = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
      const eps = (o as Record<string, unknown>).endpoints;
      if (typeof svc !== 'string' || !Array.isArray(eps)) continue;
      const key = `${ns}/${svc}`;
      const set = endpointNodes.get(key) ?? new Set<string>();
      for (const ep of eps) {
        if (!isRecord(ep) || typeof ep.nodeName !== 'string') continue;
        const cond = isRecord(ep.conditions) ? ep.conditions : {};
        if (cond.ready === false) continue;
        set.add(ep.nodeName);
      }
      endpointNodes.set(key, set);
    }
  }

  // Installation pools become IPPools (the operator creates them), unless an IPPool has the CIDR.
  for (const { s, pool, i } of installationPools) {
    if (!isRecord(pool)) continue;
    const cidr = parseCidr(pool.cidr);
    if (!cidr.ok) continue; // the validator reports it
    if (pools.some((p) => p.cidr.text === cidr.value.text)) continue;
    const enc = typeof pool.encapsulation === 'string' ? pool.encapsulation : (cidr.value.family === 4 ? 'IPIP' : 'None');
    const fake: Record<string, unknown> = {
      cidr: pool.cidr,
      blockSize: pool.blockSize,
      nodeSelector: pool.nodeSelector,
      disableBGPExport: pool.disableBGPExport === true,
      ipipMode: enc.startsWith('IPIP') ? 'Always' : 'Never',
      vxlanMode: enc.startsWith('VXLAN') ? 'Always' : 'Never',
    };
    const name = typeof pool.name === 'string' ? pool.name : `default-ipv${cidr.value.family}-ippool`;
    const p = readPool(s.object, name, fake, (path, message, severity) => findings.push({
      apiVersion: s.object.apiVersion, kind: s.object.kind, name: s.object.metadata?.name ?? '', path: `spec.calicoNetwork.ipPools[${i}].${path.replace(/^spec\./, '')}`, message, severity: severity ?? 'error',
    }));
    if (p) pools.push({ ...p, kind: 'Installation', apiVersion: s.object.apiVersion });
  }

  const global = readGlobal(globalObj, findings);
  const nodeConfigs = new Map<string, NodeBgpConfig>();
  for (const s of nodeConfigObjs) {
    const name = s.object.metadata!.name as string;
    const spec = isRecord((s.object as Record<string, unknown>).spec) ? ((s.object as Record<string, unknown>).spec as Record<string, unknown>) : {};
    const node = name.slice('node.'.length);
    const rep = (path: string, message: string) => findings.push({ apiVersion: s.object.apiVersion, kind: 'BGPConfiguration', name, path, message, severity: 'error', ...(s.file !== undefined ? { file: s.file } : {}) });
    nodeConfigs.set(node, {
      node,
      listenPort: typeof spec.listenPort === 'number' ? spec.listenPort : 0,
      prefixAdvertisements: readPrefixAdvertisements(spec, rep),
    });
  }
  peers.sort(byName);
  pools.sort(byName);
  return { global, nodeConfigs, peers, pools, filters, affinities, services, endpointNodes, secretKeys, findings };
}

function readGlobal(s: SourcedObject | undefined, findings: Violation[]): GlobalBgpConfig {
  const spec = s && isRecord((s.object as Record<string, unknown>).spec) ? ((s.object as Record<string, unknown>).spec as Record<string, unknown>) : {};
  const rep = (path: string, message: string) => findings.push({ apiVersion: s?.object.apiVersion ?? CALICO_V3, kind: 'BGPConfiguration', name: 'default', path, message, severity: 'error', ...(s?.file !== undefined ? { file: s.file } : {}) });
  let asNumber = DEFAULT_AS_NUMBER;
  if (spec.asNumber !== undefined) {
    const as = parseAsNumber(spec.asNumber);
    if (as.ok) asNumber = as.value;
    else rep('spec.asNumber', as.error);
  }
  const cidrs = (key: string): Cidr[] => {
    const list = spec[key];
    if (!Array.isArray(list)) return [];
    const out: Cidr[] = [];
    list.forEach((e, i) => {
      const c = parseCidr(isRecord(e) ? e.cidr : undefined);
      if (c.ok) out.push(c.value);
      else rep(`spec.${key}[${i}].cidr`, c.error);
    });
    return out;
  };
  return {
    asNumber,
    meshEnabled: spec.nodeToNodeMeshEnabled !== false,
    listenPort: typeof spec.listenPort === 'number' ? spec.listenPort : 0,
    meshPassword: secretRef(spec.nodeMeshPassword, (m) => rep('spec.nodeMeshPassword', m)),
    meshRestartSeconds: durationSeconds(spec.nodeMeshMaxRestartTime, (m) => rep('spec.nodeMeshMaxRestartTime', m)),
    serviceClusterIps: cidrs('serviceClusterIPs'),
    serviceExternalIps: cidrs('serviceExternalIPs'),
    serviceLoadBalancerIps: cidrs('serviceLoadBalancerIPs'),
    prefixAdvertisements: readPrefixAdvertisements(spec, rep),
    present: s !== undefined,
  };
}

/**
 * prefixAdvertisements with community names resolved against the same resource's communities
 * (confd client.go getPrefixAdvertisementsKVPair: a value of community form is used as it is,
 * otherwise the named community's value; an unknown name adds nothing; the set is sorted).
 */
function readPrefixAdvertisements(spec: Record<string, unknown>, rep: (path: string, message: string) => void): PrefixAdvertisement[] | null {
  const list = spec.prefixAdvertisements;
  if (list === undefined || list === null) return null;
  if (!Array.isArray(list)) return [];
  const defined = Array.isArray(spec.communities) ? spec.communities.filter(isRecord) : [];
  const out: PrefixAdvertisement[] = [];
  list.forEach((pa, i) => {
    if (!isRecord(pa)) return;
    const cidr = parseCidr(pa.cidr);
    if (!cidr.ok) { rep(`spec.prefixAdvertisements[${i}].cidr`, cidr.error); return; }
    const set = new Set<string>();
    (Array.isArray(pa.communities) ? pa.communities : []).forEach((c, j) => {
      if (typeof c !== 'string') return;
      if (/^[0-9]+:[0-9]+(:[0-9]+)?$/.test(c)) { set.add(c); return; }
      const d = defined.find((x) => x.name === c);
      if (d && typeof d.value === 'string') set.add(d.value);
      else rep(`spec.prefixAdvertisements[${i}].communities[${j}]`, `community ${describeValue(c)} is neither a value ("aa:nn" or "aa:nn:mm") nor the name of an entry of spec.communities; calico-node adds nothing for it: define it in spec.communities or write its value`);
    });
    out.push({ cidr: cidr.value, communities: [...set].sort(codePoint) });
  });
  return out;
}

export function codePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readSelector(v: unknown, path: string, at: (path: string, message: string) => void): Selector | null | undefined {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string') { at(path, `a selector is a string, got ${describeValue(v)}`); return undefined; }
  const r = parseSelector(v);
  if (!r.ok) { at(path, `selector ${describeValue(v)} does not parse: ${r.error.message}; calico-node matches no node with it`); return undefined; }
  return { text: v, ast: r.ast };
}

function readPeer(s: SourcedObject, name: string, spec: Record<string, unknown>, version: CalicoVersion,
  at: (path: string, message: string, severity?: 'error' | 'warning') => void): BgpPeerSpec | undefined {
  let bad = false;
  const err = (path: string, message: string) => { at(path, message); bad = true; };
  // Fields the release's BGPPeer does not have: calico-node of that release never sees them.
  const has = (field: string) => crdHasField(version, 'bgppeers.crd.projectcalico.org', ['spec', field]);
  const usable: Record<string, boolean> = {};
  for (const f of RELEASE_PEER_FIELDS) {
    usable[f] = has(f);
    if (spec[f] !== undefined && spec[f] !== null && !usable[f]) {
      at(`spec.${f}`, `BGPPeer field ${f} does not exist in Calico ${version}; calico-node of that release ignores it (the plan does too). Use a release that has it or remove it`, 'warning');
    }
  }
  const get = (f: string) => (usable[f] === false ? undefined : spec[f]);
  const nodeSelector = readSelector(spec.nodeSelector, 'spec.nodeSelector', err);
  const peerSelector = readSelector(spec.peerSelector, 'spec.peerSelector', err);
  const localWorkloadSelector = get('localWorkloadSelector');
  let peerIp: IpAddress | null = null;
  let peerHost = '';
  let peerPort = 0;
  if (!peerSelector && (localWorkloadSelector === undefined || localWorkloadSelector === '')) {
    const pa = parsePeerAddress(spec.peerIP);
    if (!pa.ok) err('spec.peerIP', `${pa.error}; calico-node skips this BGPPeer`);
    else {
      peerIp = pa.value.ip;
      peerPort = pa.value.port ?? 0;
      const raw = spec.peerIP as string;
      peerHost = pa.value.port === undefined ? raw : raw.startsWith('[') ? raw.slice(1, raw.indexOf(']')) : raw.slice(0, raw.lastIndexOf(':'));
    }
  }
  let asNumber = 0;
  if (spec.asNumber !== undefined && spec.asNumber !== null) {
    const as = parseAsNumber(spec.asNumber);
    if (as.ok) asNumber = as.value; else err('spec.asNumber', as.error);
  }
  let localAsNumber: number | null = null;
  const la = get('localASNumber');
  if (la !== undefined && la !== null) {
    const as = parseAsNumber(la);
    if (as.ok) localAsNumber = as.value === 0 ? null : as.value; else err('spec.localASNumber', as.error);
  }
  const intField = (f: string, max: number): number => {
    const v = get(f);
    if (v === undefined || v === null) return 0;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) { err(`spec.${f}`, `${f} must be a whole number from 0 to ${max}, got ${describeValue(v)}`); return 0; }
    return v;
  };
  let reachableBy: string | null = null;
  const rb = get('reachableBy');
  if (typeof rb === 'string' && rb !== '') {
    const ip = parseIp(rb);
    if (!ip.ok) err('spec.reachableBy', `${ip.error}; calico-node skips this BGPPeer`);
    else if (peerIp && ip.value.family !== peerIp.family) err('spec.reachableBy', `reachableBy ${rb} is IPv${ip.value.family} but the peer address is IPv${peerIp.family}; calico-node skips this BGPPeer (client.go: "ReachableBy address family does not match PeerIP")`);
    else reachableBy = ip.value.text;
  }
  const filters = Array.isArray(get('filters')) ? (get('filters') as unknown[]).filter((f): f is string => typeof f === 'string') : [];
  const nhm = get('nextHopMode');
  const rp = get('reversePeering');
  const sa = spec.sourceAddress;
  const p: BgpPeerSpec = {
    name,
    node: typeof spec.node === 'string' ? spec.node : '',
    nodeSelector: nodeSelector ?? null,
    peerSelector: peerSelector ?? null,
    peerIp,
    peerHost,
    peerPort,
    asNumber,
    keepOriginalNextHop: spec.keepOriginalNextHop === true,
    password: secretRef(spec.password, (m) => at('spec.password', m, 'warning')),
    sourceAddress: typeof sa === 'string' && sa !== '' ? sa : 'UseNodeIP',
    restartSeconds: durationSeconds(spec.maxRestartTime, (m) => err('spec.maxRestartTime', m)),
    numAllowedLocalAsNumbers: intField('numAllowedLocalASNumbers', 2147483647),
    ttlSecurity: intField('ttlSecurity', 255),
    reachableBy,
    localAsNumber,
    filters,
    keepaliveSeconds: durationSeconds(get('keepaliveTime'), (m) => err('spec.keepaliveTime', m)),
    nextHopMode: nhm === 'Auto' || nhm === 'Self' || nhm === 'Keep' ? nhm : null,
    reversePeering: rp === 'Manual' ? 'Manual' : 'Auto',
    localWorkloadSelector: typeof localWorkloadSelector === 'string' && localWorkloadSelector !== '' ? localWorkloadSelector : null,
    ...(s.file !== undefined ? { file: s.file } : {}),
    ...(s.document !== undefined ? { document: s.document } : {}),
  };
  if (nodeSelector === undefined || peerSelector === undefined) return undefined;
  return bad ? undefined : p;
}

function readPool(o: ManifestObject, name: string, spec: Record<string, unknown>,
  at: (path: string, message: string, severity?: 'error' | 'warning') => void): PoolSpec | undefined {
  const cidr = parseCidr(spec.cidr);
  if (!cidr.ok) { at('spec.cidr', cidr.error); return undefined; }
  const family = cidr.value.family;
  const bs = spec.blockSize === undefined || spec.blockSize === null || spec.blockSize === 0 ? DEFAULT_BLOCK_SIZE[family] : spec.blockSize;
  if (typeof bs !== 'number') {
    at('spec.blockSize', `blockSize ${describeValue(bs)} is not a number: give the prefix length of the pool's blocks`);
    return undefined;
  }
  // The validation's rule (model/calico-rules): the family's bounds, and at least one block in the pool.
  let badBlockSize = false;
  checkBlockSize(cidr.value, bs, 'spec', (path, message) => { badBlockSize = true; at(path, message); }, spec.disabled !== true);
  if (badBlockSize) return undefined;
  let sel: Selector | null | undefined = readSelector(spec.nodeSelector, 'spec.nodeSelector', at);
  if (sel === undefined) return undefined;
  if (sel === null) sel = { text: 'all()', ast: { kind: 'all' } };
  const vx = spec.vxlanMode === 'Always' || spec.vxlanMode === 'CrossSubnet';
  const ip = spec.ipipMode === 'Always' || spec.ipipMode === 'CrossSubnet';
  return {
    name, cidr: cidr.value, blockSize: bs, nodeSelector: sel, disableBgpExport: spec.disableBGPExport === true,
    encapsulation: vx ? 'VXLAN' : ip ? 'IPIP' : 'None', disabled: spec.disabled === true, kind: o.kind, apiVersion: o.apiVersion,
  };
}

function readService(o: ManifestObject, spec: Record<string, unknown>): ServiceSpec | undefined {
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const ns = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : 'default';
  const ips = (list: unknown): IpAddress[] => (Array.isArray(list) ? list : [])
    .map((x) => parseIp(x)).filter((r): r is { ok: true; value: IpAddress } => r.ok).map((r) => r.value);
  const clusterIps = ips(Array.isArray(spec.clusterIPs) ? spec.clusterIPs : (typeof spec.clusterIP === 'string' && spec.clusterIP !== 'None' ? [spec.clusterIP] : []));
  const status = isRecord((o as Record<string, unknown>).status) ? ((o as Record<string, unknown>).status as Record<string, unknown>) : {};
  const lb = isRecord(status.loadBalancer) && Array.isArray(status.loadBalancer.ingress) ? status.loadBalancer.ingress : [];
  return {
    namespace: ns,
    name,
    localTrafficPolicy: spec.externalTrafficPolicy === 'Local',
    clusterIps,
    externalIps: ips(spec.externalIPs),
    loadBalancerIps: ips(lb.map((i) => (isRecord(i) ? i.ip : undefined))),
  };
}
