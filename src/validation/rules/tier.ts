import { describeValue } from '../../model/values';
import { CALICO_RELEASES } from '../../releases/releases';
import { ValidateOptions } from '../options';
import { ManifestObject, Violation } from '../../model/violation';
import { Findings, objectName, specOf } from '../../model/manifest';
import { DNS1123_LABEL, DNS1123_LABEL_MAX_LENGTH } from '../../model/names';
import { releaseTag } from './meta';

/**
 * Calico's rules for a Tier (projectcalico.org/v3), mirroring libcalico-go validator/v3
 * `validateTier`: the name is one DNS-1123 label of at most 63 characters (tier names appear in
 * policy names and in a label), and the tiers Calico creates itself keep their fixed order
 * (per release: api/pkg/apis/projectcalico/v3 tier.go DefaultTierOrder and the admin network
 * policy tiers).
 */
export function validateTier(obj: ManifestObject, options: ValidateOptions): Violation[] {
  const f = new Findings(obj);
  const name = objectName(obj);
  if (name !== '') {
    if (name.length > DNS1123_LABEL_MAX_LENGTH) {
      f.error('metadata.name', `tier name ${describeValue(name)} is ${name.length} characters long; a tier name is at most ${DNS1123_LABEL_MAX_LENGTH} (it is used in a label): shorten it`);
    } else if (!DNS1123_LABEL.test(name)) {
      f.error('metadata.name', `tier name ${describeValue(name)} is not valid: use lower case letters, digits and '-', starting and ending with a letter or digit, without '.' (tier names prefix policy names as "<tier>.<policy>")`);
    }
  }
  const tag = releaseTag(options.calicoVersion);
  const spec = specOf(obj) ?? {};
  for (const known of tag !== undefined ? CALICO_RELEASES[tag].wellKnownTierOrders : []) {
    if (name !== known.name) continue;
    if (spec.order !== known.order) {
      f.error('spec.order', `the ${known.name} tier must have order ${known.order} (Calico creates it with that order), but order is ${spec.order === undefined ? 'not set' : describeValue(spec.order)}: set spec.order: ${known.order}`);
    }
  }
  return f.violations;
}
