import type { Definitions } from '../../course/definitions/types.js';
import type { ConsultationCode } from '../../course/types.js';
import type { CardLanguage } from './card-language.js';

/**
 * Names on the cards, from the active definitions (the consultation CodeSystem, the instruments' Questionnaires,
 * the course PlanDefinitions): nothing here names a code, an instrument or a course type.
 */
export function isConsultationCode(value: unknown, defs: Definitions): value is ConsultationCode {
  return typeof value === 'string' && defs.codes.has(value);
}

/** The name alone, for a Coding's display. */
export function consultationName(code: ConsultationCode, lang: CardLanguage, defs: Definitions): string {
  return defs.codes.get(code)?.name[lang] ?? code;
}

/** "Individuel konsultation: Superviseret træning (0266)": physiotherapists know the codes by number too. */
export function consultationDisplay(code: string, lang: CardLanguage, defs: Definitions): string {
  return isConsultationCode(code, defs) ? `${consultationName(code, lang, defs)} (${code})` : code;
}

export function isInstrument(value: unknown, defs: Definitions): value is string {
  return typeof value === 'string' && defs.instruments.has(value);
}

export function instrumentName(id: string, lang: CardLanguage, defs: Definitions): { short: string; long: string } {
  return defs.instruments.get(id)?.name[lang] ?? { short: id, long: id };
}

/** A score with its unit ('38 %'), or in points. */
export function scoreUnit(id: string, defs: Definitions): string | undefined {
  return defs.instruments.get(id)?.unit;
}

/** Lower case, used inside sentences ("i forløb 2 (tilbagevendende lændesmerter) er ..."). */
export function courseTypeName(type: string, lang: CardLanguage, defs: Definitions): string {
  return defs.courses.get(type)?.name[lang] ?? type;
}

export function subscaleName(instrument: string, id: string, lang: CardLanguage, defs: Definitions): string {
  return defs.instruments.get(instrument)?.subscales.find((s) => s.id === id)?.name[lang] ?? id;
}
