import { ValidateOptions } from '../options';
import { validateBgpConfiguration } from './bgp-configuration';
import { validateBgpFilter } from './bgp-filter';
import { validateBgpPeer } from './bgp-peer';
import { checkLabels, checkMetadataName } from './common';
import { apiGroup, Findings, isCalicoApiVersion, isCalicoKind, isOperatorKind } from '../../model/manifest';
import { validateApiServer, validateInstallation } from './installation';
import { validateIpPool } from './ip-pool';
import { CALICOCTL_ONLY_KINDS, validateCalicoctlOnlyKind } from './endpoints';
import { validateFelixConfiguration, validateKubeControllersConfiguration } from './felix-configuration';
import { validateHostEndpoint } from './host-endpoint';
import { validateIpamKinds } from './ipam';
import { validateNetworkPolicy, validateStagedKubernetesPolicy, validateStagedPolicy } from './network-policy';
import { validateNetworkSet } from './network-set';
import { validateTier } from './tier';
import { checkObjectAnnotations } from './meta';
import { ManifestObject, Violation } from '../../model/violation';

const IPAM_KINDS = ['IPAMConfig', 'IPAMConfiguration', 'BlockAffinity', 'IPAMBlock', 'IPAMHandle', 'IPReservation', 'CalicoNodeStatus', 'ClusterInformation'];

/**
 * Calico's own rules for one object: what libcalico-go's validator (validator/v3), its clients
 * (clientv3) and the Tigera operator check beyond the CRD schema. Covers BGPConfiguration,
 * BGPPeer, IPPool, BGPFilter, Installation and APIServer, the policy kinds (NetworkPolicy,
 * GlobalNetworkPolicy, the staged kinds, Tier, NetworkSet, GlobalNetworkSet, HostEndpoint),
 * FelixConfiguration, the IPAM kinds, the calicoctl-only kinds (Node, WorkloadEndpoint, Profile),
 * plus the name, labels and annotations of every Calico object. Objects that fail the schema (wrong types...) are checked as far as they can be read;
 * this function never throws for bad input.
 *
 * @returns violations in a fixed order (metadata first, then the fields in rule order).
 */
export function validateCalicoRules(obj: ManifestObject, options: ValidateOptions): Violation[] {
  if (typeof obj !== 'object' || obj === null) return [];
  if (!isCalicoApiVersion(obj.apiVersion)) return [];
  const names = new Findings(obj);
  checkMetadataName(obj, names);
  checkLabels(obj, names);
  checkObjectAnnotations(obj, names);
  const out = [...names.violations];
  if (isCalicoKind(obj, 'BGPConfiguration')) out.push(...validateBgpConfiguration(obj, options));
  else if (isCalicoKind(obj, 'BGPPeer')) out.push(...validateBgpPeer(obj, options));
  else if (isCalicoKind(obj, 'IPPool')) out.push(...validateIpPool(obj, options));
  else if (isCalicoKind(obj, 'BGPFilter')) out.push(...validateBgpFilter(obj, options));
  else if (isOperatorKind(obj, 'Installation')) out.push(...validateInstallation(obj, options));
  else if (isOperatorKind(obj, 'APIServer')) out.push(...validateApiServer(obj, options));
  else if (isCalicoKind(obj, 'NetworkPolicy') || isCalicoKind(obj, 'GlobalNetworkPolicy')) out.push(...validateNetworkPolicy(obj, options));
  else if (isCalicoKind(obj, 'StagedNetworkPolicy') || isCalicoKind(obj, 'StagedGlobalNetworkPolicy')) out.push(...validateStagedPolicy(obj, options));
  else if (isCalicoKind(obj, 'StagedKubernetesNetworkPolicy')) out.push(...validateStagedKubernetesPolicy(obj, options));
  else if (isCalicoKind(obj, 'Tier')) out.push(...validateTier(obj, options));
  else if (isCalicoKind(obj, 'NetworkSet') || isCalicoKind(obj, 'GlobalNetworkSet')) out.push(...validateNetworkSet(obj, options));
  else if (isCalicoKind(obj, 'HostEndpoint')) out.push(...validateHostEndpoint(obj, options));
  else if (isCalicoKind(obj, 'FelixConfiguration')) out.push(...validateFelixConfiguration(obj, options));
  else if (isCalicoKind(obj, 'KubeControllersConfiguration')) out.push(...validateKubeControllersConfiguration(obj, options));
  else if (IPAM_KINDS.some((k) => isCalicoKind(obj, k))) out.push(...validateIpamKinds(obj, options));
  else if (apiGroup(obj.apiVersion) === 'projectcalico.org' && (CALICOCTL_ONLY_KINDS as readonly string[]).includes(obj.kind)) out.push(...validateCalicoctlOnlyKind(obj, options));
  return out;
}
