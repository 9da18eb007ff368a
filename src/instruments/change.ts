/**
 * Clinically important change (instruments.md): absolute points and/or percent of baseline; the change is
 * important when either threshold is reached. The thresholds and the direction are the instrument's data
 * (its Questionnaire in fhir-resources/, overridable through CDS_CONFIG).
 */
export interface ChangeThreshold {
  readonly points: number;
  /** Percent of baseline; omitted when the instrument has no percent criterion (PSFS). */
  readonly percent?: number;
}

export interface ChangeRule {
  readonly higherIsBetter: boolean;
  readonly change: ChangeThreshold;
}

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

export function scoreChange(baseline: number, current: number, rule: ChangeRule): ChangeResult {
  const change = round1(current - baseline);
  const percentChange = baseline === 0 ? null : round1(((current - baseline) / baseline) * 100);
  const improved = rule.higherIsBetter ? change > 0 : change < 0;
  const t = rule.change;
  const byPoints = Math.abs(change) >= t.points;
  const byPercent = t.percent !== undefined && percentChange !== null && Math.abs(percentChange) >= t.percent;
  return { change, percentChange, improved, clinicallyImportant: change !== 0 && (byPoints || byPercent) };
}
