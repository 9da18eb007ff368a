/** The languages cards are written in: Danish by default, English on request. */
export const CARD_LANGUAGES = ['da', 'en'] as const;
export type CardLanguage = (typeof CARD_LANGUAGES)[number];

export const DEFAULT_CARD_LANGUAGE: CardLanguage = 'da';

export function isCardLanguage(value: unknown): value is CardLanguage {
  return typeof value === 'string' && (CARD_LANGUAGES as readonly string[]).includes(value);
}
