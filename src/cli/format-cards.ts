/** Cards as readable terminal text: indicator, summary, topic, detail, suggestions. */
interface CardLike {
  summary?: string;
  indicator?: string;
  detail?: string;
  source?: { topic?: { code?: string } };
  suggestions?: { label?: string; isRecommended?: boolean }[];
  overrideReasons?: { display?: string }[];
}

const MARK: Record<string, string> = { critical: '!!', warning: '! ', info: 'i ' };

export function formatCards(cards: readonly unknown[]): string {
  if (cards.length === 0) return '(no cards: no structured course found for this patient)';
  return cards
    .map((raw) => {
      const card = raw as CardLike;
      const lines = [`[${MARK[card.indicator ?? 'info'] ?? '  '}${card.indicator ?? ''}] ${card.summary ?? ''}   (${card.source?.topic?.code ?? ''})`];
      if (card.detail) lines.push(...card.detail.split('\n').map((l) => `    ${l}`));
      for (const s of card.suggestions ?? []) lines.push(`    -> ${s.isRecommended ? '(recommended) ' : ''}${s.label ?? ''}`);
      if (card.overrideReasons?.length) lines.push(`    override reasons: ${card.overrideReasons.map((r) => r.display).join('; ')}`);
      return lines.join('\n');
    })
    .join('\n\n');
}
