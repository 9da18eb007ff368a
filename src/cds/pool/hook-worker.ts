/**
 * A hook worker thread: runs the CPU work of long calls off the service's event loop, so one patient's long history
 * does not stall everyone's calls: whole calls that came as a large body (its JSON.parse, any FHIR reads, mapping,
 * evaluation, cards), and the mapping, evaluation and cards of a call whose large data the event loop read.
 * It builds its own deps from plain data once, at start; the main thread's clock instant comes with each call.
 */
import { randomUUID } from 'node:crypto';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { createCardRenderer } from '../cards/card-renderer.js';
import { isCdsError } from '../errors.js';
import { parseJsonBody } from '../hook-runner.js';
import { cardsFromData, handleHook, type HookDeps } from '../handle-hook.js';
import type { CdsCard } from '../protocol-types.js';
import { warmUp } from './warm-up.js';
import type { HookAnswer, HookTask, HookWorkerSetup, SerializedError, WorkerReady } from './pool-protocol.js';
import { createPatientHasher } from '../../log-fields.js';

const port = parentPort;
if (!port) throw new Error('hook-worker.ts runs as a worker thread only');
const setup = (workerData as { setup: HookWorkerSetup }).setup;
const renderer = createCardRenderer({ templatesDir: setup.templatesDir, definitions: setup.courseConfig.definitions });
const hashPatient = createPatientHasher(setup.patientHashKey);

port.on('message', (task: HookTask) => {
  void run(task).then((answer) => port.postMessage(answer));
});
await warmUp(setup.projectRoot, depsFor(new Date().toISOString(), () => undefined));
lowerOwnPriority();
port.postMessage({ ready: true } satisfies WorkerReady);

/**
 * Calls run below the event loop's priority: on Linux the nice value is per thread, and pid 0 is this thread alone.
 * When the cores are busy, a long call yields the CPU to the small calls the event loop answers instead of
 * stretching them. Only after the warm-up: until a thread is ready the event loop runs every call itself, and a
 * thread starved while warming up would never take them over.
 */
function lowerOwnPriority(): void {
  try {
    setPriority(0, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    /* not permitted here: the usual priority */
  }
}

function depsFor(requestInstant: string, onCardsIssued: HookDeps['onCardsIssued']): HookDeps {
  return {
    courseConfig: setup.courseConfig,
    renderer,
    policy: setup.policy,
    deadlineMs: setup.deadlineMs,
    now: () => new Date(requestInstant),
    newId: randomUUID,
    hashPatient,
    ...(setup.questionnaireAppUrl ? { questionnaireAppUrl: setup.questionnaireAppUrl } : {}),
    ...(onCardsIssued ? { onCardsIssued } : {}),
  };
}

async function run(task: HookTask): Promise<HookAnswer> {
  let issued: { serviceId: string; hookInstance: string; cards: readonly CdsCard[] } | undefined;
  const deps = depsFor(task.requestInstant, (info) => {
    issued = info;
  });
  try {
    const result = task.data ? cardsFromData(task.data, deps) : await handleHook(
      { serviceId: task.serviceId, body: task.raw ? parseJsonBody(task.raw) : task.body, lang: task.lang, caller: task.caller, remainingMs: task.remainingMs, ...(task.serviceBaseUrl ? { serviceBaseUrl: task.serviceBaseUrl } : {}) },
      deps,
    );
    return { id: task.id, ok: true, result: { ...result, log: { ...result.log, thread: task.data ? 'data' : 'call' } }, ...(issued ? { issued } : {}) };
  } catch (error) {
    return { id: task.id, ok: false, error: serialize(error) };
  }
}

/** A CdsError keeps what the client may see; anything else only its class and frames (never its message). */
function serialize(error: unknown): SerializedError {
  if (isCdsError(error)) {
    const reason = (error as { reason?: unknown }).reason;
    return {
      cds: true, name: error.name, status: error.status, issues: error.issues,
      message: typeof reason === 'string' ? reason : error.message,
    };
  }
  const e = error as { name?: unknown; code?: unknown; stack?: unknown } | null;
  return {
    cds: false,
    name: typeof e?.name === 'string' ? e.name : typeof error,
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
    frames: typeof e?.stack === 'string' ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).map((l) => l.trim()) : [],
  };
}
