import { codesOf, individualTrainingWindow, type RuleContext } from './context.js';
import { COMMON_STEPS, stepIndexOf, type CourseStep } from './course-types.js';
import { addDays, isoWeekKey, startOfIsoWeek } from './dates.js';
import { finalDue } from './final-due.js';
import { facts } from './rules/finding.js';
import { matchFollowUps } from './rules/follow-up-timing.js';
import type { Consultation, ConsultationCode, FactValue, Recommendation } from './types.js';

const MAX_RECOMMENDATIONS = 3;

type Candidate = { code: ConsultationCode; reason: string; facts: Record<string, FactValue | undefined> };

export function stepsOf(ctx: RuleContext): readonly CourseStep[] {
  return ctx.definition?.steps ?? COMMON_STEPS;
}

/**
 * The current step: the step of the latest counted consultation that has one in this course type. Supplements
 * (0269) and codes foreign to the type never set it.
 */
export function currentStep(ctx: RuleContext): { index: number; consultation?: Consultation } {
  const steps = stepsOf(ctx);
  for (let i = ctx.consultations.length - 1; i >= 0; i -= 1) {
    const c = ctx.consultations[i] as Consultation;
    const index = stepIndexOf(steps, c.code);
    if (index >= 0) return { index, consultation: c };
  }
  return { index: -1 };
}

/** A further consultation cannot be on a day that already has one, so "today" is only free when nothing is held. */
function earliestNextDate(ctx: RuleContext): string {
  const last = ctx.consultations[ctx.consultations.length - 1];
  return last && last.date >= ctx.referenceDate ? addDays(last.date, 1) : ctx.referenceDate;
}

function repeatCandidate(ctx: RuleContext, step: CourseStep, code: ConsultationCode): Candidate | undefined {
  if (step.id === 'entry' || step.id === 'final' || step.id === 'follow-up' || step.recommendable === false) {
    return undefined;
  }
  const planMax = step.plan.max ?? Number.POSITIVE_INFINITY;
  const earliest = earliestNextDate(ctx);
  if (step.id === 'education') {
    const count = codesOf(ctx, '0263').length + codesOf(ctx, '0265').length;
    const limit = ctx.config.education.maxPerCourse;
    if (count >= Math.min(planMax, limit)) return undefined;
    return { code, reason: 'repeat-step', facts: { step: step.id, count, plan: step.plan.max, limit } };
  }
  if (code === '0266') {
    const count = codesOf(ctx, '0266').length;
    const limit = ctx.config.individualTraining.maxCount;
    const window = individualTrainingWindow(ctx);
    if (count >= Math.min(planMax, limit)) return undefined;
    if (window && earliest > window.end) return undefined;
    return {
      code, reason: 'repeat-step',
      facts: { step: step.id, count, plan: step.plan.max, limit, windowStart: window?.start, windowEnd: window?.end },
    };
  }
  if (code === '0264') {
    const list = codesOf(ctx, '0264');
    const count = list.length;
    const { maxCount, maxPerIsoWeek } = ctx.config.groupTraining;
    if (count >= Math.min(planMax, maxCount)) return undefined;
    const last = list[count - 1];
    const earliestWeek = isoWeekKey(earliest);
    const inWeek = last ? list.filter((c) => isoWeekKey(c.date) === earliestWeek).length : 0;
    const notBefore = inWeek >= maxPerIsoWeek ? addDays(startOfIsoWeek(earliest), 7) : earliest;
    return { code, reason: 'repeat-step', facts: { step: step.id, count, plan: step.plan.max, limit: maxCount, notBefore } };
  }
  const count = codesOf(ctx, code).length;
  if (count >= planMax) return undefined;
  return { code, reason: 'repeat-step', facts: { step: step.id, count, plan: step.plan.max } };
}

function followUpCandidates(ctx: RuleContext): Candidate[] {
  const { targets, matches } = matchFollowUps(ctx);
  const used = new Set(matches.flatMap((m) => (m.target ? [m.target] : [])));
  const held = matches.filter((m) => m.status !== 'without-final' && m.status !== 'before-final').length;
  const { maxCount, toleranceDays } = ctx.config.followUp;
  if (held >= maxCount) return [];
  const next = targets.find((t) => !used.has(t));
  if (!next) return [];
  return [{
    code: '0268', reason: 'follow-up',
    facts: {
      targetDate: next.date, targetMonths: next.months, toleranceDays,
      earliest: addDays(next.date, -toleranceDays), latest: addDays(next.date, toleranceDays),
      count: held, limit: maxCount, finalDate: ctx.final?.date,
    },
  }];
}

/** The step's other codes (not the candidate's) as alternatives. */
function withAlternatives(candidate: Candidate, step: CourseStep): Candidate {
  const alternatives = step.codes.filter((c) => c !== candidate.code && !(step.id === 'entry' && c === '0262'));
  return alternatives.length > 0 ? { ...candidate, facts: { ...candidate.facts, alternatives } } : candidate;
}

function rank(candidates: readonly Candidate[]): Recommendation[] {
  const seen = new Set<ConsultationCode>();
  const out: Recommendation[] = [];
  for (const c of candidates) {
    if (seen.has(c.code) || out.length >= MAX_RECOMMENDATIONS) continue;
    seen.add(c.code);
    out.push({ code: c.code, rank: out.length + 1, reason: c.reason, facts: facts(c.facts) });
  }
  return out;
}

/**
 * The next-consultation algorithm (course-model.md): 0267 when due; the current step again when the plan and the
 * limit allow; the next step; supplements of the current step last. After the 0267: the 0268 at the next unused
 * target. No entry yet: the entry. Type unknown: the common steps only.
 */
export function nextConsultation(ctx: RuleContext): Recommendation[] {
  if (!ctx.entry) {
    // No valid entry (none at all, or an orphan 0262): the entry itself, never a later step.
    return rank([
      { code: '0110', reason: 'entry', facts: { step: 'entry', alternatives: ['0261'] } },
      { code: '0261', reason: 'entry', facts: { step: 'entry', alternative: 'ordinary-course' } },
    ]);
  }
  if (ctx.final) return rank(followUpCandidates(ctx));
  const steps = stepsOf(ctx);
  const { index, consultation } = currentStep(ctx);
  const stepIndex = Math.max(index, 0);
  const step = steps[stepIndex] as CourseStep;
  const candidates: Candidate[] = [];
  const due = finalDue(ctx);
  if (due.due) {
    candidates.push({ code: '0267', reason: 'final-due', facts: { step: 'final', dueDate: due.dueDate, trigger: due.trigger } });
  }
  // A step is recommended by its preferred code, its other codes named as alternatives (course-model.md).
  const repeat = consultation ? repeatCandidate(ctx, step, step.codes[0] as ConsultationCode) : undefined;
  if (repeat) candidates.push(withAlternatives(repeat, step));
  const next = steps.slice(stepIndex + 1).find((s) => s.recommendable !== false);
  if (next) {
    const code = next.codes[0] as ConsultationCode;
    candidates.push(withAlternatives({ code, reason: 'next-step', facts: { step: next.id, plan: next.plan.max } }, next));
  }
  for (const code of step.supplements ?? []) {
    candidates.push({ code, reason: 'supplement', facts: { step: step.id, count: codesOf(ctx, code).length } });
  }
  return rank(candidates);
}
