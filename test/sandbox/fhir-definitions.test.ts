import { describe, expect, it } from 'vitest';
import type { SearchParameter } from '@medplum/fhirtypes';
import {
  ensureFhirDefinitions,
  getSearchParameter,
  splitSearchParameter,
  splitTopLevelUnion,
} from '../../src/sandbox/fhir-definitions.js';

describe('splitting multi-base search parameters', () => {
  it('splits a union on top-level bars only', () => {
    expect(splitTopLevelUnion("A.x | (B.y as C | B.z) | D.w.where(s = 'a|b')")).toEqual([
      'A.x',
      '(B.y as C | B.z)',
      "D.w.where(s = 'a|b')",
    ]);
  });

  it('keeps for each base only the part of the expression that starts there', () => {
    const param = {
      resourceType: 'SearchParameter',
      code: 'patient',
      type: 'reference',
      base: ['CarePlan', 'Encounter'],
      expression: 'CarePlan.subject.where(resolve() is Patient) | Encounter.subject.where(resolve() is Patient)',
    } as SearchParameter;
    const split = splitSearchParameter(param, new Set(['CarePlan', 'Encounter']));
    expect(split.map((p) => [p.base, p.expression])).toEqual([
      [['CarePlan'], 'CarePlan.subject.where(resolve() is Patient)'],
      [['Encounter'], 'Encounter.subject.where(resolve() is Patient)'],
    ]);
  });

  it('indexes the stock R4 parameters per type with single-type expressions', () => {
    ensureFhirDefinitions();
    expect(getSearchParameter('Encounter', 'patient')?.expression).toBe('Encounter.subject.where(resolve() is Patient)');
    expect(getSearchParameter('Observation', 'code')?.expression).toBe('Observation.code');
    expect(getSearchParameter('QuestionnaireResponse', 'questionnaire')?.expression).toBe(
      'QuestionnaireResponse.questionnaire',
    );
    expect(getSearchParameter('Encounter', 'colour')).toBeUndefined();
  });
});
