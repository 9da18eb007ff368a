/**
 * A new hook thread runs a few calls on the demo's mid-course patient before it says it is ready. A cold thread's
 * first calls are several times slower (V8 compiles as it goes), and a thread that misses a deadline is replaced by
 * another cold one: without a warm-up a busy machine could keep the pool cold. Best effort: no demo data, no warm-up.
 */
import type { Bundle, Resource } from 'fhir/r4.js';
import { findDemoPatient, loadDemoBundle } from '../../demo/patients.js';
import { handleHook, type HookDeps } from '../handle-hook.js';

const WARM_UP_CALLS = 20;

export async function warmUp(projectRoot: string, deps: HookDeps): Promise<void> {
  const demo = findDemoPatient('course-2-mid-course');
  if (!demo?.currentEncounterId) return;
  let bundle: Bundle;
  try {
    bundle = loadDemoBundle(projectRoot, demo);
  } catch {
    return;
  }
  const resources = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r !== undefined);
  const searchset = (type: string): Bundle => ({
    resourceType: 'Bundle', type: 'searchset',
    entry: resources.filter((r) => r.resourceType === type).map((resource) => ({ resource, search: { mode: 'match' } })),
  });
  const body = {
    hook: 'encounter-start',
    hookInstance: '00000000-0000-4000-8000-000000000000',
    context: { userId: 'Practitioner/warm-up', patientId: demo.patientId, encounterId: demo.currentEncounterId },
    prefetch: {
      patient: resources.find((r) => r.resourceType === 'Patient') ?? null,
      encounter: resources.find((r) => r.id === demo.currentEncounterId) ?? null,
      encounters: searchset('Encounter'),
      episodes: searchset('EpisodeOfCare'),
      carePlans: searchset('CarePlan'),
      scores: searchset('Observation'),
      responses: searchset('QuestionnaireResponse'),
    },
  };
  // Its cards are nobody's: they are not recorded.
  const quiet: HookDeps = { ...deps, onCardsIssued: () => undefined };
  for (let i = 0; i < WARM_UP_CALLS; i++) {
    try {
      await handleHook({ serviceId: 'lbp-encounter-start', body: JSON.parse(JSON.stringify(body)), lang: i % 2 ? 'en' : 'da', caller: {} }, quiet);
    } catch {
      return;
    }
  }
}
