/**
 * The one place where the app calls the project's own engine and FHIR mapping (pure modules, bundled for the
 * browser): the same findings and recommendation as the cards, never rules written again here. Kept small and
 * alone so that it adapts when the engine's entry points change.
 *
 * The course definitions (consultation codes, course types, instruments) are the service's active ones, overrides
 * applied, fetched once from the service (`/app/course-definitions.json`): the browser never reads them from disk.
 * Imports name the engine's modules one by one, never src/course/index.ts (which re-exports the loader of the
 * shipped definitions, Node only).
 */
import type { CourseConfig } from '../../course/config.js';
import { definitionsFromJson, type DefinitionsJson } from '../../course/definitions/serialize.js';
import type { CourseDefinition, Definitions, InstrumentDefinition, StepDefinition } from '../../course/definitions/types.js';
import { evaluateCourse } from '../../course/evaluate.js';
import { RULE_IDS, type CourseHistory, type CourseType, type Evaluation, type RuleId } from '../../course/types.js';
import { mapCourse } from '../../fhir/map/map-course.js';
import type { PatientData } from './data.js';

export interface CourseView {
  readonly evaluation?: Evaluation;
  readonly history?: CourseHistory;
  readonly currentConsultationId?: string;
  /** Issues the mapper collected (bad records skipped), by kind. */
  readonly issueKinds: readonly string[];
}

/** Every rule on, as the service's default (src/course/config.ts's DEFAULT_RULES, not imported: see above). */
const ALL_RULES = Object.fromEntries(RULE_IDS.map((id) => [id, true])) as Record<RuleId, boolean>;

/** Relative to the app's page (the app is served at /app/): the service's DEFINITIONS_PATH. */
export const DEFINITIONS_FILE = 'course-definitions.json';

export class DefinitionsUnavailableError extends Error {
  override readonly name = 'DefinitionsUnavailableError';
}

let config: CourseConfig | undefined;

/** Fetches the service's active definitions once; later calls answer the same. */
export async function loadDefinitions(base: string = location.href, fetchImpl: typeof fetch = fetch): Promise<Definitions> {
  if (config) return config.definitions;
  const response = await fetchImpl(new URL(DEFINITIONS_FILE, base), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new DefinitionsUnavailableError(`HTTP ${response.status}`);
  const json = (await response.json()) as DefinitionsJson;
  if (!json || !Array.isArray(json.codes) || !Array.isArray(json.courses) || !Array.isArray(json.instruments) || !json.common) {
    throw new DefinitionsUnavailableError('not course definitions');
  }
  return useDefinitions(definitionsFromJson(json));
}

/** Sets the definitions directly (tests, or a caller that already has them). */
export function useDefinitions(definitions: Definitions): Definitions {
  config = { definitions, rules: ALL_RULES };
  return definitions;
}

/** The loaded definitions; loadDefinitions() must have answered first. */
export function definitions(): Definitions {
  if (!config) throw new DefinitionsUnavailableError('course definitions not loaded yet');
  return config.definitions;
}

export function courseConfig(): CourseConfig {
  if (!config) throw new DefinitionsUnavailableError('course definitions not loaded yet');
  return config;
}

export function evaluatePatient(data: PatientData, encounterId: string | undefined, now: Date): CourseView {
  const active = courseConfig();
  const mapping = mapCourse({
    patientId: data.patientId,
    hook: encounterId ? 'encounter-start' : 'patient-view',
    ...(encounterId ? { currentEncounterId: encounterId } : {}),
    requestInstant: now.toISOString(),
    resources: {
      encounters: data.encounters,
      episodes: data.episodes,
      carePlans: data.carePlans,
      observations: data.observations,
      questionnaireResponses: data.responses,
      questionnaires: data.questionnaires,
    },
    scoresAvailable: true,
    definitions: active.definitions,
  });
  const issueKinds = mapping.issues.map((i) => i.kind);
  if (!mapping.history) return { issueKinds };
  return {
    evaluation: evaluateCourse(mapping.history, mapping.referenceDate, active),
    history: mapping.history,
    ...(mapping.currentConsultationId ? { currentConsultationId: mapping.currentConsultationId } : {}),
    issueKinds,
  };
}

/** The definition the engine evaluated the course by: its type's, or the common one when the type is unknown. */
export function courseDefinition(type: CourseType | undefined): CourseDefinition {
  const defs = definitions();
  return (type !== undefined ? defs.courses.get(type) : undefined) ?? defs.common;
}

/** The plan's steps of a course type (what the timeline compares the consultations with); none when unknown. */
export function planSteps(type: CourseType | undefined): readonly StepDefinition[] {
  return type !== undefined ? definitions().courses.get(type)?.steps ?? [] : [];
}

export function courseTitle(type: CourseType | undefined, lang: 'da' | 'en'): string | undefined {
  if (type === undefined) return undefined;
  return definitions().courses.get(type)?.title[lang];
}

/** The instruments in the definitions' order. */
export function instrumentList(): readonly InstrumentDefinition[] {
  return [...definitions().instruments.values()];
}

export function instrumentDefinition(id: string): InstrumentDefinition | undefined {
  return definitions().instruments.get(id);
}

/** A consultation code's name, or the code itself when the definitions do not know it. */
export function consultationName(code: string, lang: 'da' | 'en'): string {
  return definitions().codes.get(code)?.name[lang] ?? code;
}

/** "Oswestry Disability Index (ODI)": the long name without its trailing parts, then the short name. */
export function instrumentLabel(def: InstrumentDefinition, lang: 'da' | 'en'): string {
  const { short, long } = def.name[lang];
  const stem = long.replace(/ \(.*$/, '');
  return stem === short || stem === '' ? short : `${stem} (${short})`;
}
