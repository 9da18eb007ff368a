// Development and tests only (tsx, vitest): a worker thread does not inherit the TypeScript loader, so it registers
// tsx and imports the TypeScript worker module. The compiled build (dist/) starts hook-worker.js directly.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
