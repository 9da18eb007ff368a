import { InstrumentOptionError } from './errors.js';
import { scorePercentOfMax } from './scoring.js';
import type { Bilingual } from './texts.js';

/**
 * Oswestry Disability Index 2.1a (instruments.md). Pure: the FHIR mapper extracts the ticked ordinal scores per
 * section (from ordinalValue extensions or our answer codes) and passes them here.
 */

export const ODI_SECTION_COUNT = 10;
/** Index of the sex-life section (the 8th): may be skipped, and a skip is a missing section, never a 0. */
export const ODI_SEX_LIFE_SECTION = 7;
export const ODI_MAX_STATEMENT_SCORE = 5;
export const ODI_DEFAULT_MIN_ANSWERED = 9;

export const ODI_BANDS = [
  { band: 'minimal', upTo: 20, label: { da: 'Minimalt funktionstab', en: 'Minimal disability' } },
  { band: 'moderate', upTo: 40, label: { da: 'Moderat funktionstab', en: 'Moderate disability' } },
  { band: 'severe', upTo: 60, label: { da: 'Svært funktionstab', en: 'Severe disability' } },
  { band: 'crippled', upTo: 80, label: { da: 'Invaliderende', en: 'Crippled' } },
  {
    band: 'bed-bound',
    upTo: 100,
    label: { da: 'Sengeliggende eller overdrivelse af symptomer', en: 'Bed-bound or exaggerating symptoms' },
  },
] as const satisfies readonly { band: string; upTo: number; label: Bilingual }[];

export type OdiBand = (typeof ODI_BANDS)[number]['band'];

/** For each of the ten sections, the ordinal scores (0-5) ticked: [] = not answered, two ticks = take the higher. */
export type OdiSections = readonly (readonly number[])[];

export interface OdiOptions {
  /** Fewest answered sections that still give a score (1-10). */
  readonly minAnswered?: number;
}

export interface OdiScored {
  readonly status: 'scored';
  /**
   * Whole percent (0-100). ODI is reported and coded (LOINC 97909-6) as a whole percent, and with nine answered
   * sections the exact value is a repeating decimal (17/45 = 37.77...); rounding once here means the card, the
   * band and the comparison with a stated score all use the same number. Halves round up.
   */
  readonly percent: number;
  /** Unrounded percent, for change computations that want full precision. */
  readonly percentExact: number;
  readonly answered: number;
  readonly sum: number;
  /** Band of the rounded `percent`, so the displayed number and its band always agree. */
  readonly band: OdiBand;
  readonly bandLabel: Bilingual;
  /** The score used per section (the higher one when ticked twice), null when not answered. */
  readonly sectionScores: readonly (number | null)[];
  /** Indexes (0-9) of sections with more than one tick. */
  readonly doubleTicks: readonly number[];
  /** Indexes (0-9) of unanswered sections. */
  readonly missing: readonly number[];
}

export interface OdiIncomplete {
  readonly status: 'incomplete';
  readonly answered: number;
  readonly minAnswered: number;
  readonly missing: readonly number[];
}

export interface OdiInvalid {
  readonly status: 'invalid';
  readonly reason: string;
  /** Index (0-9) of the offending section, when one is at fault. */
  readonly section?: number;
}

export type OdiResult = OdiScored | OdiIncomplete | OdiInvalid;

export function odiBand(percent: number): OdiBand {
  for (const b of ODI_BANDS) if (percent <= b.upTo) return b.band;
  return 'bed-bound';
}

export function odiBandLabel(band: OdiBand): Bilingual {
  return ODI_BANDS.find((b) => b.band === band)!.label;
}

export function scoreOdi(sections: OdiSections, options: OdiOptions = {}): OdiResult {
  const minAnswered = options.minAnswered ?? ODI_DEFAULT_MIN_ANSWERED;
  let r;
  try {
    r = scorePercentOfMax(sections, { itemCount: ODI_SECTION_COUNT, itemMax: ODI_MAX_STATEMENT_SCORE, minAnswered });
  } catch (e) {
    throw new InstrumentOptionError(`ODI ${(e as Error).message}`);
  }
  if (r.status === 'invalid') {
    const reason = r.reason.replace(/^expected \d+ items/, `ODI has ${ODI_SECTION_COUNT} sections`).replace(/^item /, 'section ');
    return r.item === undefined ? { status: 'invalid', reason } : { status: 'invalid', reason, section: r.item };
  }
  if (r.status === 'incomplete') return r;
  const band = odiBand(r.percent);
  return {
    status: 'scored', percent: r.percent, percentExact: r.percentExact, answered: r.answered, sum: r.sum, band,
    bandLabel: odiBandLabel(band), sectionScores: r.itemScores, doubleTicks: r.doubleTicks, missing: r.missing,
  };
}
