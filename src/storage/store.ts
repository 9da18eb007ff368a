/**
 * The service's durable state behind one async interface: cards issued, feedback received, the JWT replay cache
 * and the service's own secrets (the key of the patient-id hash in the logs). Two implementations pass the same
 * contract tests (test/storage/): SQLite, embedded, the default on one host; PostgreSQL (CDS_DATABASE_URL), shared
 * by several instances. Everything a caller is told was stored is committed before the promise resolves.
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
  /** Only a reason our cards offer is stored, its display taken from our own list, never as sent. */
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

export interface Store {
  /** 'sqlite' or 'postgres', for the start-up log line. */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Queues the rows; they are committed together, in one transaction, within `issuedCardFlushMs` (or as soon as
   * `issuedCardBatchRows` are waiting), and before any report, any feedback and `close()`. Analytics, not
   * acknowledged to anyone: a crash may lose the last batch.
   */
  recordCards(cards: readonly IssuedCard[]): void;
  /** Commits the queued issued-card rows now. */
  flush(): Promise<void>;
  /**
   * Commits the items (durably) before resolving. The same item again (same card, outcome and timestamp), from
   * this instance or any other, is not stored twice. Returns how many were new.
   */
  recordFeedback(items: readonly FeedbackRecord[], receivedAt: string): Promise<{ stored: number; duplicates: number }>;
  reportByRule(): Promise<RuleReportRow[]>;
  reportOverrideReasons(): Promise<OverrideReportRow[]>;
  feedbackCount(): Promise<number>;
  /**
   * The replay cache: true when `key` is new (or its earlier use has expired), and it is then remembered until
   * `expiresAtSec`; false when it was seen before and is still live. Atomic across every instance on the store.
   */
  rememberToken(key: string, expiresAtSec: number, nowSec: number): Promise<boolean>;
  /** Deletes replay-cache entries that expired before `nowSec`; returns how many. */
  pruneTokens(nowSec: number): Promise<number>;
  /**
   * A named secret of this deployment, created with `create()` by whichever instance asks first and then the same
   * for all of them (and after restarts).
   */
  secret(name: string, create: () => string): Promise<string>;
  /** Migrations applied, in order (for tests and the start-up log). */
  migrations(): Promise<number[]>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** How long issued-card rows may wait in memory before their transaction (default 100 ms). */
  readonly issuedCardFlushMs?: number;
  /** Commit at once when this many rows are waiting (default 500). */
  readonly issuedCardBatchRows?: number;
  /** A batch that could not be written (disk full, database away): it happens on a timer, after the calls were answered. */
  readonly onFlushError?: (error: unknown, rows: number) => void;
}

export const DEFAULT_ISSUED_CARD_FLUSH_MS = 100;
export const DEFAULT_ISSUED_CARD_BATCH_ROWS = 500;

/** Acceptance and override rates from the raw counts. */
export function withRates(row: Omit<RuleReportRow, 'acceptanceRate' | 'overrideRate'>): RuleReportRow {
  return {
    ...row,
    acceptanceRate: row.issued === 0 ? null : row.accepted / row.issued,
    overrideRate: row.issued === 0 ? null : row.overridden / row.issued,
  };
}
