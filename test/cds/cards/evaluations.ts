import type { Evaluation, Facts, Finding, RuleId, ScoreChange, Severity } from '../../../src/course/types.js';

/** Hand-made evaluations: the card layer is tested on the engine's contract, not on the engine. */

export function finding(
  ruleId: RuleId,
  kind: string,
  options: { severity?: Severity; causedByCurrent?: boolean; ids?: string[]; facts?: Facts } = {},
): Finding {
  const causedByCurrent = options.causedByCurrent ?? false;
  return {
    ruleId,
    kind,
    severity: options.severity ?? (causedByCurrent ? 'warning' : 'info'),
    causedByCurrent,
    consultationIds: options.ids ?? ['enc-1'],
    facts: options.facts ?? {},
  };
}

export const ODI_CHANGE: ScoreChange = {
  instrument: 'odi',
  baseline: { id: 'obs-odi-1', instrument: 'odi', date: '2026-09-01', value: 42 },
  current: { id: 'obs-odi-2', instrument: 'odi', date: '2026-11-25', value: 18 },
  change: -24,
  percentChange: -57.1,
  improved: true,
  clinicallyImportant: true,
};

export const PSFS_CHANGE: ScoreChange = {
  instrument: 'psfs',
  baseline: { id: 'obs-psfs-1', instrument: 'psfs', date: '2026-09-01', value: 3.3 },
  current: { id: 'obs-psfs-2', instrument: 'psfs', date: '2026-11-25', value: 4.5 },
  change: 1.2,
  percentChange: 36.4,
  improved: true,
  clinicallyImportant: false,
  basis: 'shared-activities',
  baselineValue: 3.5,
  currentValue: 4.5,
  activities: [
    { id: 'a1', label: 'Løfte barnebarn', baseline: 2, current: 5, change: 3, clinicallyImportant: true },
    { id: 'a2', label: 'Cykle til arbejde', baseline: 5, current: 4, change: -1, clinicallyImportant: false },
  ],
};

/** One finding of the rule, with the rule's realistic (or extreme) facts. */
export function ruleFinding(
  ruleId: Exclude<RuleId, 'next-consultation'>,
  options: { kind?: string; causedByCurrent?: boolean; severity?: Severity; extreme?: boolean; ids?: string[] } = {},
): Finding {
  const facts = (options.extreme ? EXTREME_FACTS : REALISTIC_FACTS)[ruleId];
  return finding(ruleId, options.kind ?? KINDS[ruleId][0] ?? 'finding', {
    facts,
    ...(options.causedByCurrent !== undefined ? { causedByCurrent: options.causedByCurrent } : {}),
    ...(options.severity ? { severity: options.severity } : {}),
    ...(options.ids ? { ids: options.ids } : {}),
  });
}

export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    referenceDate: '2026-11-25',
    hasCourse: true,
    type: 'recurrent',
    progress: {
      entryDate: '2026-09-01',
      counts: { '0110': 1, '0263': 1, '0266': 6, '0264': 3 },
      facts: {
        courseType: 'recurrent', currentStep: 'individual-training', anchorDate: '2026-09-01', anchorSource: 'entry',
        limits: [
          { id: 'education', rule: 'education-limit', kind: 'per-course', codes: ['0263', '0265'], max: 2, count: 1 },
          { id: 'individual-training', rule: 'individual-training-limit', kind: 'window', codes: ['0266'], max: 6, count: 6, windowStart: '2026-09-01', windowEnd: '2026-12-01' },
          { id: 'group-training-week', rule: 'group-training-frequency', kind: 'per-iso-week', codes: ['0264'], max: 1 },
          { id: 'group-training-total', rule: 'group-training-frequency', kind: 'per-course', codes: ['0264'], max: 6, count: 3 },
        ],
        finalCode: '0267', followUpCode: '0268', finalDue: false, finalDueDate: '2026-10-27', followUpCount: 0,
        followUpLimit: 2, followUpTargets: [], followUpToleranceDays: 28, courseComplete: false,
      },
    },
    recommendations: [
      { code: '0264', rank: 1, reason: 'repeat-step', facts: { step: 'group-training', count: 3, plan: 6, limit: 6, notBefore: '2026-11-30' } },
      { code: '0267', rank: 2, reason: 'next-step', facts: { step: 'final', plan: 1 } },
      { code: '0269', rank: 3, reason: 'supplement', facts: { step: 'individual-training', count: 0 } },
    ],
    findings: [],
    outcome: { baseline: {}, latest: {}, changes: [] },
    ...overrides,
  };
}

/** Kinds per rule, as the engine (src/course/rules/) emits them. */
export const KINDS: Readonly<Record<Exclude<RuleId, 'next-consultation'>, readonly string[]>> = {
  'course-entry': ['orphan-companion', 'no-entry', 'before-entry', 'second-entry'],
  'education-limit': ['over-limit'],
  'individual-education-exception': ['group-preferred', 'exception'],
  'individual-training-limit': ['over-limit', 'after-window'],
  'group-training-frequency': ['same-week', 'over-limit'],
  'one-per-day': ['same-day'],
  'final-consultation': ['second-final', 'after-final'],
  'follow-up-timing': ['without-final', 'before-final', 'over-limit', 'early', 'late'],
  'missing-baseline-scores': ['missing', 'unavailable'],
  'missing-final-scores': ['missing', 'unavailable'],
  'follow-up-scores': ['missing', 'unavailable'],
  'outcome-change': ['change', 'unavailable'],
  'course-type-unknown': ['unknown'],
};

