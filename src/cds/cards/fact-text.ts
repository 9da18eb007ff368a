import type { Definitions } from '../../course/definitions/types.js';
import type { FactValue, Facts } from '../../course/types.js';
import type { CardLanguage } from './card-language.js';
import { consultationDisplay, courseTypeName, instrumentName, isConsultationCode, isInstrument } from './consultation-names.js';
import { formatDate, formatNumber, isLocalDateText } from './format.js';

/**
 * Facts are free-form data from the engine. The templates speak of the facts they know by name; every other fact
 * is still shown, as a labelled line, so the card never hides what the engine found. This table names the facts
 * a physiotherapist is likely to meet; an unknown key is shown as its words ("someKey" -> "Some key").
 */
const FACT_LABELS: Readonly<Record<string, Readonly<Record<CardLanguage, string>>>> = {
  count: { da: 'Antal', en: 'Count' },
  total: { da: 'I alt', en: 'Total' },
  limit: { da: 'Grænse', en: 'Limit' },
  used: { da: 'Brugt', en: 'Used' },
  remaining: { da: 'Tilbage', en: 'Remaining' },
  plan: { da: 'Plan', en: 'Plan' },
  planned: { da: 'Planlagt', en: 'Planned' },
  limits: { da: 'Grænser', en: 'Limits' },
  windowMonths: { da: 'Vindue (måneder)', en: 'Window (months)' },
  windowStart: { da: 'Vinduet starter', en: 'Window starts' },
  windowEnd: { da: 'Vinduet slutter', en: 'Window ends' },
  windowOpen: { da: 'Vinduet er åbent', en: 'Window open' },
  entryDate: { da: 'Forløbets start', en: 'Course entry' },
  entryCode: { da: 'Indgang', en: 'Entry' },
  finalDate: { da: 'Afsluttende konsultation', en: 'Final consultation' },
  finalDue: { da: 'Afslutning er aktuel', en: 'Final consultation due' },
  finalDueDate: { da: 'Afslutning aktuel fra', en: 'Final consultation due from' },
  dueDate: { da: 'Aktuel fra', en: 'Due from' },
  date: { da: 'Dato', en: 'Date' },
  dates: { da: 'Datoer', en: 'Dates' },
  code: { da: 'Ydelse', en: 'Consultation' },
  codes: { da: 'Ydelser', en: 'Consultations' },
  currentStep: { da: 'Nuværende trin', en: 'Current step' },
  step: { da: 'Trin', en: 'Step' },
  week: { da: 'Uge', en: 'Week' },
  weeks: { da: 'Uger', en: 'Weeks' },
  targetDate: { da: 'Måldato', en: 'Target date' },
  targets: { da: 'Måldatoer for opfølgning', en: 'Follow-up target dates' },
  followUpTargets: { da: 'Måldatoer for opfølgning', en: 'Follow-up target dates' },
  nextTargetDate: { da: 'Næste måldato', en: 'Next target date' },
  deviationDays: { da: 'Afvigelse (dage)', en: 'Deviation (days)' },
  toleranceDays: { da: 'Tolerance (dage)', en: 'Tolerance (days)' },
  lookBackDays: { da: 'Periode før konsultationen (dage)', en: 'Look-back (days)' },
  instrument: { da: 'Spørgeskema', en: 'Questionnaire' },
  instruments: { da: 'Spørgeskemaer', en: 'Questionnaires' },
  missing: { da: 'Mangler', en: 'Missing' },
  courseType: { da: 'Forløbstype', en: 'Course type' },
  lastDate: { da: 'Seneste dato', en: 'Latest date' },
  firstDate: { da: 'Første dato', en: 'First date' },
  preferredCode: { da: 'Foretrukken ydelse', en: 'Preferred consultation' },
  weekStart: { da: 'Ugen starter', en: 'Week starts' },
  inWeek: { da: 'Nr. i ugen', en: 'Number in the week' },
  limitPerWeek: { da: 'Grænse pr. uge', en: 'Limit per week' },
  required: { da: 'Krævet', en: 'Required' },
  commonCodes: { da: 'Fælles trin', en: 'Common steps' },
  targetMonths: { da: 'Måneder efter afslutningen', en: 'Months after the final consultation' },
  earliest: { da: 'Tidligst', en: 'Earliest' },
  latest: { da: 'Senest', en: 'Latest' },
  notBefore: { da: 'Tidligst', en: 'Not before' },
  alternatives: { da: 'Alternativer', en: 'Alternatives' },
  ordinal: { da: 'Nummer', en: 'Number' },
  daysOff: { da: 'Dage fra måldatoen', en: 'Days from the target date' },
  // Facts of the FHIR mapper's data-quality issues.
  element: { da: 'Felt', en: 'Element' },
  reason: { da: 'Årsag', en: 'Reason' },
  expected: { da: 'Forventet', en: 'Expected' },
  found: { da: 'Fundet', en: 'Found' },
  stated: { da: 'Angivet score', en: 'Stated score' },
  computed: { da: 'Beregnet score', en: 'Computed score' },
  source: { da: 'Kilde', en: 'Source' },
  value: { da: 'Værdi', en: 'Value' },
  status: { da: 'Status', en: 'Status' },
  answered: { da: 'Besvarede afsnit', en: 'Sections answered' },
  resourceType: { da: 'Ressourcetype', en: 'Resource type' },
  episode: { da: 'Forløb', en: 'Episode' },
};

