/**
 * The plans the lab runs (test code). Until computePlan exists they are the hand-built plans of
 * test/routers/plans.ts.
 */
import { BgpPlan } from '../../src/plan/types';
import { referencePlan } from '../routers/plans';

export function labPlans(): { readonly reference: BgpPlan } {
  return { reference: referencePlan() };
}
