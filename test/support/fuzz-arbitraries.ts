/**
 * fast-check arbitraries for fuzzing the service over HTTP, shared by test/http/fuzz.int.test.ts (a bounded run in
 * `npm test`) and scripts/fuzz.ts (`npm run fuzz`, a longer run with counts). Three families of hook requests:
 * valid ones built from the demo patients, near-valid ones (a valid request with a few values replaced or removed
 * anywhere in it) and hostile ones (arbitrary JSON, prototype keys, deep nesting, odd strings); and generated FHIR
 * payloads, both placed in prefetch and served by a real FHIR server the service reads.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { Bundle } from 'fhir/r4.js';
import { CodeSystemUrl, QuestionnaireUrl } from '../../src/canonical.js';
import { DEMO_PATIENTS, loadDemoBundle } from '../../src/demo/patients.js';
import type { MisbehavingFhirServer, Misbehaviour } from './misbehaving-fhir-server.js';
import { prefetchFromBundle } from './prefetch-from-bundle.js';
import { PROJECT_ROOT, type RunningService } from './start-service.js';

export const SERVICE_IDS = ['lbp-encounter-start', 'lbp-patient-view', 'lbp-appointment-book'] as const;
const HOOK_OF: Record<(typeof SERVICE_IDS)[number], string> = {
  'lbp-encounter-start': 'encounter-start',
  'lbp-patient-view': 'patient-view',
  'lbp-appointment-book': 'appointment-book',
};
const CONSULTATION_CODES = ['0110', '0113', '0261', '0262', '0263', '0264', '0265', '0266', '0267', '0268', '0269'];
const PREFETCH_KEYS = ['patient', 'encounter', 'encounters', 'episodes', 'carePlans', 'scores', 'responses'];

/** One generated call: where it goes, what it sends, and (for FHIR-server cases) what that server answers. */
export interface FuzzCase {
  readonly family: 'valid' | 'near-valid' | 'hostile' | 'fhir-prefetch' | 'fhir-server';
  readonly serviceId: string;
  /** A JSON value, or raw text for bodies that are not JSON at all. */
  readonly body: unknown;
  readonly lang?: 'da' | 'en';
  /** Per resource type: what the FHIR server answers to its search (fhir-server cases only). */
  readonly served?: Readonly<Record<string, ServedAnswer>>;
}

export type ServedAnswer = { kind: 'json'; body: unknown } | Misbehaviour;

const demo = DEMO_PATIENTS.map((patient) => ({ patient, bundle: loadDemoBundle(PROJECT_ROOT, patient) }));

// ---------------------------------------------------------------------------------------------------------------
// Building blocks

/** Dates around the demo courses, some malformed: FHIR dates, dateTimes with and without zones, and junk. */
export const fhirDateLike = fc.oneof(
  fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2028-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => `${d.toISOString().slice(0, 19)}+01:00`),
  fc.constantFrom('2026-02-30', '2026-13-01T10:00:00Z', '2026-11-25T25:00:00+01:00', '', 'yesterday', '2026', '2026-11', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00'),
);

const oddString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '\u0000', '\uFFFF', '\uD800', '../../etc/passwd', '%2e%2e%2f', '{{context.patientId}}', '<script>alert(1)</script>', '{{#each this}}{{/each}}', 'Patient/../../x', 'a'.repeat(2000)),
);

const oddNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 1e308, -1e308, 5e-324, 2 ** 53 + 1));

/** Anything JSON can hold, including the values our code is most likely to trip over. */
export const weirdJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  oddNumber,
  fc.constantFrom(null, true, false, [], {}, [null], { resourceType: 'OperationOutcome' }, { resourceType: 'Bundle' }, { resourceType: 'Bundle', entry: null }),
);

const coding = (system: string, codes: readonly string[]): fc.Arbitrary<Record<string, unknown>> =>
  fc.record({ system: fc.oneof(fc.constant(system), oddString), code: fc.oneof(fc.constantFrom(...codes), oddString) }, { requiredKeys: ['code'] });

