import { ManifestObject, Violation } from './violation';
import { ValidateOptions } from './options';

/**
 * Calico's own rules for one object (what libcalico-go and the operator validate beyond the schema).
 * STUB: replaced by the rule set.
 */
export function validateCalicoRules(_obj: ManifestObject, _options: ValidateOptions): Violation[] {
  return [];
}
