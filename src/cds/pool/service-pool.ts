/** The service's hook pool, built from its configuration and deps (src/service.ts wires it in one line). */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AppConfig } from '../../config.js';
import { DEFAULT_POOL_THREADS } from '../../config.js';
import type { HookDeps } from '../handle-hook.js';
import { createHookPool, type HookPool } from './hook-pool.js';

/**
 * Hook bodies above this size are parsed in a worker thread. A normal patient's full prefetch is ~13 kB (JSON.parse
 * well under 0.1 ms); at 64 kB a parse is still ~0.3 ms, beyond it the hand-over (~0.1 ms) is the smaller cost.
 */
export const RAW_HOOK_BODY_ABOVE_BYTES = 64 * 1024;

export function createServicePool(config: AppConfig, deps: HookDeps, logger: Logger, patientHashKey: string): HookPool | undefined {
  const threads = config.poolThreads ?? DEFAULT_POOL_THREADS;
  if (threads === 0) return undefined;
  return createHookPool({
    threads,
    setup: {
      courseConfig: deps.courseConfig,
      policy: deps.policy,
      deadlineMs: deps.deadlineMs,
      templatesDir: join(config.projectRoot, 'cds-hooks', 'templates'),
      patientHashKey,
      ...(deps.questionnaireAppUrl ? { questionnaireAppUrl: deps.questionnaireAppUrl } : {}),
    },
    ...(deps.onCardsIssued ? { onCardsIssued: deps.onCardsIssued } : {}),
    onWorkerLost: (info) => logger.warn(info, info.reason === 'deadline'
      ? 'hook worker stopped at the call deadline; replaced'
      : 'hook worker exited during a call; replaced'),
  });
}
