import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { consultationCodeParser, parseDateTime, parseFhirId, parseHttpUrl } from '../../src/cli/option-parsers.js';
import { serviceTarget } from '../../src/cli/service-url.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

describe('the CLI option parsers', () => {
  it('take FHIR date-times with an offset, Z, or none (local), and plain dates', () => {
    expect(parseDateTime('2026-12-03T10:00:00+01:00')).toBe('2026-12-03T09:00:00.000Z');
    expect(parseDateTime('2026-12-03T10:00Z')).toBe('2026-12-03T10:00:00.000Z');
    expect(parseDateTime('2026-12-03')).toBe(new Date(2026, 11, 3).toISOString());
    expect(parseDateTime('2026-12-03T10:00')).toBe(new Date(2026, 11, 3, 10, 0).toISOString());
  });

  it.each(['tomorrow', '03-12-2026', '2026-13-01', '2026-02-30', '2026-12-03T25:00', '2026-12-03 10:00', ''])('refuse the date-time %j', (value) => {
    expect(() => parseDateTime(value)).toThrow(InvalidArgumentError);
  });

  it('take the consultation codes of the catalogue only', () => {
    const parseConsultationCode = consultationCodeParser(() => SHIPPED_DEFINITIONS);
    expect(parseConsultationCode('0264')).toBe('0264');
    expect(() => parseConsultationCode('9999')).toThrow(/0110, 0113, 0261/);
  });

  it('take http(s) base URLs without a trailing slash, and FHIR ids', () => {
    expect(parseHttpUrl('http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
    expect(() => parseHttpUrl('127.0.0.1:3000')).toThrow(InvalidArgumentError);
    expect(() => parseHttpUrl('http://x/fhir?_format=json')).toThrow(/without \?query/);
    expect(parseFhirId('lbp-c2mid-patient')).toBe('lbp-c2mid-patient');
    expect(() => parseFhirId('Patient/1')).toThrow(InvalidArgumentError);
  });

  it('find the service from --service, else CDS_SERVICE_URL, else PORT, else 3000', () => {
    expect(serviceTarget('http://a:1', { CDS_SERVICE_URL: 'http://b:2', PORT: '3' })).toEqual({ url: 'http://a:1', from: '--service' });
    expect(serviceTarget(undefined, { CDS_SERVICE_URL: 'http://b:2/', PORT: '3' })).toEqual({ url: 'http://b:2', from: 'CDS_SERVICE_URL' });
    expect(serviceTarget(undefined, { PORT: '3001' })).toEqual({ url: 'http://127.0.0.1:3001', from: 'PORT' });
    expect(serviceTarget(undefined, {})).toEqual({ url: 'http://127.0.0.1:3000', from: 'default' });
    expect(() => serviceTarget(undefined, { PORT: 'abc' })).toThrow('PORT "abc" is not a port number (1-65535).');
  });
});
