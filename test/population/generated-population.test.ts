import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateNdjsonFolder } from '../../src/population/ndjson/evaluate-folder.js';
import { finishPopulation, type PopulationResult } from '../../src/population/population-result.js';
import { addMonths, dayNumber, isoOfDay, planPatient, type Instrument, type PatientPlan } from '../../scripts/population/plan.js';
import { writePopulation } from '../../scripts/population/write-population.js';

/**
 * A generated population against expectations computed here, by hand, from each patient's plan and the course
 * model's text (course-model.md): final due at entry + 56 / + 84 days or from the first 0113, follow-up targets
 * at + 3 and + 9 months with 28 days' tolerance, the required questionnaires per course type and their look-backs.
 * Nothing here calls the engine.
 */
const PATIENTS = 400;
const SEED = 7;
const REF = '2026-11-25';
const HORIZON = 14;
let dir: string;
let result: PopulationResult;
const plans: PatientPlan[] = Array.from({ length: PATIENTS }, (_, i) => planPatient(i, SEED, REF));

const plus = (iso: string, days: number): string => isoOfDay(dayNumber(iso) + days);
const ENTRY_REQUIRED: Record<string, Instrument[]> = {
  'self-training': ['odi', 'nprs'], recurrent: ['odi', 'psfs'], persistent: ['odi', 'psfs'], unknown: ['odi'],
};
const has = (p: PatientPlan, i: Instrument, from: string, to: string): boolean => p.scores.some((s) => s.instrument === i && s.date >= from && s.date <= to);
const codes = (p: PatientPlan, code: string) => p.consultations.filter((c) => c.code === code);

/** The follow-up held for a target: a 0268 from 14 days before to 60 days after it (the generator's spread). */
function heldFor(p: PatientPlan, target: string): string | undefined {
  return codes(p, '0268').find((c) => c.date >= plus(target, -14) && c.date <= plus(target, 60))?.date;
}

function expectedItems(p: PatientPlan): string[] {
  const out: string[] = [];
  const type = p.type ?? 'unknown';
  const entry = p.entryDate;
  if (p.finalDate) {
    for (const months of [3, 9]) {
      const target = addMonths(p.finalDate, months);
      if (heldFor(p, target)) continue;
      if (REF > plus(target, 28)) out.push(`${target} follow-up-overdue 0268`);
      else if (target <= plus(REF, HORIZON)) out.push(`${target} follow-up-due 0268`);
    }
  } else if (p.type === 'recurrent' && REF >= plus(entry, 56)) {
    out.push(`${plus(entry, 56)} final-due 0267`);
  } else if (p.type === 'recurrent' && codes(p, '0264').length >= 6) {
    // Due from the sixth group training, when it comes before entry + 56 days.
    out.push(`${codes(p, '0264')[5]?.date} final-due 0267`);
  } else if (p.type === 'persistent' && REF >= plus(entry, 84)) {
    out.push(`${plus(entry, 84)} final-due 0267`);
  } else if (p.type === 'self-training' && codes(p, '0113').length > 0) {
    out.push(`${codes(p, '0113')[0]?.date} final-due 0267`);
  }
  const missing = (required: Instrument[], date: string, lookBack: number) => required.filter((i) => !has(p, i, plus(date, -lookBack), date));
  const baseline = missing(ENTRY_REQUIRED[type] ?? [], entry, 30);
  if (baseline.length > 0) out.push(`${entry} scores-missing 0110 ${baseline.join('+')}`);
  if (p.finalDate) {
    const final = missing(['odi', 'psfs'], p.finalDate, 14);
    if (final.length > 0) out.push(`${p.finalDate} scores-missing 0267 ${final.join('+')}`);
  }
  for (const f of codes(p, '0268')) {
    const m = missing(['odi', 'psfs'], f.date, 14);
    if (m.length > 0) out.push(`${f.date} scores-missing 0268 ${m.join('+')}`);
  }
  if (p.type === null) out.push(`${REF} type-unknown -`);
  return out.sort();
}

