import { parseIp, parsePeerAddress } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { checkPassword, parseAsNumber } from '../../model/bgp-values';
import { checkDuration, checkSelector } from './common';
import { asArray, Findings, nonEmpty, specOf } from '../../model/manifest';
import { dnsSubdomainProblem } from '../../model/names';

/**
 * Calico's rules for a BGPPeer (projectcalico.org/v3), mirroring libcalico-go validator/v3
 * `validateBGPPeerSpec` and `validateReachableBy`, and the struct tags of
 * api/pkg/apis/projectcalico/v3 bgppeer.go (node: `name`, selectors: `selector`,
 * peerIP: `IP:port`, filters: `dive,name`).
 */
export function validateBgpPeer(obj: ManifestObject, _options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const spec = specOf(obj);
  if (!spec) return f.violations;

  const node = nonEmpty(spec.node);
  const nodeSelector = nonEmpty(spec.nodeSelector);
  const peerIP = nonEmpty(spec.peerIP);
  const peerSelector = nonEmpty(spec.peerSelector);
  const localWorkloadSelector = nonEmpty(spec.localWorkloadSelector);

  if (node !== undefined) {
    const problem = dnsSubdomainProblem(node);
    if (problem) f.error('spec.node', `node ${problem}; node is the Kubernetes name of the node that peers`);
  }
  if (node !== undefined && nodeSelector !== undefined) {
    f.error('spec.node', `node (${JSON.stringify(node)}) and nodeSelector (${JSON.stringify(nodeSelector)}) cannot both be set: use node for one node, or nodeSelector for a set of nodes`);
  }
  checkSelector(spec.nodeSelector, 'spec.nodeSelector', f);
  checkSelector(spec.peerSelector, 'spec.peerSelector', f);
  checkSelector(spec.localWorkloadSelector, 'spec.localWorkloadSelector', f);

  let peerFamily: 4 | 6 | undefined;
  if (peerIP !== undefined) {
    const addr = parsePeerAddress(peerIP);
    if (!addr.ok) f.error('spec.peerIP', addr.error);
    else peerFamily = addr.value.ip.family;
  }
  if (peerIP !== undefined && peerSelector !== undefined) {
    f.error('spec.peerIP', `peerIP (${JSON.stringify(peerIP)}) and peerSelector (${JSON.stringify(peerSelector)}) cannot both be set: use peerIP for a router outside the cluster, or peerSelector to peer with Calico nodes`);
  }

  let asn: number | undefined;
  if (spec.asNumber !== undefined && spec.asNumber !== null) {
    const as = parseAsNumber(spec.asNumber);
    if (!as.ok) f.error('spec.asNumber', as.error);
    else asn = as.value;
  }
  if (spec.localASNumber !== undefined && spec.localASNumber !== null) {
    const as = parseAsNumber(spec.localASNumber);
    if (!as.ok) f.error('spec.localASNumber', as.error);
  }
  if (asn !== undefined && asn !== 0 && peerSelector !== undefined) {
    f.error('spec.asNumber', `asNumber (${asn}) must be empty when peerSelector is set: the AS number of a selected Calico node comes from that node (or the default BGPConfiguration); remove asNumber`);
  }
  if (localWorkloadSelector !== undefined) {
    if (spec.asNumber === undefined || spec.asNumber === null || asn === 0) {
      f.error('spec.asNumber', 'asNumber is required when localWorkloadSelector is set: give the AS number the selected workloads speak BGP with');
    }
    if (peerIP !== undefined) {
      f.error('spec.peerIP', 'peerIP must be empty when localWorkloadSelector is set: the peers are the selected local workloads');
    }
    if (peerSelector !== undefined) {
      f.error('spec.peerSelector', 'peerSelector must be empty when localWorkloadSelector is set: the peers are the selected local workloads');
    }
  }
  if (peerIP === undefined && peerSelector === undefined && localWorkloadSelector === undefined) {
    f.warning('spec', 'this BGPPeer names no peer, so it creates no BGP session: set peerIP (a router), peerSelector (Calico nodes) or localWorkloadSelector (local workloads)');
  }

  // validateReachableBy
  const reachableBy = nonEmpty(spec.reachableBy);
  if (reachableBy !== undefined) {
    const gw = parseIp(reachableBy);
    if (peerIP === undefined) {
      f.error('spec.reachableBy', 'reachableBy must be empty when peerIP is empty: it is the gateway towards peerIP');
    } else if (!gw.ok) {
      f.error('spec.reachableBy', `reachableBy: ${gw.error}; it is the address of the gateway the peer is reached through`);
    } else if (peerFamily !== undefined && gw.value.family !== peerFamily) {
      f.error('spec.reachableBy', `reachableBy ${JSON.stringify(reachableBy)} is IPv${gw.value.family} but peerIP ${JSON.stringify(peerIP)} is IPv${peerFamily}: use a gateway of the same family`);
    }
  }

  if (spec.keepOriginalNextHop === true && spec.nextHopMode !== undefined && spec.nextHopMode !== null) {
    f.error('spec.keepOriginalNextHop', `keepOriginalNextHop is deprecated and cannot be true when nextHopMode (${JSON.stringify(spec.nextHopMode)}) is set: remove keepOriginalNextHop${spec.nextHopMode === 'Keep' ? '' : ', or use nextHopMode: Keep alone'}`);
  }

  checkPassword(spec.password, 'spec.password', (p, m) => f.error(p, m));
  checkDuration(spec.maxRestartTime, 'spec.maxRestartTime', f);
  checkDuration(spec.keepaliveTime, 'spec.keepaliveTime', f);

  asArray(spec.filters).forEach((name, i) => {
    if (typeof name !== 'string') return;
    const problem = dnsSubdomainProblem(name);
    if (problem) f.error(`spec.filters[${i}]`, `filter name ${problem}; filters lists BGPFilter names`);
  });

  // TTLSecurity is a *uint8 in the Go type: 0-255 hops.
  const ttl = spec.ttlSecurity;
  if (typeof ttl === 'number' && (!Number.isInteger(ttl) || ttl < 0 || ttl > 255)) {
    f.error('spec.ttlSecurity', `ttlSecurity ${ttl} is out of range: it is a hop count from 0 to 255 (1 for a directly connected router)`);
  }

  return f.violations;
}
