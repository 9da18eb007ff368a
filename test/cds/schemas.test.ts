import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  validateCdsResponse,
  validateDiscovery,
  validateFeedback,
  validateHookContext,
  validateHookRequest,
  type SchemaIssue,
} from '../../src/cds/schemas.js';
import type { CdsHook } from '../../src/cds/protocol-types.js';
import { expectValidCdsResponse } from '../helpers/cds-response.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';
import { discoveryDocument } from '../support/with-shipped.js';

const REALWORLD = `${REALWORLD_DIR}/cds-hooks-examples`;
const EXAMPLES = new URL('../../cds-hooks/examples/', import.meta.url);
const OUR_HOOKS: readonly CdsHook[] = ['encounter-start', 'patient-view', 'appointment-book'];

const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const realworld = (file: string): Record<string, unknown> => read(join(REALWORLD, file)) as Record<string, unknown>;
const messages = (issues: readonly SchemaIssue[]): string[] => issues.map((i) => i.message);
/** Issue order follows ajv's walk of the schema, which says nothing: compare as sets. */
const issueSet = (issues: readonly SchemaIssue[]): Set<string> => new Set(messages(issues));
const clone = <T>(value: T): T => structuredClone(value);

/** Every JSON file of the real-world folder that holds a hook request, bare or under `request` (sandbox capture). */
function realworldHookRequests(): { file: string; request: Record<string, unknown> }[] {
  const found: { file: string; request: Record<string, unknown> }[] = [];
  for (const dir of readdirSync(REALWORLD)) {
    for (const name of readdirSync(join(REALWORLD, dir)).filter((n) => n.endsWith('.json'))) {
      const json = read(join(REALWORLD, dir, name)) as Record<string, unknown>;
      const candidate = (json.request ?? json) as Record<string, unknown>;
      if (typeof candidate.hook === 'string' && typeof candidate.context === 'object') {
        found.push({ file: `${dir}/${name}`, request: candidate });
      }
    }
  }
  return found;
}

/**
 * The verdict on every real-world request for a hook we serve, decided file by file:
 * - the Inferno appointment-book fixture copies HL7's appointment-book-01 example, whose Appointment `end` values
 *   ('2019-08-10T09:10:00:00-06:00', an extra ':00') are not FHIR instants. The proposed Appointment is what the
 *   hook is about, so a malformed instant in it is a bad request (400 naming the field), not a record to skip.
 * - everything else is valid, including Inferno's hookInstances whose version nibble is not RFC 4122's: the spec
 *   asks for a UUID-shaped id, not a particular UUID version.
 */
const EXPECTED_REQUEST_ISSUES: Readonly<Record<string, string[]>> = {
  'inferno-davinci-crd-test-kit/fixtures__appointment_book_hook_request.json': [
    'context.appointments.entry[0].resource.end must be a FHIR instant like 2025-03-04T09:30:00+01:00',
    'context.appointments.entry[1].resource.end must be a FHIR instant like 2025-03-04T09:30:00+01:00',
  ],
  'hl7-cds-hooks-spec-index/spec-29.json': ['context.patientId is required'],
};

describe('hook requests from the real world', () => {
  const requests = realworldHookRequests();

  it('finds the requests of the spec, Inferno and the sandbox capture', () => {
    const files = requests.map((r) => r.file);
    expect(files).toContain('captured-from-cds-hooks-sandbox/patient-view-request.json');
    expect(files).toContain('inferno-davinci-crd-test-kit/fixtures__encounter_start_hook_request.json');
    expect(files).toContain('hl7-cds-hooks-spec-index/spec-02.json');
    expect(requests.filter((r) => OUR_HOOKS.includes(r.request.hook as CdsHook)).length).toBeGreaterThanOrEqual(8);
  });

  for (const { file, request } of realworldHookRequests()) {
    const hook = request.hook as string;
    if (OUR_HOOKS.includes(hook as CdsHook)) {
      const expected = EXPECTED_REQUEST_ISSUES[file] ?? [];
      it(`${expected.length === 0 ? 'accepts' : 'rejects'} ${file} for ${hook}`, () => {
        expect(issueSet(validateHookRequest(hook as CdsHook, request))).toEqual(new Set(expected));
      });
    } else {
      it(`refuses the ${hook} request in ${file} at each of our services, naming the hook`, () => {
        for (const ours of OUR_HOOKS) {
          expect(messages(validateHookRequest(ours, request))).toContain(`hook must be '${ours}' for this service`);
        }
      });
    }
  }

  it("accepts the spec's extension example (spec-29) once the patientId its fragment leaves out is supplied", () => {
    const request = clone(realworld('hl7-cds-hooks-spec-index/spec-29.json')) as { context: Record<string, unknown> };
    request.context.patientId = '1288992';
    expect(validateHookRequest('patient-view', request)).toEqual([]);
  });
});

