import { Cidr, findOverlaps, parseCidr, parsePeerAddress, RangeIndex, TaggedRange } from '../model/net';
import { ValidateOptions } from './options';
import { PasswordSecretIndex } from './rules/bgp-password-access';
import { parseAsNumber } from '../model/bgp-values';
import { CALICO_NODE_NAMESPACE, DEFAULT_AS_NUMBER, effectiveBlockSize } from '../model/calico-defaults';
import { isRecord } from '../model/values';
import { apiGroup, asArray, Findings, isCalicoKind, isOperatorKind, nonEmpty, objectName, objectNamespace, specOf } from '../model/manifest';
import { effectiveEncapsulation, effectiveNetwork } from './rules/installation';

import { ManifestObject, Severity, SourcedObject, Violation } from '../model/violation';

/** Calico's default AS number when the default BGPConfiguration sets none (bgpconfig.go). */

type RangeCategory = 'pool' | 'lbPool' | 'clusterIP' | 'externalIP' | 'loadBalancerIP';

const CATEGORY_TEXT: Record<RangeCategory, string> = {
  pool: 'pod IP pool',
  lbPool: 'LoadBalancer IP pool',
  clusterIP: 'service cluster IP range',
  externalIP: 'service external IP range',
  loadBalancerIP: 'service LoadBalancer IP range',
};

/** One address range of the cluster's plan, with where it was declared. */
interface PlanRange {
  readonly category: RangeCategory;
  readonly cidr: Cidr;
  /** Index of the declaring object in the input. */
  readonly index: number;
  /** Field path of the CIDR inside that object. */
  readonly path: string;
  /** Routes of this range are not exported over BGP (IPPool disableBGPExport). */
  readonly notExported: boolean;
  /** Pool takes no new allocations (IPPool disabled / Installation disableNewAllocations). */
  readonly disabled: boolean;
  readonly blockSize: number;
  /** Whether pod routes of this pool are only distributed by BGP (not VXLAN Always). */
  readonly needsBgp: boolean;
  readonly encapsulation: string;
}

/** The violations of the set, one collector per object, reported in object order. */
class Report {
  private readonly findings = new Map<number, Findings>();
  constructor(private readonly objects: readonly SourcedObject[]) {}

  public add(index: number, severity: Severity, path: string, message: string): void {
    let f = this.findings.get(index);
    if (!f) {
      const src = this.objects[index];
      f = new Findings(src.object, src);
      this.findings.set(index, f);
    }
    f.add(severity, path, message);
  }

  public sorted(): Violation[] {
    return [...this.findings.keys()].sort((a, b) => a - b).flatMap((i) => this.findings.get(i)!.violations);
  }
}

/** "BGPPeer "x" (peers.yaml#2)" */
function describeObject(src: SourcedObject): string {
  const where = src.file !== undefined ? ` in ${src.file}${src.document !== undefined ? `#${src.document}` : ''}` : '';
  return `${src.object.kind} ${JSON.stringify(objectName(src.object))}${where}`;
}

function describeRange(r: PlanRange, objects: readonly SourcedObject[]): string {
  return `${CATEGORY_TEXT[r.category]} ${r.cidr.text} (${describeObject(objects[r.index])}, ${r.path})`;
}

function ipPoolNeedsBgp(spec: Record<string, unknown>): { needsBgp: boolean; encapsulation: string } {
  const ipip = nonEmpty(spec.ipipMode) ?? 'Never';
  const vxlan = nonEmpty(spec.vxlanMode) ?? 'Never';
  if (vxlan === 'Always') return { needsBgp: false, encapsulation: 'vxlanMode Always' };
  if (vxlan === 'CrossSubnet') return { needsBgp: true, encapsulation: 'vxlanMode CrossSubnet' };
  if (ipip !== 'Never') return { needsBgp: true, encapsulation: `ipipMode ${ipip}` };
  return { needsBgp: true, encapsulation: 'no encapsulation' };
}

/**
 * Rules over all objects together (possibly from several files): overlapping pod and Service
 * ranges, BGP peers inside those ranges, prefix advertisements matching nothing advertised,
 * duplicate objects, a disabled mesh without peers, pool capacity versus the expected node count,
 * next-hop settings that Calico ignores, and BGP password Secrets calico-node cannot read.
 *
 * Rules that need objects absent from the input (the pools, the peers, the default
 * BGPConfiguration, the Secrets) run only with `options.complete`. Every check is linear or
 * O(n log n) in the number of objects. Never throws for bad input.
 *
 * @param options may carry `expectedNodes` (number of nodes the pools must serve).
 */
