import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a large multi-document YAML file of `count` objects for the streaming `validate` row
 * (issue 11: a 200 MB file with 1.4 million objects), without holding it in memory: one
 * BGPConfiguration `default`, 1,000 IPPools (distinct /24s of 10.64.0.0/10), 30% per-node BGPPeers
 * (addresses in 10.160.0.0-10.181.255.255, outside the pools and Service ranges) and, for the rest, ConfigMaps and
 * Namespaces that the validator passes over. Every object is valid and every name unique.
 * @returns the file size in bytes
 */
export function writeLargeValidateInput(path: string, count: number): number {
  if (count < 1100) throw new Error('the large validate input needs at least 1,100 objects');
  const fd = openSync(path, 'w');
  let bytes = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    const text = pending.join('');
    bytes += writeSync(fd, text);
    pending = [];
    pendingChars = 0;
  };
  const put = (doc: string) => {
    pending.push(doc);
    pendingChars += doc.length;
    if (pendingChars > 1 << 20) flush();
  };
  try {
    put(BGP_CONFIGURATION);
    for (let i = 0; i < 1000; i++) put(ipPool(i));
    for (let i = 1001; i < count; i++) put(i % 10 < 3 ? bgpPeer(i) : i % 10 < 8 ? configMap(i) : namespace(i));
    flush();
  } finally {
    closeSync(fd);
  }
  return bytes;
}

const BGP_CONFIGURATION = `apiVersion: projectcalico.org/v3
kind: BGPConfiguration
metadata:
  name: default
spec:
  asNumber: 64517
  nodeToNodeMeshEnabled: false
  serviceClusterIPs:
    - cidr: 10.33.128.0/18
`;

function ipPool(i: number): string {
  return `---
apiVersion: projectcalico.org/v3
kind: IPPool
metadata:
  name: pool-${i}
spec:
  cidr: 10.${64 + (i >> 8)}.${i & 255}.0/24
  blockSize: 26
  vxlanMode: CrossSubnet
  natOutgoing: true
`;
}

function bgpPeer(i: number): string {
  return `---
apiVersion: projectcalico.org/v3
kind: BGPPeer
metadata:
  name: node-${i}-tor
spec:
  node: node-${i}
  peerIP: 10.${160 + (i >> 16)}.${(i >> 8) & 255}.${1 + (i & 127)}
  asNumber: 64512
`;
}

function configMap(i: number): string {
  return `---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
  namespace: team-${i % 100}
  labels:
    app.kubernetes.io/part-of: platform
data:
  region: eu-west
`;
}

function namespace(i: number): string {
  return `---
apiVersion: v1
kind: Namespace
metadata:
  name: team-${i}
  labels:
    owner: platform
`;
}