const reference = (type: string, id: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> =>
  fc.oneof(id.map((i) => ({ reference: `${type}/${i}` })), fc.record({ reference: oddString }), fc.constant({}), fc.constant({ reference: `http://elsewhere.example/fhir/${type}/1` }));

/** A plausible-to-broken Encounter of `patientId` (or of someone else). */
export function encounterArb(patientId: string): fc.Arbitrary<Record<string, unknown>> {
  const subject = reference('Patient', fc.constantFrom(patientId, patientId, 'other-patient'));
  return fc.record({
    resourceType: fc.constant('Encounter'),
    id: fc.oneof(fc.uuid(), fc.constantFrom('e1', 'e2', 'e1'), oddString),
    status: fc.oneof(fc.constantFrom('finished', 'arrived', 'in-progress', 'cancelled', 'entered-in-error', 'planned'), oddString),
    class: fc.constant({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' }),
    type: fc.array(fc.record({ coding: fc.array(coding(CodeSystemUrl.consultation, CONSULTATION_CODES), { maxLength: 3 }) }), { maxLength: 2 }),
    subject,
    episodeOfCare: fc.array(reference('EpisodeOfCare', fc.constantFrom('ep1', 'ep2')), { maxLength: 2 }),
    period: fc.record({ start: fhirDateLike, end: fhirDateLike }, { requiredKeys: [] }),
  }, { requiredKeys: ['resourceType'] });
}

export function episodeArb(patientId: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    resourceType: fc.constant('EpisodeOfCare'),
    id: fc.constantFrom('ep1', 'ep2', 'ep3'),
    status: fc.oneof(fc.constantFrom('active', 'finished', 'cancelled', 'waitlist'), oddString),
    type: fc.array(fc.record({ coding: fc.array(coding(CodeSystemUrl.courseType, ['self-training', 'recurrent', 'persistent']), { maxLength: 2 }) }), { maxLength: 2 }),
    patient: reference('Patient', fc.constantFrom(patientId, 'other-patient')),
    period: fc.record({ start: fhirDateLike, end: fhirDateLike }, { requiredKeys: [] }),
  }, { requiredKeys: ['resourceType'] });
}

export function observationArb(patientId: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    resourceType: fc.constant('Observation'),
    id: fc.oneof(fc.uuid(), oddString),
    status: fc.oneof(fc.constantFrom('final', 'amended', 'preliminary', 'entered-in-error'), oddString),
    code: fc.record({ coding: fc.array(fc.oneof(coding('http://loinc.org', ['97909-6', '72514-3']), coding(CodeSystemUrl.instrument, ['odi', 'psfs', 'nprs'])), { maxLength: 2 }) }),
    subject: reference('Patient', fc.constantFrom(patientId, 'other-patient')),
    encounter: reference('Encounter', fc.constantFrom('e1', 'e2')),
    effectiveDateTime: fhirDateLike,
    valueQuantity: fc.record({ value: oddNumber, unit: fc.constantFrom('%', '{score}') }, { requiredKeys: [] }),
    valueInteger: oddNumber,
  }, { requiredKeys: ['resourceType'] });
}

export function questionnaireResponseArb(patientId: string): fc.Arbitrary<Record<string, unknown>> {
  const answer = fc.oneof(
    fc.record({ valueInteger: oddNumber }),
    fc.record({ valueDecimal: oddNumber }),
    fc.record({ valueString: oddString }),
    fc.record({ valueCoding: fc.record({ code: oddString, extension: fc.constant([{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 3 }]) }) }),
  );
  const item = fc.record({
    linkId: fc.oneof(fc.constantFrom('odi-1', 'odi-2', 'odi-8', 'odi-10', 'psfs-1', 'psfs-1-score', 'nprs'), oddString),
    answer: fc.array(answer, { maxLength: 3 }),
  }, { requiredKeys: ['linkId'] });
  return fc.record({
    resourceType: fc.constant('QuestionnaireResponse'),
    id: fc.oneof(fc.uuid(), oddString),
    questionnaire: fc.oneof(fc.constantFrom(QuestionnaireUrl.odi, QuestionnaireUrl.psfs, QuestionnaireUrl.nprs, `${QuestionnaireUrl.odi}|2.1a`, 'http://elsewhere.example/Questionnaire/x'), oddString),
    status: fc.oneof(fc.constantFrom('completed', 'in-progress', 'amended'), oddString),
    subject: reference('Patient', fc.constantFrom(patientId, 'other-patient')),
    authored: fhirDateLike,
    item: fc.array(item, { maxLength: 12 }),
  }, { requiredKeys: ['resourceType'] });
}

