/** What the app reads about one patient, through the session (fhirclient), in parallel. */
import type { Encounter, EpisodeOfCare, CarePlan, Observation, Patient, Questionnaire, QuestionnaireResponse } from 'fhir/r4.js';
import type { Definitions } from '../../course/definitions/types.js';
import type { Instrument } from '../../course/types.js';
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

/** Every coding a score Observation of a defined instrument may carry, as a token list for `code=`. */
export function scoreCodes(defs: Definitions): string {
  const tokens = [...defs.instruments.values()].flatMap((i) => i.codings.map((c) => `${c.system}|${c.code}`));
  return [...new Set(tokens)].join(',');
}

export async function loadPatientData(session: Session, defs: Definitions): Promise<PatientData> {
  const p = encodeURIComponent(session.patientId);
  // Each instrument's own Questionnaire (ours first in its list): the form the app renders and writes against.
  const instruments = [...defs.instruments.values()].filter((i) => i.questionnaires[0] !== undefined);
  const codes = scoreCodes(defs);
  const [patient, encounters, episodes, carePlans, observations, responses, ...questionnaires] = await Promise.all([
    session.read<Patient>(`Patient/${p}`).catch(() => undefined),
    session.search<Encounter>(`Encounter?patient=${p}&_count=200`),
    session.search<EpisodeOfCare>(`EpisodeOfCare?patient=${p}`),
    session.search<CarePlan>(`CarePlan?patient=${p}`),
    codes === '' ? Promise.resolve<Observation[]>([]) : session.search<Observation>(`Observation?patient=${p}&code=${encodeURIComponent(codes)}&_count=200`),
    session.search<QuestionnaireResponse>(`QuestionnaireResponse?patient=${p}&_count=200`),
    ...instruments.map((i) => session.search<Questionnaire>(`Questionnaire?url=${encodeURIComponent(i.questionnaires[0]!)}`)),
  ]);
  const byInstrument: Partial<Record<Instrument, Questionnaire>> = {};
  instruments.forEach((instrument, i) => {
    const found = questionnaires[i]?.[0];
    if (found) byInstrument[instrument.id] = found;
  });
  return {
    patientId: session.patientId,
    ...(patient ? { patient } : {}),
    encounters,
    episodes,
    carePlans,
    observations,
    responses,
    questionnaires: Object.values(byInstrument).filter((q): q is Questionnaire => q !== undefined),
    questionnaireByInstrument: byInstrument,
  };
}
