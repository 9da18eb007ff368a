/**
 * Problems found in the EHR's data while mapping it onto the course model. They are data, never exceptions: the bad
 * record (or the bad part of it) is skipped and the mapping goes on with what is sound. Issues are listed in the
 * detail of the affected card and in the log, never above `info`.
 *
 * Facts carry ids, codes, numbers and dates only: never free text from the record (names, comments, activity
 * labels, narrative), so that an issue can be logged and rendered without leaking patient data.
 */

export const DATA_QUALITY_KINDS = [
  'not-a-resource',
  'wrong-resource-type',
  'missing-id',
  'duplicate-resource',
  'other-patient',
  'missing-subject',
  'absolute-reference',
  'contained-resource',
  'unresolved-reference',
  'missing-status',
  'invalid-status',
  'missing-date',
  'invalid-date',
  'unknown-code-system',
  'unknown-consultation-code',
  'multiple-consultation-codes',
  'unknown-course-type',
  'course-type-conflict',
  'multiple-episodes',
  'missing-episode',
  'current-encounter-not-found',
  'missing-value',
  'invalid-value',
  'score-out-of-range',
  'score-disagreement',
  'odi-incomplete',
  'odi-double-tick',
  'subscale-incomplete',
  'invalid-answer',
  'unscorable-response',
  'unknown-questionnaire',
  'careplans-unavailable',
] as const;
export type DataQualityKind = (typeof DATA_QUALITY_KINDS)[number];

export type DataQualityFacts = Readonly<Record<string, string | number | boolean>>;

export interface DataQualityIssue {
  readonly kind: DataQualityKind;
  /** The record concerned as a relative reference, e.g. 'Encounter/123'. */
  readonly resource?: string;
  readonly facts?: DataQualityFacts;
}

export function dataQualityIssue(kind: DataQualityKind, resource?: string, facts?: DataQualityFacts): DataQualityIssue {
  const issue: { kind: DataQualityKind; resource?: string; facts?: DataQualityFacts } = { kind };
  if (resource !== undefined) issue.resource = resource;
  if (facts !== undefined && Object.keys(facts).length > 0) issue.facts = facts;
  return issue;
}

