import { describe, expect, it } from 'vitest';
import type { Resource } from 'fhir/r4.js';
import { fillTemplate, PrefetchUnavailableError, resolvePrefetch } from '../../src/fhir/prefetch.js';
import { encounter, searchset } from '../support/misbehaving-fhir-server.js';

const context = { userId: 'Practitioner/pr-7', patientId: 'p1', encounterId: 'enc-1' };
const templates = { encounters: 'Encounter?patient={{context.patientId}}&_count=200' };

describe('fillTemplate', () => {
  it('fills context tokens', () => {
    expect(fillTemplate('Encounter?patient={{context.patientId}}&_count=200', context))
      .toBe('Encounter?patient=p1&_count=200');
    expect(fillTemplate('Encounter/{{context.encounterId}}', context)).toBe('Encounter/enc-1');
  });

  it('tolerates spaces inside the braces', () => {
    expect(fillTemplate('Patient/{{ context.patientId }}', context)).toBe('Patient/p1');
  });

  it('derives the user tokens from context.userId', () => {
    expect(fillTemplate('PractitionerRole?practitioner={{userPractitionerId}}', context))
      .toBe('PractitionerRole?practitioner=pr-7');
    expect(fillTemplate('Patient/{{userPatientId}}', { userId: 'Patient/p9' })).toBe('Patient/p9');
    expect(fillTemplate('Patient/{{userPatientId}}', context)).toBeUndefined();
  });

  it('takes extra tokens by name, over the derived ones', () => {
    expect(fillTemplate('X?a={{userPractitionerId}}&b={{clinic}}', context, { userPractitionerId: 'o', clinic: 'c1' }))
      .toBe('X?a=o&b=c1');
  });

  it('returns undefined when a token cannot be filled, so the key is skipped', () => {
    expect(fillTemplate('Encounter/{{context.encounterId}}', { patientId: 'p1' })).toBeUndefined();
    expect(fillTemplate('Encounter/{{context.encounterId}}', { encounterId: '' })).toBeUndefined();
    expect(fillTemplate('Encounter/{{context.encounterId}}', { encounterId: { id: 'x' } })).toBeUndefined();
    expect(fillTemplate('X?a={{unknownToken}}', context)).toBeUndefined();
  });

  it('encodes values so a context value cannot add parameters or path segments', () => {
    expect(fillTemplate('Encounter?patient={{context.patientId}}', { patientId: 'p1&_count=1' }))
      .toBe('Encounter?patient=p1%26_count%3D1');
    expect(fillTemplate('Patient/{{context.patientId}}', { patientId: '../Observation' }))
      .toBe('Patient/..%2FObservation');
  });

  it('leaves a template without tokens as it is', () => {
    expect(fillTemplate('Questionnaire?status=active', {})).toBe('Questionnaire?status=active');
  });
});

describe('resolvePrefetch without a FHIR server', () => {
  it('reads the entries of a prefetched Bundle', async () => {
    const bundle = searchset([encounter('e1', 'p1'), encounter('e2', 'p1')]);
    const outcomes = await resolvePrefetch({ templates, prefetch: { encounters: bundle }, context });
    expect(outcomes.encounters).toMatchObject({ status: 'ok', source: 'prefetch', truncated: false });
    expect(outcomes.encounters?.status === 'ok' && outcomes.encounters.resources.map((r) => r.id))
      .toEqual(['e1', 'e2']);
  });

  it('takes a single prefetched resource as a list of one', async () => {
    const patient: Resource = { resourceType: 'Patient', id: 'p1' };
    const outcomes = await resolvePrefetch({
      templates: { patient: 'Patient/{{context.patientId}}' }, prefetch: { patient }, context,
    });
    expect(outcomes.patient).toEqual({ status: 'ok', source: 'prefetch', resources: [patient], truncated: false, notes: [] });
  });

  it('takes null as "the EHR has no such data"', async () => {
    const outcomes = await resolvePrefetch({ templates, prefetch: { encounters: null }, context });
    expect(outcomes.encounters).toEqual({ status: 'none' });
  });

  it('fails an absent key with no-fhir-server when there is nothing to fetch it from', async () => {
    const outcomes = await resolvePrefetch({ templates, prefetch: undefined, context });
    expect(outcomes.encounters).toMatchObject({ status: 'failed', reason: 'no-fhir-server' });
    expect(outcomes.encounters?.status === 'failed' && outcomes.encounters.error)
      .toBeInstanceOf(PrefetchUnavailableError);
  });

  it('treats an OperationOutcome, a string or a malformed Bundle as a failed prefetch to be fetched', async () => {
    const prefetch = {
      outcome: { resourceType: 'OperationOutcome', issue: [] },
      text: 'Bundle',
      broken: { resourceType: 'Bundle', entry: [42] },
    };
    const outcomes = await resolvePrefetch({
      templates: { outcome: templates.encounters, text: templates.encounters, broken: templates.encounters },
      prefetch,
      context,
    });
    for (const key of ['outcome', 'text', 'broken']) {
      expect(outcomes[key]).toMatchObject({ status: 'failed', reason: 'no-fhir-server' });
    }
  });

  it('marks a prefetched Bundle with more pages as truncated when it cannot read them', async () => {
    const bundle = searchset([encounter('e1', 'p1')], { next: 'http://127.0.0.1:9/fhir/Encounter?page=2' });
    const outcomes = await resolvePrefetch({ templates, prefetch: { encounters: bundle }, context });
    expect(outcomes.encounters).toMatchObject({ status: 'ok', source: 'prefetch', truncated: true });
  });

  it('answers every declared key and no other', async () => {
    const outcomes = await resolvePrefetch({
      templates: { a: 'Patient/{{context.patientId}}', b: 'Encounter/{{context.encounterId}}' },
      prefetch: { a: null, b: null, extra: null },
      context,
    });
    expect(Object.keys(outcomes).sort()).toEqual(['a', 'b']);
  });
});
