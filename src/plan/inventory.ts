import { isRecord } from '../model/values';
import { sourcedObjects } from '../model/manifest';
/**
 * The node inventory of a BGP plan: which nodes exist, their labels, addresses, AS numbers and
 * route-reflector cluster IDs. calico-node keeps these on the node (libcalico-go's Node resource,
 * `spec.bgp`; in the Kubernetes datastore the Kubernetes Node's `projectcalico.org/*`
 * annotations), and confd reads them from there (libcalico-go
 * lib/backend/syncersv1/updateprocessors/bgpnodeprocessor.go: `ip_addr_v4`, `ip_addr_v6`,
 * `as_num`, `rr_cluster_id` per host).
 *
 * Entries come as typed {@link NodeInventoryEntry} values or from YAML: Kubernetes `v1` Node
 * objects as `kubectl get nodes -o yaml` prints them (a `List` or `NodeList`, or single Nodes),
 * and Calico `projectcalico.org/v3` Node objects. Where both describe a node, the Calico Node's
 * fields win (each field on its own); a typed entry wins over both.
 */
import { parseAsNumber } from '../model/bgp-values';
import { Cidr, IpAddress, IpFamily, parseCidr, parseIp } from '../model/net';
import { dnsSubdomainProblem } from '../model/names';
import { describeValue } from '../model/values';
import { ManifestObject, SourcedObject, Violation } from '../model/violation';

/** One node of the inventory, as a user writes it. */
export interface NodeInventoryEntry {
  /** Kubernetes node name (the Calico node name is the same). */
  readonly name: string;
  /**
   * Node labels, as BGPPeer `nodeSelector`/`peerSelector` and IPPool `nodeSelector` see them.
   * @default no labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * IPv4 address with the prefix length of its subnet, e.g. `10.31.0.11/16` (Calico's
   * `spec.bgp.ipv4Address`, annotation `projectcalico.org/IPv4Address`).
   * @default none: the node runs no IPv4 BGP
   */
  readonly ipv4Address?: string;
  /**
   * IPv6 address with prefix length, e.g. `fd00:31::11/64`.
   * @default none: the node runs no IPv6 BGP
   */
  readonly ipv6Address?: string;
  /**
   * The node's own AS number (`spec.bgp.asNumber`): a number, or a string in decimal or
   * dotted (`1.10`) form.
   * @default the cluster AS of BGPConfiguration `default` (64512 when unset)
   */
  readonly asNumber?: number | string;
  /**
   * Route-reflector cluster ID (`spec.bgp.routeReflectorClusterID`), in IPv4 address form
   * (e.g. `244.0.0.1`). A node with one is a route reflector.
   * @default none: not a route reflector
   */
  readonly routeReflectorClusterId?: string;
}

/** An address of a node: the IP and the subnet it was written with. */
export interface NodeAddress {
  readonly ip: IpAddress;
  /** As written, normalised: `10.31.0.11/16`. */
  readonly text: string;
  /** The subnet (`10.31.0.0/16`), confd's `network_v4`. */
  readonly network: Cidr;
}

/** A checked inventory node. */
export interface InventoryNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ipv4?: NodeAddress;
  readonly ipv6?: NodeAddress;
  /** Own AS number, when the node sets one. */
  readonly asNumber?: number;
  readonly routeReflectorClusterId?: string;
}

/** Outcome of reading or checking an inventory. */
export interface InventoryResult {
  /** Usable nodes, sorted by name (code point). Nodes with errors are left out. */
  readonly nodes: readonly InventoryNode[];
  /** Every problem found (all at once). */
  readonly findings: readonly Violation[];
}

/** Annotations Calico keeps on the Kubernetes Node (libcalico-go lib/backend/k8s/conversion). */
export const NODE_ANNOTATIONS = {
  ipv4Address: 'projectcalico.org/IPv4Address',
  ipv6Address: 'projectcalico.org/IPv6Address',
  asNumber: 'projectcalico.org/ASNumber',
  routeReflectorClusterId: 'projectcalico.org/RouteReflectorClusterID',
} as const;

/** Where an inventory entry came from, for findings. */
interface EntrySource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly file?: string;
  readonly document?: number;
  /** Field path of each entry field in the source object. */
  readonly paths: Partial<Record<keyof NodeInventoryEntry, string>>;
}

