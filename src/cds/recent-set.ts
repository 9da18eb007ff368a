/** A bounded set that forgets its least recently used entries first (a Map keeps insertion order). */
export function recentSet(max: number): { has(key: string): boolean; add(key: string): void } {
  const entries = new Map<string, true>();
  return {
    has(key) {
      if (!entries.delete(key)) return false;
      entries.set(key, true);
      return true;
    },
    add(key) {
      entries.delete(key);
      entries.set(key, true);
      if (entries.size > max) entries.delete(entries.keys().next().value!);
    },
  };
}