describe('hook contexts of the HL7 hook library', () => {
  // These files hold a context only (no hook, no hookInstance), so they are checked against the context schemas.
  it('accepts the encounter-start and patient-view contexts', () => {
    expect(validateHookContext('encounter-start', realworld('hl7-cds-hooks-library/encounter-start-01.json').context)).toEqual([]);
    expect(validateHookContext('patient-view', realworld('hl7-cds-hooks-library/patient-view-01.json').context)).toEqual([]);
    expect(validateHookContext('patient-view', realworld('hl7-cds-hooks-library/patient-view-02.json').context)).toEqual([]);
  });

  it('accepts appointment-book-02 although its Appointment is STU3-shaped, since we only check what we read', () => {
    // indication, incomingReferral and a single serviceCategory are STU3 Appointment fields; we never read them,
    // and its start/end are proper instants.
    expect(validateHookContext('appointment-book', realworld('hl7-cds-hooks-library/appointment-book-02.json').context)).toEqual([]);
  });

  it('rejects appointment-book-01 for its malformed end instants, naming each one', () => {
    expect(issueSet(validateHookContext('appointment-book', realworld('hl7-cds-hooks-library/appointment-book-01.json').context))).toEqual(new Set([
      'context.appointments.entry[0].resource.end must be a FHIR instant like 2025-03-04T09:30:00+01:00',
      'context.appointments.entry[1].resource.end must be a FHIR instant like 2025-03-04T09:30:00+01:00',
    ]));
  });

  it('wants an encounterId for encounter-start but not for patient-view', () => {
    const context = { userId: 'Practitioner/1', patientId: 'p1' };
    expect(issueSet(validateHookContext('encounter-start', context))).toEqual(new Set(['context.encounterId is required']));
    expect(validateHookContext('patient-view', context)).toEqual([]);
  });
});

describe('our example requests', () => {
  for (const [file, hook] of [
    ['lbp-encounter-start.request.json', 'encounter-start'],
    ['lbp-patient-view.request.json', 'patient-view'],
    ['lbp-appointment-book.request.json', 'appointment-book'],
  ] as const) {
    it(`${file} is a valid ${hook} request`, () => {
      expect(validateHookRequest(hook, read(new URL(file, EXAMPLES).pathname))).toEqual([]);
    });
  }

  it('our example feedback and response are valid', () => {
    expect(validateFeedback(read(new URL('lbp-encounter-start.feedback.request.json', EXAMPLES).pathname))).toEqual([]);
    expectValidCdsResponse(read(new URL('lbp-encounter-start.response.json', EXAMPLES).pathname));
  });
});

