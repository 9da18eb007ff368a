import { COMMON_STEPS } from '../course-types.js';
import type { RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/** course-type-unknown: the type is never guessed from the history; say so and recommend common steps only. */
export function courseTypeUnknown(ctx: RuleContext): Finding[] {
  if (ctx.type !== undefined) return [];
  const commonCodes = COMMON_STEPS.filter((s) => s.recommendable !== false).flatMap((s) => [...s.codes]);
  return [finding('course-type-unknown', 'unknown', 'info', false, [], { commonCodes })];
}
