import { parsePeerAddress } from '../../model/net';
import { checkBgpPeerTarget } from '../../model/calico-rules';
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

  if (peerIP !== undefined) {
    const addr = parsePeerAddress(peerIP);
    if (!addr.ok) f.error('spec.peerIP', addr.error);
  }
  // peerIP/peerSelector, asNumber with peerSelector, reachableBy, ttlSecurity: shared with CalicoBgpPeer.
  checkBgpPeerTarget(spec, (field, message) => f.error(`spec.${field}`, message));

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

  return f.violations;
}
