import { scoreChange } from '../instruments/change.js';
import { pairPsfsActivities } from '../instruments/psfs.js';
import type { RuleContext } from './context.js';
import { addDays } from './dates.js';
import type { FactValue, Instrument, OutcomeSummary, ScoreChange, ScoreRecord } from './types.js';
import { INSTRUMENTS } from './types.js';

/**
 * Baseline = the latest score within the baseline look-back of the entry (on or before it); latest = the most
 * recent score on or before the reference date after the baseline. PSFS is compared on the same activities only
 * when both sides name their activities.
 */
export function summarizeOutcome(ctx: RuleContext): OutcomeSummary {
  const baselineDate = ctx.entry?.date ?? ctx.anchorDate;
  const baseline: Partial<Record<Instrument, ScoreRecord>> = {};
  const latest: Partial<Record<Instrument, ScoreRecord>> = {};
  const changes: ScoreChange[] = [];
  for (const instrument of INSTRUMENTS) {
    const list = ctx.scoresByInstrument.get(instrument) ?? [];
    const last = list[list.length - 1];
    if (!last) continue;
    const from = baselineDate ? addDays(baselineDate, -ctx.config.scores.baselineLookBackDays) : undefined;
    // Same search as latestScoreWithin, inlined through the list's order to avoid a second pass.
    let base: ScoreRecord | undefined;
    if (baselineDate && from) {
      for (let i = list.length - 1; i >= 0; i -= 1) {
        const s = list[i] as ScoreRecord;
        if (s.date > baselineDate) continue;
        if (s.date >= from) base = s;
        break;
      }
    }
    if (base) baseline[instrument] = base;
    if (!base) {
      latest[instrument] = last;
      continue;
    }
    if (last.date <= base.date) continue;
    latest[instrument] = last;
    const change = compare(ctx, instrument, base, last);
    if (change) changes.push(change);
  }
  return { baseline, latest, changes };
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function compare(ctx: RuleContext, instrument: Instrument, base: ScoreRecord, current: ScoreRecord): ScoreChange | undefined {
  const thresholds = ctx.config.scores.changeThresholds;
  const baseActivities = base.activities ?? [];
  const currentActivities = current.activities ?? [];
  if (instrument === 'psfs' && baseActivities.length > 0 && currentActivities.length > 0) {
    // Matched by activity id: only the same goals rated twice say anything about change.
    const { shared: activities, added } = pairPsfsActivities(baseActivities, currentActivities, ctx.config.scores.psfsActivityPoints);
    // No shared activity: the two means describe different things, so no change is claimed.
    if (activities.length === 0) return undefined;
    // PSFS is reported as a mean with one decimal: the change is taken between the means as shown, so that the
    // card's "start", "now" and "change" columns add up.
    const baselineValue = round1(mean(activities.map((a) => a.baseline)));
    const currentValue = round1(mean(activities.map((a) => a.current)));
    return {
      instrument, baseline: base, current, ...scoreChange(instrument, baselineValue, currentValue, thresholds),
      basis: 'shared-activities', baselineValue, currentValue, activities,
      ...(added.length > 0 ? { newActivities: added } : {}),
    };
  }
  return {
    instrument, baseline: base, current, ...scoreChange(instrument, base.value, current.value, thresholds),
    basis: 'score', baselineValue: base.value, currentValue: current.value,
  };
}

/** A change as plain JSON facts for cards. */
export function changeFacts(c: ScoreChange): FactValue {
  const out: Record<string, FactValue> = {
    instrument: c.instrument,
    baselineDate: c.baseline.date,
    baselineValue: c.baselineValue ?? c.baseline.value,
    currentDate: c.current.date,
    currentValue: c.currentValue ?? c.current.value,
    change: c.change,
    percentChange: c.percentChange,
    improved: c.improved,
    clinicallyImportant: c.clinicallyImportant,
    basis: c.basis ?? 'score',
  };
  if (c.newActivities) {
    out.newActivities = c.newActivities.map((a) => ({ id: a.id, label: a.label ?? null, current: a.current }));
  }
  if (c.activities) {
    out.activities = c.activities.map((a) => ({
      id: a.id, label: a.label ?? null, baseline: a.baseline, current: a.current, change: a.change,
      clinicallyImportant: a.clinicallyImportant,
    }));
  }
  return out;
}