export function validateCrossResource(objects: readonly SourcedObject[], options: ValidateOptions): Violation[] {
  const collector = new CrossResourceCollector(options);
  for (const o of objects) collector.add(o);
  return collector.finish();
}

/**
 * {@link validateCrossResource} one object at a time, for inputs too large to hold: it keeps only
 * what the cross-resource rules read (IPPools, Installations, BGPPeers, BGPConfigurations, the
 * Secret/RBAC index, and for the duplicate check one key and source position per object), so the
 * objects themselves can be dropped after {@link CrossResourceCollector.add}.
 */
export class CrossResourceCollector {
  /** Objects the rules read, in input order (duplicates are added when found, to be reported). */
  private readonly kept: SourcedObject[] = [];
  private readonly ranges: PlanRange[] = [];
  private readonly peers: number[] = [];
  private readonly installations: number[] = [];
  private readonly bgpConfigs: number[] = [];
  private defaultConfig: number | undefined;
  private readonly secrets = new PasswordSecretIndex();
  /** Duplicate key -> index in `kept` of the first definition (>= 0), or where it was when not kept (< 0, see position()). */
  private readonly seen = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  private finished = false;

  constructor(private readonly options: ValidateOptions) {}

  /** Takes one object (other records are passed over). */
  public add(src: SourcedObject): void {
    if (this.finished) throw new Error('CrossResourceCollector: add() after finish()');
    if (!isRecord(src) || !isRecord(src.object)) return;
    const obj = src.object;
    this.secrets.add(obj);
    const needed = isCalicoKind(obj, 'IPPool') || isOperatorKind(obj, 'Installation') || isCalicoKind(obj, 'BGPPeer') || isCalicoKind(obj, 'BGPConfiguration');
    let index = needed ? this.keep(src) : -1;
    const key = duplicateKey(obj);
    if (key !== undefined) {
      const first = this.seen.get(key);
      if (first === undefined) {
        this.seen.set(detached(key), index >= 0 ? index : this.position(src));
      } else {
        if (index < 0) index = this.keep(src);
        const described = first >= 0 ? describeObject(this.kept[first]) : describeObject({ object: obj, ...this.unpackPosition(first) });
        const name = objectName(obj);
        const ns = objectNamespace(obj);
        this.report.add(index, 'error', 'metadata.name', `${obj.kind} ${JSON.stringify(name)}${ns ? ` in namespace ${JSON.stringify(ns)}` : ''} is defined more than once (first as ${described}): the later definition silently replaces the earlier one; keep one, or rename one of them`);
      }
    }
    if (!needed) return;
    if (isCalicoKind(obj, 'IPPool')) collectIpPool(obj, index, this.ranges);
    else if (isOperatorKind(obj, 'Installation')) {
      this.installations.push(index);
      collectInstallationPools(obj, index, this.ranges);
    } else if (isCalicoKind(obj, 'BGPPeer')) this.peers.push(index);
    else if (isCalicoKind(obj, 'BGPConfiguration')) {
      this.bgpConfigs.push(index);
      if (objectName(obj) === 'default' && this.defaultConfig === undefined) {
        this.defaultConfig = index;
        collectServiceRanges(obj, index, this.ranges);
      }
    }
  }

  private readonly report = new Report(this.kept);

  /**
   * Keeps a copy of the object that shares nothing with the input: a parser's strings may be
   * slices of the whole text they were read from, and keeping one would keep that text.
   */
  private keep(src: SourcedObject): number {
    this.kept.push({ object: detached(src.object), ...(src.file !== undefined ? { file: src.file } : {}), ...(src.document !== undefined ? { document: src.document } : {}) });
    return this.kept.length - 1;
  }

