/**
 * The one canonical base of every conformance resource this project publishes. Everything else (CodeSystem,
 * ValueSet, Questionnaire and PlanDefinition URLs) is derived from it here, and the JSON files in
 * `fhir-resources/` are checked against these values by a test, so the two cannot drift.
 */
export const CANONICAL_BASE = 'https://fhir.structured-course.dk';

/** Version of our conformance resources; tied to the agreement on structured courses of 28 May 2025. */
export const CONFORMANCE_VERSION = '2025.05.28';

export const CodeSystemUrl = {
  consultation: `${CANONICAL_BASE}/CodeSystem/consultation-code`,
  courseType: `${CANONICAL_BASE}/CodeSystem/course-type`,
  cardTopic: `${CANONICAL_BASE}/CodeSystem/card-topic`,
  instrument: `${CANONICAL_BASE}/CodeSystem/instrument`,
} as const;

export const ValueSetUrl = {
  consultation: `${CANONICAL_BASE}/ValueSet/consultation-code`,
  courseType: `${CANONICAL_BASE}/ValueSet/course-type`,
  cardTopic: `${CANONICAL_BASE}/ValueSet/card-topic`,
  instrument: `${CANONICAL_BASE}/ValueSet/instrument`,
} as const;

export const QuestionnaireUrl = {
  odi: `${CANONICAL_BASE}/Questionnaire/odi`,
  psfs: `${CANONICAL_BASE}/Questionnaire/psfs`,
  nprs: `${CANONICAL_BASE}/Questionnaire/nprs`,
} as const;

export const PlanDefinitionUrl = {
  'self-training': `${CANONICAL_BASE}/PlanDefinition/course-self-training`,
  recurrent: `${CANONICAL_BASE}/PlanDefinition/course-recurrent`,
  persistent: `${CANONICAL_BASE}/PlanDefinition/course-persistent`,
} as const;

/** External code systems and identifiers we read. */
export const ExternalSystem = {
  loinc: 'http://loinc.org',
  cpr: 'urn:oid:1.2.208.176.1.2',
  sor: 'urn:oid:1.2.208.176.1.1',
  ydernummer: 'urn:oid:1.2.208.176.1.4',
  icpc2: 'http://hl7.org/fhir/sid/icpc-2',
  snomed: 'http://snomed.info/sct',
  ordinalValueExtension: 'http://hl7.org/fhir/StructureDefinition/ordinalValue',
  itemWeightExtension: 'http://hl7.org/fhir/StructureDefinition/itemWeight',
  workflowEpisodeOfCare: 'http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare',
} as const;

export const Loinc = {
  odiPanel: '97908-8',
  odiTotal: '97909-6',
  nprs: '72514-3',
} as const;

/** The public ODI Questionnaire of the CMS access model, recognised by URL without fetching it. */
export const PUBLIC_ODI_QUESTIONNAIRE_URL = 'http://example.org/Questionnaire/OswestryDisabilityIndexQuestionnaire';

/** Public description of structured courses, the card `source.url`. */
export const GUIDELINE_URL = 'https://www.fysio.dk/fafo/strukturerede-forlob';
