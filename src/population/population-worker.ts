/**
 * A worker thread of the population job: asks for a unit, processes it, posts the partial result, until told to
 * stop. Progress (bytes read, patients evaluated) is posted as it goes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { processUnit } from './ndjson/process-unit.js';
import type { FileSet } from './ndjson/file-sets.js';
import type { PopulationOptions } from './population-result.js';

type FromMain = { type: 'unit'; unit: FileSet } | { type: 'stop' };

const port = parentPort;
if (!port) throw new Error('population-worker runs as a worker thread');
const options = (workerData as { options: PopulationOptions }).options;

port.on('message', (message: FromMain) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  processUnit(message.unit, options, (delta) => port.postMessage({ type: 'progress', ...delta }))
    .then((partial) => port.postMessage({ type: 'done', partial }))
    .catch((error: unknown) => port.postMessage({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
});
port.postMessage({ type: 'ready' });
