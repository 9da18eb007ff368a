/** Cards as readable terminal text, in the cards' language: indicator, summary, topic, detail, suggestions. */
interface CardLike {
  summary?: string;
  indicator?: string;
  detail?: string;
  source?: { topic?: { code?: string } };
  suggestions?: { label?: string; isRecommended?: boolean }[];
  overrideReasons?: { display?: string }[];
}

export type CardLanguage = 'da' | 'en';

/** The CLI's own words around the cards, per language, so Danish cards are not framed in English. */
const WORDS = {
  da: {
    indicator: { critical: 'kritisk', warning: 'advarsel', info: 'info' } as Record<string, string>,
    recommended: 'anbefalet',
    overrideReasons: 'begrundelser for at se bort fra kortet',
    noCards: '(ingen kort: der er ikke fundet et struktureret forløb for patienten)',
  },
  en: {
    indicator: { critical: 'critical', warning: 'warning', info: 'info' } as Record<string, string>,
    recommended: 'recommended',
    overrideReasons: 'override reasons',
    noCards: '(no cards: no structured course found for this patient)',
  },
} as const satisfies Record<CardLanguage, unknown>;

const MARK: Record<string, string> = { critical: '!!', warning: '! ', info: 'i ' };

export function formatCards(cards: readonly unknown[], lang: CardLanguage): string {
  const words = WORDS[lang];
  if (cards.length === 0) return words.noCards;
  return cards
    .map((raw) => {
      const card = raw as CardLike;
      const indicator = card.indicator ?? 'info';
      const topic = card.source?.topic?.code ? `   (${card.source.topic.code})` : '';
      const lines = [`[${MARK[indicator] ?? '  '}${words.indicator[indicator] ?? indicator}] ${card.summary ?? ''}${topic}`];
      if (card.detail) lines.push(...card.detail.split('\n').map((l) => `    ${l}`.trimEnd()));
      for (const s of card.suggestions ?? []) lines.push(`    -> ${s.isRecommended ? `(${words.recommended}) ` : ''}${s.label ?? ''}`);
      if (card.overrideReasons?.length) lines.push(`    ${words.overrideReasons}: ${card.overrideReasons.map((r) => r.display).join('; ')}`);
      return lines.join('\n');
    })
    .join('\n\n');
}
