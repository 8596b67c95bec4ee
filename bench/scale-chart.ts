import { BgpPeerOptions } from '../src/constructs/bgp-peer';
import { CalicoTorChartProps } from '../src/constructs/calico-tor-chart';
import { REFERENCE_CLUSTER } from '../examples/reference/main';

/**
 * `count` per-node BGP peers: peer `i` is the ToR session of node `node-<i>`, with its own name and
 * its own address in 10.31.0.0/16 (the reference cluster's router network), up to 64,770 peers.
 */
export function perNodePeers(count: number): BgpPeerOptions[] {
  if (count > 254 * 255) throw new Error(`at most ${254 * 255} peers fit the router network, not ${count}`);
  return Array.from({ length: count }, (_, i) => ({
    name: `node-${i}-tor`,
    node: `node-${i}`,
    peerIp: `10.31.${1 + Math.floor(i / 254)}.${1 + (i % 254)}`,
    asNumber: 64512,
    keepOriginalNextHop: true,
  }));
}

/**
 * The reference cluster (examples/reference/main.ts) with its two global ToR peers replaced by
 * `peers` per-node peers, and without its three-node inventory (whose plan would warn about every
 * peer of a node it does not know): the synth and validation of N BGPPeers, as since the start.
 * The plan has rows of its own (plan-500, plan-5000).
 */
export function scaleChartProps(peers: number): CalicoTorChartProps {
  const { nodes: _nodes, planFiles: _planFiles, routerConfigs: _routerConfigs, ...reference } = REFERENCE_CLUSTER;
  return { ...reference, torPeers: perNodePeers(peers) };
}
