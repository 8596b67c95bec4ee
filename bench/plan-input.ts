/**
 * Input of the `plan-N` bench rows: a site of `nodes` nodes in `racks` racks, each rack with a ToR
 * pair and two route reflectors (Calico's "route reflectors per rack" for large L2 domains), as
 * `cdk8s-calico plan` reads it from files:
 *
 * - BGPConfiguration `default` (mesh off, AS 64512, a service cluster range, prefix communities),
 *   one IPPool;
 * - per rack: BGPPeers from the rack's clients to its reflectors (nodeSelector/peerSelector on the
 *   `rack` label), and from the rack's reflectors to its two ToRs (eBGP, AS 65000 + rack);
 * - one BGPPeer meshing all reflectors;
 * - the nodes as `kubectl get nodes -o yaml` prints them (a v1 List with Calico's annotations;
 *   the reflectors with a cluster ID per rack).
 *
 * Every object is valid and the plan has no findings.
 */
export function planInputYaml(nodes: number, racks: number): string {
  if (racks < 1 || nodes < racks * 3) throw new Error('the plan input needs at least 3 nodes per rack');
  if (racks > 250 || Math.ceil(nodes / racks) > 250) throw new Error(`too many racks or nodes per rack: ${racks} racks, ${nodes} nodes`);
  const docs: string[] = [`apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64512
  nodeToNodeMeshEnabled: false
  serviceClusterIPs:
  - cidr: 10.96.0.0/12
  communities:
  - name: site
    value: "64512:100"
  prefixAdvertisements:
  - cidr: 10.128.0.0/10
    communities: [site]
`, `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pods
spec:
  cidr: 10.128.0.0/10
  blockSize: 26
  ipipMode: Never
  vxlanMode: Never
  natOutgoing: true
`, `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: rr-mesh
spec:
  nodeSelector: has(route-reflector)
  peerSelector: has(route-reflector)
`];
  for (let r = 1; r <= racks; r++) {
    docs.push(`apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: r${r}-clients
spec:
  nodeSelector: rack == "r${r}" && !has(route-reflector)
  peerSelector: rack == "r${r}" && has(route-reflector)
`);
    for (const side of [1, 2]) {
      docs.push(`apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: r${r}-tor-${side}
spec:
  nodeSelector: rack == "r${r}" && has(route-reflector)
  peerIP: 10.${r}.255.${side}
  asNumber: ${65000 + r}
  keepOriginalNextHop: true
`);
    }
  }
  const items: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const rack = (i % racks) + 1;
    const index = Math.floor(i / racks) + 1;
    const rr = index <= 2;
    items.push(`- apiVersion: v1
  kind: Node
  metadata:
    name: r${rack}-n${index}
    labels:
      kubernetes.io/hostname: r${rack}-n${index}
      rack: r${rack}${rr ? '\n      route-reflector: "true"' : ''}
    annotations:
      projectcalico.org/IPv4Address: 10.${rack}.0.${index}/16${rr ? `\n      projectcalico.org/RouteReflectorClusterID: 244.0.0.${rack}` : ''}
`);
  }
  docs.push(`apiVersion: v1
kind: List
items:
${items.join('')}`);
  return docs.join('---\n');
}
