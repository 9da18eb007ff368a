/**
 * The worklist: what is due for one patient's course, read off the engine's facts (course-facts.ts). The actions
 * and their definitions are in the README section "Worklist and quality report".
 */
import { addDays, type CourseType, type LocalDate } from '../course/index.js';
import type { CourseFacts } from './course-facts.js';
import { WORKLIST_TEXTS, type Language, type TextParams } from './texts.js';

export const WORKLIST_ACTIONS = [
  'follow-up-due', 'follow-up-overdue', 'final-due', 'scores-missing', 'limit-near', 'type-unknown',
] as const;
export type WorklistAction = (typeof WORKLIST_ACTIONS)[number];

/** Default look-ahead: a follow-up target or a window end within this many days is listed. */
export const DEFAULT_HORIZON_DAYS = 14;

export interface WorklistItem {
  readonly patientId: string;
  readonly courseType: CourseType | null;
  readonly action: WorklistAction;
  /** Local date (Europe/Copenhagen). */
  readonly due: LocalDate;
  readonly code: string | null;
  readonly text: string;
}

export interface WorklistOptions {
  readonly horizonDays: number;
  readonly lang: Language;
}

export function worklistItems(f: CourseFacts, options: WorklistOptions): WorklistItem[] {
  const ref = f.referenceDate;
  const horizon = addDays(ref, options.horizonDays);
  const texts = WORKLIST_TEXTS[options.lang];
  const out: WorklistItem[] = [];
  const item = (action: WorklistAction, due: LocalDate, code: string | null, params: Omit<TextParams, 'code' | 'due'> = {}): void => {
    out.push({ patientId: f.patientId, courseType: f.courseType, action, due, code, text: texts[action]({ code, due, ...params }) });
  };

  // Follow-ups: each target the engine left unmatched, while the limit allows another follow-up consultation.
  if (f.finalDate !== undefined) {
    let left = f.followUpsLeft;
    for (const t of f.followUpTargets) {
      if (t.heldDate !== undefined || left <= 0) continue;
      left -= 1;
      const latest = addDays(t.date, f.followUpToleranceDays);
      if (ref > latest) item('follow-up-overdue', t.date, f.followUpCode, { months: t.months, latest });
      else if (t.date <= horizon) item('follow-up-due', t.date, f.followUpCode, { months: t.months, latest });
    }
  }

  if (f.finalDue) item('final-due', f.finalDueDate ?? ref, f.finalCode);

  for (const m of f.missingScores) item('scores-missing', m.date, m.code, { instruments: m.instruments.map((i) => f.instrumentNames[i] ?? i) });

  // Limit near: only the limit of the step the course is in, and only while the course is open.
  const limit = f.stepLimit;
  if (limit && f.finalDate === undefined && limit.count <= limit.limit) {
    const windowOpen = limit.windowEnd === undefined || ref <= limit.windowEnd;
    if (limit.count === limit.limit && windowOpen) {
      item('limit-near', limit.windowEnd ?? ref, limit.code, { count: limit.count, limit: limit.limit });
    } else if (limit.windowEnd !== undefined && windowOpen && limit.windowEnd <= horizon) {
      item('limit-near', limit.windowEnd, limit.code, { count: limit.count, limit: limit.limit, window: true });
    }
  }

  if (f.typeUnknown) item('type-unknown', ref, null);
  return out;
}

/** The worklist's order: by due date, then patient, then action. */
export function compareItems(a: WorklistItem, b: WorklistItem): number {
  return cmp(a.due, b.due) || cmp(a.patientId, b.patientId) || WORKLIST_ACTIONS.indexOf(a.action) - WORKLIST_ACTIONS.indexOf(b.action)
    || cmp(a.code ?? '', b.code ?? '');
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
