import { DEFAULT_ISSUED_CARD_BATCH_ROWS, DEFAULT_ISSUED_CARD_FLUSH_MS, type IssuedCard, type StoreOptions } from './store.js';

/**
 * Issued-card rows wait in memory and are written in one transaction per `flushMs` or `batchRows`: a transaction
 * per hook call was ~8 % of a call's CPU (bench/README.md). Writes run one after another, so a flush that a
 * feedback call awaits has also seen every earlier batch committed.
 */
export interface CardBatcher {
  add(cards: readonly IssuedCard[]): void;
  flush(): Promise<void>;
  /** Stops the timer and writes what is waiting. */
  close(): Promise<void>;
}

export function createCardBatcher(write: (rows: IssuedCard[]) => Promise<void>, options: StoreOptions): CardBatcher {
  const flushMs = options.issuedCardFlushMs ?? DEFAULT_ISSUED_CARD_FLUSH_MS;
  const batchRows = options.issuedCardBatchRows ?? DEFAULT_ISSUED_CARD_BATCH_ROWS;
  let pending: IssuedCard[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.length === 0) return writing;
    const rows = pending;
    pending = [];
    const batch = writing.then(() => write(rows));
    // The chain itself never rejects, so one failed batch does not fail every later flush.
    writing = batch.catch((error: unknown) => options.onFlushError?.(error, rows.length));
    return options.onFlushError ? writing : batch;
  };
  // A timer's flush has nobody to await it: its failure goes to onFlushError (or is dropped with no handler).
  const flushOnTimer = (): void => void flush().catch(() => undefined);

  return {
    add(cards) {
      for (const card of cards) pending.push(card);
      if (pending.length >= batchRows) flushOnTimer();
      else if (timer === undefined && pending.length > 0) {
        timer = setTimeout(flushOnTimer, flushMs);
        // Pending rows never keep a process alive: close() (on SIGTERM, at the end of the CLI) commits them.
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}
