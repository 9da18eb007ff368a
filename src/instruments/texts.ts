/**
 * Short texts of the instruments, Danish first. These are titles and our own neutral wording only: the ODI
 * statements belong to their authors (Mapi Research Trust; the Danish translation by Lauridsen et al. 2006 is
 * licensed), so the Questionnaires carry placeholders that a licensed copy replaces under the same canonical URL
 * and linkIds.
 */

export interface Bilingual {
  readonly da: string;
  readonly en: string;
}

export const InstrumentName = {
  odi: { da: 'Oswestry Disability Index (ODI) 2.1a', en: 'Oswestry Disability Index (ODI) 2.1a' },
  psfs: { da: 'Patient Specifik Funktionel Skala (PSFS)', en: 'Patient-Specific Functional Scale (PSFS)' },
  nprs: { da: 'Numerisk smerteskala (NPRS)', en: 'Numeric Pain Rating Scale (NPRS)' },
} as const satisfies Record<string, Bilingual>;

/** The ten ODI sections in questionnaire order; index 7 (sex life) may legitimately be skipped. */
export const ODI_SECTION_TITLES = [
  { da: 'Smerteintensitet', en: 'Pain intensity' },
  { da: 'Personlig pleje', en: 'Personal care' },
  { da: 'Løft', en: 'Lifting' },
  { da: 'Gang', en: 'Walking' },
  { da: 'Siddende', en: 'Sitting' },
  { da: 'Stående', en: 'Standing' },
  { da: 'Søvn', en: 'Sleeping' },
  { da: 'Seksualliv (hvis relevant)', en: 'Sex life (if applicable)' },
  { da: 'Socialt liv', en: 'Social life' },
  { da: 'Rejser', en: 'Travelling' },
] as const satisfies readonly Bilingual[];

/** Placeholder for statement `score` (0-5) of any section; a licensed copy replaces it. */
export function odiStatementPlaceholder(score: number): Bilingual {
  if (score === 0) return { da: 'Udsagn 0 (mindst besvær)', en: 'Statement 0 (least disability)' };
  if (score === 5) return { da: 'Udsagn 5 (størst besvær)', en: 'Statement 5 (most disability)' };
  return { da: `Udsagn ${score}`, en: `Statement ${score}` };
}

export const ODI_LICENCE_NOTE: Bilingual = {
  da:
    'Strukturen, linkIds, koder og ordinalværdier er ODI 2.1a; udsagnenes ordlyd er pladsholdere. ODI-teksten ' +
    'tilhører forfatterne (distribueres af Mapi Research Trust); en licenseret dansk version (Lauridsen et al. 2006) ' +
    'erstatter pladsholderne under samme kanoniske URL og linkIds.',
  en:
    'Structure, linkIds, codes and ordinal values are those of ODI 2.1a; the statement wording is a placeholder. ' +
    'The ODI text belongs to its authors (distributed by Mapi Research Trust); a licensed Danish version ' +
    '(Lauridsen et al. 2006) replaces the placeholders under the same canonical URL and linkIds.',
};

export const PsfsText = {
  intro: {
    da: 'Nævn op til fem aktiviteter, som du har svært ved på grund af dine rygsmerter, og angiv hvor godt du kan udføre hver af dem i dag.',
    en: 'Name up to five activities that are difficult because of your back pain, and rate how well you can do each of them today.',
  },
  slot: (n: number): Bilingual => ({ da: `Aktivitet ${n}`, en: `Activity ${n}` }),
  activity: {
    da: 'Aktivitet, som du har svært ved på grund af dine rygsmerter',
    en: 'Activity that is difficult because of your back pain',
  },
  score: {
    da: 'Hvor godt kan du udføre aktiviteten i dag? 0 = kan slet ikke, 10 = som før problemet',
    en: 'How well can you do this activity today? 0 = unable, 10 = as before the problem',
  },
  mean: { da: 'PSFS gennemsnit (0-10)', en: 'PSFS mean score (0-10)' },
} as const;

export const NprsText = {
  item: {
    da: 'Hvor stærke er dine smerter lige nu? 0 = ingen smerter, 10 = værst tænkelige smerter',
    en: 'How strong is your pain right now? 0 = no pain, 10 = worst imaginable pain',
  },
} as const;

export const OdiText = {
  score: { da: 'ODI samlet score (%)', en: 'ODI total score (%)' },
} as const;
