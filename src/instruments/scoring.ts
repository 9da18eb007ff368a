import { InstrumentOptionError } from './errors.js';

/**
 * The scoring methods of the instrument registry (src/course/definitions), pure: the FHIR mapper extracts the
 * ordinals or ratings per item and passes them here with the instrument's numbers.
 */

export type PercentOfMaxResult =
  | {
    readonly status: 'scored';
    /** Rounded to the instrument's decimals (halves up); the card, a band and a comparison all use it. */
    readonly percent: number;
    readonly percentExact: number;
    readonly answered: number;
    readonly sum: number;
    /** The score used per item (the higher one when ticked twice), null when not answered. */
    readonly itemScores: readonly (number | null)[];
    readonly doubleTicks: readonly number[];
    readonly missing: readonly number[];
  }
  | { readonly status: 'incomplete'; readonly answered: number; readonly minAnswered: number; readonly missing: readonly number[] }
  | { readonly status: 'invalid'; readonly reason: string; readonly item?: number };

const roundTo = (n: number, decimals: number): number => Math.round(n * 10 ** decimals) / 10 ** decimals;

/**
 * Percent of the maximum over the answered items (ODI): sum / (itemMax x answered) x 100, with at least
 * `minAnswered` items answered; two ticks in one item take the higher; an unanswered item is missing, never 0.
 */
export function scorePercentOfMax(
  items: readonly (readonly number[])[],
  options: { readonly itemCount: number; readonly itemMax: number; readonly minAnswered: number; readonly decimals?: number },
): PercentOfMaxResult {
  const { itemCount, itemMax, minAnswered } = options;
  if (!Number.isInteger(minAnswered) || minAnswered < 1 || minAnswered > itemCount) {
    throw new InstrumentOptionError(`minAnswered must be an integer from 1 to ${itemCount}, not ${minAnswered}`);
  }
  if (!Array.isArray(items) || items.length !== itemCount) {
    return { status: 'invalid', reason: `expected ${itemCount} items, got ${Array.isArray(items) ? items.length : typeof items}` };
  }
  const itemScores: (number | null)[] = [];
  const doubleTicks: number[] = [];
  const missing: number[] = [];
  for (let i = 0; i < itemCount; i++) {
    const ticks = items[i];
    if (!Array.isArray(ticks)) return { status: 'invalid', reason: `item ${i + 1} is not a list of ticks`, item: i };
    for (const t of ticks) {
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > itemMax) {
        return { status: 'invalid', reason: `item ${i + 1} has score ${String(t)}, expected an integer 0-${itemMax}`, item: i };
      }
    }
    if (ticks.length === 0) {
      itemScores.push(null);
      missing.push(i);
      continue;
    }
    if (ticks.length > 1) doubleTicks.push(i);
    itemScores.push(Math.max(...ticks));
  }
  const answered = itemCount - missing.length;
  if (answered < minAnswered) return { status: 'incomplete', answered, minAnswered, missing };
  const sum = itemScores.reduce<number>((acc, s) => acc + (s ?? 0), 0);
  // Multiply before dividing: 19 * 100 / 50 is exactly 38, whereas 19 / 50 * 100 is 38.00000000000001.
  const percentExact = (sum * 100) / (itemMax * answered);
  return { status: 'scored', percent: roundTo(percentExact, options.decimals ?? 0), percentExact, answered, sum, itemScores, doubleTicks, missing };
}

/**
 * Subscales scored 0-100 from their items' mean ordinal (KOOS/HOOS-style): mean / itemMax x 100, reversed when 100
 * means no problems. A subscale with fewer than `minAnswered` answered items has no score (missing, not 0).
 */
export function scoreSubscales(
  subscales: readonly { readonly id: string; readonly ordinals: readonly (number | undefined)[] }[],
  options: { readonly itemMax: number; readonly minAnswered?: number; readonly reverse?: boolean; readonly decimals?: number },
): { readonly scored: readonly { id: string; value: number }[]; readonly missing: readonly string[] } {
  const scored: { id: string; value: number }[] = [];
  const missing: string[] = [];
  for (const s of subscales) {
    const answered = s.ordinals.filter((o): o is number => o !== undefined);
    // Without a stated minimum, half of the subscale's items (KOOS's user's guide).
    const min = options.minAnswered ?? Math.ceil(s.ordinals.length / 2);
    if (answered.length === 0 || answered.length < min) {
      missing.push(s.id);
      continue;
    }
    const share = answered.reduce((a, b) => a + b, 0) / answered.length / options.itemMax;
    scored.push({ id: s.id, value: roundTo((options.reverse ? 1 - share : share) * 100, options.decimals ?? 0) });
  }
  return { scored, missing };
}

/** A value within an instrument's range, finite. */
export const withinRange = (value: unknown, range: { readonly min: number; readonly max: number }): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= range.min && value <= range.max;
