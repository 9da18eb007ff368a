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

export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    referenceDate: '2026-11-25',
    hasCourse: true,
    type: 'recurrent',
    progress: {
      entryDate: '2026-09-01',
      counts: { '0110': 1, '0263': 1, '0266': 6, '0264': 3 },
      facts: { windowEnd: '2026-12-01', limits: { '0266': 6, '0264': 6 }, followUpTargets: [] },
    },
    recommendations: [
      { code: '0264', rank: 1, reason: 'repeat-step', facts: {} },
      { code: '0267', rank: 2, reason: 'next-step', facts: {} },
    ],
    findings: [],
    outcome: { baseline: {}, latest: {}, changes: [] },
    ...overrides,
  };
}

/** One realistic finding per rule that has findings of its own, with the facts the engine gives. */
export const REALISTIC_FINDINGS: Readonly<Record<Exclude<RuleId, 'next-consultation'>, Finding[]>> = {
  'course-entry': [finding('course-entry', 'orphan-0262', { causedByCurrent: true, facts: { code: '0262', date: '2026-11-25' } })],
  'education-limit': [
    finding('education-limit', 'over-limit', { causedByCurrent: true, facts: { code: '0265', date: '2026-11-25', count: 3, limit: 2 } }),
  ],
  'individual-education-exception': [
    finding('individual-education-exception', 'reminder', { severity: 'info', causedByCurrent: true, facts: { code: '0265', date: '2026-11-25' } }),
  ],
  'individual-training-limit': [
    finding('individual-training-limit', 'over-limit', {
      causedByCurrent: true,
      facts: { code: '0266', date: '2026-11-25', count: 7, limit: 6, windowMonths: 3, windowEnd: '2026-12-01' },
    }),
  ],
  'group-training-frequency': [
    finding('group-training-frequency', 'same-week', { facts: { code: '0264', date: '2026-11-12', week: '2026-W46' } }),
  ],
  'one-per-day': [finding('one-per-day', 'same-day', { causedByCurrent: true, facts: { date: '2026-11-25', codes: ['0266', '0269'] } })],
  'final-consultation': [
    finding('final-consultation', 'after-final', { causedByCurrent: true, facts: { code: '0266', date: '2026-11-25', finalDate: '2026-11-20' } }),
  ],
  'follow-up-timing': [
    finding('follow-up-timing', 'off-target', {
      causedByCurrent: true,
      facts: { code: '0268', date: '2026-11-25', targetDate: '2026-09-20', deviationDays: 66, toleranceDays: 28 },
    }),
  ],
  'missing-baseline-scores': [
    finding('missing-baseline-scores', 'missing', {
      causedByCurrent: true,
      facts: { instruments: ['odi', 'psfs'], entryDate: '2026-11-25', lookBackDays: 30 },
    }),
  ],
  'missing-final-scores': [
    finding('missing-final-scores', 'missing', { causedByCurrent: true, severity: 'warning', facts: { instruments: ['psfs'], date: '2026-11-25' } }),
  ],
  'follow-up-scores': [
    finding('follow-up-scores', 'missing', { severity: 'info', causedByCurrent: true, facts: { instruments: ['odi', 'psfs'], date: '2026-11-25' } }),
  ],
  'outcome-change': [finding('outcome-change', 'change', { severity: 'info', causedByCurrent: true, facts: {} })],
  'course-type-unknown': [finding('course-type-unknown', 'unknown', { severity: 'info', facts: {} })],
};
