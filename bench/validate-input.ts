/** Share of each kind in {@link validateInputYaml}'s output (the rest are BGPPeers). */
const POOL_SHARE = 0.1;
const OTHER_SHARE = 0.1;

/**
 * A multi-document YAML file of `count` objects as a platform team would feed to
 * `cdk8s-calico validate`: one BGPConfiguration `default`, 10% IPPools (distinct /24s of 10.64.0.0/10),
 * 10% non-Calico objects (Namespaces, ConfigMaps, Services, which the validator passes over) and
 * per-node BGPPeers for the rest. Every object is valid.
 */
export function validateInputYaml(count: number): string {
  if (count < 3) throw new Error('the validate input needs at least 3 objects');
  const pools = Math.max(1, Math.floor(count * POOL_SHARE));
  const others = Math.max(1, Math.floor(count * OTHER_SHARE));
  const peers = count - 1 - pools - others;
  if (peers > 254 * 255 || pools > 64 * 256) throw new Error(`too many objects: ${count}`);
  const docs: string[] = [bgpConfiguration()];
  for (let i = 0; i < pools; i++) docs.push(ipPool(i));
  for (let i = 0; i < peers; i++) docs.push(bgpPeer(i));
  for (let i = 0; i < others; i++) docs.push(other(i));
  return docs.join('---\n');
}

function bgpConfiguration(): string {
  return `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64517
  nodeToNodeMeshEnabled: false
  logSeverityScreen: Info
  serviceClusterIPs:
    - cidr: 10.33.128.0/18
  communities:
    - name: bgp-large-community
      value: "64517:300:100"
  prefixAdvertisements:
    - cidr: 10.64.0.0/10
      communities:
        - bgp-large-community
        - "64517:120"
`;
}

function ipPool(i: number): string {
  const cidr = `10.${64 + Math.floor(i / 256)}.${i % 256}.0/24`;
  return `apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-${i}
spec:
  cidr: ${cidr}
  blockSize: 26
  ipipMode: Never
  vxlanMode: CrossSubnet
  natOutgoing: true
  nodeSelector: rack == "r${i % 16}"
`;
}

function bgpPeer(i: number): string {
  return `apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: node-${i}-tor
spec:
  node: node-${i}
  peerIP: 10.31.${1 + Math.floor(i / 254)}.${1 + (i % 254)}
  asNumber: 64512
  keepOriginalNextHop: true
`;
}

function other(i: number): string {
  switch (i % 3) {
    case 0:
      return `apiVersion: v1
kind: Namespace
metadata:
  name: team-${i}
`;
    case 1:
      return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
  namespace: default
data:
  region: eu-west
  replicas: "3"
`;
    default:
      return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: default
spec:
  selector:
    app: svc-${i}
  ports:
    - port: 80
      targetPort: 8080
`;
  }
}