const INSTRUMENT_OF: Record<string, Instrument> = { ODI: 'odi', PSFS: 'psfs', NPRS: 'nprs' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lbp-population-'));
  await writePopulation({ patients: PATIENTS, seed: SEED, referenceDate: REF, outDir: dir, patientsPerSet: 100 });
  result = finishPopulation(await evaluateNdjsonFolder(dir, { referenceDate: REF, horizonDays: HORIZON, period: 'year', lang: 'en' }, { workers: 2 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a generated population of 400 patients', () => {
  it('has courses of every type at every stage, and the gaps the worklist is for', () => {
    const types = new Set(plans.map((p) => p.type));
    expect(types).toEqual(new Set(['self-training', 'recurrent', 'persistent', null]));
    expect(plans.some((p) => p.droppedOut)).toBe(true);
    expect(plans.some((p) => !p.finalDate && !p.droppedOut)).toBe(true);
    expect(plans.some((p) => p.episodeFinished)).toBe(true);
    const actions = new Set(result.items.map((i) => i.action));
    expect(actions).toEqual(new Set(['follow-up-due', 'follow-up-overdue', 'final-due', 'scores-missing', 'limit-near', 'type-unknown']));
  });

  it('gives every patient exactly the worklist items worked out from the plan (limit-near aside)', () => {
    const actual = new Map<string, string[]>();
    for (const i of result.items) {
      if (i.action === 'limit-near') continue;
      const instruments = i.action === 'scores-missing'
        ? ` ${i.text.split(' missing')[0]!.split(/, | and /).map((n) => INSTRUMENT_OF[n]).join('+')}` : '';
      const list = actual.get(i.patientId) ?? [];
      list.push(`${i.due} ${i.action} ${i.code ?? '-'}${instruments}`);
      actual.set(i.patientId, list);
    }
    for (const p of plans) expect({ patient: p.patientId, items: (actual.get(p.patientId) ?? []).sort() }).toEqual({ patient: p.patientId, items: expectedItems(p) });
    expect(result.items.every((i) => i.courseType === plans[Number(i.patientId.split('-')[2])]?.type)).toBe(true);
  });

  it('reports started, finished, open, score completeness, course length and follow-ups on time as counted from the plans', () => {
    expect(result.report.patients).toBe(PATIENTS);
    expect(result.report.courses).toBe(PATIENTS);
    for (const type of ['self-training', 'recurrent', 'persistent', null] as const) {
      const mine = plans.filter((p) => p.type === type);
      const g = result.report.groups.find((x) => x.courseType === type && x.period === 'all');
      const finished = mine.filter((p) => p.finalDate);
      expect([g?.started, g?.finished, g?.open]).toEqual([mine.length, finished.length, mine.length - finished.length]);
      const baselineComplete = mine.filter((p) => (ENTRY_REQUIRED[type ?? 'unknown'] ?? []).every((i) => has(p, i, plus(p.entryDate, -30), p.entryDate)));
      expect(g?.baselineScoresComplete.n).toBe(baselineComplete.length);
      const finalComplete = finished.filter((p) => (['odi', 'psfs'] as const).every((i) => has(p, i, plus(p.finalDate!, -14), p.finalDate!)));
      expect([g?.finalScoresComplete.n, g?.finalScoresComplete.of]).toEqual([finalComplete.length, finished.length]);
      const lengths = finished.map((p) => dayNumber(p.finalDate!) - dayNumber(p.entryDate));
      expect(g?.courseLengthDays.n).toBe(lengths.length);
      expect(g?.courseLengthDays.mean).toBeCloseTo(lengths.reduce((a, b) => a + b, 0) / lengths.length, 1);
      for (const months of [3, 9]) {
        let of = 0;
        let onTime = 0;
        for (const p of finished) {
          const target = addMonths(p.finalDate!, months);
          const held = heldFor(p, target);
          if (!held && REF <= plus(target, 28)) continue;
          of += 1;
          if (held && Math.abs(dayNumber(held) - dayNumber(target)) <= 28) onTime += 1;
        }
        expect({ type, months, ...(g?.followUpOnTime[String(months)] ?? { n: 0, of: 0 }) }).toMatchObject({ type, months, n: onTime, of });
      }
    }
  });
});
