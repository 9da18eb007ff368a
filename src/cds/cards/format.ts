import type { CardLanguage } from './card-language.js';

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** True for a 'YYYY-MM-DD' local date (or an ISO date-time, whose date part is then used). */
export function isLocalDateText(value: unknown): boolean {
  return typeof value === 'string' && LOCAL_DATE.test(value);
}

/**
 * '2026-11-25' -> '25.11.2026' (da) or '25 Nov 2026' (en). Local dates are formatted from their digits, never
 * through a Date object, so no time zone can move them to another day. Anything else is returned as it is.
 */
export function formatDate(value: string, lang: CardLanguage): string {
  const match = LOCAL_DATE.exec(value);
  if (!match) return value;
  const [, year, month, day] = match as unknown as [string, string, string, string];
  // Danish EHRs write dates as 05.03.2026: zero-padded day and month, dots.
  if (lang === 'da') return `${day}.${month}.${year}`;
  return `${Number(day)} ${EN_MONTHS[Number(month) - 1] ?? month} ${year}`;
}

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: CardLanguage, signed: boolean): Intl.NumberFormat {
  const key = `${lang}:${signed}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'da' ? 'da-DK' : 'en-GB', {
      maximumFractionDigits: 1,
      signDisplay: signed ? 'exceptZero' : 'auto',
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** 3.5 -> '3,5' (da) / '3.5' (en); at most one decimal, as the scores are recorded. */
export function formatNumber(value: number, lang: CardLanguage): string {
  return numberFormat(lang, false).format(value);
}

/** A change with its sign: '+2,5', '-10', '0'. */
export function formatSigned(value: number, lang: CardLanguage): string {
  return numberFormat(lang, true).format(value);
}

/** A score with the instrument's unit ('38 %'); points otherwise. */
export function formatScore(value: number, unit: string | undefined, lang: CardLanguage): string {
  const n = formatNumber(value, lang);
  return unit ? `${n} ${unit}` : n;
}

/** "7 konsultationer" / "1 konsultation". */
export function pluralise(count: number, one: string, many: string, lang: CardLanguage): string {
  return `${formatNumber(count, lang)} ${count === 1 ? one : many}`;
}
