import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { constants } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encounterStartBody, midCoursePatient, prefetchFor, syntheticPatient } from '../../bench/lib/patients.js';
import { procStatFields } from '../../bench/lib/processes.js';
import { searchset, encounter, startMisbehavingFhirServer, type MisbehavingFhirServer } from '../support/misbehaving-fhir-server.js';
import { startService, type RunningService } from '../support/start-service.js';
import { FHIR_READER_DEFAULTS } from '../../src/fhir/reader/fhir-reader.js';
import { THREAD_ABOVE_RESOURCES } from '../../src/cds/hook-runner.js';
import { gatherHookData } from '../../src/cds/handle-hook.js';
import { DEADLINE_GRACE_MS } from '../../src/cds/pool/hook-pool.js';
import { startFhirServer, type RunningFhirServer } from '../../src/sandbox/start-fhir-server.js';

/**
 * One patient's very long history must not stall everyone else's calls: large bodies, and the data of long
 * histories read from FHIR, are worked on in worker threads, the deadline stops a call's CPU work too, and a search past the reader's bounds is refused by name.
 * Behaviour only; how fast is `npm run bench`'s business.
 */
const NOW = new Date('2026-11-25T12:05:00+01:00');
const big = syntheticPatient(5000);
const bigBody = JSON.stringify(encounterStartBody(big, { prefetch: prefetchFor(big) }));
const mid = midCoursePatient();
const smallBody = JSON.stringify(encounterStartBody(mid, { prefetch: prefetchFor(mid) }));
const BODY_LIMIT = String(32 * 1024 * 1024);
/** Test mode runs hook calls on the event loop unless asked; these tests are about the threads. */
const THREADS = { CDS_POOL_THREADS: '2' };

async function poolReady(svc: RunningService): Promise<void> {
  for (let i = 0; i < 2400 && !svc.service.pool?.hasReadyThread(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(svc.service.pool?.hasReadyThread()).toBe(true);
}

/** POST that resolves `sent` once the whole body is written and `done` with the answer. */
function post(url: string, body: string): { sent: Promise<void>; done: Promise<{ status: number; text: string }> } {
  let sent!: () => void;
  const sentPromise = new Promise<void>((r) => (sent = r));
  const done = new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body, () => sent());
  });
  return { sent: sentPromise, done };
}

/** A thread's nice value: the 19th field of its /proc stat. */
const niceOf = (statFile: string): number => Number(procStatFields(statFile)[16]);

const withoutIds = (text: string): string => text.replace(/"uuid":"[^"]+"/g, '"uuid":""');

describe('a 5,000-consultation call beside small ones', () => {
  let svc: RunningService;
  let inline: RunningService;
  beforeAll(async () => {
    svc = await startService({ env: { ...THREADS, CDS_MAX_BODY_BYTES: BODY_LIMIT, CDS_ANONYMOUS_MAX_BODY_BYTES: BODY_LIMIT, CDS_DEADLINE_MS: '10000' }, now: () => NOW });
    inline = await startService({ env: { CDS_MAX_BODY_BYTES: BODY_LIMIT, CDS_ANONYMOUS_MAX_BODY_BYTES: BODY_LIMIT, CDS_DEADLINE_MS: '10000', CDS_POOL_THREADS: '0' }, now: () => NOW });
    await poolReady(svc);
  });
  afterAll(async () => {
    await svc?.close();
    await inline?.close();
  });

  it('runs its hook threads below the event loop\'s priority once they are ready', async () => {
    const below = constants.priority.PRIORITY_BELOW_NORMAL;
    expect(niceOf('/proc/thread-self/stat')).toBeLessThan(below);
    const lowered = (): string[] => readdirSync('/proc/self/task').filter((tid) => {
      try {
        return niceOf(`/proc/self/task/${tid}/stat`) === below;
      } catch {
        return false; // a thread that ended while we looked
      }
    });
    // The pool is ready with its first thread; the second finishes its warm-up a little later.
    for (let i = 0; i < 400 && lowered().length < 2; i++) await new Promise((r) => setTimeout(r, 25));
    // `inline` has no hook threads: exactly svc's two are lowered, and nothing else in this process.
    expect(lowered()).toHaveLength(2);
  });

  it('answers a small call sent after the big one has arrived before the big one is done', async () => {
    const url = `${svc.url}/cds-services/lbp-encounter-start`;
    const order: string[] = [];
    const bigCall = post(url, bigBody);
    await bigCall.sent;
    const bigDone = bigCall.done.then((r) => (order.push('big'), r));
    const small = await post(url, smallBody).done;
    order.push('small');
    expect(small.status).toBe(200);
    const bigAnswer = await bigDone;
    expect(bigAnswer.status).toBe(200);
    expect(order).toEqual(['small', 'big']);
  });

  it('gives the same cards from a worker thread as on the event loop, byte for byte but for the card ids', async () => {
    const url = (s: RunningService) => `${s.url}/cds-services/lbp-encounter-start`;
    const [pooled, loop] = await Promise.all([post(url(svc), bigBody).done, post(url(inline), bigBody).done]);
    expect(pooled.status).toBe(200);
    expect(withoutIds(pooled.text)).toBe(withoutIds(loop.text));
    expect(JSON.parse(pooled.text).cards.length).toBeGreaterThan(0);
  });

  it('records the cards issued in a worker thread in the feedback store like any others', async () => {
    const issued = async (): Promise<number> =>
      (await Promise.resolve(svc.service.store.reportByRule())).reduce((n, row) => n + row.issued, 0);
    const before = await issued();
    const { status, text } = await post(`${svc.url}/cds-services/lbp-encounter-start`, bigBody).done;
    expect(status).toBe(200);
    expect(await issued()).toBe(before + (JSON.parse(text).cards as unknown[]).length);
  });

  it('answers a large body that is not JSON with the same 400 as a small one', async () => {
    const broken = `${bigBody.slice(0, -10)}`;
    const answer = await post(`${svc.url}/cds-services/lbp-encounter-start`, broken).done;
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).issue[0].diagnostics).toMatch(/not valid JSON/);
  });
});

