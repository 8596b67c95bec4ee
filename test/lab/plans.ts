/**
 * The sites the lab runs (test code, not a test file), each computed by computePlan from real
 * Calico objects plus a node inventory as `kubectl get nodes -o yaml` prints it:
 * - the reference cluster: dist/'s staged objects (what `npm run synth` writes), three nodes on
 *   10.31.0.0/16 and one /24 BlockAffinity each (node k8s-13 has two);
 * - a two-rack site, AS per rack (Calico's "Calico over IP fabrics" AS-per-rack model): the nodes
 *   of rack r1 in AS 65001 peer with ToR tor-r1 (AS 65101), those of r2 (AS 65002) with tor-r2
 *   (AS 65102); the ToRs peer with each other (an uplink);
 * - a route-reflector site: two reflector nodes (cluster ID 244.0.0.1) peer with each other, with
 *   the other nodes and with the router; the other nodes peer with the reflectors only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { ManifestObject } from '../../src/model/violation';
import { computePlan } from '../../src/plan';
import { BgpPlan } from '../../src/plan/types';

const ROOT = join(__dirname, '..', '..', '..');

/** The Calico objects `npm run synth` staged in dist/ (Installation, APIServer, BGPPeers, BGPConfiguration). */
export function distObjects(): ManifestObject[] {
  return ['02-calico-installation.yaml', '03-calico-resources.yaml']
    .flatMap((f) => yaml.loadAll(readFileSync(join(ROOT, 'dist', f), 'utf8')) as ManifestObject[])
    .filter((o) => o && typeof o === 'object');
}

interface LabNode {
  readonly name: string;
  readonly address: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly asNumber?: number;
  readonly routeReflectorClusterId?: string;
}

/** A `kubectl get nodes -o yaml` List for the nodes. */
export function nodeList(nodes: readonly LabNode[]): ManifestObject {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: nodes.map((n) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: n.name,
        labels: { 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux', ...(n.labels ?? {}) },
        annotations: {
          'projectcalico.org/IPv4Address': n.address,
          ...(n.asNumber !== undefined ? { 'projectcalico.org/ASNumber': String(n.asNumber) } : {}),
          ...(n.routeReflectorClusterId !== undefined ? { 'projectcalico.org/RouteReflectorClusterID': n.routeReflectorClusterId } : {}),
        },
      },
      status: { addresses: [{ type: 'InternalIP', address: n.address.split('/')[0] }] },
    })),
  };
}

/** A BlockAffinity (the v1 CRD calico-node's IPAM writes) giving `cidr` to `node`. */
export function blockAffinity(node: string, cidr: string): ManifestObject {
  return {
    apiVersion: 'crd.projectcalico.org/v1',
    kind: 'BlockAffinity',
    metadata: { name: `${node}-${cidr.replace(/[./]/g, '-')}` },
    spec: { node, cidr, state: 'confirmed', deleted: 'false' },
  };
}

const V3 = 'projectcalico.org/v3';
const peer = (name: string, spec: Record<string, unknown>): ManifestObject => ({ apiVersion: V3, kind: 'BGPPeer', metadata: { name }, spec });
const bgpConfiguration = (spec: Record<string, unknown>): ManifestObject => ({ apiVersion: V3, kind: 'BGPConfiguration', metadata: { name: 'default' }, spec });
const ipPool = (cidr: string, blockSize: number): ManifestObject => ({
  apiVersion: V3, kind: 'IPPool', metadata: { name: 'pods' }, spec: { cidr, blockSize, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: true, nodeSelector: 'all()' },
});

/** Objects of the reference cluster with its inventory (three nodes) and blocks. */
export function referenceObjects(): ManifestObject[] {
  return [
    ...distObjects(),
    nodeList([11, 12, 13].map((i) => ({ name: `k8s-${i}`, address: `10.31.0.${i}/16` }))),
    blockAffinity('k8s-11', '10.33.1.0/24'),
    blockAffinity('k8s-12', '10.33.2.0/24'),
    blockAffinity('k8s-13', '10.33.3.0/24'),
    blockAffinity('k8s-13', '10.33.4.0/24'),
  ];
}

/** Objects of the two-rack, AS-per-rack site. */
export function twoRackObjects(): ManifestObject[] {
  const nodes: LabNode[] = [
    { name: 'r1-a', address: '10.31.1.11/16', labels: { rack: 'r1' }, asNumber: 65001 },
    { name: 'r1-b', address: '10.31.1.12/16', labels: { rack: 'r1' }, asNumber: 65001 },
    { name: 'r2-a', address: '10.31.2.11/16', labels: { rack: 'r2' }, asNumber: 65002 },
    { name: 'r2-b', address: '10.31.2.12/16', labels: { rack: 'r2' }, asNumber: 65002 },
  ];
  return [
    bgpConfiguration({ nodeToNodeMeshEnabled: false, asNumber: 64517, serviceClusterIPs: [{ cidr: '10.33.128.0/18' }] }),
    ipPool('10.33.0.0/17', 26),
    peer('tor-r1', { peerIP: '10.31.1.1', asNumber: 65101, nodeSelector: "rack == 'r1'" }),
    peer('tor-r2', { peerIP: '10.31.2.1', asNumber: 65102, nodeSelector: "rack == 'r2'" }),
    nodeList(nodes),
    ...nodes.map((n, i) => blockAffinity(n.name, `10.33.0.${i * 64}/26`)),
  ];
}

