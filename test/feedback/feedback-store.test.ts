import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFeedbackStore, type IssuedCard } from '../../src/feedback/feedback-store.js';

const card = (uuid: string): IssuedCard => ({
  uuid, serviceId: 'lbp-encounter-start', hookInstance: 'h', ruleId: 'next-consultation', indicator: 'info', issuedAt: '2026-11-25T09:00:00Z',
});
const rowsOnDisk = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM issued_card').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('the feedback store', () => {
  it('commits issued cards in a batch after a short wait, not on every call', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lbp-store-')), 'f.sqlite');
    const store = openFeedbackStore(path, { issuedCardFlushMs: 20 });
    store.recordCards([card('a')]);
    store.recordCards([card('b')]);
    expect(rowsOnDisk(path)).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(rowsOnDisk(path)).toBe(2);
    store.close();
  });

  it('commits at once when a batch is full', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lbp-store-')), 'f.sqlite');
    const store = openFeedbackStore(path, { issuedCardFlushMs: 60_000, issuedCardBatchRows: 3 });
    store.recordCards([card('a'), card('b')]);
    expect(rowsOnDisk(path)).toBe(0);
    store.recordCards([card('c')]);
    expect(rowsOnDisk(path)).toBe(3);
    store.close();
  });

  it('reports, feedback and close see every card issued before them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lbp-store-')), 'f.sqlite');
    const store = openFeedbackStore(path, { issuedCardFlushMs: 60_000 });
    store.recordCards([card('a')]);
    expect(store.reportByRule()).toEqual([expect.objectContaining({ ruleId: 'next-consultation', issued: 1 })]);
    store.recordCards([card('b')]);
    store.recordFeedback([{ serviceId: 'lbp-encounter-start', cardUuid: 'b', outcome: 'accepted', outcomeTimestamp: '2026-11-25T09:01:00Z', acceptedSuggestions: [] }], '2026-11-25T09:02:00Z');
    expect(rowsOnDisk(path)).toBe(2);
    store.recordCards([card('c')]);
    store.close();
    expect(rowsOnDisk(path)).toBe(3);
  });

  it('hands a batch that cannot be written to onFlushError instead of throwing on a timer', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lbp-store-')), 'f.sqlite');
    const failures: number[] = [];
    const store = openFeedbackStore(path, { issuedCardFlushMs: 10, onFlushError: (_e, rows) => failures.push(rows) });
    // A value SQLite cannot bind makes the batch's insert throw.
    store.recordCards([{ ...card('a'), ruleId: {} as unknown as string }]);
    await new Promise((r) => setTimeout(r, 40));
    expect(failures).toEqual([1]);
    store.close();
  });
});