const TYPED_SOURCE: EntrySource = {
  apiVersion: 'cdk8s-calico',
  kind: 'NodeInventoryEntry',
  paths: { name: 'name', labels: 'labels', ipv4Address: 'ipv4Address', ipv6Address: 'ipv6Address', asNumber: 'asNumber', routeReflectorClusterId: 'routeReflectorClusterId' },
};




/** Whether an object is a Kubernetes core Node. */
export function isKubernetesNode(o: ManifestObject): boolean {
  return o.apiVersion === 'v1' && o.kind === 'Node';
}

/** Whether an object is a Calico Node (projectcalico.org/v3, or the crd.projectcalico.org/v1 storage form). */
export function isCalicoNode(o: ManifestObject): boolean {
  return (o.apiVersion === 'projectcalico.org/v3' || o.apiVersion === 'crd.projectcalico.org/v1') && o.kind === 'Node';
}

interface Partial1 {
  entry: { -readonly [K in keyof NodeInventoryEntry]?: NodeInventoryEntry[K] };
  source: EntrySource;
  labelsFrom?: Record<string, string>;
}

/** The InternalIP addresses a Kubernetes Node reports (status.addresses), for hints. */
function internalIps(o: ManifestObject): string[] {
  const status = (o as Record<string, unknown>).status;
  const addrs = isRecord(status) && Array.isArray(status.addresses) ? status.addresses : [];
  return addrs.filter((a): a is Record<string, unknown> => isRecord(a) && a.type === 'InternalIP' && typeof a.address === 'string').map((a) => a.address as string);
}

/**
 * Reads the inventory from manifest objects: Kubernetes Nodes (labels and Calico's annotations)
 * and Calico Nodes (`metadata.labels`, `spec.bgp`), merged by name (Calico Node fields win), then
 * `typed` entries on top (their fields win). Other kinds are ignored. Every entry is checked
 * ({@link checkInventory}).
 */