describe('a history read from the FHIR server', () => {
  // Long enough to cross the line into a thread, short enough to load quickly.
  const long = syntheticPatient(300);
  let fhir: RunningFhirServer;
  let svc: RunningService;
  let inline: RunningService;
  beforeAll(async () => {
    fhir = await startFhirServer({ bundles: [long.bundle, mid.bundle] });
    svc = await startService({ env: { ...THREADS, CDS_DEADLINE_MS: '10000' }, now: () => NOW });
    inline = await startService({ env: { CDS_DEADLINE_MS: '10000', CDS_POOL_THREADS: '0' }, now: () => NOW });
    await poolReady(svc);
  });
  afterAll(async () => {
    await svc?.close();
    await inline?.close();
    await fhir?.close();
  });

  /** The call's answer and its request log line (found by its hookInstance). */
  async function readCall(s: RunningService, patient: typeof mid) {
    const hookInstance = randomUUID();
    const body = JSON.stringify({ ...encounterStartBody(patient, { fhirServer: fhir.url, accessToken: 'unused' }), hookInstance });
    const answer = await post(`${s.url}/cds-services/lbp-encounter-start`, body).done;
    const line = s.logs.map((l) => JSON.parse(l) as Record<string, any>).find((l) => l.msg === 'request' && l.hook?.hookInstance === hookInstance);
    return { ...answer, hookLog: line?.hook as Record<string, unknown> | undefined };
  }

  it('keeps a normal patient\'s call on the event loop: no hand-over for a millisecond of work', async () => {
    const { status, hookLog } = await readCall(svc, mid);
    expect(status).toBe(200);
    expect(hookLog).toMatchObject({ fetched: 7 });
    expect(hookLog).not.toHaveProperty('thread');
  });

  it('maps, evaluates and renders a long one in a thread, and runs that patient\'s next call whole there; same cards as on the event loop', async () => {
    expect(long.resources.length).toBeGreaterThan(THREAD_ABOVE_RESOURCES);
    const [pooled, loop] = await Promise.all([readCall(svc, long), readCall(inline, long)]);
    expect(pooled.status).toBe(200);
    expect(pooled.hookLog).toMatchObject({ thread: 'data', fetched: 7 });
    expect(loop.hookLog).not.toHaveProperty('thread');
    expect(withoutIds(pooled.text)).toBe(withoutIds(loop.text));
    expect(JSON.parse(pooled.text).cards.length).toBeGreaterThan(0);
    // Remembered as long: reading it would cost the event loop again.
    const again = await readCall(svc, long);
    expect(again.hookLog).toMatchObject({ thread: 'call', fetched: 7 });
    expect(withoutIds(again.text)).toBe(withoutIds(loop.text));
    // Another patient on the same server is not.
    expect((await readCall(svc, mid)).hookLog).not.toHaveProperty('thread');
  });

  it('records the cards a thread rendered from read data in the feedback store', async () => {
    const issued = async (): Promise<number> =>
      (await Promise.resolve(svc.service.store.reportByRule())).reduce((n, row) => n + row.issued, 0);
    const before = await issued();
    const { status, text } = await readCall(svc, long);
    expect(status).toBe(200);
    expect(await issued()).toBe(before + (JSON.parse(text).cards as unknown[]).length);
  });
});

