import type { Lang } from './i18n.js';

/** A local date 'YYYY-MM-DD' as the clinician reads it: 25.11.2026 (da) or 25 Nov 2026 (en). */
export function formatLocalDate(date: string, lang: Lang): string {
  const [y, mo, d] = date.split('-').map(Number);
  if (!y || !mo || !d) return date;
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return lang === 'da'
    ? `${String(d).padStart(2, '0')}.${String(mo).padStart(2, '0')}.${y}`
    : utc.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export function formatNumber(value: number, lang: Lang): string {
  return value.toLocaleString(lang === 'da' ? 'da-DK' : 'en-GB', { maximumFractionDigits: 1 });
}