export function readInventory(objects: readonly (ManifestObject | SourcedObject)[], typed: readonly NodeInventoryEntry[] = []): InventoryResult {
  const findings: Violation[] = [];
  const k8s = new Map<string, Partial1>();
  const hints = new Map<string, string[]>();
  const calico = new Map<string, Partial1>();
  for (const s of sourcedObjects(objects)) {
    const o = s.object;
    const isK = isKubernetesNode(o);
    const isC = !isK && isCalicoNode(o);
    if (!isK && !isC) continue;
    const name = o.metadata?.name;
    const base = { apiVersion: o.apiVersion, kind: o.kind, file: s.file, document: s.document };
    if (typeof name !== 'string' || name === '') {
      findings.push({ ...base, name: '', path: 'metadata.name', severity: 'error', message: `a ${o.apiVersion} Node without a name cannot be in the inventory: set metadata.name to the node's name` });
      continue;
    }
    const labelsRaw = o.metadata?.labels;
    const labels: Record<string, string> = {};
    if (labelsRaw !== undefined && labelsRaw !== null) {
      if (!isRecord(labelsRaw)) {
        findings.push({ ...base, name, path: 'metadata.labels', severity: 'error', message: `metadata.labels must be a map of label keys to strings, got ${describeValue(labelsRaw)}` });
      } else {
        for (const [k, v] of Object.entries(labelsRaw)) {
          if (typeof v !== 'string') {
            findings.push({ ...base, name, path: `metadata.labels.${k}`, severity: 'error', message: `label ${JSON.stringify(k)} has ${describeValue(v)}; label values are strings (quote it in YAML)` });
          } else {
            labels[k] = v;
          }
        }
      }
    }
    const entry: Partial1['entry'] = { name };
    const paths: EntrySource['paths'] = { name: 'metadata.name', labels: 'metadata.labels' };
    if (isK) {
      const ann = o.metadata?.annotations;
      if (isRecord(ann)) {
        for (const [field, key] of Object.entries(NODE_ANNOTATIONS) as [keyof typeof NODE_ANNOTATIONS, string][]) {
          if (ann[key] !== undefined) {
            (entry as Record<string, unknown>)[field] = ann[key];
            paths[field] = `metadata.annotations["${key}"]`;
          }
        }
      }
    } else {
      const spec = (o as Record<string, unknown>).spec;
      const bgp = isRecord(spec) ? spec.bgp : undefined;
      if (bgp !== undefined && bgp !== null && !isRecord(bgp)) {
        findings.push({ ...base, name, path: 'spec.bgp', severity: 'error', message: `spec.bgp must be an object with ipv4Address, ipv6Address, asNumber, routeReflectorClusterID; got ${describeValue(bgp)}` });
      } else if (isRecord(bgp)) {
        const fields: [keyof NodeInventoryEntry, string][] = [['ipv4Address', 'ipv4Address'], ['ipv6Address', 'ipv6Address'], ['asNumber', 'asNumber'], ['routeReflectorClusterId', 'routeReflectorClusterID']];
        for (const [field, key] of fields) {
          if (bgp[key] !== undefined && bgp[key] !== null && bgp[key] !== '') {
            (entry as Record<string, unknown>)[field] = bgp[key];
            paths[field] = `spec.bgp.${key}`;
          }
        }
      }
    }
    const map = isK ? k8s : calico;
    if (map.has(name)) {
      findings.push({ ...base, name, path: 'metadata.name', severity: 'error', message: `${o.apiVersion} Node ${JSON.stringify(name)} is given twice; give each node once` });
      continue;
    }
    map.set(name, { entry, source: { ...base, paths }, labelsFrom: labels });
    if (isK) for (const ip of internalIps(o)) hints.set(name, [...(hints.get(name) ?? []), ip]);
  }

  // Merge: Kubernetes Node, then Calico Node fields on top, then typed entries on top.
  const merged = new Map<string, { entry: NodeInventoryEntry; sources: Map<keyof NodeInventoryEntry, EntrySource> }>();
  const layer = (name: string, entry: Partial1['entry'], labels: Record<string, string> | undefined, source: EntrySource) => {
    let m = merged.get(name);
    if (!m) {
      m = { entry: { name }, sources: new Map([['name', source]]) };
      merged.set(name, m);
    }
    const next: Record<string, unknown> = { ...m.entry };
    for (const [k, v] of Object.entries(entry)) {
      if (k === 'name' || k === 'labels' || v === undefined) continue;
      next[k] = v;
      m.sources.set(k as keyof NodeInventoryEntry, source);
    }
    if (labels) {
      next.labels = { ...(m.entry.labels ?? {}), ...labels };
      m.sources.set('labels', source);
    }
    m.entry = next as unknown as NodeInventoryEntry;
  };
  for (const [name, p] of k8s) layer(name, p.entry, p.labelsFrom, p.source);
  for (const [name, p] of calico) layer(name, p.entry, p.labelsFrom, p.source);
  const typedSeen = new Set<string>();
  typed.forEach((t, i) => {
    const src: EntrySource = { ...TYPED_SOURCE, paths: Object.fromEntries(Object.entries(TYPED_SOURCE.paths).map(([k, v]) => [k, `nodes[${i}].${v}`])) };
    if (!isRecord(t) || typeof t.name !== 'string' || t.name === '') {
      findings.push({ apiVersion: src.apiVersion, kind: src.kind, name: '', path: `nodes[${i}].name`, severity: 'error', message: `inventory entry ${i} has no name (got ${describeValue(isRecord(t) ? t.name : t)}): set name to the Kubernetes node name` });
      return;
    }
    if (typedSeen.has(t.name)) {
      findings.push({ apiVersion: src.apiVersion, kind: src.kind, name: t.name, path: `nodes[${i}].name`, severity: 'error', message: `node ${JSON.stringify(t.name)} is listed twice in the inventory; list each node once` });
      return;
    }
    typedSeen.add(t.name);
    layer(t.name, t, t.labels === undefined ? undefined : (t.labels as Record<string, string>), src);
  });

  const checked = checkMerged([...merged.values()], hints);
  return { nodes: checked.nodes, findings: [...findings, ...checked.findings] };
}

/** Checks typed inventory entries: names, addresses, AS numbers, cluster IDs, duplicates. */
export function checkInventory(entries: readonly NodeInventoryEntry[]): InventoryResult {
  return readInventory([], entries);
}

// "a.b.c.d/len" with decimal octets without leading zeros: the common case, parsed without ipaddr.js.
const IPV4_CIDR = /^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\/(0|[1-9][0-9]?)$/;

