import { CONSULTATION_CATALOGUE } from '../../course/catalogue.js';
import type { ConsultationCode } from '../../course/types.js';
import type { CardLanguage } from './card-language.js';

export function isConsultationCode(value: unknown): value is ConsultationCode {
  return typeof value === 'string' && Object.hasOwn(CONSULTATION_CATALOGUE, value);
}

/** The name alone, from the course catalogue, for a Coding's display. */
export function consultationName(code: ConsultationCode, lang: CardLanguage): string {
  const info = CONSULTATION_CATALOGUE[code];
  return lang === 'da' ? info.nameDa : info.nameEn;
}

/** "Individuel konsultation: Superviseret træning (0266)": physiotherapists know the codes by number too. */
export function consultationDisplay(code: string, lang: CardLanguage): string {
  return isConsultationCode(code) ? `${consultationName(code, lang)} (${code})` : code;
}
