/**
 * The known word nearest to a mistyped one, for "did you mean" hints in configuration errors: a case-insensitive
 * match, a prefix ("prod" -> "production"), or the smallest edit distance within about a third of the word.
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w === '') return undefined;
  const exact = known.find((k) => k.toLowerCase() === w);
  if (exact) return exact;
  const prefixed = known.filter((k) => w.length >= 3 && k.toLowerCase().startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(w, key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.key : undefined;
}

/** " (did you mean x?)", or nothing when no known word is near. */
export function didYouMean(word: string, known: readonly string[]): string {
  const hint = nearest(word, known);
  return hint ? ` (did you mean ${hint}?)` : '';
}

/** Levenshtein distance, with a transposition counted as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