  /** Where an object not kept was, as one negative number: its file (by number) and document. */
  private position(src: SourcedObject): number {
    let fileId = 0;
    if (src.file !== undefined) {
      fileId = this.fileIds.get(src.file) ?? 0;
      if (fileId === 0) {
        this.files.push(src.file);
        fileId = this.files.length;
        this.fileIds.set(src.file, fileId);
      }
    }
    if (fileId >= FILE_SLOTS) return -1; // beyond what the number holds: described without a position
    const document = src.document !== undefined && Number.isSafeInteger(src.document) && src.document >= 0 && src.document < 2 ** 32 ? src.document + 1 : 0;
    return -1 - (document * FILE_SLOTS + fileId);
  }

  private unpackPosition(packed: number): FirstDefinition {
    const n = -1 - packed;
    const fileId = n % FILE_SLOTS;
    const document = Math.floor(n / FILE_SLOTS);
    return {
      ...(fileId > 0 ? { file: this.files[fileId - 1] } : {}),
      ...(document > 0 ? { document: document - 1 } : {}),
    };
  }

  /** Runs the rules over what was collected; every violation, in input order. */
  public finish(): Violation[] {
    this.finished = true;
    const { kept: valid, ranges, peers, installations, bgpConfigs, defaultConfig, secrets, report, options } = this;
    const complete = options.complete === true;
    checkOverlaps(ranges, valid, report);
    const index = new RangeIndex(ranges.map((r) => ({ range: r.cidr, ref: r })));
    const clusterAs = clusterAsNumber(defaultConfig === undefined ? undefined : valid[defaultConfig].object, complete);
    checkPeers(peers, valid, index, clusterAs, secrets, complete, report);
    checkPrefixAdvertisements(bgpConfigs, valid, index, complete, report);
    checkMeshWithoutPeers(defaultConfig, peers.length, installations, ranges, valid, complete, report);
    checkCapacity(ranges, options, complete, report);
    if (defaultConfig !== undefined) checkMeshPasswordSecret(defaultConfig, valid, secrets, complete, report);
    checkBgpDisabled(installations, peers.length, bgpConfigs.length, valid, report);
    checkPeerFamilies(peers, installations, ranges, valid, report);
    return report.sorted();
  }
}

/** Files a packed position can name. */
const FILE_SLOTS = 2 ** 20;

/**
 * A deep copy of plain data (objects, arrays, scalars; other values as they are) whose strings are
 * copies (see CrossResourceCollector.keep). V8 keeps strings shorter than 13 characters and
 * property names as copies already.
 */
