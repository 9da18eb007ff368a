import { codesOf, type RuleContext } from '../context.js';
import { isoWeekKey, startOfIsoWeek } from '../dates.js';
import type { Consultation, Finding } from '../types.js';
import { limitFinding } from './finding.js';

/** group-training-frequency: 0264 at most once per local ISO week and at most N in total (defaults 1 and 6). */
export function groupTrainingFrequency(ctx: RuleContext): Finding[] {
  const { maxCount, maxPerIsoWeek } = ctx.config.groupTraining;
  const all = codesOf(ctx, '0264');
  const weeks = new Map<string, Consultation[]>();
  const out: Finding[] = [];
  all.forEach((c, i) => {
    const week = isoWeekKey(c.date);
    const earlier = weeks.get(week) ?? [];
    if (earlier.length >= maxPerIsoWeek) {
      out.push(limitFinding('group-training-frequency', 'same-week', ctx, c, earlier, {
        week,
        weekStart: startOfIsoWeek(c.date),
        inWeek: earlier.length + 1,
        limitPerWeek: maxPerIsoWeek,
        count: all.length,
        limit: maxCount,
      }));
    }
    weeks.set(week, [...earlier, c]);
    if (i + 1 > maxCount) {
      out.push(limitFinding('group-training-frequency', 'over-limit', ctx, c, [], {
        ordinal: i + 1,
        count: all.length,
        limit: maxCount,
      }));
    }
  });
  return out;
}
