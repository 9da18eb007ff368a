import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackRecord, IssuedCard, Store, StoreOptions } from '../../src/storage/store.js';
import { MIGRATIONS } from '../../src/storage/migrations.js';

/**
 * What every store promises, run against each implementation (SQLite here, PostgreSQL in
 * postgres-store.int.test.ts). `open` opens a second handle on the same database when called again, as a second
 * instance of the service would.
 */
export function storeContract(name: string, open: (options?: StoreOptions) => Promise<Store>): void {
  describe(`the ${name} store`, () => {
    let store: Store;
    let other: Store;
    beforeAll(async () => {
      store = await open();
      other = await open();
    });
    afterAll(async () => {
      await store?.close();
      await other?.close();
    });

    const card = (uuid = randomUUID(), ruleId = 'education-limit'): IssuedCard => ({
      uuid, serviceId: 'lbp-encounter-start', hookInstance: randomUUID(), ruleId, indicator: 'warning', issuedAt: '2026-11-25T09:00:00Z',
    });
    const item = (cardUuid: string, extra: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
      serviceId: 'lbp-encounter-start', cardUuid, outcome: 'accepted', outcomeTimestamp: '2026-11-25T09:01:00Z', acceptedSuggestions: [randomUUID()], ...extra,
    });

    it('records every migration once, and opening again applies none twice', async () => {
      const versions = MIGRATIONS.map((m) => m.version);
      expect(await store.migrations()).toEqual(versions);
      const third = await open();
      expect(await third.migrations()).toEqual(versions);
      await third.close();
    });

    it('stores a feedback item once, however often and through whichever handle it comes', async () => {
      const c = card();
      store.recordCards([c]);
      const before = await store.feedbackCount();
      expect(await store.recordFeedback([item(c.uuid)], '2026-11-25T09:02:00Z')).toEqual({ stored: 1, duplicates: 0 });
      expect(await other.recordFeedback([item(c.uuid), item(c.uuid, { outcome: 'overridden' })], '2026-11-25T09:03:00Z'))
        .toEqual({ stored: 1, duplicates: 1 });
      expect(await other.feedbackCount()).toBe(before + 2);
    });

    it('stores concurrent copies of one item from two handles once', async () => {
      const c = card();
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).recordFeedback([item(c.uuid)], '2026-11-25T09:02:00Z')));
      expect(results.reduce((n, r) => n + r.stored, 0)).toBe(1);
    });

    it('reports acceptance and override rates per rule, with the stored reason display', async () => {
      const [a, b, c] = [card(undefined, 'report-rule'), card(undefined, 'report-rule'), card(undefined, 'report-rule')];
      store.recordCards([a, b, c]);
      await store.recordFeedback([
        item(a.uuid),
        item(b.uuid, { outcome: 'overridden', overrideReasonSystem: 'http://x', overrideReasonCode: 'cds-not-applicable', overrideReasonDisplay: 'Passer ikke' }),
      ], '2026-11-25T09:02:00Z');
      const row = (await other.reportByRule()).find((r) => r.ruleId === 'report-rule');
      expect(row).toEqual({ ruleId: 'report-rule', issued: 3, withFeedback: 2, accepted: 1, overridden: 1, acceptanceRate: 1 / 3, overrideRate: 1 / 3 });
      expect(await other.reportOverrideReasons()).toContainEqual({ ruleId: 'report-rule', reasonCode: 'cds-not-applicable', reasonDisplay: 'Passer ikke', count: 1 });
    });

    it('commits queued cards before feedback, reports and close', async () => {
      const batched = await open({ issuedCardFlushMs: 60_000 });
      const c = card(undefined, 'queued-rule');
      batched.recordCards([c]);
      expect((await other.reportByRule()).find((r) => r.ruleId === 'queued-rule')).toBeUndefined();
      await batched.recordFeedback([item(c.uuid)], '2026-11-25T09:02:00Z');
      expect((await other.reportByRule()).find((r) => r.ruleId === 'queued-rule')?.issued).toBe(1);
      const d = card(undefined, 'closed-rule');
      batched.recordCards([d]);
      await batched.close();
      expect((await other.reportByRule()).find((r) => r.ruleId === 'closed-rule')?.issued).toBe(1);
    });

    it('commits a full batch at once, and a waiting one after its delay', async () => {
      const batched = await open({ issuedCardFlushMs: 30, issuedCardBatchRows: 3 });
      try {
        batched.recordCards([card(undefined, 'full-batch'), card(undefined, 'full-batch'), card(undefined, 'full-batch')]);
        batched.recordCards([card(undefined, 'late-batch')]);
        await new Promise((r) => setTimeout(r, 150));
        const rows = await other.reportByRule();
        expect(rows.find((r) => r.ruleId === 'full-batch')?.issued).toBe(3);
        expect(rows.find((r) => r.ruleId === 'late-batch')?.issued).toBe(1);
      } finally {
        await batched.close();
      }
    });

    it('hands a batch that cannot be written to onFlushError instead of throwing on a timer', async () => {
      const failures: number[] = [];
      const failing = await open({ issuedCardFlushMs: 10, onFlushError: (_e, rows) => failures.push(rows) });
      // A row the schema refuses (NOT NULL) makes the batch's insert throw in either database.
      failing.recordCards([{ ...card(), ruleId: null as unknown as string }]);
      await new Promise((r) => setTimeout(r, 100));
      expect(failures).toEqual([1]);
      // The next batch goes through: one failure does not poison the queue.
      failing.recordCards([card(undefined, 'after-failure')]);
      await failing.flush();
      expect((await other.reportByRule()).find((r) => r.ruleId === 'after-failure')?.issued).toBe(1);
      await failing.close();
    });

    it('accepts a token once, for every handle, until it expires; then again', async () => {
      const key = randomUUID();
      const now = 1_800_000_000;
      expect(await store.rememberToken(key, now + 300, now)).toBe(true);
      expect(await store.rememberToken(key, now + 300, now + 1)).toBe(false);
      expect(await other.rememberToken(key, now + 300, now + 299)).toBe(false);
      // Expired: the same key is a new use (its signature and lifetime are checked elsewhere).
      expect(await other.rememberToken(key, now + 900, now + 301)).toBe(true);
      expect(await store.rememberToken(key, now + 900, now + 400)).toBe(false);
    });

    it('accepts exactly one of concurrent uses of one token across handles', async () => {
      const key = randomUUID();
      const now = 1_800_000_000;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? store : other).rememberToken(key, now + 300, now)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('prunes expired tokens and keeps live ones', async () => {
      const now = 1_900_000_000;
      const [live, dead] = [randomUUID(), randomUUID()];
      await store.rememberToken(live, now + 100, now - 1000);
      await store.rememberToken(dead, now - 10, now - 1000);
      expect(await other.pruneTokens(now)).toBeGreaterThanOrEqual(1);
      expect(await store.rememberToken(live, now + 100, now)).toBe(false);
      expect(await store.rememberToken(dead, now + 100, now)).toBe(true);
    });

    it('creates a secret once and hands every handle the same one', async () => {
      const name = `secret-${randomUUID()}`;
      const first = await store.secret(name, () => 'first');
      const second = await other.secret(name, () => 'second');
      expect(first).toBe('first');
      expect(second).toBe('first');
    });
  });
}