/**
 * A searchset Bundle of generated resources; one in four has broken entries as well (which make the whole page
 * unusable, so most Bundles stay clean for the generated resources to reach the mapping and the rules).
 */
export function bundleArb(resource: fc.Arbitrary<unknown>): fc.Arbitrary<Bundle> {
  const clean = resource.map((r) => ({ resource: r, search: { mode: 'match' } }));
  const dirty = fc.oneof(
    { weight: 6, arbitrary: clean },
    { weight: 1, arbitrary: weirdJson.map((r) => ({ resource: r })) },
    { weight: 1, arbitrary: weirdJson },
  );
  return fc.oneof({ weight: 3, arbitrary: fc.array(clean, { maxLength: 15 }) }, { weight: 1, arbitrary: fc.array(dirty, { maxLength: 15 }) })
    .map((entries) => ({ resourceType: 'Bundle', type: 'searchset', entry: entries }) as unknown as Bundle);
}

// ---------------------------------------------------------------------------------------------------------------
// Requests

function contextFor(serviceId: (typeof SERVICE_IDS)[number], p: (typeof demo)[number], appointment: Record<string, unknown>): Record<string, unknown> {
  const base = { userId: 'Practitioner/pt-1', patientId: p.patient.patientId };
  if (serviceId === 'lbp-encounter-start') return { ...base, encounterId: p.patient.currentEncounterId ?? p.patient.encounterIds.at(-1) };
  if (serviceId === 'lbp-appointment-book') return { ...base, appointments: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: appointment }] } };
  return base;
}

const appointmentArb = (patientId: string): fc.Arbitrary<Record<string, unknown>> =>
  fc.record({
    code: fc.constantFrom(...CONSULTATION_CODES),
    start: fc.date({ min: new Date('2026-09-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
  }).map(({ code, start }) => ({
    resourceType: 'Appointment',
    id: 'proposed-1',
    status: 'proposed',
    start: `${start.toISOString().slice(0, 19)}+01:00`,
    serviceType: [{ coding: [{ system: CodeSystemUrl.consultation, code }] }],
    participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'needs-action' }],
  }));

/** A request the protocol allows, for a demo patient; prefetch keys are now and then null, absent or an OperationOutcome. */
export const validRequest: fc.Arbitrary<FuzzCase> = fc
  .record({
    serviceId: fc.constantFrom(...SERVICE_IDS),
    index: fc.nat({ max: demo.length - 1 }),
    keyStates: fc.array(fc.constantFrom('sent', 'sent', 'sent', 'sent', 'sent', 'sent', 'null', 'absent', 'outcome'), { minLength: PREFETCH_KEYS.length, maxLength: PREFETCH_KEYS.length }),
    lang: fc.constantFrom('da' as const, 'en' as const),
  })
  .chain(({ serviceId, index, keyStates, lang }) => appointmentArb(demo[index]!.patient.patientId).map((appointment) => {
    const p = demo[index]!;
    const context = contextFor(serviceId, p, appointment);
    const full = prefetchFromBundle(p.bundle, p.patient.patientId, context.encounterId as string | undefined);
    const prefetch: Record<string, unknown> = {};
    PREFETCH_KEYS.forEach((key, i) => {
      const state = keyStates[i];
      if (!(key in full) || state === 'absent') return;
      prefetch[key] = state === 'null' ? null : state === 'outcome' ? { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] } : full[key];
    });
    return { family: 'valid' as const, serviceId, lang, body: { hook: HOOK_OF[serviceId], hookInstance: randomUUID(), context, prefetch } };
  }));

/** Replaces or removes the value at a path chosen by `steps` (each picks a child by index). */
export function mutateAt(value: unknown, steps: readonly number[], replacement: unknown, remove: boolean): unknown {
  if (steps.length === 0 || value === null || typeof value !== 'object') return remove ? undefined : replacement;
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  if (keys.length === 0) return remove ? undefined : replacement;
  const key = keys[steps[0]! % keys.length]!;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const child = mutateAt(copy[key], steps.slice(1), replacement, remove);
  if (child === undefined && !Array.isArray(copy)) delete copy[key];
  else copy[key] = child;
  return copy;
}

