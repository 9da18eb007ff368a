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
 * When the final consultation is due, by the definition's triggers: on entry + N days, or once the Nth of a code is
 * counted (N = 1: from the first of it). The boundary day counts as reached. Unknown type: never by rule.
 */
export function finalDue(ctx: RuleContext): FinalDue {
  if (ctx.type === undefined || !ctx.anchorDate) return { due: false };
  const rule = ctx.definition.finalDue;
  const dueDate = rule.afterDays === null ? undefined : addDays(ctx.anchorDate, rule.afterDays);
  const base = dueDate ? { dueDate } : {};
  if (dueDate && ctx.referenceDate >= dueDate) return { ...base, due: true, trigger: 'days' };
  if (rule.afterCount && codesOf(ctx, rule.afterCount.code).length >= rule.afterCount.count) {
    return { ...base, due: true, trigger: 'count' };
  }
  return { ...base, due: false };
}
