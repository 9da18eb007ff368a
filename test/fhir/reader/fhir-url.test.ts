import { describe, expect, it } from 'vitest';
import { FhirForbiddenOriginError, FhirInvalidQueryError } from '../../../src/fhir/reader/errors.js';
import { isWithinBase, parseFhirBase, resolveWithinBase, resourceUrl } from '../../../src/fhir/reader/fhir-url.js';

const base = parseFhirBase('https://ehr.example.dk:8443/fhir/r4');

describe('the FHIR base URL', () => {
  it('normalises the base to one trailing slash', () => {
    expect(parseFhirBase('https://ehr.example.dk/fhir//').href).toBe('https://ehr.example.dk/fhir/');
    expect(parseFhirBase('https://ehr.example.dk').href).toBe('https://ehr.example.dk/');
  });

  it('holds URLs under the base path on the same origin', () => {
    expect(isWithinBase(new URL('https://ehr.example.dk:8443/fhir/r4/Encounter?x=1'), base)).toBe(true);
    expect(isWithinBase(new URL('https://ehr.example.dk:8443/fhir/r4?_getpages=1'), base)).toBe(true);
  });

  it('holds nothing on another scheme, host or port', () => {
    for (const url of [
      'http://ehr.example.dk:8443/fhir/r4/Encounter',
      'https://ehr.example.dk/fhir/r4/Encounter',
      'https://ehr.example.dk.evil.test:8443/fhir/r4/Encounter',
      'https://evil.test/fhir/r4/Encounter',
    ]) {
      expect(isWithinBase(new URL(url), base)).toBe(false);
    }
  });

  it('holds nothing beside the base path, however the path is spelled', () => {
    for (const url of [
      'https://ehr.example.dk:8443/fhir/r4x/Encounter',
      'https://ehr.example.dk:8443/fhir/r4/../admin',
      'https://ehr.example.dk:8443/fhir/r4/%2e%2e/admin',
      'https://ehr.example.dk:8443/fhir',
    ]) {
      expect(isWithinBase(new URL(url), base)).toBe(false);
    }
  });

  it('refuses credentials in a next link on the right origin', () => {
    expect(isWithinBase(new URL('https://u:p@ehr.example.dk:8443/fhir/r4/Encounter'), base)).toBe(false);
  });

  it('resolves relative queries under the base and refuses the rest', () => {
    expect(resolveWithinBase('Encounter?patient=1', base).href)
      .toBe('https://ehr.example.dk:8443/fhir/r4/Encounter?patient=1');
    expect(() => resolveWithinBase('//evil.test/fhir/r4/Encounter', base)).toThrow(FhirForbiddenOriginError);
    expect(() => resolveWithinBase('/Encounter', base)).toThrow(FhirForbiddenOriginError);
  });

  it('builds resource URLs only from a resource type and a FHIR id', () => {
    expect(resourceUrl('Patient', 'a-1.B', base).href).toBe('https://ehr.example.dk:8443/fhir/r4/Patient/a-1.B');
    expect(() => resourceUrl('patient', 'p1', base)).toThrow(FhirInvalidQueryError);
    expect(() => resourceUrl('Patient', 'x'.repeat(65), base)).toThrow(FhirInvalidQueryError);
    expect(() => resourceUrl('Patient', '%2e%2e', base)).toThrow(FhirInvalidQueryError);
  });
});
