import { SourcedObject, Violation } from './violation';
import { ValidateOptions } from './options';

/**
 * Rules over a whole set of objects (overlapping ranges, peers inside pod ranges, duplicate names...).
 * STUB: replaced by the cross-resource rule set.
 */
export function validateCrossResource(_objects: readonly SourcedObject[], _options: ValidateOptions): Violation[] {
  return [];
}
