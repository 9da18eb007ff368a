import { addDays } from '../dates.js';
import type { RuleContext } from '../context.js';
import type { Finding, Instrument } from '../types.js';
import { anyCurrent, finding } from './finding.js';
import { missingInstruments } from './score-helpers.js';

/**
 * missing-baseline-scores: the questionnaires the patient fills in before the entry, recorded within the look-back
 * before (or on) the first valid entry. Unknown type: ODI only. Warning at the entry itself, info afterwards.
 */
export function missingBaselineScores(ctx: RuleContext): Finding[] {
  const entry = ctx.entry;
  if (!entry) return [];
  const required: readonly Instrument[] = ctx.definition?.entryInstruments ?? ['odi'];
  const atEntry = anyCurrent(ctx, entry.consultations);
  const lookBackDays = ctx.config.scores.baselineLookBackDays;
  const base = {
    // The entry named on the card's line: a missing score belongs to that consultation.
    code: entry.consultation.code,
    date: entry.date,
    required: [...required],
    entryDate: entry.date,
    lookBackDays,
    windowStart: addDays(entry.date, -lookBackDays),
    windowEnd: entry.date,
  };
  if (!ctx.scoresAvailable) {
    return [finding('missing-baseline-scores', 'unavailable', 'info', atEntry, entry.consultations, base)];
  }
  const missing = missingInstruments(ctx, required, entry.date, lookBackDays);
  if (missing.length === 0) return [];
  return [finding('missing-baseline-scores', 'missing', atEntry ? 'warning' : 'info', atEntry, entry.consultations, {
    ...base,
    missing,
  })];
}
