import { scoreChange } from '../instruments/change.js';
import { pairPsfsActivities } from '../instruments/psfs.js';
import type { RuleContext } from './context.js';
import { addDays } from './dates.js';
import type { InstrumentDefinition } from './definitions/types.js';
import type { FactValue, Instrument, OutcomeSummary, ScoreChange, ScoreRecord, SubscaleChange } from './types.js';

/**
 * Baseline = the latest score within the entry milestone's look-back of the entry (on or before it); latest = the
 * most recent score on or before the reference date after the baseline. Activities are compared on the same
 * activities only, subscales subscale by subscale.
 */
export function summarizeOutcome(ctx: RuleContext): OutcomeSummary {
  const baselineDate = ctx.entry?.date ?? ctx.anchorDate;
  const lookBack = ctx.definition.milestones.entry?.lookBackDays ?? 0;
  const baseline: Partial<Record<Instrument, ScoreRecord>> = {};
  const latest: Partial<Record<Instrument, ScoreRecord>> = {};
  const changes: ScoreChange[] = [];
  for (const [instrument, list] of ctx.scoresByInstrument) {
    const def = ctx.instruments.get(instrument);
    const last = list[list.length - 1];
    if (!last || !def) continue;
    const from = baselineDate ? addDays(baselineDate, -lookBack) : undefined;
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
    const change = compare(def, base, last);
    if (change) changes.push(change);
  }
  // Registry order, so cards list the instruments as their definitions do, whatever the scores' order.
  const order = [...ctx.instruments.keys()];
  changes.sort((a, b) => order.indexOf(a.instrument) - order.indexOf(b.instrument));
  return { baseline, latest, changes };
}

const roundTo = (n: number, decimals: number): number => Math.round(n * 10 ** decimals) / 10 ** decimals;
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function compare(def: InstrumentDefinition, base: ScoreRecord, current: ScoreRecord): ScoreChange | undefined {
  const instrument = def.id;
  if (def.method === 'subscales') {
    const before = new Map((base.subscales ?? []).map((s) => [s.id, s.value]));
    const subscales: SubscaleChange[] = [];
    for (const s of current.subscales ?? []) {
      const then = before.get(s.id);
      if (then === undefined) continue;
      subscales.push({ id: s.id, baseline: then, current: s.value, ...scoreChange(then, s.value, def) });
    }
    if (subscales.length === 0) return undefined;
    return {
      instrument, baseline: base, current, change: 0, percentChange: null,
      improved: subscales.some((s) => s.improved), clinicallyImportant: subscales.some((s) => s.clinicallyImportant),
      basis: 'score', subscales,
    };
  }
  const baseActivities = base.activities ?? [];
  const currentActivities = current.activities ?? [];
  if (def.method === 'mean-of-activities' && baseActivities.length > 0 && currentActivities.length > 0) {
    // Paired by identity: only the same goals rated twice say anything about change.
    const { shared: activities, added } = pairPsfsActivities(baseActivities, currentActivities, def.itemChangePoints ?? Number.POSITIVE_INFINITY);
    // No shared activity: the two means describe different things, so no change is claimed.
    if (activities.length === 0) return undefined;
    // The change is taken between the means as shown, so the card's "start", "now" and "change" columns add up.
    const baselineValue = roundTo(mean(activities.map((a) => a.baseline)), def.decimals);
    const currentValue = roundTo(mean(activities.map((a) => a.current)), def.decimals);
    return {
      instrument, baseline: base, current, ...scoreChange(baselineValue, currentValue, def),
      basis: 'shared-activities', baselineValue, currentValue, activities,
      ...(added.length > 0 ? { newActivities: added } : {}),
    };
  }
  if (base.value === undefined || current.value === undefined) return undefined;
  return {
    instrument, baseline: base, current, ...scoreChange(base.value, current.value, def),
    basis: 'score', baselineValue: base.value, currentValue: current.value,
  };
}

/** A change as plain JSON facts for cards, with the thresholds it was judged by. */
export function changeFacts(c: ScoreChange, def?: InstrumentDefinition): FactValue {
  const out: Record<string, FactValue> = {
    instrument: c.instrument,
    baselineDate: c.baseline.date,
    baselineValue: c.baselineValue ?? c.baseline.value ?? null,
    currentDate: c.current.date,
    currentValue: c.currentValue ?? c.current.value ?? null,
    change: c.change,
    percentChange: c.percentChange,
    improved: c.improved,
    clinicallyImportant: c.clinicallyImportant,
    basis: c.basis ?? 'score',
  };
  if (def) {
    out.thresholdPoints = def.change.points;
    if (def.change.percent !== undefined) out.thresholdPercent = def.change.percent;
  }
  if (c.subscales) out.subscales = c.subscales.map((s) => ({ ...s }));
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
