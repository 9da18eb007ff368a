/**
 * A small pool of hook worker threads (hook-worker.ts). The event loop hands a call to an idle thread and stays
 * free for every other request; calls queue when all threads are busy.
 *
 * The deadline covers CPU as well as waiting: a call's timer runs from the moment it is handed to the pool (queueing
 * counts). The worker aborts its own FHIR reads at the deadline and answers (412) at once. A worker still computing
 * `DEADLINE_GRACE_MS` after the deadline is terminated (which stops its CPU work where it is) and replaced, and the
 * call is answered 503 naming the deadline. A worker that crashes is replaced the same way; its call answers 500.
 */
import { Worker } from 'node:worker_threads';
import { CdsError, type CdsIssue } from '../errors.js';
import type { HookResult } from '../handle-hook.js';
import { CallDeadlineError } from '../limit-errors.js';
import type { CdsCard } from '../protocol-types.js';
import type { HookAnswer, HookTask, HookWorkerSetup, SerializedError } from './pool-protocol.js';

/**
 * Time a worker whose FHIR reads were aborted at the deadline has to send its answer (412) before it is stopped.
 * Generous on purpose: stopping and replacing a thread costs ~0.1-0.3 s of CPU, which a busy machine can least
 * afford, so it is kept for calls really still computing.
 */
export const DEADLINE_GRACE_MS = 100;

export interface HookPoolOptions {
  readonly threads: number;
  readonly setup: HookWorkerSetup;
  /** Called with the cards a worker issued (the feedback store is on this thread). */
  readonly onCardsIssued?: (info: { serviceId: string; hookInstance: string; cards: readonly CdsCard[] }) => void;
  /** A worker exited unexpectedly or was stopped at a deadline (for the log). */
  readonly onWorkerLost?: (info: { reason: 'deadline' | 'crash'; threadId: number }) => void;
}

export type PoolCall = Omit<HookTask, 'id' | 'remainingMs'>;

export interface HookPool {
  /** `elapsedMs`: the part of the call's deadline already spent (reading FHIR on the event loop). */
  run(call: PoolCall, elapsedMs?: number): Promise<HookResult>;
  /**
   * False while no thread has started yet: run the call elsewhere. The first call that asks starts them, so a
   * process that only ever gets prefetched calls never pays their memory (~20-40 MB each) or start-up CPU.
   */
  hasReadyThread(): boolean;
  readonly threads: number;
  close(): Promise<void>;
}

/** A failure the worker already translated: same status, issues and message as the original CdsError. */
export class PooledCallError extends CdsError {
  override readonly name: string;
  readonly status: number;
  readonly issues: readonly CdsIssue[];
  readonly reason: string;
  constructor(error: Extract<SerializedError, { cds: true }>) {
    super(error.message);
    this.name = error.name;
    this.status = error.status;
    this.issues = error.issues;
    this.reason = error.message;
  }
}

/** An unexpected error in a worker: its class and frames only, as the log may hold them. */
function unexpected(error: Extract<SerializedError, { cds: false }>): Error {
  const e = new Error('unexpected error in a hook worker');
  e.name = error.name;
  e.stack = [`${error.name}`, ...error.frames.map((f) => `    ${f}`)].join('\n');
  if (error.code) (e as Error & { code?: string }).code = error.code;
  return e;
}

interface Pending {
  readonly call: PoolCall;
  readonly submitted: number;
  readonly resolve: (result: HookResult) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
  slot?: Slot;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  current?: { id: number; pending: Pending };
}

/** The worker's module: compiled, or (tsx, vitest) the TypeScript source through a tiny loader. */
function workerEntry(): { url: URL; entry?: string } {
  const own = new URL('./hook-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.ts')) {
    return { url: new URL('./ts-worker-boot.mjs', import.meta.url), entry: new URL('./hook-worker.ts', import.meta.url).href };
  }
  return { url: own };
}