/** One short sentence per kind, Danish first; the card layer adds the resource and facts. */
export const DATA_QUALITY_TEXT: Readonly<Record<DataQualityKind, { readonly da: string; readonly en: string }>> = {
  'not-a-resource': {
    da: 'Et element i journaldata var ikke en FHIR-ressource og blev sprunget over.',
    en: 'An entry in the record data was not a FHIR resource and was skipped.',
  },
  'wrong-resource-type': {
    da: 'En ressource af en uventet type blev sprunget over.',
    en: 'A resource of an unexpected type was skipped.',
  },
  'missing-id': {
    da: 'En ressource uden id blev sprunget over.',
    en: 'A resource without an id was skipped.',
  },
  'duplicate-resource': {
    da: 'Den samme ressource optrådte flere gange; kun den første blev brugt.',
    en: 'The same resource appeared more than once; only the first was used.',
  },
  'other-patient': {
    da: 'En ressource tilhørte en anden patient og blev sprunget over.',
    en: "A resource belonged to another patient and was skipped.",
  },
  'missing-subject': {
    da: 'En ressource angiver ingen patient; den er brugt, fordi den blev hentet for denne patient.',
    en: 'A resource names no patient; it was used because it was fetched for this patient.',
  },
  'absolute-reference': {
    da: 'Referencer er angivet som absolutte URL\'er; de er læst ud fra ressourcetype og id.',
    en: 'References are given as absolute URLs; they were read by resource type and id.',
  },
  'contained-resource': {
    da: 'En reference peger på en indlejret (contained) ressource.',
    en: 'A reference points to a contained resource.',
  },
  'unresolved-reference': {
    da: 'En reference kunne ikke følges.',
    en: 'A reference could not be resolved.',
  },
  'missing-status': {
    da: 'En ressource mangler status og tælles ikke med.',
    en: 'A resource has no status and is not counted.',
  },
  'invalid-status': {
    da: 'En ressource har en ugyldig status og tælles ikke med.',
    en: 'A resource has an invalid status and is not counted.',
  },
  'missing-date': {
    da: 'En ressource mangler dato og kan ikke placeres i forløbet.',
    en: 'A resource has no date and cannot be placed in the course.',
  },
  'invalid-date': {
    da: 'En ressource har en ugyldig eller upræcis dato og kan ikke placeres i forløbet.',
    en: 'A resource has an invalid or imprecise date and cannot be placed in the course.',
  },
  'unknown-code-system': {
    da: 'En kode ligner en ydelses- eller scorekode, men mangler kodesystem; den er ikke brugt.',
    en: 'A code looks like a consultation or score code but has no code system; it was not used.',
  },
  'unknown-consultation-code': {
    da: 'En konsultation har en ukendt ydelseskode i forløbets kodesystem.',
    en: 'A consultation carries an unknown code from the consultation code system.',
  },
  'multiple-consultation-codes': {
    da: 'En konsultation har flere forskellige ydelseskoder; den første er brugt.',
    en: 'A consultation carries several different consultation codes; the first was used.',
  },
  'unknown-course-type': {
    da: 'Forløbstypen er angivet med en ukendt kode.',
    en: 'The course type is given with an unknown code.',
  },
  'course-type-conflict': {
    da: 'Forløbstypen er angivet forskelligt i episode og plan.',
    en: 'The course type differs between the episode and the care plan.',
  },
  'multiple-episodes': {
    da: 'Flere forløb (EpisodeOfCare) passer; det senest startede er brugt.',
    en: 'Several courses (EpisodeOfCare) match; the latest started was used.',
  },
  'missing-episode': {
    da: 'Konsultationen henviser til et forløb (EpisodeOfCare), som ikke kunne findes.',
    en: 'The consultation refers to a course (EpisodeOfCare) that could not be found.',
  },
  'current-encounter-not-found': {
    da: 'Den aktuelle konsultation blev ikke fundet; anmodningens tidspunkt er brugt som dato.',
    en: 'The current encounter was not found; the request time was used as the date.',
  },
  'missing-value': {
    da: 'En score mangler sin værdi.',
    en: 'A score has no value.',
  },
  'invalid-value': {
    da: 'En score har en værdi, der ikke er et tal.',
    en: 'A score has a value that is not a number.',
  },
  'score-out-of-range': {
    da: 'En score ligger uden for skalaens område og er ikke brugt.',
    en: 'A score lies outside the scale and was not used.',
  },
  'score-disagreement': {
    da: 'Den angivne score afviger fra den, der er beregnet ud fra svarene; den beregnede er brugt.',
    en: 'The stated score differs from the score computed from the answers; the computed one was used.',
  },
  'odi-incomplete': {
    da: 'ODI er besvaret i for få afsnit til at kunne scores.',
    en: 'Too few ODI sections are answered to compute a score.',
  },
  'subscale-incomplete': {
    da: 'En delskala er besvaret i for få spørgsmål til at kunne scores; den mangler.',
    en: 'Too few items of a subscale are answered to score it; it is missing.',
  },
  'odi-double-tick': {
    da: 'Flere svar i samme ODI-afsnit; det højeste er brugt.',
    en: 'Several answers in one ODI section; the highest was used.',
  },
  'invalid-answer': {
    da: 'Et svar har ingen gyldig pointværdi og er ikke talt med.',
    en: 'An answer has no valid score value and was not counted.',
  },
  'unscorable-response': {
    da: 'Et spørgeskemasvar kunne ikke scores.',
    en: 'A questionnaire response could not be scored.',
  },
  'unknown-questionnaire': {
    da: 'Et spørgeskemasvar henviser til et ukendt spørgeskema.',
    en: 'A questionnaire response refers to an unknown questionnaire.',
  },
  'careplans-unavailable': {
    da: 'Behandlingsplaner (CarePlan) kunne ikke hentes; forløbstypen kan derfor være ukendt.',
    en: 'Care plans (CarePlan) could not be read, so the course type may be unknown.',
  },
};