describe('the deadline covers CPU work', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await startService({ env: { ...THREADS, CDS_MAX_BODY_BYTES: BODY_LIMIT, CDS_ANONYMOUS_MAX_BODY_BYTES: BODY_LIMIT, CDS_DEADLINE_MS: '50' }, now: () => NOW });
    await poolReady(svc);
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('stops a call still computing at its deadline with a 503 naming it, replaces the thread, and serves the next call', async () => {
    const answer = await svc.hook('lbp-encounter-start', bigBody);
    expect(answer.status).toBe(503);
    expect(answer.body.issue[0]).toMatchObject({ code: 'timeout' });
    expect(answer.body.issue[0].diagnostics).toMatch(/deadline of 50 ms/);
    expect(svc.logs.join('')).toMatch(/hook worker stopped at the call deadline/);
    const next = await svc.hook('lbp-encounter-start', smallBody);
    expect(next.status).toBe(200);
    await poolReady(svc);
    expect(svc.service.pool?.threads).toBe(2);
  });

  it('counts the time the event loop spent reading when read data is handed to a thread', async () => {
    await poolReady(svc);
    // The data of the 5,000-consultation patient, as the event loop has it once read (here from the prefetch).
    const deps = { ...svc.service.hookDeps, deadlineMs: 10_000 };
    const gathered = await gatherHookData({ serviceId: 'lbp-encounter-start', body: JSON.parse(bigBody), lang: 'da', caller: {} }, deps);
    if (!('data' in gathered)) throw new Error('expected the call\'s data');
    const task = { serviceId: 'lbp-encounter-start', lang: 'da' as const, caller: {}, requestInstant: NOW.toISOString(), data: gathered.data };
    // 45 of the 50 ms already spent reading: the thread has 5 ms plus the grace, far less than this history takes.
    const started = performance.now();
    await expect(svc.service.pool!.run(task, 45)).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/deadline of 50 ms/) });
    // Its timer fires at 50 + grace - 45 ms; counted from the hand-over instead, it would be 50 + grace (35 ms apart).
    expect(performance.now() - started).toBeLessThan(50 + DEADLINE_GRACE_MS - 45 + 35);
    await poolReady(svc);
  });
});

describe('a search past the reader\'s bounds', () => {
  let svc: RunningService;
  let fhir: MisbehavingFhirServer;
  beforeAll(async () => {
    // A deadline wide enough for a cold thread on a busy machine, far below the slow server's delay.
    svc = await startService({ env: { ...THREADS, CDS_DEADLINE_MS: '1000' }, now: () => NOW });
    fhir = await startMisbehavingFhirServer();
    await poolReady(svc);
    // A first call warms the threads (JIT): what is tested below is the answer, not a cold start.
    fhir.serve('CarePlan', searchset([]));
    const { carePlans: _read, ...prefetch } = prefetchFor(mid);
    const warm = { ...encounterStartBody(mid, { prefetch }), fhirServer: fhir.url };
    for (let i = 0; i < 3; i++) expect((await svc.hook('lbp-encounter-start', warm)).status).toBe(200);
  });
  afterAll(async () => {
    await svc?.close();
    await fhir?.close();
  });

  it('is a 413 naming the limit, answered from the first page\'s total without reading the rest', async () => {
    const found = FHIR_READER_DEFAULTS.maxResources * 2;
    fhir.serve('Encounter', {
      ...searchset([encounter('e1', 'p1')], { next: fhir.urlOf('Encounter?patient=p1&_count=1000&_offset=1000') }),
      total: found,
    });
    for (const type of ['EpisodeOfCare', 'CarePlan', 'Observation', 'QuestionnaireResponse']) fhir.serve(type, searchset([]));
    fhir.serve('Encounter/e1', encounter('e1', 'p1'));
    const answer = await svc.hook('lbp-encounter-start', {
      hook: 'encounter-start',
      hookInstance: 'd3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f',
      fhirServer: fhir.url,
      context: { userId: 'Practitioner/pt-1', patientId: 'p1', encounterId: 'e1' },
    });
    expect(answer.status).toBe(413);
    expect(answer.body.issue[0]).toMatchObject({ code: 'too-long', expression: ['prefetch.encounters'] });
    expect(answer.body.issue[0].diagnostics).toContain(`${found} resources, more than the limit of ${FHIR_READER_DEFAULTS.maxResources}`);
    expect(fhir.requests.filter((r) => r.url.includes('_offset'))).toEqual([]);
  });

  it('is not what a slow server gets: a read past the deadline is the usual 412, not the 503 of a call still computing', async () => {
    const slow = await startMisbehavingFhirServer();
    try {
      slow.serve('Encounter', searchset([encounter('e1', 'p1')]), { delayMs: 3_000 });
      const answer = await svc.hook('lbp-patient-view', {
        hook: 'patient-view', hookInstance: 'd3b07384-d113-4ec6-a5b1-4a1b2c3d4e5f', fhirServer: slow.url,
        context: { userId: 'Practitioner/pt-1', patientId: 'p1' },
      });
      expect(answer.status).toBe(412);
      expect(JSON.stringify(answer.body)).toMatch(/encounters/);
    } finally {
      await slow.close();
    }
  });
});