function detached<T>(value: T): T {
  if (typeof value === 'string') return (value.length < 13 ? value : JSON.parse(JSON.stringify(value))) as T;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) out[k] = detached((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

/** Where the first definition of a duplicated object was, when it is not kept. */
interface FirstDefinition {
  readonly file?: string;
  readonly document?: number;
}

/** API groups whose objects the duplicate check covers: Calico's, Tigera's, and RBAC (read by the password rules). */
const DUPLICATE_CHECKED_GROUPS = new Set(['projectcalico.org', 'crd.projectcalico.org', 'operator.tigera.io', 'rbac.authorization.k8s.io']);

/**
 * The identity of an object for the duplicate check, or undefined when it has no name or kind or
 * is of a kind this validator passes over (only Calico and Tigera objects, Secrets and RBAC
 * objects are checked, so the check holds one key per such object, not one per input object).
 */
function duplicateKey(obj: ManifestObject): string | undefined {
  const name = objectName(obj);
  if (name === '' || typeof obj.kind !== 'string') return undefined;
  const objGroup = apiGroup(obj.apiVersion);
  if (!DUPLICATE_CHECKED_GROUPS.has(objGroup) && !(obj.kind === 'Secret' && objGroup === '')) return undefined;
  // projectcalico.org/v3 objects are stored as crd.projectcalico.org/v1: one object, two spellings.
  const group = objGroup === 'crd.projectcalico.org' ? 'projectcalico.org' : objGroup;
  return `${group}|${obj.kind}|${objectNamespace(obj)}|${name}`;
}

// ---------------------------------------------------------------------------------------------
// Collecting the address plan

function collectIpPool(obj: ManifestObject, index: number, ranges: PlanRange[]): void {
  const spec = specOf(obj);
  if (!spec || typeof spec.cidr !== 'string') return;
  const c = parseCidr(spec.cidr);
  if (!c.ok) return; // reported by the per-object rules
  const lb = asArray(spec.allowedUses).includes('LoadBalancer');
  const encap = ipPoolNeedsBgp(spec);
  ranges.push({
    category: lb ? 'lbPool' : 'pool',
    cidr: c.value,
    index,
    path: 'spec.cidr',
    notExported: spec.disableBGPExport === true,
    disabled: spec.disabled === true,
    blockSize: effectiveBlockSize(c.value, spec.blockSize),
    needsBgp: !lb && encap.needsBgp,
    encapsulation: encap.encapsulation,
  });
}

function collectInstallationPools(obj: ManifestObject, index: number, ranges: PlanRange[]): void {
  const spec = specOf(obj);
  if (!spec || !isRecord(spec.calicoNetwork)) return;
  const net = effectiveNetwork(spec);
  asArray(spec.calicoNetwork.ipPools).forEach((pool, i) => {
    if (!isRecord(pool) || typeof pool.cidr !== 'string') return;
    const c = parseCidr(pool.cidr);
    if (!c.ok) return;
    const lb = asArray(pool.allowedUses).includes('LoadBalancer');
    const encap = effectiveEncapsulation(pool, c.value.family, net.cni).value ?? 'IPIP';
    ranges.push({
      category: lb ? 'lbPool' : 'pool',
      cidr: c.value,
      index,
      path: `spec.calicoNetwork.ipPools[${i}].cidr`,
      notExported: pool.disableBGPExport === true,
      disabled: pool.disableNewAllocations === true,
      blockSize: effectiveBlockSize(c.value, pool.blockSize),
      needsBgp: !lb && encap !== 'VXLAN',
      encapsulation: `encapsulation ${encap}`,
    });
  });
}

function collectServiceRanges(obj: ManifestObject, index: number, ranges: PlanRange[]): void {
  const spec = specOf(obj);
  if (!spec) return;
  const lists: Array<[string, RangeCategory]> = [
    ['serviceClusterIPs', 'clusterIP'],
    ['serviceExternalIPs', 'externalIP'],
    ['serviceLoadBalancerIPs', 'loadBalancerIP'],
  ];
  for (const [field, category] of lists) {
    asArray(spec[field]).forEach((entry, i) => {
      if (!isRecord(entry) || typeof entry.cidr !== 'string') return;
      const c = parseCidr(entry.cidr);
      if (!c.ok) return;
      ranges.push({ category, cidr: c.value, index, path: `spec.${field}[${i}].cidr`, notExported: false, disabled: false, blockSize: 0, needsBgp: false, encapsulation: '' });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Rules


/**
 * Pod pools and Service ranges must not overlap (clientv3/ippool.go refuses overlapping pools;
 * a pod and a Service sharing addresses break routing). Allowed: a LoadBalancer IP pool inside
 * or equal to serviceLoadBalancerIPs. Found by sorting, not by comparing all pairs.
 */
function checkOverlaps(ranges: readonly PlanRange[], objects: readonly SourcedObject[], report: Report): void {
  const tagged: TaggedRange<PlanRange>[] = ranges.map((r) => ({ range: r.cidr, ref: r }));
  const allowed = (a: PlanRange, b: PlanRange): boolean => {
    const cats = new Set([a.category, b.category]);
    if (cats.has('lbPool') && cats.has('loadBalancerIP') && cats.size === 2) return true;
    // Identical pools of one Installation: reported per object ("specified more than once").
    if (a.index === b.index && a.cidr.text === b.cidr.text && a.category === 'pool' && b.category === 'pool' && a.path !== b.path) return true;
    return false;
  };
  for (const { first, second } of findOverlaps(tagged, (a, b) => !allowed(a, b))) {
    const same = first.cidr.text === second.cidr.text;
    const relation = same ? 'is the same range as' : first.cidr.prefixLength <= second.cidr.prefixLength ? 'lies inside' : 'overlaps';
    const bothPools = (first.category === 'pool' || first.category === 'lbPool') && (second.category === 'pool' || second.category === 'lbPool');
    const sameServiceList = first.index === second.index && first.category === second.category && first.category !== 'pool' && first.category !== 'lbPool';
    const crossDeclared = bothPools && same && isOperatorKind(objects[first.index].object, 'Installation') !== isOperatorKind(objects[second.index].object, 'Installation');
    const subject = `${CATEGORY_TEXT[second.category]} ${second.cidr.text}`;
    const other = describeRange(first, objects);
    if (sameServiceList) {
      report.add(second.index, 'warning', second.path, `${subject} ${relation} ${other}: the entry is redundant; remove it`);
    } else if (crossDeclared) {
      report.add(second.index, 'warning', second.path, `${subject} ${relation} ${other}: the operator adopts an existing IPPool with the Installation pool's CIDR, so the pool is declared twice; declare it in one place (the Installation's ipPools or the IPPool resource)`);
    } else if (bothPools) {
      report.add(second.index, 'error', second.path, `${subject} ${relation} ${other}: Calico refuses IP pools that overlap; give each pool its own range`);
    } else {
      report.add(second.index, 'error', second.path, `${subject} ${relation} ${other}: pod, Service cluster, external and LoadBalancer ranges must not overlap, or addresses of one would be routed as the other; choose disjoint ranges`);
    }
  }
}

function clusterAsNumber(defaultConfig: ManifestObject | undefined, complete: boolean): number | undefined {
  if (defaultConfig === undefined) return complete ? DEFAULT_AS_NUMBER : undefined;
  const spec = specOf(defaultConfig);
  if (!spec || spec.asNumber === undefined || spec.asNumber === null) return DEFAULT_AS_NUMBER;
  const as = parseAsNumber(spec.asNumber);
  return as.ok ? as.value : undefined;
}

function checkPeers(
  peers: readonly number[],
  objects: readonly SourcedObject[],
  index: RangeIndex<PlanRange>,
  clusterAs: number | undefined,
  secrets: PasswordSecretIndex,
  complete: boolean,
  report: Report,
): void {
  for (const i of peers) {
    const spec = specOf(objects[i].object);
    if (!spec) continue;
    // A peer address inside a pod or Service range.
    if (typeof spec.peerIP === 'string' && spec.peerIP !== '' && index.size > 0) {
      const addr = parsePeerAddress(spec.peerIP);
      if (addr.ok) {
        const inside = index.containing(addr.value.ip);
        if (inside.length > 0) {
          report.add(i, 'error', 'spec.peerIP', `peerIP ${addr.value.ip.text} lies inside the ${describeRange(inside[0], objects)}: a BGP peer is a router (or node) address on the node network, outside pod and Service ranges; use the router's address on the node network`);
        }
      }
    }
    // keepOriginalNextHop (or nextHopMode: Keep, its successor) towards the cluster's own AS:
    // confd writes "next hop keep" only when the peer AS differs from the node AS
    // (bird.cfg.template: `if and (ne $data.as_num $node_as_num) ($data.keep_next_hop)`).
    const keepField = spec.keepOriginalNextHop === true ? 'keepOriginalNextHop' : spec.nextHopMode === 'Keep' ? 'nextHopMode' : undefined;
    if (keepField && clusterAs !== undefined && spec.asNumber !== undefined && spec.asNumber !== null) {
      const peerAs = parseAsNumber(spec.asNumber);
      const local = spec.localASNumber !== undefined && spec.localASNumber !== null ? parseAsNumber(spec.localASNumber) : { ok: true as const, value: clusterAs };
      if (peerAs.ok && local.ok && peerAs.value === local.value) {
        const what = keepField === 'keepOriginalNextHop' ? 'keepOriginalNextHop' : 'nextHopMode: Keep';
        report.add(i, 'warning', `spec.${keepField}`, `${what} has no effect towards AS ${peerAs.value}: Calico only configures "next hop keep" for eBGP peers, and this peer is in the node's own AS ${local.value} (iBGP). Remove it, or peer from a different AS`);
      }
    }
    // Password Secret location.
    const ref = isRecord(spec.password) && isRecord(spec.password.secretKeyRef) ? spec.password.secretKeyRef : undefined;
    if (ref && typeof ref.name === 'string' && ref.name !== '') {
      checkSecret(ref.name, i, 'spec.password.secretKeyRef.name', secrets, complete, report);
    }
  }
}

function checkSecret(name: string, index: number, path: string, secrets: PasswordSecretIndex, complete: boolean, report: Report): void {
  const namespaces = secrets.namespacesOf(name);
  const rbac = `calico-node's ServiceAccount also needs get/list/watch on it (a Role and RoleBinding in "${CALICO_NODE_NAMESPACE}")`;
  if (namespaces.length > 0 && !namespaces.includes(CALICO_NODE_NAMESPACE)) {
    report.add(index, 'warning', path, `Secret ${JSON.stringify(name)} is in namespace ${namespaces.map((n) => JSON.stringify(n)).join(', ')}, but Calico reads BGP password Secrets from calico-node's own namespace, "${CALICO_NODE_NAMESPACE}" under the operator: create the Secret there; ${rbac}`);
  } else if (complete && !secrets.calicoNodeCanRead(name)) {
    // A Secret absent from the input is normal (created out of band, never in Git in clear text);
    // the RBAC that lets calico-node read it is configuration and belongs with the rest.
    const where = namespaces.length === 0 ? ` (create the Secret in "${CALICO_NODE_NAMESPACE}", out of band)` : '';
    report.add(index, 'warning', path, `nothing lets calico-node read Secret ${JSON.stringify(name)}${where}: add a Role in "${CALICO_NODE_NAMESPACE}" allowing get, list and watch on that Secret and a RoleBinding to ServiceAccount calico-node, or the BGP session will not come up`);
  }
}

function checkMeshPasswordSecret(defaultConfig: number, objects: readonly SourcedObject[], secrets: PasswordSecretIndex, complete: boolean, report: Report): void {
  const spec = specOf(objects[defaultConfig].object);
  const pw = spec && isRecord(spec.nodeMeshPassword) ? spec.nodeMeshPassword : undefined;
  const ref = pw && isRecord(pw.secretKeyRef) ? pw.secretKeyRef : undefined;
  if (ref && typeof ref.name === 'string' && ref.name !== '') {
    checkSecret(ref.name, defaultConfig, 'spec.nodeMeshPassword.secretKeyRef.name', secrets, complete, report);
  }
}

/**
 * A prefixAdvertisement only affects routes Calico advertises: pod blocks of exported pools and
 * the Service ranges. Its CIDR must overlap one of them (confd's `if ( net ~ cidr )`).
 */
function checkPrefixAdvertisements(configs: readonly number[], objects: readonly SourcedObject[], index: RangeIndex<PlanRange>, complete: boolean, report: Report): void {
  for (const i of configs) {
    const spec = specOf(objects[i].object);
    if (!spec) continue;
    asArray(spec.prefixAdvertisements).forEach((pa, j) => {
      if (!isRecord(pa) || typeof pa.cidr !== 'string') return;
      const c = parseCidr(pa.cidr);
      if (!c.ok) return;
      const path = `spec.prefixAdvertisements[${j}].cidr`;
      if (index.overlapsAny(c.value, (r) => !r.notExported)) return;
      const hidden = index.containing(c.value, (r) => r.notExported)[0];
      if (hidden) {
        report.add(i, 'warning', path, `${c.value.text} is inside the ${describeRange(hidden, objects)}, which has disableBGPExport: true, so no route gets these communities; export the pool or remove the advertisement`);
      } else if (complete) {
        report.add(i, 'warning', path, `${c.value.text} overlaps no IP pool and no advertised Service range, so no route gets these communities: use a pool CIDR or a serviceClusterIPs/serviceExternalIPs/serviceLoadBalancerIPs CIDR`);
      }
    });
  }
}

/**
 * nodeToNodeMeshEnabled: false with no BGPPeer at all leaves nodes without each other's pod
 * routes (unless every pool uses VXLAN Always, whose routes Felix programs).
 */
function checkMeshWithoutPeers(
  defaultConfig: number | undefined,
  peerCount: number,
  installations: readonly number[],
  ranges: readonly PlanRange[],
  objects: readonly SourcedObject[],
  complete: boolean,
  report: Report,
): void {
  if (!complete || defaultConfig === undefined || peerCount > 0) return;
  const spec = specOf(objects[defaultConfig].object);
  if (!spec || spec.nodeToNodeMeshEnabled !== false) return;
  for (const i of installations) {
    const ispec = specOf(objects[i].object);
    if (!ispec) continue;
    if (effectiveNetwork(ispec).bgp === 'Disabled') return;
    if (isRecord(ispec.calicoNetwork) && ispec.calicoNetwork.clusterRoutingMode === 'Felix') return;
  }
  const pools = ranges.filter((r) => r.category === 'pool' && !r.disabled);
  const relying = pools.find((r) => r.needsBgp);
  if (pools.length > 0 && !relying) return;
  const why = relying ? `the ${describeRange(relying, objects)} uses ${relying.encapsulation}, whose routes are distributed by BGP` : 'the pools the operator creates use IPIP, whose routes are distributed by BGP';
  report.add(defaultConfig, 'error', 'spec.nodeToNodeMeshEnabled', `the node-to-node mesh is disabled and there is no BGPPeer, so nodes learn no routes to each other's pods (${why}): add BGPPeers (e.g. to the Top-of-Rack routers or to route reflectors), or set nodeToNodeMeshEnabled: true`);
}

/** Warns when the enabled pools of a family cannot give every expected node one block. */
function checkCapacity(ranges: readonly PlanRange[], options: ValidateOptions, complete: boolean, report: Report): void {
  const expected = (options as { expectedNodes?: unknown }).expectedNodes;
  if (!complete || typeof expected !== 'number' || !Number.isInteger(expected) || expected <= 0) return;
  for (const family of [4, 6] as const) {
    const pools = ranges.filter((r) => r.category === 'pool' && !r.disabled && r.cidr.family === family && Number.isInteger(r.blockSize) && r.blockSize >= r.cidr.prefixLength && r.blockSize <= (family === 4 ? 32 : 128));
    if (pools.length === 0) continue;
    let blocks = 0n;
    for (const p of pools) blocks += 1n << BigInt(p.blockSize - p.cidr.prefixLength);
    if (blocks < BigInt(expected)) {
      const first = pools[0];
      const list = pools.map((p) => `${p.cidr.text} (blockSize ${p.blockSize})`).join(', ');
      report.add(first.index, 'warning', first.path, `the IPv${family} pools ${list} hold ${blocks} block(s), fewer than the ${expected} expected nodes: every node claims at least one block, so some nodes would only borrow addresses from other nodes' blocks. Use a larger pool or a larger blockSize number (smaller blocks)`);
    }
  }
}

/**
 * A peer of an IP family the nodes have no address of: calico-node learns an IPv6 address only
 * with an IPv6 pool or nodeAddressAutodetectionV6 (and an IPv4 one unless autodetection is off),
 * so BIRD cannot open that session. Reported once per family, on the first such peer; needs the
 * Installation in the input.
 */
function checkPeerFamilies(peers: readonly number[], installations: readonly number[], ranges: readonly PlanRange[], objects: readonly SourcedObject[], report: Report): void {
  if (installations.length === 0) return;
  const spec = specOf(objects[installations[0]].object);
  const cn = spec && isRecord(spec.calicoNetwork) ? spec.calicoNetwork : undefined;
  if (!cn) return;
  const hasV6 = ranges.some((r) => r.category === 'pool' && r.cidr.family === 6) || isRecord(cn.nodeAddressAutodetectionV6);
  if (hasV6) return;
  for (const i of peers) {
    const peerSpec = specOf(objects[i].object);
    const addr = peerSpec && typeof peerSpec.peerIP === 'string' ? parsePeerAddress(peerSpec.peerIP) : undefined;
    if (addr?.ok && addr.value.ip.family === 6) {
      report.add(i, 'warning', 'spec.peerIP', `peerIP ${addr.value.ip.text} is IPv6, but the Installation gives the nodes no IPv6 address (no IPv6 pool and no spec.calicoNetwork.nodeAddressAutodetectionV6), so BIRD cannot open this session: set nodeAddressAutodetectionV6 (e.g. {cidrs: ["<node IPv6 network>"]})`);
      return;
    }
  }
}

function checkBgpDisabled(installations: readonly number[], peerCount: number, configCount: number, objects: readonly SourcedObject[], report: Report): void {
  if (peerCount === 0 && configCount === 0) return;
  for (const i of installations) {
    const spec = specOf(objects[i].object);
    if (!spec || !isRecord(spec.calicoNetwork)) continue;
    const net = effectiveNetwork(spec);
    if (net.bgp === 'Disabled') {
      report.add(i, 'warning', 'spec.calicoNetwork.bgp', `BGP is Disabled${net.bgpDefaulted ? ' (the default for this CNI/provider)' : ''}, but the input has ${peerCount} BGPPeer(s) and ${configCount} BGPConfiguration(s): calico-node runs without BIRD, so they have no effect. Set spec.calicoNetwork.bgp: Enabled, or drop them`);
    }
  }
}
