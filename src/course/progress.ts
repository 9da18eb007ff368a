import { codesOf, individualTrainingWindow, type RuleContext } from './context.js';
import { finalDue } from './final-due.js';
import { currentStep, stepsOf } from './next-consultation.js';
import { facts } from './rules/finding.js';
import { matchFollowUps } from './rules/follow-up-timing.js';
import type { ConsultationCode, CourseProgress } from './types.js';

/** Counts and progress for the next-consultation card ("6 of 6 0266 used", window end, follow-up targets). */
export function courseProgress(ctx: RuleContext): CourseProgress {
  const counts: Partial<Record<ConsultationCode, number>> = {};
  for (const [code, list] of ctx.byCode) counts[code] = list.length;
  const window = individualTrainingWindow(ctx);
  const due = finalDue(ctx);
  const { targets, matches } = matchFollowUps(ctx);
  const followUps = matches.filter((m) => m.status !== 'without-final' && m.status !== 'before-final').length;
  const { index } = currentStep(ctx);
  const step = stepsOf(ctx)[index];
  const cfg = ctx.config;
  return {
    ...(ctx.entry ? { entryDate: ctx.entry.date } : {}),
    ...(ctx.final ? { finalDate: ctx.final.date } : {}),
    counts,
    facts: facts({
      courseType: ctx.type ?? null,
      currentStep: step?.id ?? null,
      anchorDate: ctx.anchorDate,
      anchorSource: ctx.anchorSource,
      educationCount: codesOf(ctx, '0263').length + codesOf(ctx, '0265').length,
      educationLimit: cfg.education.maxPerCourse,
      individualTrainingCount: codesOf(ctx, '0266').length,
      individualTrainingLimit: cfg.individualTraining.maxCount,
      individualTrainingWindowStart: window?.start,
      individualTrainingWindowEnd: window?.end,
      groupTrainingCount: codesOf(ctx, '0264').length,
      groupTrainingLimit: cfg.groupTraining.maxCount,
      selfTrainingCount: codesOf(ctx, '0113').length,
      finalDue: due.due,
      finalDueDate: due.dueDate,
      followUpCount: followUps,
      followUpLimit: cfg.followUp.maxCount,
      followUpTargets: targets.map((t) => t.date),
      followUpToleranceDays: cfg.followUp.toleranceDays,
      courseComplete: ctx.final !== undefined && followUps >= Math.min(cfg.followUp.maxCount, targets.length),
    }),
  };
}
