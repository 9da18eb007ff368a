import { milestoneStep, ofCodes, type RuleContext } from '../context.js';
import { addDays, addMonthsClipped, daysBetween } from '../dates.js';
import type { Consultation, Finding, LocalDate } from '../types.js';
import { isLaterThan, limitFinding } from './finding.js';

export interface FollowUpTarget {
  readonly months: number;
  readonly date: LocalDate;
}

export interface FollowUpMatch {
  readonly consultation: Consultation;
  /** 'without-final' / 'before-final': not after the final; 'over-limit': past N; else matched (maybe off target). */
  readonly status: 'without-final' | 'before-final' | 'over-limit' | 'matched' | 'no-target';
  readonly ordinal?: number;
  readonly target?: FollowUpTarget;
  /** Signed: the follow-up's date minus the target date. */
  readonly daysOff?: number;
}

/** The most follow-ups the definition allows (its follow-up-timing limit), unbounded without one. */
export function followUpMax(ctx: RuleContext): number {
  const limit = ctx.definition.limits.find((l) => l.rule === 'follow-up-timing' && l.kind === 'per-course');
  return limit?.max ?? Number.POSITIVE_INFINITY;
}

export function followUpTargets(ctx: RuleContext): FollowUpTarget[] {
  const final = ctx.final;
  if (!final) return [];
  return ctx.definition.followUp.targetMonths.map((months) => ({ months, date: addMonthsClipped(final.date, months) }));
}

/**
 * Each follow-up after the final takes the nearest target not used by an earlier one (a tie goes to the earlier
 * target). Shared by the rule and the next-consultation algorithm, so both agree on which targets are used.
 */
export function matchFollowUps(ctx: RuleContext): { targets: FollowUpTarget[]; matches: FollowUpMatch[] } {
  const final = ctx.final;
  const targets = followUpTargets(ctx);
  const max = followUpMax(ctx);
  const used = new Set<number>();
  const matches: FollowUpMatch[] = [];
  let ordinal = 0;
  for (const c of ofCodes(ctx, milestoneStep(ctx.definition, 'follow-up')?.codes ?? [])) {
    if (!final) {
      matches.push({ consultation: c, status: 'without-final' });
      continue;
    }
    if (!isLaterThan(c, final)) {
      matches.push({ consultation: c, status: 'before-final' });
      continue;
    }
    ordinal += 1;
    if (ordinal > max) {
      matches.push({ consultation: c, status: 'over-limit', ordinal });
      continue;
    }
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    targets.forEach((t, i) => {
      if (used.has(i)) return;
      const distance = Math.abs(daysBetween(t.date, c.date));
      if (distance < bestDistance) {
        best = i;
        bestDistance = distance;
      }
    });
    const target = targets[best];
    if (!target) {
      matches.push({ consultation: c, status: 'no-target', ordinal });
      continue;
    }
    used.add(best);
    matches.push({ consultation: c, status: 'matched', ordinal, target, daysOff: daysBetween(target.date, c.date) });
  }
  return { targets, matches };
}

/**
 * Rule kind "follow-up timing": at most N follow-ups, only after the final consultation, each within the
 * tolerance of its target (the final's date + the definition's target months).
 */
export function followUpTiming(ctx: RuleContext): Finding[] {
  const { toleranceDays } = ctx.definition.followUp;
  const maxCount = followUpMax(ctx);
  const { targets, matches } = matchFollowUps(ctx);
  const final = ctx.final;
  const related = final ? [final] : [];
  const finalCode = final?.code ?? milestoneStep(ctx.definition, 'final')?.codes[0];
  const out: Finding[] = [];
  for (const m of matches) {
    const c = m.consultation;
    if (m.status === 'without-final' || m.status === 'before-final') {
      out.push(limitFinding('follow-up-timing', m.status, ctx, c, related, { finalDate: final?.date ?? null, finalCode }));
    } else if (m.status === 'over-limit') {
      out.push(limitFinding('follow-up-timing', 'over-limit', ctx, c, related, {
        ordinal: m.ordinal,
        limit: maxCount,
        finalDate: final?.date,
        finalCode,
      }));
    } else if (m.status === 'matched' && m.target && m.daysOff !== undefined && Math.abs(m.daysOff) > toleranceDays) {
      out.push(limitFinding('follow-up-timing', m.daysOff < 0 ? 'early' : 'late', ctx, c, related, {
        finalDate: final?.date,
        finalCode,
        targetDate: m.target.date,
        targetMonths: m.target.months,
        daysOff: m.daysOff,
        toleranceDays,
        earliest: addDays(m.target.date, -toleranceDays),
        latest: addDays(m.target.date, toleranceDays),
        targets: targets.map((t) => t.date),
      }));
    }
  }
  return out;
}
