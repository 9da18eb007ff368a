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

/**
 * Change per activity, matched by id only (never by label: a re-worded label is still the same goal). Activities
 * rated only once are left out.
 */
export function psfsActivityChanges(
  baseline: readonly PsfsActivityScore[],
  current: readonly PsfsActivityScore[],
  thresholdPoints: number = PSFS_ACTIVITY_CHANGE_POINTS,
): PsfsActivityChange[] {
  const before = new Map(baseline.map((a) => [a.id, a] as const));
  const out: PsfsActivityChange[] = [];
  for (const now of current) {
    const then = before.get(now.id);
    if (!then) continue;
    const change = round1(now.value - then.value);
    const label = now.label ?? then.label;
    out.push({
      id: now.id,
      ...(label !== undefined ? { label } : {}),
      baseline: then.value,
      current: now.value,
      change,
      clinicallyImportant: Math.abs(change) >= thresholdPoints,
    });
  }
  return out;
}