/**
 * A valid request with one to three values replaced by something odd, or removed: mostly inside the prefetched
 * data (where the mapping has to cope), sometimes in the context or anywhere (where the schema has to refuse).
 */
export const nearValidRequest: fc.Arbitrary<FuzzCase> = fc
  .tuple(validRequest, fc.array(fc.record({
    where: fc.constantFrom('prefetch', 'prefetch', 'prefetch', 'context', 'anywhere'),
    steps: fc.array(fc.nat(), { minLength: 3, maxLength: 8 }),
    replacement: weirdJson,
    remove: fc.boolean(),
  }), { minLength: 1, maxLength: 3 }))
  .map(([c, mutations]) => ({
    ...c,
    family: 'near-valid' as const,
    body: mutations.reduce((body, m) => {
      const b = body as Record<string, unknown>;
      if (m.where === 'anywhere' || b[m.where] === undefined) return mutateAt(body, m.steps, m.replacement, m.remove) ?? {};
      return { ...b, [m.where]: mutateAt(b[m.where], m.steps, m.replacement, m.remove) ?? {} };
    }, c.body),
  }));

/** Requests no EHR would send: arbitrary JSON, prototype keys, deep nesting, raw text. */
export const hostileRequest: fc.Arbitrary<FuzzCase> = fc.record({
  serviceId: fc.oneof(fc.constantFrom(...SERVICE_IDS), fc.constantFrom('nope', 'lbp-patient-view/../lbp-encounter-start', '%00', 'lbp-patient-view%2Ffeedback')),
  body: fc.oneof(
    weirdJson,
    fc.dictionary(fc.constantFrom('hook', 'hookInstance', 'context', 'prefetch', 'fhirServer', 'fhirAuthorization', '__proto__', 'constructor', 'extension'), weirdJson),
    fc.record({
      hook: fc.constantFrom('patient-view', 'encounter-start', 'appointment-book'),
      hookInstance: fc.uuid(),
      context: fc.dictionary(fc.constantFrom('userId', 'patientId', 'encounterId', 'appointments', '__proto__', 'toString'), weirdJson),
      prefetch: fc.dictionary(fc.constantFrom(...PREFETCH_KEYS, '__proto__', 'hasOwnProperty'), weirdJson),
    }, { requiredKeys: ['hook', 'hookInstance', 'context'] }),
    fc.nat({ max: 3000 }).map((depth) => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)),
    fc.string({ maxLength: 200 }).map((text) => ({ raw: text })),
  ),
}).map(({ serviceId, body }) => ({ family: 'hostile' as const, serviceId, body: isRaw(body) ? body.raw : body }));

const isRaw = (b: unknown): b is { raw: string } =>
  typeof b === 'object' && b !== null && !Array.isArray(b) && Object.keys(b).length === 1 && typeof (b as { raw?: unknown }).raw === 'string';

/** Generated FHIR data in prefetch, for a demo patient's id (so that some of it is theirs). */
export const fhirPrefetchRequest: fc.Arbitrary<FuzzCase> = fc
  .record({ serviceId: fc.constantFrom('lbp-encounter-start', 'lbp-patient-view'), index: fc.nat({ max: demo.length - 1 }), lang: fc.constantFrom('da' as const, 'en' as const) })
  .chain(({ serviceId, index, lang }) => {
    const p = demo[index]!;
    const id = p.patient.patientId;
    return fc.record({
      encounters: fc.oneof(bundleArb(encounterArb(id)), weirdJson),
      episodes: fc.oneof(bundleArb(episodeArb(id)), fc.constant(null)),
      scores: fc.oneof(bundleArb(observationArb(id)), fc.constant(null)),
      responses: fc.oneof(bundleArb(questionnaireResponseArb(id)), fc.constant(null)),
      carePlans: fc.constant(null),
      encounter: fc.oneof(encounterArb(id), fc.constant(null)),
    }).map((prefetch) => ({
      family: 'fhir-prefetch' as const,
      serviceId,
      lang,
      body: { hook: HOOK_OF[serviceId], hookInstance: randomUUID(), context: contextFor(serviceId, p, {}), prefetch },
    }));
  });

