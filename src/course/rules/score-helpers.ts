import { latestScoreWithin, type RuleContext } from '../context.js';
import { addDays } from '../dates.js';
import type { Instrument, LocalDate } from '../types.js';

/** Instruments with no score dated within [date - lookBackDays, date]; same-day scores count at any time. */
export function missingInstruments(
  ctx: RuleContext, required: readonly Instrument[], date: LocalDate, lookBackDays: number,
): Instrument[] {
  const from = addDays(date, -lookBackDays);
  return required.filter((i) => latestScoreWithin(ctx, i, from, date) === undefined);
}
