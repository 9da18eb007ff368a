/**
 * A synthetic clinic population, seeded: each patient's course planned as plain data (type, consultations with
 * dates, which scores were recorded), before any FHIR. Courses of every type at every stage, with the gaps real
 * clinics have: missing questionnaires, drop-outs, late or skipped follow-ups, the odd broken limit, courses
 * whose type was never recorded. Dates are calendar days computed here with UTC day numbers, independently of
 * the engine, so tests can derive expectations from a plan by hand.
 */

export type PlanType = 'self-training' | 'recurrent' | 'persistent' | null;
export type Instrument = 'odi' | 'psfs' | 'nprs';

export interface PlannedScore {
  readonly instrument: Instrument;
  readonly date: string;
  readonly value: number;
}

export interface PlannedConsultation {
  readonly code: string;
  readonly date: string;
}

export interface PatientPlan {
  readonly index: number;
  readonly patientId: string;
  readonly type: PlanType;
  readonly entryDate: string;
  /** Held consultations (on or before the reference date), in date order. */
  readonly consultations: readonly PlannedConsultation[];
  readonly scores: readonly PlannedScore[];
  /** A booked Appointment for the next consultation, when one is planned. */
  readonly booked?: PlannedConsultation;
  readonly finalDate?: string;
  /** The course stopped before its final consultation. */
  readonly droppedOut: boolean;
  /** Recorded without EpisodeOfCare.type and without CarePlan. */
  readonly episodeFinished: boolean;
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY_MS = 86_400_000;
export const dayNumber = (iso: string): number => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** Same day n months later, clipped to the month's end (the course model's months). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** How far back course entries reach: long enough for the 9-month follow-up of early courses to fall due. */
export const ENTRY_SPAN_DAYS = 540;

interface Rng {
  (): number;
}
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const chance = (r: Rng, p: number): boolean => r() < p;
const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const round1 = (v: number): number => Math.round(v * 10) / 10;

function pickType(r: Rng): PlanType {
  const x = r();
  return x < 0.3 ? 'self-training' : x < 0.7 ? 'recurrent' : x < 0.95 ? 'persistent' : null;
}

/** The codes of a course in order, with the day offset of each from the entry. */
function courseSteps(r: Rng, type: PlanType): { code: string; offset: number }[] {
  const steps: { code: string; offset: number }[] = [{ code: '0110', offset: 0 }];
  let day = 0;
  const add = (code: string, gapLo: number, gapHi: number): void => {
    day += int(r, gapLo, gapHi);
    steps.push({ code, offset: day });
  };
  const brokenLimit = chance(r, 0.05);
  if (type === 'recurrent') {
    const educations = int(r, 1, 2) + (brokenLimit ? 1 : 0);
    for (let i = 0; i < educations; i += 1) add(chance(r, 0.1) ? '0265' : '0263', 3, 7);
    for (let i = int(r, 0, 3); i > 0; i -= 1) add('0266', 3, 7);
    if (chance(r, 0.4)) add('0269', 2, 5);
    for (let i = 0; i < 6; i += 1) add('0264', 7, 7);
    day = Math.max(day, 56);
    add('0267', 0, 7);
  } else if (type === 'persistent') {
    for (let i = int(r, 1, 2); i > 0; i -= 1) add('0265', 3, 7);
    for (let i = int(r, 2, 6) + (brokenLimit ? 1 : 0); i > 0; i -= 1) add('0266', 5, 9);
    if (chance(r, 0.5)) add('0269', 2, 5);
    for (let i = int(r, 2, 5); i > 0; i -= 1) add('0113', 5, 9);
    day = Math.max(day, 84);
    add('0267', 0, 7);
  } else {
    // Self-training, and the courses whose type was never recorded (clinically any of the three).
    for (let i = int(r, 1, 2); i > 0; i -= 1) add('0265', 3, 7);
    for (let i = int(r, 1, 2); i > 0; i -= 1) add('0266', 5, 9);
    for (let i = int(r, 2, 6); i > 0; i -= 1) add('0113', 5, 9);
    add('0267', 5, 10);
  }
  return steps;
}

