import type { Bundle, Resource } from 'fhir/r4.js';
import { CodeSystemUrl, Loinc } from '../canonical.js';

/**
 * What an EHR would prefetch for our templates, built from a patient's Bundle (all keys filled): used by the tests and
 * by scripts/build-cds-examples.ts for the example requests in cds-hooks/examples/.
 */
export function prefetchFromBundle(bundle: Bundle, patientId: string, encounterId?: string): Record<string, unknown> {
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
  const of = (type: string): Resource[] => resources.filter((r) => r.resourceType === type);
  const searchset = (items: Resource[]): Bundle => ({
    resourceType: 'Bundle',
    type: 'searchset',
    total: items.length,
    entry: items.map((resource) => ({ fullUrl: `http://ehr.example/fhir/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  });
  const scoreCodes = new Set([`http://loinc.org|${Loinc.odiTotal}`, `http://loinc.org|${Loinc.nprs}`, `${CodeSystemUrl.instrument}|psfs`,
    `${CodeSystemUrl.instrument}|odi`, `${CodeSystemUrl.instrument}|nprs`]);
  const scores = of('Observation').filter((o) =>
    ((o as { code?: { coding?: { system?: string; code?: string }[] } }).code?.coding ?? []).some((c) => scoreCodes.has(`${c.system}|${c.code}`)));
  const prefetch: Record<string, unknown> = {
    patient: of('Patient').find((p) => p.id === patientId) ?? null,
    encounters: searchset(of('Encounter')),
    episodes: searchset(of('EpisodeOfCare')),
    carePlans: searchset(of('CarePlan')),
    scores: searchset(scores),
    responses: searchset(of('QuestionnaireResponse')),
  };
  if (encounterId) prefetch.encounter = of('Encounter').find((e) => e.id === encounterId) ?? null;
  return prefetch;
}
