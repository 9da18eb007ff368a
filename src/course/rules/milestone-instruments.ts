import { latestScoreWithin, type RuleContext } from '../context.js';
import { addDays } from '../dates.js';
import type { Milestone } from '../definitions/types.js';
import type { Consultation, Finding, Instrument, LocalDate, RuleId } from '../types.js';
import { anyCurrent, finding } from './finding.js';

/**
 * Rule kind "milestone instruments": the instruments a milestone of the definition requires, recorded on its day or
 * within its look-back before it. Entry: against the course's first valid entry, warning when the current
 * consultation is the entry; final: at the final consultation, warning; follow-up: at each follow-up, info.
 */
const RULE_OF: Readonly<Record<Milestone, RuleId>> = {
  entry: 'missing-baseline-scores',
  final: 'missing-final-scores',
  'follow-up': 'follow-up-scores',
};

/** Instruments with no score dated within [date - lookBackDays, date]; same-day scores count at any time. */
function missingInstruments(ctx: RuleContext, required: readonly Instrument[], date: LocalDate, lookBackDays: number): Instrument[] {
  const from = addDays(date, -lookBackDays);
  return required.filter((i) => latestScoreWithin(ctx, i, from, date) === undefined);
}

function milestoneConsultations(ctx: RuleContext, m: Milestone): { at: Consultation; group: readonly Consultation[] }[] {
  if (m === 'entry') return ctx.entry ? [{ at: ctx.entry.consultation, group: ctx.entry.consultations }] : [];
  if (m === 'final') return ctx.final ? [{ at: ctx.final, group: [ctx.final] }] : [];
  const codes = ctx.definition.steps.find((s) => s.milestone === 'follow-up')?.codes ?? [];
  return ctx.consultations.filter((c) => codes.includes(c.code)).map((c) => ({ at: c, group: [c] }));
}

export function milestoneInstruments(ctx: RuleContext, m: Milestone): Finding[] {
  const def = ctx.definition.milestones[m];
  const ruleId = RULE_OF[m];
  const held = milestoneConsultations(ctx, m);
  if (!def || def.instruments.length === 0 || held.length === 0) return [];
  const { instruments: required, lookBackDays } = def;
  const severity = (current: boolean) => (m === 'final' || (m === 'entry' && current) ? 'warning' : 'info');
  if (!ctx.scoresAvailable) {
    // One card saying the scores could not be read, never a claim that they are missing.
    const group = held.flatMap((h) => h.group);
    const first = held[0]!.at;
    return [finding(ruleId, 'unavailable', 'info', anyCurrent(ctx, group), group, {
      code: first.code, date: first.date, required: [...required], lookBackDays, milestone: m,
    })];
  }
  const out: Finding[] = [];
  for (const { at, group } of held) {
    const missing = missingInstruments(ctx, required, at.date, lookBackDays);
    if (missing.length === 0) continue;
    const current = anyCurrent(ctx, group);
    out.push(finding(ruleId, 'missing', severity(current), current, group, {
      // The consultation named on the card's line: a missing score belongs to it.
      code: at.code,
      date: at.date,
      required: [...required],
      missing,
      lookBackDays,
      windowStart: addDays(at.date, -lookBackDays),
      windowEnd: at.date,
      milestone: m,
      ...(m === 'entry' ? { entryDate: at.date } : m === 'final' ? { finalDate: at.date } : {}),
    }));
  }
  return out;
}
