import { describe, expect, it } from 'vitest';
import { parseSearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { ensureFhirDefinitions } from '../../src/sandbox/fhir-definitions.js';
import { IndexedRepository } from '../../src/sandbox/indexed-repository.js';
import { loadResources } from '../../src/sandbox/bundle-loader.js';
import { encounter, day } from './fixtures.js';

async function repositoryWith(resources: unknown[]): Promise<IndexedRepository> {
  ensureFhirDefinitions();
  const repo = new IndexedRepository();
  await loadResources(repo, resources as Resource[]);
  return repo;
}

const ids = async (repo: IndexedRepository, url: string): Promise<string[]> =>
  (await repo.searchResources(parseSearchRequest(url))).map((r) => r.id);

describe('IndexedRepository search', () => {
  it('matches references written as absolute URLs or with a version', async () => {
    const repo = await repositoryWith([
      encounter('abs', 'x', day(1), { subject: { reference: 'http://ehr.example/fhir/Patient/p1' } }),
      encounter('ver', 'x', day(2), { subject: { reference: 'Patient/p1/_history/3' } }),
      encounter('other', 'p2', day(3)),
    ]);
    expect(await ids(repo, 'Encounter?patient=p1')).toEqual(['abs', 'ver']);
    expect(await ids(repo, 'Encounter?subject=Patient/p1')).toEqual(['abs', 'ver']);
  });

  it('forgets the old references when a resource is updated or deleted', async () => {
    const repo = await repositoryWith([encounter('moved', 'p1', day(1))]);
    await repo.updateResource(encounter('moved', 'p2', day(1)) as Resource);
    expect(await ids(repo, 'Encounter?patient=p1')).toEqual([]);
    expect(await ids(repo, 'Encounter?patient=p2')).toEqual(['moved']);
    await repo.deleteResource('Encounter', 'moved');
    expect(await ids(repo, 'Encounter?patient=p2')).toEqual([]);
  });

  it('matches a canonical questionnaire with or without its version', async () => {
    const repo = await repositoryWith([
      {
        resourceType: 'QuestionnaireResponse',
        id: 'qr1',
        status: 'completed',
        questionnaire: 'http://example.org/Questionnaire/odi|2.1',
        subject: { reference: 'Patient/p1' },
        authored: '2024-03-01',
      },
    ]);
    expect(await ids(repo, 'QuestionnaireResponse?questionnaire=http://example.org/Questionnaire/odi')).toEqual(['qr1']);
    expect(await ids(repo, 'QuestionnaireResponse?questionnaire=http://example.org/Questionnaire/odi|2.1')).toEqual(['qr1']);
    expect(await ids(repo, 'QuestionnaireResponse?questionnaire=http://example.org/Questionnaire/nprs')).toEqual([]);
    expect(await ids(repo, 'QuestionnaireResponse?patient=p1&authored=ge2024-02-01')).toEqual(['qr1']);
  });

  it('searches EpisodeOfCare by patient, status and type, and Encounter by episode-of-care', async () => {
    const repo = await repositoryWith([
      {
        resourceType: 'EpisodeOfCare',
        id: 'eoc1',
        status: 'active',
        type: [{ coding: [{ system: 'http://example.org/course-type', code: 'recurrent' }] }],
        patient: { reference: 'Patient/p1' },
      },
      encounter('e1', 'p1', day(1), { episodeOfCare: [{ reference: 'EpisodeOfCare/eoc1' }] }),
      encounter('e2', 'p1', day(2)),
    ]);
    expect(await ids(repo, 'EpisodeOfCare?patient=p1&status=active&type=recurrent')).toEqual(['eoc1']);
    expect(await ids(repo, 'EpisodeOfCare?patient=p1&status=finished')).toEqual([]);
    expect(await ids(repo, 'Encounter?episode-of-care=EpisodeOfCare/eoc1')).toEqual(['e1']);
    expect(await ids(repo, 'Encounter?episode-of-care=eoc1')).toEqual(['e1']);
  });
});

describe('the other resource types the service reads', () => {
  it('searches Questionnaire by url and item code, and Appointment, Goal, CarePlan and Condition by patient', async () => {
    const repo = await repositoryWith([
      {
        resourceType: 'Questionnaire',
        id: 'odi',
        status: 'active',
        url: 'http://example.org/Questionnaire/odi',
        code: [{ system: 'http://loinc.org', code: '97908-8' }],
        item: [{ linkId: 'odi-1', type: 'choice', code: [{ system: 'http://example.org/odi-item', code: 'pain' }] }],
      },
      {
        resourceType: 'Appointment',
        id: 'a1',
        status: 'proposed',
        participant: [
          { actor: { reference: 'Patient/p1' }, status: 'needs-action' },
          { actor: { reference: 'Practitioner/pr1' }, status: 'accepted' },
        ],
      },
      { resourceType: 'Goal', id: 'g1', lifecycleStatus: 'active', description: { text: 'walk' }, subject: { reference: 'Patient/p1' } },
      { resourceType: 'CarePlan', id: 'cp1', status: 'active', intent: 'plan', subject: { reference: 'Patient/p1' } },
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } },
    ]);
    expect(await ids(repo, 'Questionnaire?url=http://example.org/Questionnaire/odi')).toEqual(['odi']);
    // R4's Questionnaire `code` parameter is Questionnaire.item.code, not the questionnaire's own code.
    expect(await ids(repo, 'Questionnaire?code=http://example.org/odi-item|pain')).toEqual(['odi']);
    expect(await ids(repo, 'Questionnaire?code=http://loinc.org|97908-8')).toEqual([]);
    expect(await ids(repo, 'Appointment?patient=p1')).toEqual(['a1']);
    expect(await ids(repo, 'Appointment?patient=pr1')).toEqual([]);
    expect(await ids(repo, 'Goal?patient=p1')).toEqual(['g1']);
    expect(await ids(repo, 'CarePlan?patient=Patient/p1')).toEqual(['cp1']);
    expect(await ids(repo, 'CarePlan?subject=p1')).toEqual(['cp1']);
    expect(await ids(repo, 'Condition?patient=p1')).toEqual(['c1']);
  });
});