/**
 * A raw body's bytes are moved to the worker, not copied: a structured clone of a 6 MB body cost the event loop ~5 ms
 * (and as much garbage) per call. Only bytes that own their whole ArrayBuffer move (the hook body parser's buffers
 * do, http/hook-body.ts); a slice of a shared one (Node's pool of small Buffers) is copied. The main thread reads
 * the body no more once it is handed over.
 */
export function movableBytes(task: Pick<HookTask, 'raw'>): ArrayBuffer[] {
  const raw = task.raw;
  if (!raw || !(raw.buffer instanceof ArrayBuffer)) return [];
  return raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? [raw.buffer] : [];
}

export function createHookPool(options: HookPoolOptions): HookPool {
  const { url, entry } = workerEntry();
  const deadlineMs = options.setup.deadlineMs;
  const slots: Slot[] = [];
  const queue: Pending[] = [];
  let nextId = 1;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(url, { workerData: { setup: options.setup, ...(entry ? { entry } : {}) } });
    const slot: Slot = { worker, ready: false };
    worker.on('message', (message: HookAnswer | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        dispatch();
        return;
      }
      const current = slot.current;
      if (!current || current.id !== message.id) return;
      slot.current = undefined;
      clearTimeout(current.pending.timer);
      if (message.ok) {
        if (message.issued) options.onCardsIssued?.(message.issued);
        current.pending.resolve(message.result);
      } else {
        current.pending.reject(message.error.cds ? new PooledCallError(message.error) : unexpected(message.error));
      }
      dispatch();
    });
    worker.on('error', () => {
      /* the exit handler replaces it */
    });
    worker.on('exit', () => {
      const index = slots.indexOf(slot);
      if (index < 0) return; // stopped on purpose (deadline, close)
      slots.splice(index, 1);
      if (slot.current) {
        options.onWorkerLost?.({ reason: 'crash', threadId: worker.threadId });
        slot.current.pending.reject(new Error('a hook worker thread exited during the call'));
        clearTimeout(slot.current.pending.timer);
      }
      if (!closed) slots.push(spawn());
      dispatch();
    });
    return slot;
  };

  const stopSlot = (slot: Slot): void => {
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    void slot.worker.terminate();
    if (!closed) slots.push(spawn());
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (queue.length === 0) return;
      if (!slot.ready || slot.current) continue;
      const pending = queue.shift()!;
      const id = nextId++;
      slot.current = { id, pending };
      pending.slot = slot;
      const remainingMs = Math.max(1, deadlineMs - (performance.now() - pending.submitted));
      const task: HookTask = { ...pending.call, id, remainingMs };
      slot.worker.postMessage(task, movableBytes(task));
    }
  };

  let started = false;
  const startThreads = (): void => {
    if (started || closed) return;
    started = true;
    for (let i = 0; i < options.threads; i++) slots.push(spawn());
  };

  return {
    threads: options.threads,
    hasReadyThread: () => {
      startThreads();
      return slots.some((slot) => slot.ready);
    },
    run(call, elapsedMs = 0) {
      if (closed) return Promise.reject(new Error('the hook pool is closed'));
      startThreads();
      return new Promise<HookResult>((resolve, reject) => {
        const pending: Pending = { call, submitted: performance.now() - elapsedMs, resolve, reject };
        pending.timer = setTimeout(() => {
          const queued = queue.indexOf(pending);
          if (queued >= 0) queue.splice(queued, 1);
          const slot = pending.slot;
          if (slot?.current?.pending === pending) {
            slot.current = undefined;
            options.onWorkerLost?.({ reason: 'deadline', threadId: slot.worker.threadId });
            stopSlot(slot);
          }
          reject(new CallDeadlineError(deadlineMs));
          dispatch();
        }, Math.max(0, deadlineMs + DEADLINE_GRACE_MS - elapsedMs));
        queue.push(pending);
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) {
        clearTimeout(pending.timer);
        pending.reject(new Error('the hook pool is closed'));
      }
      const all = slots.splice(0);
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
