import { describeValue } from '../../model/values';
import { dnsSubdomainProblem } from '../../model/names';
import { parseCidr } from '../../model/net';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { asArray, Findings, nonEmpty, specOf } from '../../model/manifest';
import { releaseTag, schemaHas } from './meta';

/**
 * Calico's rules for the IPAM kinds and the resources Calico maintains itself
 * (projectcalico.org/v3): IPAMConfiguration (validator/v3 `validateIPAMConfigSpec`), BlockAffinity
 * (`validateBlockAffinitySpec` and the tags of blockaffinity.go: state, node `name`, cidr `net`),
 * IPReservation (reservedCIDRs `dive,cidr`), CalicoNodeStatus (node `name`, classes, update
 * period), ClusterInformation (calicoctl refuses to apply it: "resource is readonly").
 */

/** Kinds Calico's own components write: applying them by hand is almost always a mistake. */
const MAINTAINED_BY_CALICO: Readonly<Record<string, string>> = {
  BlockAffinity: 'BlockAffinity records which node owns an IPAM block; Calico IPAM writes it: do not apply it by hand, change the IPPool or IPAMConfiguration instead',
  IPAMBlock: 'IPAMBlock holds Calico IPAM\'s allocations; Calico writes it: applying one by hand can corrupt IPAM, use calicoctl ipam commands instead',
  IPAMHandle: 'IPAMHandle holds Calico IPAM\'s allocation handles; Calico writes it: applying one by hand can corrupt IPAM, use calicoctl ipam commands instead',
  ClusterInformation: 'ClusterInformation is written by calico-node; calicoctl refuses to apply it ("resource is readonly") and hand edits are overwritten: remove it from the manifests',
};

const NODE_STATUS_CLASSES = ['Agent', 'BGP', 'Routes'];
const AFFINITY_STATES = ['confirmed', 'pending', 'pendingDeletion'];

export function validateIpamKinds(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const note = MAINTAINED_BY_CALICO[obj.kind];
  if (note !== undefined) f.warning('', note);
  if (obj.kind === 'IPAMConfig') {
    f.warning('kind', 'kind IPAMConfig is libcalico-go\'s internal and crd.projectcalico.org name for this resource; the projectcalico.org/v3 API (the Calico API server, kubectl) serves it as IPAMConfiguration: write kind IPAMConfiguration');
  }
  const spec = specOf(obj);
  if (!spec) return f.violations;
  switch (obj.kind) {
    case 'IPAMConfig':
    case 'IPAMConfiguration': {
      const max = spec.maxBlocksPerHost;
      if (typeof max === 'number' && max < 0 && !schemaHas(releaseTag(options.calicoVersion), 'ipamconfigs.crd.projectcalico.org', ['spec', 'maxBlocksPerHost'], 'minimum')) {
        f.error('spec.maxBlocksPerHost', `maxBlocksPerHost ${describeValue(max)} is negative: use 0 (no limit) or a positive number of blocks`);
      }
      break;
    }
    case 'BlockAffinity': {
      if (spec.deleted === 'true') {
        f.error('spec.deleted', 'spec.deleted cannot be set to "true" (Calico marks affinities for deletion itself): remove it');
      }
      const state = nonEmpty(spec.state);
      if (state !== undefined && !AFFINITY_STATES.includes(state)) {
        f.error('spec.state', `state ${describeValue(state)} is not allowed: use "confirmed", "pending" or "pendingDeletion"`);
      }
      const node = nonEmpty(spec.node);
      const problem = node !== undefined ? dnsSubdomainProblem(node) : undefined;
      if (problem) f.error('spec.node', `node ${problem}`);
      if (typeof spec.cidr === 'string') {
        const c = parseCidr(spec.cidr, { allowBareIp: true });
        if (!c.ok) f.error('spec.cidr', c.error);
      }
      break;
    }
    case 'IPReservation':
      asArray(spec.reservedCIDRs).forEach((c, i) => {
        if (typeof c !== 'string') return;
        const r = parseCidr(c, { allowBareIp: true, allowHostBits: true });
        if (!r.ok) f.error(`spec.reservedCIDRs[${i}]`, `reservedCIDRs: ${r.error}`);
      });
      break;
    case 'CalicoNodeStatus': {
      const node = nonEmpty(spec.node);
      const problem = node !== undefined ? dnsSubdomainProblem(node) : undefined;
      if (problem) f.error('spec.node', `node ${problem}`);
      asArray(spec.classes).forEach((c, i) => {
        if (typeof c === 'string' && !NODE_STATUS_CLASSES.includes(c)) {
          f.error(`spec.classes[${i}]`, `class ${describeValue(c)} is not known: use "Agent", "BGP" or "Routes"`);
        }
      });
      break;
    }
    default:
      break;
  }
  return f.violations;
}
