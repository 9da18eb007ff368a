/**
 * The CapabilityStatement served at /metadata: fhir-router has none. It lists what this server really does, so a
 * client reading it is not misled: the types our service reads plus every type currently stored, each with the
 * search parameters the matcher implements.
 */
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4.js';
import { getSupportedSearchParameters } from './fhir-definitions.js';

/** The types the CDS service reads; always listed even when empty. */
export const CORE_RESOURCE_TYPES = [
  'Patient', 'Encounter', 'EpisodeOfCare', 'Observation', 'QuestionnaireResponse', 'Questionnaire', 'CarePlan',
  'Goal', 'Appointment', 'Condition',
] as const;

export function buildCapabilityStatement(baseUrl: string, storedTypes: readonly string[], smart = false): CapabilityStatement {
  const types = [...new Set<string>([...CORE_RESOURCE_TYPES, ...storedTypes])].sort();
  const resource: CapabilityStatementRestResource[] = types.map((type) => ({
    type: type as CapabilityStatementRestResource['type'],
    interaction: (['read', 'vread', 'update', 'delete', 'create', 'search-type', 'history-instance'] as const).map(
      (code) => ({ code }),
    ),
    versioning: 'versioned',
    updateCreate: true,
    conditionalCreate: true,
    searchParam: getSupportedSearchParameters(type)
      .map((p) => ({
        name: p.code as string,
        type: p.type as NonNullable<CapabilityStatementRestResource['searchParam']>[number]['type'],
        ...(p.url ? { definition: p.url } : {}),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'structured-course-cds FHIR sandbox (@medplum/fhir-router 4.5.2, in memory)' },
    implementation: { description: 'In-memory FHIR R4 server for development and tests', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Search paging: _count (default 50, max 1000) and _offset (or _getpagesoffset); Bundle.link next/previous. ' +
          'Unknown search parameters are refused with 400 unless the request has Prefer: handling=lenient.',
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        ...(smart ? { security: smartSecurity(baseUrl) } : {}),
      },
    ],
  };
}

/** SMART's oauth-uris extension, for clients that look here rather than at .well-known/smart-configuration. */
function smartSecurity(baseUrl: string): NonNullable<NonNullable<CapabilityStatement['rest']>[number]['security']> {
  return {
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    extension: [{
      url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
      extension: [
        { url: 'authorize', valueUri: `${baseUrl}/auth/authorize` },
        { url: 'token', valueUri: `${baseUrl}/auth/token` },
      ],
    }],
  };
}
