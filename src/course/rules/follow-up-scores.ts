import { codesOf, type RuleContext } from '../context.js';
import { addDays } from '../dates.js';
import type { Finding, Instrument } from '../types.js';
import { anyCurrent, finding } from './finding.js';
import { missingInstruments } from './score-helpers.js';

/** follow-up-scores: ODI and PSFS expected at each 0268 ("tjek af svar på spørgeskemaer"); info only. */
export function followUpScores(ctx: RuleContext): Finding[] {
  const followUps = codesOf(ctx, '0268');
  if (followUps.length === 0) return [];
  const required: readonly Instrument[] = ctx.definition?.followUpInstruments ?? ['odi', 'psfs'];
  const lookBackDays = ctx.config.scores.followUpLookBackDays;
  if (!ctx.scoresAvailable) {
    const atFollowUp = anyCurrent(ctx, followUps);
    return [finding('follow-up-scores', 'unavailable', 'info', atFollowUp, followUps, { required: [...required], lookBackDays })];
  }
  const out: Finding[] = [];
  for (const c of followUps) {
    const missing = missingInstruments(ctx, required, c.date, lookBackDays);
    if (missing.length === 0) continue;
    out.push(finding('follow-up-scores', 'missing', 'info', anyCurrent(ctx, [c]), [c], {
      code: c.code,
      date: c.date,
      required: [...required],
      missing,
      lookBackDays,
      windowStart: addDays(c.date, -lookBackDays),
      windowEnd: c.date,
    }));
  }
  return out;
}
