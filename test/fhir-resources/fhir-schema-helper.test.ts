import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkBundleReferences, validateFhirResource } from '../helpers/fhir-schema.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';

describe('validateFhirResource', () => {
  it('accepts a minimal valid resource', () => {
    expect(validateFhirResource({ resourceType: 'Patient', id: 'p1', gender: 'female' })).toEqual([]);
  });

  it('names unknown properties and bad codes with their path', () => {
    const errors = validateFhirResource({ resourceType: 'Patient', id: 'p1', gender: 'f', nickname: 'x' });
    expect(errors).toContain('Patient/p1: unknown property "nickname"');
    expect(errors.some((e) => e.startsWith('Patient/p1/gender: must be one of'))).toBe(true);
  });

  it('rejects an unknown resourceType and a non-object', () => {
    expect(validateFhirResource({ resourceType: 'Patientt' })).toEqual(['unknown resourceType "Patientt"']);
    expect(validateFhirResource([])).toEqual(['not a JSON object']);
  });

  it('validates each Bundle entry on its own and says which entry is wrong', () => {
    const errors = validateFhirResource({
      resourceType: 'Bundle',
      id: 'b',
      type: 'collection',
      entry: [
        { fullUrl: 'urn:uuid:1', resource: { resourceType: 'Patient', id: 'ok' } },
        { fullUrl: 'urn:uuid:2', resource: { resourceType: 'Observation', id: 'o', status: 'done', code: { text: 'x' } } },
      ],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Bundle\/b\.entry\[1\] Observation\/o\/status: must be one of/);
  });

  it('validates contained resources on their own', () => {
    const errors = validateFhirResource({
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      contained: [{ resourceType: 'Patient', id: 'c', active: 'yes' }],
      subject: { reference: '#c' },
    });
    expect(errors).toContain('Observation.contained[0] Patient/c/active: must be boolean');
    expect(errors.every((e) => e.startsWith('Observation.contained[0] Patient/c/active'))).toBe(true);
  });

  it('accepts a real Synthea transaction Bundle', () => {
    const path = `${REALWORLD_DIR}/fhir-data/smart-generated-sample-data-R4-synthea/Jacki_Feil_2dfcf7a9-5fb8-4f56-9cf3-a35a74c60438.json`;
    expect(validateFhirResource(JSON.parse(readFileSync(path, 'utf8')))).toEqual([]);
  });
});

describe('checkBundleReferences', () => {
  const bundle = (entry: unknown[]) => ({ resourceType: 'Bundle', type: 'collection', entry });

  it('resolves relative references by type and id and urn:uuid references by fullUrl', () => {
    expect(
      checkBundleReferences(
        bundle([
          { fullUrl: 'urn:uuid:a1', resource: { resourceType: 'Patient', id: 'p1' } },
          { fullUrl: 'https://ehr.example/fhir/Practitioner/dr', resource: { resourceType: 'Practitioner' } },
          {
            resource: {
              resourceType: 'Encounter',
              id: 'e1',
              subject: { reference: 'Patient/p1' },
              participant: [{ individual: { reference: 'Practitioner/dr' } }],
              episodeOfCare: [{ reference: 'urn:uuid:a1' }],
            },
          },
        ]),
      ),
    ).toEqual([]);
  });

  it('reports dangling relative, urn and contained references and ignores absolute and conditional ones', () => {
    const problems = checkBundleReferences(
      bundle([
        {
          resource: {
            resourceType: 'Encounter',
            id: 'e1',
            subject: { reference: 'Patient/missing' },
            episodeOfCare: [{ reference: 'urn:uuid:nope' }],
            basedOn: [{ reference: '#gone' }],
            serviceProvider: { reference: 'https://other.example/fhir/Organization/o' },
            participant: [{ individual: { reference: 'Practitioner?identifier=x|1' } }],
          },
        },
      ]),
    );
    expect(problems).toEqual([
      'entry[0].resource.subject.reference: Patient/missing is not an entry of the Bundle',
      'entry[0].resource.episodeOfCare[0].reference: urn:uuid:nope is not the fullUrl of an entry',
      'entry[0].resource.basedOn[0].reference: #gone is not a contained resource',
    ]);
  });

  it('resolves every reference of a real Synthea transaction Bundle', () => {
    const path = `${REALWORLD_DIR}/fhir-data/smart-generated-sample-data-R4-synthea/Loyd_Connelly_b200e2a2-c5ea-481f-97ae-67ec2dc22a5b.json`;
    expect(checkBundleReferences(JSON.parse(readFileSync(path, 'utf8')))).toEqual([]);
  });
});
