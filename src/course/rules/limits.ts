import { limitWindow, ofCodes, type RuleContext } from '../context.js';
import { isoWeekKey, startOfIsoWeek } from '../dates.js';
import type { LimitDefinition } from '../definitions/types.js';
import type { Consultation, FactValue, Finding } from '../types.js';
import { facts, limitFindingFrom } from './finding.js';

/**
 * The limit rule kinds, parameterised by the course definition's limits; each finding reports under the limit's
 * rule id (its card topic). Follow-up limits are the follow-up-timing kind's (rules/follow-up-timing.ts).
 */

type FactRecord = Record<string, FactValue | undefined>;

function limitFacts(limit: LimitDefinition, all: readonly Consultation[]): FactRecord {
  return { limitId: limit.id, limitKind: limit.kind, limitCodes: [...limit.codes], count: all.length, limit: limit.max };
}

/** Kind "count limit" (per course): each one past N is a finding. */
export function countLimit(ctx: RuleContext, limit: LimitDefinition): Finding[] {
  const all = ofCodes(ctx, limit.codes);
  if (all.length <= limit.max) return [];
  const base = facts(limitFacts(limit, all));
  return all.slice(limit.max).map((c, i) =>
    limitFindingFrom(limit.rule, 'over-limit', ctx, c, [], base, { ordinal: limit.max + i + 1 }));
}

/** Kind "windowed limit": at most N within the window from its anchor; one past N, or one after the window. */
export function windowLimit(ctx: RuleContext, limit: LimitDefinition): Finding[] {
  const window = limitWindow(ctx, limit);
  if (!window) return [];
  const all = ofCodes(ctx, limit.codes);
  const base = facts({
    ...limitFacts(limit, all),
    windowMonths: limit.windowMonths,
    windowDays: limit.windowDays,
    windowStart: window.start,
    windowEnd: window.end,
    anchor: limit.anchor,
  });
  const out: Finding[] = [];
  let inWindow = 0;
  for (const c of all) {
    if (c.date > window.end) {
      out.push(limitFindingFrom(limit.rule, 'after-window', ctx, c, [], base));
      continue;
    }
    inWindow += 1;
    if (inWindow > limit.max) out.push(limitFindingFrom(limit.rule, 'over-limit', ctx, c, [], base, { ordinal: inWindow }));
  }
  return out;
}

/** Kind "weekly frequency": at most N per local ISO week (Europe/Copenhagen). */
export function weeklyFrequency(ctx: RuleContext, limit: LimitDefinition): Finding[] {
  const all = ofCodes(ctx, limit.codes);
  const weeks = new Map<string, Consultation[]>();
  const out: Finding[] = [];
  const base = facts({ limitId: limit.id, limitKind: limit.kind, limitCodes: [...limit.codes], limitPerWeek: limit.max });
  for (const c of all) {
    const week = isoWeekKey(c.date);
    let earlier = weeks.get(week);
    if (!earlier) {
      earlier = [];
      weeks.set(week, earlier);
    }
    if (earlier.length >= limit.max) {
      out.push(limitFindingFrom(limit.rule, 'same-week', ctx, c, earlier, base, {
        week, weekStart: startOfIsoWeek(c.date), inWeek: earlier.length + 1,
      }));
    }
    // The finding has taken the ids of the earlier ones already; the week's list grows in place (linear, not n²).
    earlier.push(c);
  }
  return out;
}

const KINDS = { 'per-course': countLimit, window: windowLimit, 'per-iso-week': weeklyFrequency } as const;

/** Every limit of the course's definition, in definition order. */
export function limitFindings(ctx: RuleContext, rule: LimitDefinition['rule']): Finding[] {
  const out: Finding[] = [];
  for (const limit of ctx.definition.limits) if (limit.rule === rule) out.push(...KINDS[limit.kind](ctx, limit));
  return out;
}
