import { limitWindow, milestoneStep, ofCodes, type RuleContext } from './context.js';
import { finalDue } from './final-due.js';
import { currentStep, stepsOf } from './next-consultation.js';
import { facts } from './rules/finding.js';
import { followUpMax, matchFollowUps } from './rules/follow-up-timing.js';
import type { ConsultationCode, CourseProgress, FactValue } from './types.js';

/**
 * Counts and progress for the next-consultation card: each limit of the definition with its count ("6 of 6"),
 * window, the final's due date and the follow-up targets. All numbers come from the active definition.
 */
export function courseProgress(ctx: RuleContext): CourseProgress {
  const counts: Partial<Record<ConsultationCode, number>> = {};
  for (const [code, list] of ctx.byCode) counts[code] = list.length;
  const due = finalDue(ctx);
  const { targets, matches } = matchFollowUps(ctx);
  const followUps = matches.filter((m) => m.status !== 'without-final' && m.status !== 'before-final').length;
  const { index } = currentStep(ctx);
  const step = stepsOf(ctx)[index];
  const limits: FactValue[] = ctx.definition.limits.filter((l) => l.rule !== 'follow-up-timing').map((l) => {
    const window = l.kind === 'window' ? limitWindow(ctx, l) : undefined;
    return facts({
      id: l.id, rule: l.rule, kind: l.kind, codes: [...l.codes], max: l.max,
      count: l.kind === 'per-iso-week' ? undefined : ofCodes(ctx, l.codes).length,
      windowStart: window?.start, windowEnd: window?.end,
    });
  });
  const maxFollowUps = followUpMax(ctx);
  return {
    ...(ctx.entry ? { entryDate: ctx.entry.date } : {}),
    ...(ctx.final ? { finalDate: ctx.final.date } : {}),
    counts,
    facts: facts({
      courseType: ctx.type ?? null,
      currentStep: step?.id ?? null,
      anchorDate: ctx.anchorDate,
      anchorSource: ctx.anchorSource,
      limits,
      finalCode: milestoneStep(ctx.definition, 'final')?.codes[0],
      followUpCode: milestoneStep(ctx.definition, 'follow-up')?.codes[0],
      finalDue: due.due,
      finalDueDate: due.dueDate,
      followUpCount: followUps,
      followUpLimit: Number.isFinite(maxFollowUps) ? maxFollowUps : undefined,
      followUpTargets: targets.map((t) => t.date),
      followUpToleranceDays: ctx.definition.followUp.toleranceDays,
      courseComplete: ctx.final !== undefined && followUps >= Math.min(maxFollowUps, targets.length),
    }),
  };
}
