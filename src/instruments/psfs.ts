import type { PsfsActivityScore } from '../course/types.js';
import { PSFS_SLOT_COUNT } from './link-ids.js';

/**
 * Patient-Specific Functional Scale (instruments.md): up to five activities rated 0 (unable) to 10 (as before the
 * problem); the score is the mean. Higher is better. Each activity keeps its identity, because change is only
 * meaningful on the same activities re-rated at 0267/0268.
 */

export const PSFS_MIN = 0;
export const PSFS_MAX = 10;
/** Clinically important change on one activity (Stratford et al. 1995); the mean's threshold is in change.ts. */
export const PSFS_ACTIVITY_CHANGE_POINTS = 3;

export interface PsfsScored {
  readonly status: 'scored';
  /** Mean of the rated activities, one decimal (the precision the PSFS is reported with). */
  readonly mean: number;
  readonly meanExact: number;
  /** The activities as given, identity and label kept, in the given order. */
  readonly activities: readonly PsfsActivityScore[];
}

export interface PsfsIncomplete {
  readonly status: 'incomplete';
  readonly reason: string;
}

export interface PsfsInvalid {
  readonly status: 'invalid';
  readonly reason: string;
  readonly activityId?: string;
}

export type PsfsResult = PsfsScored | PsfsIncomplete | PsfsInvalid;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Ratings may be decimals: paper forms are sometimes transcribed as 6.5 and rejecting them would lose a score;
 * anything outside 0-10 or not a finite number is invalid.
 */
export function scorePsfs(activities: readonly PsfsActivityScore[]): PsfsResult {
  if (!Array.isArray(activities)) return { status: 'invalid', reason: 'PSFS activities must be a list' };
  if (activities.length === 0) return { status: 'incomplete', reason: 'no activity rated' };
  if (activities.length > PSFS_SLOT_COUNT) {
    return { status: 'invalid', reason: `PSFS has at most ${PSFS_SLOT_COUNT} activities, got ${activities.length}` };
  }
  const seen = new Set<string>();
  for (const a of activities) {
    if (typeof a?.id !== 'string' || a.id === '') return { status: 'invalid', reason: 'PSFS activity without id' };
    if (seen.has(a.id)) return { status: 'invalid', reason: `PSFS activity id ${a.id} appears twice`, activityId: a.id };
    seen.add(a.id);
    const v = a.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < PSFS_MIN || v > PSFS_MAX) {
      return { status: 'invalid', reason: `PSFS activity ${a.id} has value ${String(v)}, expected 0-10`, activityId: a.id };
    }
  }
  const meanExact = activities.reduce((s, a) => s + a.value, 0) / activities.length;
  return { status: 'scored', mean: round1(meanExact), meanExact, activities };
}

export interface PsfsActivityChange {
  readonly id: string;
  readonly label?: string;
  readonly baseline: number;
  readonly current: number;
  /** current - baseline, one decimal. */
  readonly change: number;
  readonly clinicallyImportant: boolean;
}

/** An activity rated now that the baseline did not rate: shown as new, never compared. */
export interface PsfsNewActivity {
  readonly id: string;
  readonly label?: string;
  readonly current: number;
}

const normalisedText = (a: PsfsActivityScore): string | undefined =>
  a.label?.normalize('NFKC').toLocaleLowerCase('da').replace(/\s+/g, ' ').replace(/[\s.,;:!?]+$/u, '').trim() || undefined;

/**
 * The identity of an activity across measurements: its text, normalised (case, spacing, composed accents, trailing
 * punctuation), so that the same goal re-rated in another slot of the form is compared with itself; an activity
 * without text is known by its item id alone. Never the position in the form.
 */
export function psfsActivityIdentity(a: PsfsActivityScore): string {
  const text = normalisedText(a);
  return text ? `text:${text}` : `id:${a.id}`;
}

export interface PsfsPairing {
  /** The activities rated both times, in the current order. */
  readonly shared: readonly PsfsActivityChange[];
  /** Activities rated now only (new or replaced goals). */
  readonly added: readonly PsfsNewActivity[];
}

/**
 * Pairs the two ratings: first by normalised text; an activity whose text is missing on one side is paired by its
 * item id (the Goal or item that carries it). Two different texts are never the same activity, whatever their
 * slots. New or replaced activities are listed apart and not compared.
 */
export function pairPsfsActivities(
  baseline: readonly PsfsActivityScore[],
  current: readonly PsfsActivityScore[],
  thresholdPoints: number = PSFS_ACTIVITY_CHANGE_POINTS,
): PsfsPairing {
  const used = new Set<PsfsActivityScore>();
  const partner = new Map<PsfsActivityScore, PsfsActivityScore>();
  for (const now of current) {
    const text = normalisedText(now);
    if (text === undefined) continue;
    const then = baseline.find((b) => !used.has(b) && normalisedText(b) === text);
    if (then) {
      used.add(then);
      partner.set(now, then);
    }
  }
  for (const now of current) {
    if (partner.has(now)) continue;
    const text = normalisedText(now);
    const then = baseline.find((b) => !used.has(b) && b.id === now.id && (text === undefined || normalisedText(b) === undefined));
    if (then) {
      used.add(then);
      partner.set(now, then);
    }
  }
  const shared: PsfsActivityChange[] = [];
  const added: PsfsNewActivity[] = [];
  for (const now of current) {
    const then = partner.get(now);
    if (!then) {
      added.push({ id: now.id, ...(now.label !== undefined ? { label: now.label } : {}), current: now.value });
      continue;
    }
    const change = round1(now.value - then.value);
    const label = now.label ?? then.label;
    shared.push({
      id: now.id,
      ...(label !== undefined ? { label } : {}),
      baseline: then.value,
      current: now.value,
      change,
      clinicallyImportant: Math.abs(change) >= thresholdPoints,
    });
  }
  return { shared, added };
}

/** Change per activity rated both times (paired by identity); activities rated only once are left out. */
export function psfsActivityChanges(
  baseline: readonly PsfsActivityScore[],
  current: readonly PsfsActivityScore[],
  thresholdPoints: number = PSFS_ACTIVITY_CHANGE_POINTS,
): PsfsActivityChange[] {
  return [...pairPsfsActivities(baseline, current, thresholdPoints).shared];
}