describe('request validation', () => {
  // The shipped example carries a complete prefetch and no FHIR server (it works as sent against any service); the
  // cases below need the FHIR-server fields too.
  const valid = (): Record<string, any> => ({
    ...(clone(read(new URL('lbp-encounter-start.request.json', EXAMPLES).pathname)) as Record<string, any>),
    fhirServer: 'https://ehr.example-fysio.dk/fhir',
    fhirAuthorization: { access_token: 'example-opaque-access-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'structured-course-cds' },
  });

  it('accepts unknown fields and extension objects anywhere in the request', () => {
    const request = valid();
    request.extension = { 'com.example.timestamp': '2017-11-27T22:13:25Z' };
    request.somethingNew = { nested: [1, 2] };
    request.context.extension = { 'dk.example.room': 3 };
    request.fhirAuthorization.extra = 'x';
    expect(validateHookRequest('encounter-start', request)).toEqual([]);
  });

  it('accepts null prefetch values (the EHR has no such data) and absent prefetch', () => {
    const request = valid();
    request.prefetch.encounters = null;
    expect(validateHookRequest('encounter-start', request)).toEqual([]);
    delete request.prefetch;
    expect(validateHookRequest('encounter-start', request)).toEqual([]);
  });

  it('accepts an OperationOutcome as a prefetch value (the EHR prefetch failed)', () => {
    const request = valid();
    request.prefetch.encounters = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
    expect(validateHookRequest('encounter-start', request)).toEqual([]);
  });

  it('names every missing top-level field', () => {
    expect(issueSet(validateHookRequest('patient-view', {}))).toEqual(new Set([
      'hook is required',
      'hookInstance is required',
      'context is required',
    ]));
  });

  it('says hookInstance must be a UUID, once', () => {
    const request = valid();
    request.hookInstance = 'not-a-uuid';
    expect(validateHookRequest('encounter-start', request)).toEqual([{ path: 'hookInstance', message: 'hookInstance must be a UUID' }]);
  });

  it('requires fhirServer when fhirAuthorization is sent', () => {
    const request = valid();
    delete request.fhirServer;
    expect(validateHookRequest('encounter-start', request)).toEqual([
      { path: 'fhirServer', message: 'fhirServer is required when fhirAuthorization is present' },
    ]);
  });

  it('checks fhirAuthorization field by field without echoing the token', () => {
    const request = valid();
    request.fhirAuthorization = { access_token: 'secret-token-value', token_type: 'bearer', expires_in: -1 };
    const issues = validateHookRequest('encounter-start', request);
    expect(messages(issues)).toEqual(
      expect.arrayContaining([
        'fhirAuthorization.scope is required',
        'fhirAuthorization.subject is required',
        "fhirAuthorization.token_type must be 'Bearer'",
        'fhirAuthorization.expires_in must be at least 0',
      ]),
    );
    expect(JSON.stringify(issues)).not.toContain('secret-token-value');
  });

  it('rejects a fhirServer that is not an http(s) URL', () => {
    const request = valid();
    request.fhirServer = 'file:///etc/passwd';
    expect(issueSet(validateHookRequest('encounter-start', request))).toEqual(new Set(['fhirServer must be an absolute http(s) URL']));
  });

  it('rejects prefetch values that are neither a resource nor null', () => {
    const request = valid();
    request.prefetch.patient = 'Patient/1';
    request.prefetch.encounters = { entry: [] };
    expect(issueSet(validateHookRequest('encounter-start', request))).toEqual(new Set([
      'prefetch.patient must be an object or null',
      'prefetch.encounters.resourceType is required',
    ]));
  });

  it('rejects a userId that is not a Practitioner or PractitionerRole reference for encounter-start', () => {
    const request = valid();
    request.context.userId = '123';
    expect(issueSet(validateHookRequest('encounter-start', request))).toEqual(new Set([
      'context.userId must be a reference like Practitioner/123 or PractitionerRole/123',
    ]));
  });

  it('rejects a patientId that is not a FHIR id, and a context that is not an object', () => {
    const request = valid();
    request.context.patientId = 'Patient/1';
    expect(issueSet(validateHookRequest('encounter-start', request))).toEqual(new Set([
      "context.patientId must be a FHIR id (letters, digits, '-' and '.', at most 64)",
    ]));
    request.context = 'p1';
    expect(issueSet(validateHookRequest('encounter-start', request))).toEqual(new Set(['context must be an object']));
  });

  it('rejects a body that is not a JSON object', () => {
    for (const body of [null, [], 'hook', 42]) {
      expect(validateHookRequest('patient-view', body)).toEqual([{ path: '', message: 'the request body must be a JSON object' }]);
    }
  });

  it('requires appointment-book appointments to be a Bundle of Appointments', () => {
    const request = clone(read(new URL('lbp-appointment-book.request.json', EXAMPLES).pathname)) as Record<string, any>;
    request.context.appointments.resourceType = 'List';
    request.context.appointments.entry.push({ resource: { resourceType: 'Encounter', status: 'planned' } }, {});
    expect(issueSet(validateHookRequest('appointment-book', request))).toEqual(new Set([
      "context.appointments.resourceType must be 'Bundle'",
      'context.appointments.entry[2].resource is required',
      "context.appointments.entry[1].resource.resourceType must be 'Appointment'",
    ]));
    delete request.context.appointments;
    expect(issueSet(validateHookRequest('appointment-book', request))).toEqual(new Set(['context.appointments is required']));
  });

  it('rejects an empty appointments Bundle', () => {
    const request = clone(read(new URL('lbp-appointment-book.request.json', EXAMPLES).pathname)) as Record<string, any>;
    request.context.appointments.entry = [];
    expect(issueSet(validateHookRequest('appointment-book', request))).toEqual(new Set([
      'context.appointments.entry must not be an empty array (omit it instead)',
    ]));
  });
});

describe('response validation', () => {
  const card = () => ({
    uuid: '4e0a3a1e-3283-4575-ab82-028d55fe2719',
    summary: 'Næste konsultation: 0266',
    indicator: 'info',
    source: { label: 'Strukturerede forløb' },
  });

  it('passes the spec examples that are whole responses', () => {
    expectValidCdsResponse(realworld('hl7-cds-hooks-spec-index/spec-13.json'));
    expectValidCdsResponse(realworld('hl7-cds-hooks-spec-index/spec-20.json'));
    expectValidCdsResponse(realworld('hl7-cds-hooks-logical-models/binary-CDSHooksResponse.json'));
  });

  it('rejects the autolaunchable link example only because its card has no indicator (an excerpt of a card)', () => {
    // autolaunchable, unknown to the 2.0 logical model, is accepted; the spec requires indicator on every card.
    expect(issueSet(validateCdsResponse(realworld('hl7-cds-hooks-spec-index/spec-21.json')))).toEqual(new Set(['cards[0].indicator is required']));
  });

  it('rejects the systemActions example only because its action has no description (the spec requires one)', () => {
    expect(issueSet(validateCdsResponse(realworld('hl7-cds-hooks-spec-index/spec-19.json')))).toEqual(new Set([
      'systemActions[0].description is required',
    ]));
  });

  it('passes the spec fragments for source, actions and overrideReasons inside a card', () => {
    const source = realworld('hl7-cds-hooks-spec-index/spec-14.json').source;
    const actions = ['15', '16', '17'].map((n) => realworld(`hl7-cds-hooks-spec-index/spec-${n}.json`));
    const overrideReasons = realworld('hl7-cds-hooks-spec-index/spec-18.json').overrideReasons;
    expectValidCdsResponse({
      cards: [{ ...card(), source, overrideReasons, selectionBehavior: 'any', suggestions: [{ label: 'Do it', actions }] }],
    });
  });

  it('passes the Inferno CRD authorization response and its card responses, except where a rule is broken', () => {
    expectValidCdsResponse(realworld('inferno-davinci-crd-test-kit/fixtures__crd_authorization_hook_response.json'));
    for (const name of ['external_reference', 'instructions', 'request_form_completion']) {
      expectValidCdsResponse({ cards: [realworld(`inferno-davinci-crd-test-kit/lib__card_responses__${name}.json`)] });
    }
    // The placeholder is replaced by Inferno at run time; as stored it is not a URL.
    expect(issueSet(validateCdsResponse({ cards: [realworld('inferno-davinci-crd-test-kit/lib__card_responses__launch_smart_app.json')] }))).toEqual(new Set([
      'cards[0].links[0].url must be an absolute http(s) URL',
    ]));
    // Our no-empty rule: an empty actions array must be omitted.
    expect(issueSet(validateCdsResponse({ cards: [realworld('inferno-davinci-crd-test-kit/lib__card_responses__propose_alternate_request.json')] }))).toEqual(new Set([
      'cards[0].suggestions[0].actions must not be an empty array (omit it instead)',
    ]));
  });

  it("rejects Inferno's 'valid cards' only for their uuids, which are not UUIDs", () => {
    const cards = read(join(REALWORLD, 'inferno-davinci-crd-test-kit/fixtures__valid_cards.json')) as Record<string, unknown>[];
    expect(cards).toHaveLength(7);
    for (const [i, c] of cards.entries()) {
      const expected = ['cards[0].uuid must be a UUID'];
      // The last card's suggestion uuid carries a 'urn:uuid:' prefix, which the uuid field does not take.
      if (i === 6) expected.push('cards[0].suggestions[0].uuid must be a UUID');
      expect(issueSet(validateCdsResponse({ cards: [c] }))).toEqual(new Set(expected));
      expectValidCdsResponse({ cards: [{ ...c, uuid: '4e0a3a1e-3283-4575-ab82-028d55fe2719', suggestions: c.suggestions && (c.suggestions as Record<string, unknown>[]).map(({ uuid: _u, ...s }) => s) }].map(dropUndefined) });
    }
  });

  it('limits the summary to fewer than 140 characters', () => {
    expectValidCdsResponse({ cards: [{ ...card(), summary: 'x'.repeat(139) }] });
    expect(issueSet(validateCdsResponse({ cards: [{ ...card(), summary: 'x'.repeat(140) }] }))).toEqual(new Set([
      'cards[0].summary must be at most 139 characters',
    ]));
  });

  it('requires selectionBehavior when there are suggestions', () => {
    expect(issueSet(validateCdsResponse({ cards: [{ ...card(), suggestions: [{ label: 'Book 0266' }] }] }))).toEqual(new Set([
      'cards[0].selectionBehavior is required when cards[0].suggestions is present',
    ]));
  });

  it('allows at most one recommended suggestion when selectionBehavior is at-most-one', () => {
    const suggestions = [
      { label: 'A', isRecommended: true },
      { label: 'B', isRecommended: true },
    ];
    expectValidCdsResponse({ cards: [{ ...card(), selectionBehavior: 'any', suggestions }] });
    expect(issueSet(validateCdsResponse({ cards: [{ ...card(), selectionBehavior: 'at-most-one', suggestions }] }))).toEqual(new Set([
      "cards[0].suggestions may recommend at most one suggestion when selectionBehavior is 'at-most-one'",
    ]));
  });

  it('allows appContext only on smart links', () => {
    const link = { label: 'App', url: 'https://app.example.org/launch', appContext: '{"a":1}' };
    expectValidCdsResponse({ cards: [{ ...card(), links: [{ ...link, type: 'smart' }] }] });
    expect(issueSet(validateCdsResponse({ cards: [{ ...card(), links: [{ ...link, type: 'absolute' }] }] }))).toEqual(new Set([
      "cards[0].links[0].appContext is only allowed when type is 'smart'",
    ]));
  });

  it('checks the action types: delete takes a resourceId and no resource, create and update take a resource', () => {
    const withActions = (actions: unknown[]) => ({ cards: [{ ...card(), selectionBehavior: 'any', suggestions: [{ label: 'S', actions }] }] });
    expect(
      issueSet(
        validateCdsResponse(
          withActions([
            { type: 'delete', description: 'd', resource: { resourceType: 'Encounter' } },
            { type: 'create', description: 'c', resourceId: 'Encounter/1' },
            { type: 'merge', description: 'm', resource: { resourceType: 'Encounter' } },
          ]),
        ),
      ),
    ).toEqual(new Set([
      'cards[0].suggestions[0].actions[0].resourceId is required',
      "cards[0].suggestions[0].actions[0].resource is not allowed when type is 'delete' (use resourceId)",
      'cards[0].suggestions[0].actions[1].resource is required',
      'cards[0].suggestions[0].actions[2].type must be one of create, update, delete',
    ]));
  });

  it('rejects null, empty strings, empty arrays and empty objects anywhere in a card, unknown fields included', () => {
    const bad = {
      ...card(),
      detail: '',
      links: [],
      overrideReasons: [{ code: 'x', system: 'http://example.org', display: null }],
      extension: {},
      source: { label: 'L', topic: {} },
      somethingNew: { deeper: [null, ''] },
    };
    expect(issueSet(validateCdsResponse({ cards: [bad] }))).toEqual(new Set([
      'cards[0].detail must not be empty',
      'cards[0].source.topic must not be an empty object (omit it instead)',
      'cards[0].overrideReasons[0].display must not be null (omit it instead)',
      'cards[0].links must not be an empty array (omit it instead)',
      'cards[0].extension must not be an empty object (omit it instead)',
      'cards[0].somethingNew.deeper[0] must not be null (omit it instead)',
      'cards[0].somethingNew.deeper[1] must not be empty',
    ]));
  });

  it('requires display on overrideReasons, and an indicator from the value set', () => {
    expect(
      issueSet(validateCdsResponse({ cards: [{ ...card(), indicator: 'hard-stop', overrideReasons: [{ code: 'x', system: 'http://example.org' }] }] })),
    ).toEqual(new Set(['cards[0].indicator must be one of info, warning, critical', 'cards[0].overrideReasons[0].display is required']));
  });

  it('accepts an empty cards list (no guidance) but not a missing one', () => {
    expectValidCdsResponse({ cards: [] });
    expect(issueSet(validateCdsResponse({}))).toEqual(new Set(['cards is required']));
  });

  it('makes expectValidCdsResponse throw with the issues spelled out', () => {
    expect(() => expectValidCdsResponse({ cards: [{ ...card(), summary: '' }] })).toThrow('cards[0].summary must not be empty');
  });
});

describe('feedback validation', () => {
  it('passes the spec feedback examples', () => {
    for (const n of ['22', '23', '24']) expect(validateFeedback(realworld(`hl7-cds-hooks-spec-index/spec-${n}.json`))).toEqual([]);
  });

  it('requires card, outcome and outcomeTimestamp, and acceptedSuggestions for an accepted outcome', () => {
    expect(issueSet(validateFeedback({ feedback: [{}] }))).toEqual(new Set([
      'feedback[0].card is required',
      'feedback[0].outcome is required',
      'feedback[0].outcomeTimestamp is required',
    ]));
    expect(
      issueSet(validateFeedback({ feedback: [{ card: '4e0a3a1e-3283-4575-ab82-028d55fe2719', outcome: 'accepted', outcomeTimestamp: '2021-12-11T10:05:31Z' }] })),
    ).toEqual(new Set(['feedback[0].acceptedSuggestions is required']));
  });

  it('rejects an unknown outcome, a card that is not a UUID and a timestamp without a time zone', () => {
    expect(
      issueSet(validateFeedback({ feedback: [{ card: 'abc', outcome: 'ignored', outcomeTimestamp: '2021-12-11 10:05' }] })),
    ).toEqual(new Set([
      'feedback[0].card must be a UUID',
      'feedback[0].outcome must be one of accepted, overridden',
      'feedback[0].outcomeTimestamp must be an ISO 8601 date-time with a time zone',
    ]));
  });

  it('accepts unknown fields and extension objects in feedback', () => {
    const body = clone(realworld('hl7-cds-hooks-spec-index/spec-24.json')) as { feedback: Record<string, unknown>[]; extension?: unknown };
    body.extension = { 'com.example.ehr': 'x' };
    body.feedback[0]!.extension = { 'com.example.reviewer': 'y' };
    body.feedback[0]!.somethingNew = true;
    expect(validateFeedback(body)).toEqual([]);
  });
});

describe('discovery validation', () => {
  it('passes the spec discovery examples and the Inferno service list', () => {
    expect(validateDiscovery(realworld('hl7-cds-hooks-spec-index/spec-01.json'))).toEqual([]);
    expect(validateDiscovery(realworld('hl7-cds-hooks-spec-index/spec-30.json'))).toEqual([]);
    expect(validateDiscovery(realworld('inferno-davinci-crd-test-kit/lib__routes__cds-services.json'))).toEqual([]);
    expect(validateDiscovery(realworld('hl7-cds-hooks-logical-models/binary-CDSHookServices.json'))).toEqual([]);
  });

  it('passes our own discovery document', () => {
    expect(validateDiscovery(discoveryDocument())).toEqual([]);
  });

  it('requires description, hook and id, and string prefetch templates', () => {
    expect(issueSet(validateDiscovery({ services: [{ title: 'T', prefetch: { patient: 1 } }] }))).toEqual(new Set([
      'services[0].hook is required',
      'services[0].id is required',
      'services[0].description is required',
      'services[0].prefetch.patient must be a string',
    ]));
  });
});

function dropUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