/**
 * Generated FHIR answers from a real server: the request has no prefetch, and each search is answered with a
 * generated Bundle, arbitrary JSON, or a misbehaviour. `fhirServer` is filled in by `runFuzzCase`.
 */
export const fhirServerRequest: fc.Arbitrary<FuzzCase> = fc
  .record({ serviceId: fc.constantFrom('lbp-encounter-start', 'lbp-patient-view'), index: fc.nat({ max: demo.length - 1 }) })
  .chain(({ serviceId, index }) => {
    const p = demo[index]!;
    const id = p.patient.patientId;
    const answer = (data: fc.Arbitrary<Bundle>): fc.Arbitrary<ServedAnswer> => fc.oneof(
      { weight: 12, arbitrary: data.map((body) => ({ kind: 'json' as const, body })) },
      { weight: 1, arbitrary: weirdJson.map((body) => ({ kind: 'json' as const, body })) },
      { weight: 1, arbitrary: fc.constantFrom<Misbehaviour>({ kind: 'status', status: 500 }, { kind: 'status', status: 404 }, { kind: 'html' }, { kind: 'truncated-json' }, { kind: 'raw', body: '' }) },
    );
    return fc.record({
      Encounter: answer(bundleArb(encounterArb(id))),
      EpisodeOfCare: answer(bundleArb(episodeArb(id))),
      CarePlan: answer(bundleArb(fc.constant({ resourceType: 'CarePlan', id: 'cp', status: 'active', intent: 'plan', subject: { reference: `Patient/${id}` } }))),
      Observation: answer(bundleArb(observationArb(id))),
      QuestionnaireResponse: answer(bundleArb(questionnaireResponseArb(id))),
      Questionnaire: answer(bundleArb(fc.constant({ resourceType: 'Questionnaire', status: 'active' }))),
    }).map((served) => ({
      family: 'fhir-server' as const,
      serviceId,
      body: { hook: HOOK_OF[serviceId], hookInstance: randomUUID(), context: contextFor(serviceId, p, {}) },
      served,
    }));
  });

/** All families, weighted towards the ones that reach deepest into the service. */
export const anyFuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 2, arbitrary: validRequest },
  { weight: 3, arbitrary: nearValidRequest },
  { weight: 2, arbitrary: hostileRequest },
  { weight: 3, arbitrary: fhirPrefetchRequest },
  { weight: 2, arbitrary: fhirServerRequest },
);

// ---------------------------------------------------------------------------------------------------------------
// Running one case

/** Statuses a well-behaved service may answer a fuzzed hook call with. */
export const ACCEPTABLE_STATUSES = [200, 400, 403, 404, 412, 413, 415] as const;

export interface FuzzOutcome {
  readonly status: number;
  readonly ms: number;
}

/**
 * Sends one case to the running service (serving its FHIR answers first, if any) and returns the status. Throws
 * when the status is not acceptable or a 200 is not a valid CDS Hooks response (`svc.post` + the response check in
 * `svc.hook`), so fast-check shrinks to the smallest failing case.
 */
export async function runFuzzCase(svc: RunningService, fhir: MisbehavingFhirServer, c: FuzzCase): Promise<FuzzOutcome> {
  let body = c.body;
  if (c.served) {
    for (const [type, answer] of Object.entries(c.served)) {
      if (answer.kind === 'json') fhir.serve(type, answer.body);
      else fhir.misbehave(type, answer);
    }
    body = { ...(c.body as object), fhirServer: fhir.url };
  }
  const result = typeof body === 'string'
    ? await svc.post(`/cds-services/${c.serviceId}`, body)
    : await svc.hook(c.serviceId, body, { 'accept-language': c.lang ?? 'da' });
  if (!(ACCEPTABLE_STATUSES as readonly number[]).includes(result.status)) {
    throw new Error(`status ${result.status} for a ${c.family} case: ${JSON.stringify(result.body).slice(0, 500)}`);
  }
  return { status: result.status, ms: result.ms };
}
