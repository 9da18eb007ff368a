import type { Instrument } from '../course/types.js';

/**
 * Clinically important change per instrument (instruments.md). Absolute points and/or percent of baseline; the
 * change is important when either threshold is reached. Configurable through the course configuration.
 */
export interface ChangeThreshold {
  readonly points: number;
  /** Percent of baseline; omitted when the instrument has no percent criterion (PSFS). */
  readonly percent?: number;
}

export type ChangeThresholds = Readonly<Record<Instrument, ChangeThreshold>>;

export const DEFAULT_CHANGE_THRESHOLDS: ChangeThresholds = {
  odi: { points: 10, percent: 30 }, // Ostelo et al. 2008
  psfs: { points: 2 }, // Stratford et al. 1995, on the mean
  nprs: { points: 2, percent: 30 },
};

/** Higher is better only for PSFS; ODI and NPRS measure disability and pain. */
export const HIGHER_IS_BETTER: Readonly<Record<Instrument, boolean>> = { odi: false, psfs: true, nprs: false };

export interface ChangeResult {
  /** current - baseline, rounded to one decimal. */
  readonly change: number;
  /** Change as percent of baseline (null when the baseline is 0). */
  readonly percentChange: number | null;
  readonly improved: boolean;
  /** The improvement or worsening reaches the instrument's threshold. */
  readonly clinicallyImportant: boolean;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function scoreChange(
  instrument: Instrument,
  baseline: number,
  current: number,
  thresholds: ChangeThresholds = DEFAULT_CHANGE_THRESHOLDS,
): ChangeResult {
  const change = round1(current - baseline);
  const percentChange = baseline === 0 ? null : round1(((current - baseline) / baseline) * 100);
  const improved = HIGHER_IS_BETTER[instrument] ? change > 0 : change < 0;
  const t = thresholds[instrument];
  const byPoints = Math.abs(change) >= t.points;
  const byPercent = t.percent !== undefined && percentChange !== null && Math.abs(percentChange) >= t.percent;
  return { change, percentChange, improved, clinicallyImportant: change !== 0 && (byPoints || byPercent) };
}