/** An address with prefix length, parsed (IPv4 fast path, else model/net's parsers). */
function parseAddressWithPrefix(raw: string): { ip: IpAddress; cidr: Cidr } | { error: string } {
  const m = IPV4_CIDR.exec(raw);
  if (m) {
    const o = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    const len = Number(m[5]);
    if (o.every((x) => x <= 255) && len <= 32) {
      const value = ((o[0] * 256 + o[1]) * 256 + o[2]) * 256 + o[3];
      const size = 2 ** (32 - len);
      const start = value - (value % size);
      const net = [start >>> 24, (start >>> 16) & 255, (start >>> 8) & 255, start & 255].join('.');
      return {
        ip: { family: 4, value: BigInt(value), text: o.join('.') },
        cidr: { family: 4, prefixLength: len, start: BigInt(start), end: BigInt(start + size - 1), text: `${net}/${len}`, hostBitsSet: start !== value },
      };
    }
  }
  const cidr = parseCidr(raw, { allowHostBits: true });
  const ip = parseIp(raw.slice(0, raw.indexOf('/')));
  if (!cidr.ok) return { error: cidr.error };
  if (!ip.ok) return { error: ip.error };
  return { ip: ip.value, cidr: cidr.value };
}

/** Where a field that an object does not have would go in it. */
function defaultPath(src: EntrySource, field: keyof NodeInventoryEntry): string {
  if (src.kind === 'Node' && src.apiVersion === 'v1' && field in NODE_ANNOTATIONS) {
    return `metadata.annotations["${NODE_ANNOTATIONS[field as keyof typeof NODE_ANNOTATIONS]}"]`;
  }
  if (src.kind === 'Node') return `spec.bgp.${field === 'routeReflectorClusterId' ? 'routeReflectorClusterID' : field}`;
  const base = src.paths.name?.replace(/\.name$/, '') ?? '';
  return base ? `${base}.${field}` : String(field);
}

