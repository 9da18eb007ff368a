/**
 * The busy neighbour of the isolation run, in a process of its own: it loops one big call after the other until its
 * stdin closes, then prints the calls' times and statuses as one JSON line. In the measuring process, writing a 6 MB
 * body and reading the answer would hold up that process's own event loop for milliseconds at a time, and the small
 * calls it times would carry the load generator's stall, not the service's.
 */
import { readFileSync } from 'node:fs';
import { call } from './load.js';

export interface NeighbourReport {
  readonly ms: number[];
  readonly statuses: Record<string, number>;
}

const url = process.env.NEIGHBOUR_URL!;
const body = readFileSync(process.env.NEIGHBOUR_BODY_FILE!, 'utf8');
const report: NeighbourReport = { ms: [], statuses: {} };
let running = true;
process.stdin.on('end', () => (running = false)).resume();

process.stdout.write('started\n');
while (running) {
  const res = await call(url, body);
  report.ms.push(res.ms);
  report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify(report)}\n`);
