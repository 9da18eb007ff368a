import { codesOf, type RuleContext } from './context.js';
import { addDays } from './dates.js';
import type { LocalDate } from './types.js';

export interface FinalDue {
  readonly due: boolean;
  /** The date on which the date trigger is reached (entry + days), when the type has one. */
  readonly dueDate?: LocalDate;
  readonly trigger?: 'days' | 'count';
}

/**
 * When the final consultation (0267) is due: course 1 from the first counted 0113; course 2 on entry + 56 days or
 * at the 6th 0264; course 3 on entry + 84 days. The boundary day counts as reached. Unknown type: never by rule.
 */
export function finalDue(ctx: RuleContext): FinalDue {
  if (!ctx.type || !ctx.anchorDate) return { due: false };
  const rule = ctx.config.finalDue[ctx.type];
  const dueDate = rule.afterDays === null ? undefined : addDays(ctx.anchorDate, rule.afterDays);
  const base = dueDate ? { dueDate } : {};
  if (dueDate && ctx.referenceDate >= dueDate) return { ...base, due: true, trigger: 'days' };
  if (rule.afterCount && codesOf(ctx, rule.afterCount.code).length >= rule.afterCount.count) {
    return { ...base, due: true, trigger: 'count' };
  }
  return { ...base, due: false };
}