export function planPatient(index: number, seed: number, referenceDate: string): PatientPlan {
  const r = prng((seed * 1_000_003 + index * 7919) >>> 0);
  const type = pickType(r);
  const refDay = dayNumber(referenceDate);
  const entryDay = refDay - int(r, 0, ENTRY_SPAN_DAYS);
  const entryDate = isoOfDay(entryDay);
  const steps = courseSteps(r, type);
  // A drop-out stops somewhere after the entry and before the final consultation.
  const droppedOut = chance(r, 0.08);
  const stopAt = droppedOut ? int(r, 1, steps.length - 2) : steps.length;
  const consultations: PlannedConsultation[] = [];
  let booked: PlannedConsultation | undefined;
  for (const [i, s] of steps.entries()) {
    if (i >= stopAt) break;
    const date = isoOfDay(entryDay + s.offset);
    if (date > referenceDate) {
      if (chance(r, 0.5)) booked = { code: s.code, date };
      break;
    }
    consultations.push({ code: s.code, date });
  }
  const final = consultations.find((c) => c.code === '0267');
  // Follow-ups at about 3 and 9 months: most on time, some late, some never.
  if (final) {
    for (const months of [3, 9]) {
      if (!chance(r, months === 3 ? 0.8 : 0.6)) continue;
      const target = dayNumber(addMonths(final.date, months));
      const off = chance(r, 0.85) ? int(r, -14, 14) : int(r, 30, 60);
      const date = isoOfDay(target + off);
      if (date > referenceDate) {
        if (!booked && chance(r, 0.5)) booked = { code: '0268', date };
        continue;
      }
      consultations.push({ code: '0268', date });
    }
  }
  // Scores: baseline a few days before the entry, at the final and at each follow-up; some never filled in.
  const scores: PlannedScore[] = [];
  const entryInstruments: Instrument[] = type === 'self-training' ? ['odi', 'nprs'] : type === null ? ['odi', 'psfs'] : ['odi', 'psfs', 'nprs'];
  const base = { odi: int(r, 20, 60), psfs: round1(2 + r() * 3), nprs: int(r, 4, 8) };
  const gain = r();
  const at = (date: string, instruments: readonly Instrument[], share: number): void => {
    for (const instrument of instruments) {
      const value = instrument === 'odi' ? clamp(Math.round(base.odi - gain * 30 * share), 0, 100)
        : instrument === 'psfs' ? clamp(round1(base.psfs + gain * 5 * share), 0, 10)
          : clamp(Math.round(base.nprs - gain * 5 * share), 0, 10);
      scores.push({ instrument, date, value });
    }
  };
  if (!chance(r, 0.1)) at(isoOfDay(entryDay - int(r, 1, 5)), entryInstruments, 0);
  for (const c of consultations) {
    if (c.code === '0267' && !chance(r, 0.15)) at(isoOfDay(dayNumber(c.date) - int(r, 0, 3)), ['odi', 'psfs', 'nprs'], 1);
    if (c.code === '0268' && !chance(r, 0.3)) at(isoOfDay(dayNumber(c.date) - int(r, 0, 3)), ['odi', 'psfs'], 1.1);
  }
  const lastDay = final ? dayNumber(addMonths(final.date, 9)) + 28 : undefined;
  return {
    index,
    patientId: `pop-${seed}-${index}`,
    type,
    entryDate,
    consultations: consultations.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)),
    scores: scores.filter((s) => s.date <= referenceDate),
    ...(booked ? { booked } : {}),
    ...(final ? { finalDate: final.date } : {}),
    droppedOut,
    episodeFinished: lastDay !== undefined && lastDay < refDay,
  };
}
