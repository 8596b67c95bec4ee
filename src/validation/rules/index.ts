import { ValidateOptions } from '../options';
import { validateBgpConfiguration } from './bgp-configuration';
import { validateBgpFilter } from './bgp-filter';
import { validateBgpPeer } from './bgp-peer';
import { checkLabels, checkMetadataName } from './common';
import { Findings, isCalicoApiVersion, isCalicoKind, isOperatorKind } from '../../model/manifest';
import { validateApiServer, validateInstallation } from './installation';
import { validateIpPool } from './ip-pool';
import { ManifestObject, Violation } from '../../model/violation';


/**
 * Calico's own rules for one object: what libcalico-go's validator (validator/v3), its clients
 * (clientv3) and the Tigera operator check beyond the CRD schema. Covers BGPConfiguration,
 * BGPPeer, IPPool, BGPFilter, Installation.spec.calicoNetwork and APIServer, plus the name of every Calico
 * object. Objects that fail the schema (wrong types...) are checked as far as they can be read;
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
  const out = [...names.violations];
  if (isCalicoKind(obj, 'BGPConfiguration')) out.push(...validateBgpConfiguration(obj, options));
  else if (isCalicoKind(obj, 'BGPPeer')) out.push(...validateBgpPeer(obj, options));
  else if (isCalicoKind(obj, 'IPPool')) out.push(...validateIpPool(obj, options));
  else if (isCalicoKind(obj, 'BGPFilter')) out.push(...validateBgpFilter(obj, options));
  else if (isOperatorKind(obj, 'Installation')) out.push(...validateInstallation(obj, options));
  else if (isOperatorKind(obj, 'APIServer')) out.push(...validateApiServer(obj, options));
  return out;
}