/** Objects of the route-reflector site. */
export function reflectorObjects(): ManifestObject[] {
  const rr = { 'route-reflector': 'true' };
  const nodes: LabNode[] = [
    { name: 'rr-1', address: '10.31.0.21/16', labels: rr, routeReflectorClusterId: '244.0.0.1' },
    { name: 'rr-2', address: '10.31.0.22/16', labels: rr, routeReflectorClusterId: '244.0.0.1' },
    { name: 'w-1', address: '10.31.0.31/16' },
    { name: 'w-2', address: '10.31.0.32/16' },
  ];
  return [
    bgpConfiguration({ nodeToNodeMeshEnabled: false, asNumber: 64517, serviceClusterIPs: [{ cidr: '10.33.128.0/18' }] }),
    ipPool('10.33.0.0/17', 24),
    // Calico's documented route-reflector peering (every node with the reflectors).
    peer('peer-with-reflectors', { nodeSelector: 'all()', peerSelector: 'has(route-reflector)' }),
    peer('tor', { peerIP: '10.31.0.1', asNumber: 65000, nodeSelector: 'has(route-reflector)', keepOriginalNextHop: true }),
    nodeList(nodes),
    ...nodes.map((n, i) => blockAffinity(n.name, `10.33.${10 + i}.0/24`)),
  ];
}

/** The plans the lab runs. */
export function labPlans(): { readonly reference: BgpPlan; readonly 'two racks': BgpPlan; readonly 'route reflectors': BgpPlan } {
  return {
    reference: computePlan(referenceObjects(), { calicoVersion: 'v3.24.5' }),
    'two racks': computePlan(twoRackObjects(), { calicoVersion: 'v3.24.5' }),
    'route reflectors': computePlan(reflectorObjects(), { calicoVersion: 'v3.24.5' }),
  };
}

/**
 * The mismatch site: one reference node (k8s-11) and six routers. `nodeSide` is what the
 * cluster has (dist/'s two BGPPeers, plus rack-tor with a password and spare-tor without);
 * `routerSide` is what the routers were configured from: openwrt-peer for AS 64513 (a wrong
 * router AS), rack-tor without the password, spare-tor with one; tiny-unraid-peer matches, and
 * locked-a / locked-b have the password on both sides (their placeholders filled as the operator would).
 */
export function mismatchObjects(side: 'nodeSide' | 'routerSide'): ManifestObject[] {
  const dist = distObjects().map((o) => (side === 'routerSide' && o.kind === 'BGPPeer' && o.metadata?.name === 'openwrt-peer'
    ? { ...o, spec: { ...(o.spec as Record<string, unknown>), asNumber: 64513 } } : o));
  const secret = { secretKeyRef: { name: 'bgp-passwords', key: 'tor' } };
  return [
    ...dist,
    peer('rack-tor', { peerIP: '10.31.0.1', asNumber: 64600, ...(side === 'nodeSide' ? { password: secret } : {}) }),
    peer('spare-tor', { peerIP: '10.31.0.2', asNumber: 64601, ...(side === 'routerSide' ? { password: secret } : {}) }),
    peer('locked-a', { peerIP: '10.31.0.3', asNumber: 64602, password: secret }),
    peer('locked-b', { peerIP: '10.31.0.4', asNumber: 64603, password: secret }),
    nodeList([{ name: 'k8s-11', address: '10.31.0.11/16' }]),
    blockAffinity('k8s-11', '10.33.1.0/24'),
  ];
}

/**
 * Two BGPPeers give one router two AS numbers (rack a's nodes expect AS 64610, rack b's 64611):
 * computePlan reports it; a router can only have one of them.
 */
export function splitAsObjects(): ManifestObject[] {
  return [
    ...distObjects().filter((o) => o.kind !== 'BGPPeer'),
    peer('split-a', { peerIP: '10.31.0.5', asNumber: 64610, nodeSelector: "rack == 'a'" }),
    peer('split-b', { peerIP: '10.31.0.5', asNumber: 64611, nodeSelector: "rack == 'b'" }),
    nodeList([{ name: 'k8s-11', address: '10.31.0.11/16', labels: { rack: 'a' } }, { name: 'k8s-12', address: '10.31.0.12/16', labels: { rack: 'b' } }]),
  ];
}
