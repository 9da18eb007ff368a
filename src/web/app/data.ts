/** What the app reads about one patient, through the session (fhirclient), in parallel. */
import type { Encounter, EpisodeOfCare, CarePlan, Observation, Patient, Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import { QuestionnaireUrl } from '../../canonical.js';
import { ScoreObservationCodes } from '../../instruments/index.js';
import type { Instrument } from '../../course/index.js';
import type { Session } from './fhir-session.js';

export interface PatientData {
  readonly patientId: string;
  readonly patient?: Patient;
  readonly encounters: Encounter[];
  readonly episodes: EpisodeOfCare[];
  readonly carePlans: CarePlan[];
  readonly observations: Observation[];
  readonly responses: QuestionnaireResponse[];
  /** Our Questionnaires as the server holds them, by instrument (the forms are rendered from these). */
  readonly questionnaires: Questionnaire[];
  readonly questionnaireByInstrument: Partial<Record<Instrument, Questionnaire>>;
}

const SCORE_CODES = Object.values(ScoreObservationCodes).flat().map((c) => `${c.system}|${c.code}`).join(',');
const INSTRUMENT_LIST: readonly Instrument[] = ['odi', 'psfs', 'nprs'];

export async function loadPatientData(session: Session): Promise<PatientData> {
  const p = encodeURIComponent(session.patientId);
  const [patient, encounters, episodes, carePlans, observations, responses, ...questionnaires] = await Promise.all([
    session.read<Patient>(`Patient/${p}`).catch(() => undefined),
    session.search<Encounter>(`Encounter?patient=${p}&_count=200`),
    session.search<EpisodeOfCare>(`EpisodeOfCare?patient=${p}`),
    session.search<CarePlan>(`CarePlan?patient=${p}`),
    session.search<Observation>(`Observation?patient=${p}&code=${encodeURIComponent(SCORE_CODES)}&_count=200`),
    session.search<QuestionnaireResponse>(`QuestionnaireResponse?patient=${p}&_count=200`),
    ...INSTRUMENT_LIST.map((i) => session.search<Questionnaire>(`Questionnaire?url=${encodeURIComponent(QuestionnaireUrl[i])}`)),
  ]);
  const byInstrument: Partial<Record<Instrument, Questionnaire>> = {};
  INSTRUMENT_LIST.forEach((instrument, i) => {
    const found = questionnaires[i]?.[0];
    if (found) byInstrument[instrument] = found;
  });
  return {
    patientId: session.patientId,
    ...(patient ? { patient } : {}),
    encounters,
    episodes,
    carePlans,
    observations,
    responses,
    questionnaires: Object.values(byInstrument),
    questionnaireByInstrument: byInstrument,
  };
}
