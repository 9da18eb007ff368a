import { describe, expect, it } from 'vitest';
import { recentSet } from '../../src/cds/recent-set.js';

describe('recentSet', () => {
  it('holds at most its bound, forgetting the least recently used first', () => {
    const set = recentSet(2);
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true); // now 'b' is the least recently used
    set.add('c');
    expect(set.has('b')).toBe(false);
    expect(set.has('a')).toBe(true);
    expect(set.has('c')).toBe(true);
  });

  it('counts a key added twice once', () => {
    const set = recentSet(2);
    set.add('a');
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true);
    expect(set.has('b')).toBe(true);
  });
});
