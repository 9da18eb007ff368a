import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CDS_EXAMPLES, EXAMPLES_DIR, EXAMPLES_NOW } from '../../src/demo/cds-examples.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * Every request in cds-hooks/examples/ is sent as it is, to the service as `npm start` runs it (development mode,
 * no JWT), and the answer is compared whole with its *.response.json: only ids (UUIDs) and instants are
 * normalised. When card texts change on purpose: `npx tsx scripts/build-cds-examples.ts`, and read the diff.
 */
const dir = join(PROJECT_ROOT, EXAMPLES_DIR);
const requests = readdirSync(dir).filter((f) => f.endsWith('.request.json')).sort();

let svc: RunningService;
beforeAll(async () => {
  svc = await startService({ env: { NODE_ENV: 'development' }, now: () => new Date(EXAMPLES_NOW) });
});
afterAll(() => svc.close());

const read = (name: string): unknown => JSON.parse(readFileSync(join(dir, name), 'utf8'));

/** `lbp-encounter-start.request.json` -> the service; `lbp-encounter-start.feedback.request.json` -> its feedback. */
function pathOf(file: string): string {
  const [service, feedback] = file.replace(/\.request\.json$/, '').split('.');
  return feedback === 'feedback' ? `/cds-services/${service}/feedback` : `/cds-services/${service}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
function normalise(value: unknown): unknown {
  if (typeof value === 'string') return UUID.test(value) ? '<uuid>' : INSTANT.test(value) ? '<instant>' : value;
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalise(v)]));
  return value;
}

describe('the example calls in cds-hooks/examples/', () => {
  it('are one request and one response per example, for every hook and the feedback', () => {
    expect(requests.map(pathOf)).toEqual(expect.arrayContaining([
      '/cds-services/lbp-encounter-start', '/cds-services/lbp-patient-view', '/cds-services/lbp-appointment-book',
      '/cds-services/lbp-encounter-start/feedback',
    ]));
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(requests.flatMap((r) => [r, r.replace('.request.json', '.response.json')]).sort());
  });

  it.each(requests)('%s works as sent and gets the answer in its response file', async (file) => {
    const body = readFileSync(join(dir, file), 'utf8');
    const path = pathOf(file);
    const answer = path.endsWith('/feedback') ? await svc.post(path, body) : await svc.hook(path.split('/').pop()!, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(normalise(answer.body)).toEqual(normalise(read(file.replace('.request.json', '.response.json'))));
  });

  it('are the ones scripts/build-cds-examples.ts builds from the demo patients (no hand edits drifting from them)', () => {
    for (const example of CDS_EXAMPLES) expect(read(`${example.name}.request.json`)).toEqual(example.body(PROJECT_ROOT));
  });

  it('show what the cards say: the encounter-start example recommends the next 0266 by its own name', () => {
    const cards = (read('lbp-encounter-start.response.json') as { cards: { summary: string }[] }).cards;
    expect(cards.map((c) => c.summary)).toContain('Anbefalet næste konsultation: Individuel konsultation: Superviseret træning (0266)');
  });
});
