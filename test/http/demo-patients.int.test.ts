import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, findDemoPatient, loadDemoBundles } from '../../src/demo/patients.js';
import { createFhirServer } from '../../src/sandbox/index.js';
import { PROJECT_ROOT, startService, type RunningService } from '../support/start-service.js';

/**
 * The demo as a newcomer runs it (`npm start`): one process serving the CDS services and the embedded FHIR server at
 * /fhir with the demo patients. Every demo patient's current consultation yields exactly its expected cards.
 */
type Card = { summary: string; indicator: string; detail?: string; source: { topic: { code: string } }; suggestions?: unknown[]; overrideReasons?: unknown[]; selectionBehavior?: string };
const topics = (cards: Card[]): string[] => cards.map((c) => c.source.topic.code);

describe('the demo patients through the embedded sandbox', () => {
  let svc: RunningService;
  let fhirBase: string;

  beforeAll(async () => {
    const sandbox = await createFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT) });
    svc = await startService({ fhirRouter: sandbox.router });
    fhirBase = `${svc.url}/fhir`;
  });
  afterAll(() => svc.close());

  const withCurrent = DEMO_PATIENTS.filter((p) => p.currentEncounterId);
  it.each(withCurrent.map((p) => [p.key, p] as const))('%s: encounter-start gives exactly the expected rule cards', async (_key, patient) => {
    const result = await svc.hook('lbp-encounter-start', {
      hook: 'encounter-start', hookInstance: randomUUID(), fhirServer: fhirBase,
      context: { userId: 'Practitioner/pt-1', patientId: patient.patientId, encounterId: patient.currentEncounterId },
    });
    expect(result.status).toBe(200);
    const cards = result.body.cards as Card[];
    const ruleCards = topics(cards).filter((t) => t !== 'next-consultation' && t !== 'outcome-change');
    expect(ruleCards.sort()).toEqual([...patient.expectedRuleIds].sort());
    expect(topics(cards)).toContain('next-consultation');
    for (const card of cards) {
      expect(card.summary.length).toBeLessThan(140);
      if (card.suggestions) expect(card.selectionBehavior).toBeDefined();
    }
    // The breaking consultation is the current one: limit rules warn and offer override reasons.
    const limitRules = ['course-entry', 'education-limit', 'individual-training-limit', 'group-training-frequency', 'one-per-day', 'final-consultation', 'follow-up-timing'];
    for (const card of cards.filter((c) => limitRules.includes(c.source.topic.code))) {
      expect(card.indicator).toBe('warning');
      expect(card.overrideReasons?.length).toBeGreaterThan(0);
    }
    expect(cards.every((c) => c.indicator !== 'critical')).toBe(true);
  });

  it('answers in Danish by default and in English on Accept-Language: en', async () => {
    const p = findDemoPatient('edge-individual-training-limit')!;
    const body = { hook: 'encounter-start', hookInstance: randomUUID(), fhirServer: fhirBase, context: { userId: 'Practitioner/1', patientId: p.patientId, encounterId: p.currentEncounterId } };
    const da = await svc.hook('lbp-encounter-start', body);
    const en = await svc.hook('lbp-encounter-start', { ...body, hookInstance: randomUUID() }, { 'Accept-Language': 'en-GB,en;q=0.9' });
    const daCard = (da.body.cards as Card[]).find((c) => c.source.topic.code === 'individual-training-limit')!;
    const enCard = (en.body.cards as Card[]).find((c) => c.source.topic.code === 'individual-training-limit')!;
    expect(daCard.summary).toMatch(/0266/);
    expect(daCard.summary).not.toEqual(enCard.summary);
    expect(daCard.detail).toMatch(/konsultation/i);
    expect(enCard.detail).toMatch(/consultation/i);
  });

  it('appointment-book: booking one more 0266 than the limit allows warns before it is booked', async () => {
    const p = findDemoPatient('course-2-mid-course')!;
    const book = (code: string, start: string) => svc.hook('lbp-appointment-book', {
      hook: 'appointment-book', hookInstance: randomUUID(), fhirServer: fhirBase,
      context: { userId: 'Practitioner/1', patientId: p.patientId, appointments: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: {
        resourceType: 'Appointment', id: `proposed-${code}`, status: 'proposed', start,
        serviceType: [{ coding: [{ system: 'https://fhir.structured-course.dk/CodeSystem/consultation-code', code }] }],
        participant: [{ actor: { reference: `Patient/${p.patientId}` }, status: 'needs-action' }] } }] } },
    });
    // A 0266 four months after entry is outside the 3-month window.
    const late = await book('0266', '2027-03-10T10:00:00+01:00');
    expect(late.status).toBe(200);
    const card = (late.body.cards as Card[]).find((c) => c.source.topic.code === 'individual-training-limit');
    expect(card?.indicator).toBe('warning');
    // A 0266 next week is fine: no limit card.
    const ok = await book('0266', '2026-12-02T10:00:00+01:00');
    expect(topics(ok.body.cards as Card[]).filter((t) => t === 'individual-training-limit')).toEqual([]);
  });

  it('appointment-book with two proposed Appointments: each is checked, the course status is given once', async () => {
    const p = findDemoPatient('course-2-mid-course')!;
    const appointment = (id: string, code: string, start: string) => ({ resource: {
      resourceType: 'Appointment', id, status: 'proposed', start,
      serviceType: [{ coding: [{ system: 'https://fhir.structured-course.dk/CodeSystem/consultation-code', code }] }],
      participant: [{ actor: { reference: `Patient/${p.patientId}` }, status: 'needs-action' }] } });
    const result = await svc.hook('lbp-appointment-book', {
      hook: 'appointment-book', hookInstance: randomUUID(), fhirServer: fhirBase,
      context: { userId: 'Practitioner/1', patientId: p.patientId, appointments: { resourceType: 'Bundle', type: 'collection', entry: [
        appointment('a-ok', '0266', '2026-12-02T10:00:00+01:00'),
        appointment('a-late', '0266', '2027-03-10T10:00:00+01:00'),
      ] } },
    });
    expect(result.status).toBe(200);
    const cards = result.body.cards as Card[];
    expect(topics(cards).filter((t) => t === 'next-consultation')).toHaveLength(1);
    expect(cards.find((c) => c.source.topic.code === 'individual-training-limit')?.indicator).toBe('warning');
  });

  it('patient-view on a completed seed course shows its status without false warnings', async () => {
    for (const key of ['course-1-self-training', 'course-2-recurrent', 'course-3-persistent']) {
      const p = findDemoPatient(key)!;
      const result = await svc.hook('lbp-patient-view', { hook: 'patient-view', hookInstance: randomUUID(), fhirServer: fhirBase, context: { userId: 'Practitioner/1', patientId: p.patientId } });
      expect(result.status).toBe(200);
      const cards = result.body.cards as Card[];
      expect(cards.filter((c) => c.indicator === 'warning')).toEqual([]);
      expect(topics(cards)).not.toContain('course-type-unknown');
    }
  });

  it('serves CORS on every endpoint, preflight included', async () => {
    const pre = await fetch(`${svc.url}/cds-services/lbp-patient-view`, { method: 'OPTIONS', headers: { Origin: 'https://sandbox.cds-hooks.org', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    const discovery = await fetch(`${svc.url}/cds-services`, { headers: { Origin: 'https://sandbox.cds-hooks.org' } });
    expect(discovery.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await discovery.json()) as { services: { id: string; hook: string }[] };
    expect(body.services.map((s) => `${s.id}:${s.hook}`)).toEqual(['lbp-encounter-start:encounter-start', 'lbp-patient-view:patient-view', 'lbp-appointment-book:appointment-book']);
    const fhirPre = await fetch(`${svc.url}/fhir/Encounter?patient=x`, { method: 'OPTIONS', headers: { Origin: 'https://a.example', 'Access-Control-Request-Method': 'GET' } });
    expect(fhirPre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('stores feedback once per item and reports it per rule', async () => {
    const p = findDemoPatient('edge-education-limit')!;
    const result = await svc.hook('lbp-encounter-start', { hook: 'encounter-start', hookInstance: randomUUID(), fhirServer: fhirBase, context: { userId: 'Practitioner/1', patientId: p.patientId, encounterId: p.currentEncounterId } });
    const card = (result.body.cards as (Card & { uuid: string })[]).find((c) => c.source.topic.code === 'education-limit')!;
    const item = { card: card.uuid, outcome: 'overridden', outcomeTimestamp: '2026-11-25T10:05:00+01:00',
      overrideReason: { reason: { system: 'http://terminology.hl7.org/CodeSystem/non-adherence-reason-codes', code: 'cds-not-applicable', display: 'Not applicable' }, userComment: 'Patienten Jens ønsker det' } };
    const first = await svc.post('/cds-services/lbp-encounter-start/feedback', { feedback: [item] });
    const again = await svc.post('/cds-services/lbp-encounter-start/feedback', { feedback: [item] });
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(await svc.service.store.feedbackCount()).toBe(1);
    const row = (await svc.service.store.reportByRule()).find((r) => r.ruleId === 'education-limit')!;
    // Issued twice in this file (also by the per-patient test above), overridden once.
    expect(row).toMatchObject({ issued: 2, withFeedback: 1, overridden: 1, accepted: 0 });
    // Stored with our display, not the one sent ('Not applicable'), and without the user's comment.
    expect(await svc.service.store.reportOverrideReasons()).toContainEqual({ ruleId: 'education-limit', reasonCode: 'cds-not-applicable', reasonDisplay: 'Passer ikke på denne patient (fx ufuldstændige data)', count: 1 });
    const bad = await svc.post('/cds-services/lbp-encounter-start/feedback', { feedback: [{ card: card.uuid, outcome: 'maybe' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.resourceType).toBe('OperationOutcome');
  });
});
