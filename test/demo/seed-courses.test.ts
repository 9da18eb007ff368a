/**
 * The three seed courses must be models of compliance: checked here with small independent date arithmetic, not
 * with the engine, so that a mistake in either one shows.
 */
import type { Encounter, EpisodeOfCare, Observation, Patient } from 'fhir/r4.js';
import { describe, expect, it } from 'vitest';
import { CodeSystemUrl, ExternalSystem, Loinc } from '../../src/canonical.js';
import { LOADED, encountersInOrder, ofType } from './demo-bundles.js';

const localDate = (instant: string): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen' }).format(new Date(instant));
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Same day W months later, clipped to the month's last day (course-model.md). */
function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/** ISO week of a date: the week of its Thursday, counted from that year's first Thursday. */
function isoWeek(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3);
  const dayOfYear = (d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000;
  return `${d.getUTCFullYear()}-W${Math.floor(dayOfYear / 7) + 1}`;
}

interface Visit { readonly code: string; readonly date: string }
interface Score { readonly instrument: 'odi' | 'psfs' | 'nprs'; readonly date: string; readonly value: number }

function instrumentOf(o: Observation): Score['instrument'] {
  const c = o.code.coding?.[0];
  if (c?.system === ExternalSystem.loinc && c.code === Loinc.odiTotal) return 'odi';
  if (c?.system === ExternalSystem.loinc && c.code === Loinc.nprs) return 'nprs';
  return 'psfs';
}

const SEEDS = [
  { key: 'course-1-self-training', type: 'self-training', age: 38, baseline: ['odi', 'nprs'] },
  { key: 'course-2-recurrent', type: 'recurrent', age: 50, baseline: ['odi', 'psfs'] },
  { key: 'course-3-persistent', type: 'persistent', age: 43, baseline: ['odi', 'psfs'] },
] as const;

describe.each(SEEDS)('the seed course $key', ({ key, type, age, baseline }) => {
  const loaded = LOADED.find((l) => l.demo.key === key);
  if (!loaded) throw new Error(`missing ${key}`);
  const visits: Visit[] = encountersInOrder(loaded.resources).map((e: Encounter) => ({
    code: e.type?.[0]?.coding?.find((c) => c.system === CodeSystemUrl.consultation)?.code ?? '',
    date: localDate(e.period?.start ?? ''),
  }));
  const scores: Score[] = ofType<Observation>(loaded.resources, 'Observation').map((o) => ({
    instrument: instrumentOf(o),
    date: localDate(o.effectiveDateTime ?? ''),
    value: o.valueQuantity?.value ?? o.valueInteger ?? Number.NaN,
  }));
  const entry = visits[0] as Visit;
  const finalIndex = visits.findIndex((v) => v.code === '0267');
  const final = visits[finalIndex] as Visit;
  const has = (instrument: string, date: string, lookBack: number): boolean =>
    scores.some((s) => s.instrument === instrument && dayNumber(s.date) <= dayNumber(date) && dayNumber(date) - dayNumber(s.date) <= lookBack);

  it('is a finished, typed EpisodeOfCare of a patient of the seed\'s age', () => {
    const [episode] = ofType<EpisodeOfCare>(loaded.resources, 'EpisodeOfCare');
    expect(episode?.status).toBe('finished');
    expect(episode?.type?.[0]?.coding?.[0]?.code).toBe(type);
    expect(episode?.period).toEqual({ start: entry.date, end: visits[visits.length - 1]?.date });
    const [patient] = ofType<Patient>(loaded.resources, 'Patient');
    const born = patient?.birthDate ?? '';
    const ageAt = (d: string): number => Number(d.slice(0, 4)) - Number(born.slice(0, 4)) - (d.slice(5) < born.slice(5) ? 1 : 0);
    expect(ageAt(entry.date)).toBe(age);
  });

  it('enters with one 0110 and holds at most one consultation per day', () => {
    expect(entry.code).toBe('0110');
    expect(visits.filter((v) => ['0110', '0261', '0262'].includes(v.code))).toHaveLength(1);
    expect(new Set(visits.map((v) => v.date)).size).toBe(visits.length);
  });

  it('keeps education to two, 0266 to six within three months, and 0264 to one per ISO week and six in all', () => {
    expect(visits.filter((v) => v.code === '0263' || v.code === '0265').length).toBeLessThanOrEqual(2);
    const training = visits.filter((v) => v.code === '0266');
    expect(training.length).toBeLessThanOrEqual(6);
    for (const t of training) expect(t.date <= addMonths(entry.date, 3)).toBe(true);
    const group = visits.filter((v) => v.code === '0264');
    expect(group.length).toBeLessThanOrEqual(6);
    expect(new Set(group.map((g) => isoWeek(g.date))).size).toBe(group.length);
  });

  it('ends with one 0267 followed only by two 0268 within 28 days of the 3- and 9-month targets, by 2026-11-20', () => {
    expect(visits.filter((v) => v.code === '0267')).toHaveLength(1);
    const after = visits.slice(finalIndex + 1);
    expect(after.map((v) => v.code)).toEqual(['0268', '0268']);
    [3, 9].forEach((months, i) => {
      const target = addMonths(final.date, months);
      expect(Math.abs(dayNumber(after[i]?.date ?? '') - dayNumber(target))).toBeLessThanOrEqual(28);
    });
    expect((after[1]?.date ?? '') <= '2026-11-20').toBe(true);
  });

  it('has the baseline, final and follow-up scores the course requires', () => {
    for (const instrument of baseline) expect(has(instrument, entry.date, 30), `baseline ${instrument}`).toBe(true);
    for (const v of visits.filter((x) => x.code === '0267' || x.code === '0268')) {
      expect(has('odi', v.date, 14), `ODI at ${v.code} ${v.date}`).toBe(true);
      expect(has('psfs', v.date, 14), `PSFS at ${v.code} ${v.date}`).toBe(true);
    }
  });

  it('improves by a clinically important change from entry to the final consultation', () => {
    const at = (instrument: string, date: string, lookBack: number): number | undefined =>
      scores.find((s) => s.instrument === instrument && dayNumber(date) - dayNumber(s.date) >= 0 && dayNumber(date) - dayNumber(s.date) <= lookBack)?.value;
    expect((at('odi', entry.date, 30) ?? 0) - (at('odi', final.date, 14) ?? 100)).toBeGreaterThanOrEqual(10);
    const psfsEntry = scores.find((s) => s.instrument === 'psfs')?.value ?? 10;
    expect((at('psfs', final.date, 14) ?? 0) - psfsEntry).toBeGreaterThanOrEqual(2);
  });
});
