/**
 * The messages between the service's event loop and its hook worker threads. Plain data only (structured clone):
 * a call goes out as its parsed body or, when large, as the raw bytes (parsed in the worker, so a 5 MB JSON.parse
 * never blocks the loop), or as the data the event loop read from the FHIR server; it comes back as the result, or
 * as the failure the worker already turned into a status and the issues the client may see.
 */
import type { CourseConfig } from '../../course/config.js';
import type { Caller, FhirServerPolicy } from '../fhir-server-policy.js';
import type { CdsIssue } from '../errors.js';
import type { CdsCard } from '../protocol-types.js';
import type { HookData, HookResult } from '../handle-hook.js';

/** What a worker needs to build its own HookDeps (its renderer, its clock and ids). */
export interface HookWorkerSetup {
  readonly courseConfig: CourseConfig;
  readonly policy: FhirServerPolicy;
  readonly deadlineMs: number;
  readonly templatesDir: string;
  /** For the warm-up calls on the demo patient (see warm-up.ts). */
  readonly projectRoot: string;
  readonly questionnaireAppUrl?: string;
  /** The key of the logs' patient hash (HookDeps.hashPatient), so a worker's log stand-in matches the main thread's. */
  readonly patientHashKey: string;
}

export interface HookTask {
  readonly id: number;
  readonly serviceId: string;
  readonly lang: 'da' | 'en';
  readonly caller: Caller;
  /** The main thread's clock at the call's start: the worker evaluates at the same instant. */
  readonly requestInstant: string;
  /** What is left of the call's deadline when the worker takes it. */
  readonly remainingMs: number;
  /** The service's base URL as called (HookCall.serviceBaseUrl). */
  readonly serviceBaseUrl?: string;
  /** The parsed body, or (large bodies) its raw UTF-8 bytes; or, for a call whose FHIR reads are done, its data. */
  readonly body?: unknown;
  readonly raw?: Uint8Array;
  /** What the event loop read from the FHIR server: the worker maps, evaluates and renders it (cardsFromData). */
  readonly data?: HookData;
}

export type SerializedError =
  | { readonly cds: true; readonly name: string; readonly message: string; readonly status: number; readonly issues: readonly CdsIssue[] }
  | { readonly cds: false; readonly name: string; readonly code?: string; readonly frames: readonly string[] };

export type HookAnswer =
  | {
    readonly id: number;
    readonly ok: true;
    readonly result: HookResult;
    /** The cards issued, for the feedback store (which lives on the main thread). */
    readonly issued?: { readonly serviceId: string; readonly hookInstance: string; readonly cards: readonly CdsCard[] };
  }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** The worker's first message: it has built its deps and takes calls. */
export interface WorkerReady {
  readonly ready: true;
}
