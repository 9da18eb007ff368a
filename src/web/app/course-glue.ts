/**
 * The one place where the app calls the project's own engine and FHIR mapping (pure modules, bundled for the
 * browser): the same findings and recommendation as the cards, never rules written again here. Kept small and
 * alone so that it adapts when the engine's entry points change.
 */
import {
  COURSE_TYPE_DEFINITIONS,
  DEFAULT_COURSE_CONFIG,
  evaluateCourse,
  type CourseHistory,
  type CourseStep,
  type CourseType,
  type Evaluation,
} from '../../course/index.js';
import { mapCourse } from '../../fhir/map/index.js';
import type { PatientData } from './data.js';

export interface CourseView {
  readonly evaluation?: Evaluation;
  readonly history?: CourseHistory;
  readonly currentConsultationId?: string;
  /** Issues the mapper collected (bad records skipped), by kind. */
  readonly issueKinds: readonly string[];
}

export const COURSE_CONFIG = DEFAULT_COURSE_CONFIG;

export function evaluatePatient(data: PatientData, encounterId: string | undefined, now: Date): CourseView {
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
    odiMinAnswered: COURSE_CONFIG.scores.odiMinAnswered,
  });
  const issueKinds = mapping.issues.map((i) => i.kind);
  if (!mapping.history) return { issueKinds };
  return {
    evaluation: evaluateCourse(mapping.history, mapping.referenceDate, COURSE_CONFIG),
    history: mapping.history,
    ...(mapping.currentConsultationId ? { currentConsultationId: mapping.currentConsultationId } : {}),
    issueKinds,
  };
}

/** The plan's steps of a course type (what the timeline compares the consultations with). */
export function planSteps(type: CourseType | undefined): readonly CourseStep[] {
  return type ? COURSE_TYPE_DEFINITIONS[type].steps : [];
}

export function courseTitle(type: CourseType | undefined, lang: 'da' | 'en'): string | undefined {
  if (!type) return undefined;
  const d = COURSE_TYPE_DEFINITIONS[type];
  return lang === 'da' ? d.titleDa : d.titleEn;
}