function checkMerged(items: { entry: NodeInventoryEntry; sources: Map<keyof NodeInventoryEntry, EntrySource> }[], hints: ReadonlyMap<string, readonly string[]> = new Map()): InventoryResult {
  const findings: Violation[] = [];
  const nodes: InventoryNode[] = [];
  items.sort((a, b) => (a.entry.name < b.entry.name ? -1 : a.entry.name > b.entry.name ? 1 : 0));
  // Every address and the nodes giving it (a duplicate is an error on each of them).
  const byAddress = new Map<string, string[]>();
  const parsedAddress = new Map<string, ReturnType<typeof parseAddressWithPrefix>>();
  const parseOnce = (raw: string) => {
    let r = parsedAddress.get(raw);
    if (!r) {
      r = parseAddressWithPrefix(raw);
      parsedAddress.set(raw, r);
    }
    return r;
  };
  for (const { entry } of items) {
    for (const raw of [entry.ipv4Address, entry.ipv6Address]) {
      if (typeof raw !== 'string' || !raw.includes('/')) continue;
      const r = parseOnce(raw);
      if ('error' in r) continue;
      const l = byAddress.get(r.ip.text) ?? [];
      l.push(entry.name);
      byAddress.set(r.ip.text, l);
    }
  }
  for (const { entry, sources } of items) {
    const name = entry.name;
    let bad = false;
    const report = (field: keyof NodeInventoryEntry, message: string) => {
      const src = sources.get(field) ?? sources.get('name')!;
      findings.push({ apiVersion: src.apiVersion, kind: src.kind, name, path: src.paths[field] ?? defaultPath(src, field), severity: 'error', message, ...(src.file !== undefined ? { file: src.file } : {}), ...(src.document !== undefined ? { document: src.document } : {}) });
      bad = true;
    };
    const nameProblem = dnsSubdomainProblem(name);
    if (nameProblem) report('name', `node name: ${nameProblem}; a Kubernetes node name is a DNS subdomain`);
    const labels: Record<string, string> = {};
    if (entry.labels !== undefined) {
      if (!isRecord(entry.labels)) {
        report('labels', `labels must be a map of label keys to string values, got ${describeValue(entry.labels)}`);
      } else {
        for (const [k, v] of Object.entries(entry.labels)) {
          if (typeof v !== 'string') report('labels', `label ${JSON.stringify(k)} has ${describeValue(v)}; label values are strings`);
          else labels[k] = v;
        }
      }
    }
    const addr = (field: 'ipv4Address' | 'ipv6Address', family: IpFamily): NodeAddress | undefined => {
      const raw = entry[field];
      if (raw === undefined || raw === null || raw === '') return undefined;
      const example = family === 4 ? '"10.31.0.11/16"' : '"fd00:31::11/64"';
      if (typeof raw !== 'string') {
        report(field, `${field} must be an IPv${family} address with prefix length as a string, e.g. ${example}; got ${describeValue(raw)}`);
        return undefined;
      }
      if (!raw.includes('/')) {
        const ip = parseIp(raw);
        report(field, `${field} ${describeValue(raw)} has no prefix length: Calico needs the node's subnet too, e.g. ${ip.ok && ip.value.family === family ? JSON.stringify(`${ip.value.text}/${family === 4 ? 24 : 64}`) : example}`);
        return undefined;
      }
      const parsed = parseOnce(raw);
      if ('error' in parsed) {
        report(field, `${field} ${describeValue(raw)} is not an IPv${family} address with prefix length (e.g. ${example}): ${parsed.error}`);
        return undefined;
      }
      const { ip, cidr } = parsed;
      if (cidr.family !== family || ip.family !== family) {
        report(field, `${field} ${describeValue(raw)} is an IPv${cidr.family} address; ${field} takes an IPv${family} address, e.g. ${example}`);
        return undefined;
      }
      const text = `${ip.text}/${cidr.prefixLength}`;
      const others = (byAddress.get(ip.text) ?? []).filter((o) => o !== name);
      if (others.length > 0) {
        report(field, `address ${ip.text} is also the address of node ${others.map((o) => JSON.stringify(o)).join(', ')}: every node needs its own address (BGP sessions are keyed by address)`);
        return undefined;
      }
      return { ip, text, network: cidr };
    };
    const ipv4 = addr('ipv4Address', 4);
    const ipv6 = addr('ipv6Address', 6);
    if (entry.ipv4Address === undefined && entry.ipv6Address === undefined) {
      const internal = hints.get(name) ?? [];
      const hint = internal.length > 0 ? ` (the Node reports InternalIP ${internal.join(', ')}; if calico-node uses it, write it with its subnet's prefix length, e.g. "${internal[0]}/${internal[0].includes(':') ? 64 : 24}")` : '';
      report('ipv4Address', `node ${JSON.stringify(name)} has no address: give ipv4Address and/or ipv6Address with prefix length (annotation ${NODE_ANNOTATIONS.ipv4Address} or spec.bgp.ipv4Address), e.g. "10.31.0.11/16"; calico-node runs BGP only on a node with an address${hint}`);
    }
    let asNumber: number | undefined;
    if (entry.asNumber !== undefined && entry.asNumber !== null && entry.asNumber !== '') {
      const as = parseAsNumber(entry.asNumber);
      if (!as.ok) report('asNumber', as.error);
      else asNumber = as.value;
    }
    let rr: string | undefined;
    if (entry.routeReflectorClusterId !== undefined && entry.routeReflectorClusterId !== null && entry.routeReflectorClusterId !== '') {
      // libcalico-go validator: NodeBGPSpec.RouteReflectorClusterID is `validate:"omitempty,ipv4"`.
      const raw = entry.routeReflectorClusterId;
      const ip = parseIp(raw);
      if (typeof raw !== 'string' || !ip.ok || ip.value.family !== 4 || raw.includes(':')) {
        report('routeReflectorClusterId', `route-reflector cluster ID ${describeValue(raw)} is not valid: Calico takes a cluster ID in IPv4 address form, e.g. "244.0.0.1"`);
      } else {
        rr = ip.value.text;
      }
    }
    if (bad) continue;
    nodes.push({
      name,
      labels,
      ...(ipv4 ? { ipv4 } : {}),
      ...(ipv6 ? { ipv6 } : {}),
      ...(asNumber !== undefined ? { asNumber } : {}),
      ...(rr !== undefined ? { routeReflectorClusterId: rr } : {}),
    });
  }
  return { nodes, findings };
}
