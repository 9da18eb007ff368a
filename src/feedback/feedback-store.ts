import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Cards issued and feedback received, in SQLite. The store is the service's only durable state: feedback is
 * acknowledged (200) only after its row is committed with synchronous=FULL, so a crash right after the answer
 * loses nothing. Cards carry their rule id so acceptance and override rates can be reported per rule.
 */

export interface IssuedCard {
  readonly uuid: string;
  readonly serviceId: string;
  readonly hookInstance: string;
  readonly ruleId: string;
  readonly indicator: string;
  readonly issuedAt: string;
}

export interface FeedbackRecord {
  readonly serviceId: string;
  readonly cardUuid: string;
  readonly outcome: 'accepted' | 'overridden';
  readonly outcomeTimestamp: string;
  readonly acceptedSuggestions: readonly string[];
  readonly overrideReasonSystem?: string;
  readonly overrideReasonCode?: string;
  readonly overrideReasonDisplay?: string;
  /** The clinician's comment is free text and may name the patient: it is never stored. */
}

export interface RuleReportRow {
  readonly ruleId: string;
  readonly issued: number;
  readonly withFeedback: number;
  readonly accepted: number;
  readonly overridden: number;
  readonly acceptanceRate: number | null;
  readonly overrideRate: number | null;
}

export interface OverrideReportRow {
  readonly ruleId: string;
  readonly reasonCode: string;
  readonly reasonDisplay: string;
  readonly count: number;
}

