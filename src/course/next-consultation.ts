import { limitWindow, milestoneStep, ofCodes, openingCodes, type RuleContext } from './context.js';
import { addDays, startOfIsoWeek } from './dates.js';
import type { LimitDefinition, StepDefinition } from './definitions/types.js';
import { finalDue } from './final-due.js';
import { facts } from './rules/finding.js';
import { followUpMax, matchFollowUps } from './rules/follow-up-timing.js';
import type { Consultation, ConsultationCode, FactValue, Recommendation } from './types.js';

/** The card carries at most three ranked suggestions, the first being the recommendation (course-model.md). */
const MAX_RECOMMENDATIONS = 3;

type Candidate = { code: ConsultationCode; reason: string; facts: Record<string, FactValue | undefined> };

export const stepsOf = (ctx: RuleContext): readonly StepDefinition[] => ctx.definition.steps;

/**
 * The current step: the step of the latest counted consultation that has one in this course type. Supplements and
 * codes foreign to the type never set it.
 */
export function currentStep(ctx: RuleContext): { index: number; consultation?: Consultation } {
  const steps = stepsOf(ctx);
  for (let i = ctx.consultations.length - 1; i >= 0; i -= 1) {
    const c = ctx.consultations[i] as Consultation;
    const index = steps.findIndex((s) => s.codes.includes(c.code));
    if (index >= 0) return { index, consultation: c };
  }
  return { index: -1 };
}

/** A further consultation cannot be on a day that already has one, so "today" is only free when nothing is held. */
function earliestNextDate(ctx: RuleContext): string {
  const last = ctx.consultations[ctx.consultations.length - 1];
  return last && last.date >= ctx.referenceDate ? addDays(last.date, 1) : ctx.referenceDate;
}

/** Whether a limit still allows one more of its codes on `earliest`, and the facts that say so. */
function limitRoom(ctx: RuleContext, limit: LimitDefinition, earliest: string): { open: boolean; facts: Record<string, FactValue | undefined> } {
  const list = ofCodes(ctx, limit.codes);
  if (limit.kind === 'per-course') return { open: list.length < limit.max, facts: { limit: limit.max } };
  if (limit.kind === 'window') {
    const window = limitWindow(ctx, limit);
    const inWindow = window ? list.filter((c) => c.date <= window.end).length : list.length;
    const open = inWindow < limit.max && !(window && earliest > window.end);
    return { open, facts: { limit: limit.max, windowStart: window?.start, windowEnd: window?.end } };
  }
  // Weekly: a full week only moves the next one to the following week.
  // Sorted by date: only the tail can lie in the earliest day's week.
  const weekStart = startOfIsoWeek(earliest);
  const weekEnd = addDays(weekStart, 7);
  let inWeek = 0;
  for (let i = list.length - 1; i >= 0 && (list[i] as Consultation).date >= weekStart; i -= 1) {
    if ((list[i] as Consultation).date < weekEnd) inWeek += 1;
  }
  return { open: true, facts: { notBefore: inWeek >= limit.max ? weekEnd : undefined } };
}

function repeatCandidate(ctx: RuleContext, step: StepDefinition): Candidate | undefined {
  if (step.milestone !== undefined || !step.recommendable) return undefined;
  const count = ofCodes(ctx, step.codes).length;
  if (step.plan.max !== null && count >= step.plan.max) return undefined;
  const earliest = earliestNextDate(ctx);
  const out: Record<string, FactValue | undefined> = { step: step.id, count, plan: step.plan.max };
  for (const limit of ctx.definition.limits.filter((l) => l.step === step.id)) {
    const room = limitRoom(ctx, limit, earliest);
    if (!room.open) return undefined;
    for (const [k, v] of Object.entries(room.facts)) if (v !== undefined && (k !== 'limit' || out.limit === undefined)) out[k] = v;
  }
  return { code: step.codes[0] as string, reason: 'repeat-step', facts: out };
}

function followUpCandidates(ctx: RuleContext): Candidate[] {
  const step = milestoneStep(ctx.definition, 'follow-up');
  if (!step) return [];
  const { targets, matches } = matchFollowUps(ctx);
  const used = new Set(matches.flatMap((m) => (m.target ? [m.target] : [])));
  const held = matches.filter((m) => m.status !== 'without-final' && m.status !== 'before-final').length;
  const maxCount = followUpMax(ctx);
  const { toleranceDays } = ctx.definition.followUp;
  if (held >= maxCount) return [];
  const next = targets.find((t) => !used.has(t));
  if (!next) return [];
  return [{
    code: step.codes[0] as string, reason: 'follow-up',
    facts: {
      targetDate: next.date, targetMonths: next.months, toleranceDays,
      earliest: addDays(next.date, -toleranceDays), latest: addDays(next.date, toleranceDays),
      count: held, limit: Number.isFinite(maxCount) ? maxCount : undefined, finalDate: ctx.final?.date,
    },
  }];
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

/** The step's other codes (not the candidate's, never a same-day companion) as alternatives. */
function withAlternatives(candidate: Candidate, step: StepDefinition): Candidate {
  const alternatives = step.codes.filter((c) => c !== candidate.code && step.companions[c] === undefined);
  return alternatives.length > 0 ? { ...candidate, facts: { ...candidate.facts, alternatives } } : candidate;
}

/**
 * The next-consultation algorithm (course-model.md): the final when due; the current step again when the plan and
 * the limits allow; the next step; supplements of the current step last. A step is named by its preferred code,
 * its other codes as alternatives. After the final: a follow-up at the next unused target. No valid entry: the
 * entry itself. Type unknown: the common steps only.
 */
export function nextConsultation(ctx: RuleContext): Recommendation[] {
  const steps = stepsOf(ctx);
  if (!ctx.entry) {
    const entry = milestoneStep(ctx.definition, 'entry');
    const opens = openingCodes(entry);
    // No valid entry (none at all, or a companion without its partner): the entry, never a later step.
    return rank(opens.map((code, i) => ({
      code, reason: 'entry',
      facts: { step: 'entry', ...(i === 0 && opens.length > 1 ? { alternatives: opens.slice(1) } : {}) },
    })));
  }
  if (ctx.final) return rank(followUpCandidates(ctx));
  const { index, consultation } = currentStep(ctx);
  const stepIndex = Math.max(index, 0);
  const step = steps[stepIndex] as StepDefinition;
  const candidates: Candidate[] = [];
  const due = finalDue(ctx);
  const finalStep = milestoneStep(ctx.definition, 'final');
  if (due.due && finalStep) {
    candidates.push({ code: finalStep.codes[0] as string, reason: 'final-due', facts: { step: finalStep.id, dueDate: due.dueDate, trigger: due.trigger } });
  }
  const repeat = consultation ? repeatCandidate(ctx, step) : undefined;
  if (repeat) candidates.push(withAlternatives(repeat, step));
  const next = steps.slice(stepIndex + 1).find((s) => s.recommendable && s.milestone !== 'follow-up');
  if (next) {
    candidates.push(withAlternatives({ code: next.codes[0] as string, reason: 'next-step', facts: { step: next.id, plan: next.plan.max } }, next));
  }
  for (const code of step.supplements) {
    candidates.push({ code, reason: 'supplement', facts: { step: step.id, count: ofCodes(ctx, [code]).length } });
  }
  return rank(candidates);
}