/** The facts the engine gives with each rule's findings (realistic values). */
export const REALISTIC_FACTS: Readonly<Record<Exclude<RuleId, 'next-consultation'>, Facts>> = {
  'course-entry': { code: '0262', date: '2026-11-25', entryDate: '2026-09-01', entryCode: '0110', count: 3, firstDate: '2026-09-01' },
  'education-limit': { code: '0265', date: '2026-11-25', ordinal: 3, count: 3, limit: 2 },
  'individual-education-exception': { code: '0265', date: '2026-11-25', courseType: 'persistent', preferredCode: '0263' },
  'individual-training-limit': {
    code: '0266', date: '2026-11-25', count: 7, limit: 6, windowMonths: 3, windowStart: '2026-09-01',
    windowEnd: '2026-12-01', anchor: 'entry', ordinal: 7,
  },
  'group-training-frequency': {
    code: '0264', date: '2026-11-12', week: '2026-W46', weekStart: '2026-11-09', inWeek: 2, limitPerWeek: 1,
    count: 4, limit: 6, ordinal: 7,
  },
  'one-per-day': { date: '2026-11-25', codes: ['0266', '0269'], count: 2 },
  'final-consultation': { code: '0266', date: '2026-11-25', finalDate: '2026-11-20' },
  'follow-up-timing': {
    code: '0268', date: '2026-11-25', finalDate: '2026-06-20', targetDate: '2026-09-20', targetMonths: 3,
    daysOff: 66, toleranceDays: 28, earliest: '2026-08-23', latest: '2026-10-18', targets: ['2026-09-20', '2027-03-20'],
    ordinal: 3, limit: 2,
  },
  'missing-baseline-scores': {
    required: ['odi', 'psfs'], entryDate: '2026-11-25', lookBackDays: 30, windowStart: '2026-10-26',
    windowEnd: '2026-11-25', missing: ['odi', 'psfs'],
  },
  'missing-final-scores': {
    required: ['odi', 'psfs'], finalDate: '2026-11-25', lookBackDays: 14, windowStart: '2026-11-11',
    windowEnd: '2026-11-25', missing: ['psfs'],
  },
  'follow-up-scores': {
    date: '2026-11-25', required: ['odi', 'psfs'], missing: ['odi', 'psfs'], lookBackDays: 14,
    windowStart: '2026-11-11', windowEnd: '2026-11-25',
  },
  'outcome-change': { code: '0267', date: '2026-11-25', anyClinicallyImportant: true },
  'course-type-unknown': { commonCodes: ['0110', '0261', '0262', '0265', '0263', '0267', '0268'] },
};

/** The same facts at their extremes: the longest codes, huge counts, every instrument missing. */
export const EXTREME_FACTS: Readonly<Record<Exclude<RuleId, 'next-consultation'>, Facts>> = {
  'course-entry': { ...REALISTIC_FACTS['course-entry'], code: '0262', count: 123456 },
  'education-limit': { code: '0265', date: '2026-12-31', ordinal: 123456, count: 123456, limit: 99999 },
  'individual-education-exception': { code: '0265', date: '2026-12-31', courseType: 'recurrent', preferredCode: '0263' },
  'individual-training-limit': {
    ...REALISTIC_FACTS['individual-training-limit'], count: 123456, limit: 99999, windowMonths: 120, ordinal: 123456,
    windowEnd: '2036-12-31', anchor: 'first',
  },
  'group-training-frequency': { ...REALISTIC_FACTS['group-training-frequency'], week: '2026-W53', limit: 99999, ordinal: 123456 },
  'one-per-day': { date: '2026-12-31', codes: ['0110', '0262', '0266', '0269', '0113', '0265'], count: 6 },
  'final-consultation': { code: '0262', date: '2026-12-31', finalDate: '2026-12-30' },
  'follow-up-timing': { ...REALISTIC_FACTS['follow-up-timing'], daysOff: -3650, targetDate: '2036-12-31', ordinal: 999, limit: 99999 },
  'missing-baseline-scores': { ...REALISTIC_FACTS['missing-baseline-scores'], missing: ['odi', 'psfs', 'nprs'], lookBackDays: 3650 },
  'missing-final-scores': { ...REALISTIC_FACTS['missing-final-scores'], missing: ['odi', 'psfs', 'nprs'] },
  'follow-up-scores': { ...REALISTIC_FACTS['follow-up-scores'], missing: ['odi', 'psfs', 'nprs'] },
  'outcome-change': { code: '0268', date: '2026-12-31', anyClinicallyImportant: true },
  'course-type-unknown': REALISTIC_FACTS['course-type-unknown'],
};

export const NPRS_CHANGE: ScoreChange = {
  instrument: 'nprs',
  baseline: { id: 'obs-nprs-1', instrument: 'nprs', date: '2026-09-01', value: 10 },
  current: { id: 'obs-nprs-2', instrument: 'nprs', date: '2026-12-31', value: 0 },
  change: -10,
  percentChange: -100,
  improved: true,
  clinicallyImportant: true,
};

/** Every change at its widest: ODI -100, PSFS +10, NPRS -10, all clinically important. */
export const EXTREME_CHANGES: readonly ScoreChange[] = [
  { ...ODI_CHANGE, change: -100, baseline: { ...ODI_CHANGE.baseline, value: 100 }, current: { ...ODI_CHANGE.current, value: 0 } },
  { ...PSFS_CHANGE, change: 10, baselineValue: 0, currentValue: 10, clinicallyImportant: true },
  NPRS_CHANGE,
];