export interface FeedbackStore {
  /**
   * Queues the rows; they are committed together, in one transaction, within `issuedCardFlushMs` (or as soon as
   * `issuedCardBatchRows` are waiting), and before any report, any feedback and `close()`.
   */
  recordCards(cards: readonly IssuedCard[]): void;
  /** Commits the queued issued-card rows now. */
  flush(): void;
  /** Returns how many of the items were new (the rest were duplicates of items already stored). */
  recordFeedback(items: readonly FeedbackRecord[], receivedAt: string): { stored: number; duplicates: number };
  reportByRule(): RuleReportRow[];
  reportOverrideReasons(): OverrideReportRow[];
  feedbackCount(): number;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS issued_card (
  uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  hook_instance TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  issued_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS issued_card_rule ON issued_card(rule_id);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp TEXT NOT NULL,
  accepted_suggestions TEXT NOT NULL,
  override_system TEXT,
  override_code TEXT,
  override_display TEXT,
  received_at TEXT NOT NULL,
  -- the same item sent twice (a retry) is one item: same card, outcome and moment
  UNIQUE (card_uuid, outcome, outcome_timestamp)
);
CREATE INDEX IF NOT EXISTS feedback_card ON feedback(card_uuid);
`;

export interface FeedbackStoreOptions {
  /** How long issued-card rows may wait in memory before their transaction (default 100 ms). */
  readonly issuedCardFlushMs?: number;
  /** Commit at once when this many rows are waiting (default 500). */
  readonly issuedCardBatchRows?: number;
  /** A batch that could not be written (disk full, ...): it happens on a timer, after the calls were answered. */
  readonly onFlushError?: (error: unknown, rows: number) => void;
}

export function openFeedbackStore(path: string, options: FeedbackStoreOptions = {}): FeedbackStore {
  const flushMs = options.issuedCardFlushMs ?? 100;
  const batchRows = options.issuedCardBatchRows ?? 500;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // Two durabilities on one connection. Feedback is committed with synchronous = FULL (see recordFeedback): an
  // acknowledged item survives a power cut. Issued cards are analytics written on every hook call: NORMAL, which in
  // WAL mode may lose the last few rows to a power cut (never to a crash of the process) and never corrupts. FULL's
  // fsync on every hook call cost ~0.3 ms of CPU and more of waiting, per call (bench/README.md). They are also
  // batched (recordCards): a transaction per hook call was ~8 % of a call's CPU; one per 100 ms is next to nothing.
  // The price: a crash of the process loses the rows of its last 100 ms. Nobody was ever told they were stored.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 2000');
  db.exec(SCHEMA);

  const insertCard = db.prepare(
    `INSERT OR IGNORE INTO issued_card (uuid, service_id, hook_instance, rule_id, indicator, issued_at)
     VALUES (@uuid, @serviceId, @hookInstance, @ruleId, @indicator, @issuedAt)`,
  );
  const insertFeedback = db.prepare(
    `INSERT OR IGNORE INTO feedback (service_id, card_uuid, outcome, outcome_timestamp, accepted_suggestions,
       override_system, override_code, override_display, received_at)
     VALUES (@serviceId, @cardUuid, @outcome, @outcomeTimestamp, @acceptedSuggestions, @overrideReasonSystem,
       @overrideReasonCode, @overrideReasonDisplay, @receivedAt)`,
  );
  const recordCardsTx = db.transaction((cards: readonly IssuedCard[]) => {
    for (const card of cards) insertCard.run(card);
  });
  const recordFeedbackTx = db.transaction((items: readonly FeedbackRecord[], receivedAt: string) => {
    let stored = 0;
    for (const item of items) {
      const result = insertFeedback.run({
        serviceId: item.serviceId,
        cardUuid: item.cardUuid,
        outcome: item.outcome,
        outcomeTimestamp: item.outcomeTimestamp,
        acceptedSuggestions: JSON.stringify(item.acceptedSuggestions),
        overrideReasonSystem: item.overrideReasonSystem ?? null,
        overrideReasonCode: item.overrideReasonCode ?? null,
        overrideReasonDisplay: item.overrideReasonDisplay ?? null,
        receivedAt,
      });
      stored += result.changes;
    }
    return { stored, duplicates: items.length - stored };
  });

  const byRule = db.prepare(`
    SELECT c.rule_id AS ruleId,
           COUNT(DISTINCT c.uuid) AS issued,
           COUNT(DISTINCT f.card_uuid) AS withFeedback,
           COUNT(DISTINCT CASE WHEN f.outcome = 'accepted' THEN f.card_uuid END) AS accepted,
           COUNT(DISTINCT CASE WHEN f.outcome = 'overridden' THEN f.card_uuid END) AS overridden
      FROM issued_card c LEFT JOIN feedback f ON f.card_uuid = c.uuid
     GROUP BY c.rule_id ORDER BY c.rule_id`);
  const overrideReasons = db.prepare(`
    SELECT COALESCE(c.rule_id, '(unknown card)') AS ruleId,
           COALESCE(f.override_code, '(none given)') AS reasonCode,
           COALESCE(MAX(f.override_display), '') AS reasonDisplay,
           COUNT(*) AS count
      FROM feedback f LEFT JOIN issued_card c ON c.uuid = f.card_uuid
     WHERE f.outcome = 'overridden'
     GROUP BY 1, 2 ORDER BY 1, count DESC`);
  const countFeedback = db.prepare('SELECT COUNT(*) AS n FROM feedback');

  let pending: IssuedCard[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0 || !db.open) return;
    const rows = pending;
    pending = [];
    try {
      recordCardsTx(rows);
    } catch (error) {
      if (!options.onFlushError) throw error;
      options.onFlushError(error, rows.length);
    }
  };

  return {
    recordCards: (cards) => {
      for (const card of cards) pending.push(card);
      if (pending.length >= batchRows) flush();
      else if (timer === undefined && pending.length > 0) {
        timer = setTimeout(flush, flushMs);
        // Pending rows never keep a process alive: close() (on SIGTERM, at the end of the CLI) commits them.
        timer.unref();
      }
    },
    flush,
    recordFeedback: (items, receivedAt) => {
      // Cards issued just before their feedback arrives are committed first (and with the feedback's fsync).
      flush();
      db.pragma('synchronous = FULL');
      try {
        return recordFeedbackTx(items, receivedAt);
      } finally {
        db.pragma('synchronous = NORMAL');
      }
    },
    reportByRule: () => {
      flush();
      return (byRule.all() as Omit<RuleReportRow, 'acceptanceRate' | 'overrideRate'>[]).map((row) => ({
        ...row,
        acceptanceRate: row.issued === 0 ? null : row.accepted / row.issued,
        overrideRate: row.issued === 0 ? null : row.overridden / row.issued,
      }));
    },
    reportOverrideReasons: () => {
      flush();
      return overrideReasons.all() as OverrideReportRow[];
    },
    feedbackCount: () => (countFeedback.get() as { n: number }).n,
    close: () => {
      if (!db.open) return;
      try {
        flush();
      } finally {
        db.close();
      }
    },
  };
}

/** The report as a plain-text table, for the command line. */
export function formatFeedbackReport(store: FeedbackStore): string {
  const pct = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(1)} %`);
  const rules = store.reportByRule();
  const lines: string[][] = [['rule', 'issued', 'feedback', 'accepted', 'overridden', 'accept rate', 'override rate']];
  for (const r of rules) {
    lines.push([r.ruleId, String(r.issued), String(r.withFeedback), String(r.accepted), String(r.overridden),
      pct(r.acceptanceRate), pct(r.overrideRate)]);
  }
  const reasons: string[][] = [['rule', 'override reason', 'display', 'count']];
  for (const r of store.reportOverrideReasons()) reasons.push([r.ruleId, r.reasonCode, r.reasonDisplay, String(r.count)]);
  return `${table(lines)}\n\n${table(reasons)}\n`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join('\n');
}
