import { addDays } from '../dates.js';
import type { RuleContext } from '../context.js';
import type { Finding, Instrument } from '../types.js';
import { anyCurrent, finding } from './finding.js';
import { missingInstruments } from './score-helpers.js';

/** missing-final-scores: ODI and PSFS at the 0267, recorded on its day or within the look-back before it. */
export function missingFinalScores(ctx: RuleContext): Finding[] {
  const final = ctx.final;
  if (!final) return [];
  const required: readonly Instrument[] = ctx.definition?.finalInstruments ?? ['odi', 'psfs'];
  const lookBackDays = ctx.config.scores.finalLookBackDays;
  const atFinal = anyCurrent(ctx, [final]);
  const base = {
    code: final.code,
    date: final.date,
    required: [...required],
    finalDate: final.date,
    lookBackDays,
    windowStart: addDays(final.date, -lookBackDays),
    windowEnd: final.date,
  };
  if (!ctx.scoresAvailable) return [finding('missing-final-scores', 'unavailable', 'info', atFinal, [final], base)];
  const missing = missingInstruments(ctx, required, final.date, lookBackDays);
  if (missing.length === 0) return [];
  return [finding('missing-final-scores', 'missing', 'warning', atFinal, [final], { ...base, missing })];
}