export interface FactRow {
  readonly label: string;
  readonly value: string;
}

export { courseTypeName } from './consultation-names.js';

export function factLabel(key: string, lang: CardLanguage): string {
  const known = FACT_LABELS[key]?.[lang];
  if (known) return known;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

/** '2026-W46' -> 'uge 46, 2026' / 'week 46, 2026'; other text is returned as it is. */
export function formatWeek(value: string, lang: CardLanguage): string {
  const match = ISO_WEEK.exec(value);
  if (!match) return value;
  return `${lang === 'da' ? 'uge' : 'week'} ${Number(match[2])}, ${match[1]}`;
}

const YES_NO = { da: ['ja', 'nej'], en: ['yes', 'no'] } as const;

/** One fact as text, in the card's language; '' when it has no value (the caller then omits the line). */
export function formatFactValue(value: FactValue, lang: CardLanguage, key = '', defs: Definitions): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? YES_NO[lang][0] : YES_NO[lang][1];
  if (typeof value === 'number') return formatNumber(value, lang);
  if (typeof value === 'string') {
    if (isLocalDateText(value)) return formatDate(value, lang);
    if (isConsultationCode(value, defs)) return consultationDisplay(value, lang, defs);
    if (isInstrument(value, defs)) return instrumentName(value, lang, defs).short;
    if (key === 'courseType' || key === 'type') return courseTypeName(value, lang, defs);
    return formatWeek(value, lang);
  }
  if (Array.isArray(value)) {
    return (value as readonly FactValue[])
      .map((v) => formatFactValue(v, lang, key, defs))
      .filter((v) => v !== '')
      .join(', ');
  }
  return Object.entries(value as { readonly [k: string]: FactValue })
    .map(([k, v]) => {
      const text = formatFactValue(v, lang, k, defs);
      if (text === '') return '';
      // A map keyed by consultation code (code -> count) reads best with the code as its label.
      return `${isConsultationCode(k, defs) ? k : factLabel(k, lang)}: ${text}`;
    })
    .filter((v) => v !== '')
    .join('; ');
}

/** Facts as labelled lines, skipping the keys a template already speaks of, and any fact without a value. */
export function factRows(
  facts: { readonly [k: string]: FactValue },
  lang: CardLanguage,
  skip: ReadonlySet<string> = new Set(),
  defs: Definitions,
): FactRow[] {
  const rows: FactRow[] = [];
  for (const [key, value] of Object.entries(facts)) {
    if (skip.has(key)) continue;
    const text = formatFactValue(value, lang, key, defs);
    if (text !== '') rows.push({ label: factLabel(key, lang), value: text });
  }
  return rows;
}

/** Copies the named facts that have the expected type; returns the keys it took. */
export function pickFacts(
  facts: Facts,
  numbers: readonly string[],
  dates: readonly string[],
  into: Record<string, unknown>,
): Set<string> {
  const used = new Set<string>();
  for (const key of numbers) {
    const value = facts[key];
    if (typeof value === 'number') {
      into[key] = value;
      used.add(key);
    }
  }
  for (const key of dates) {
    const value = facts[key];
    if (typeof value === 'string' && isLocalDateText(value)) {
      into[key] = value;
      used.add(key);
    }
  }
  return used;
}
