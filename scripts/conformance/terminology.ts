/** CodeSystems and their all-codes ValueSets. */
import type { CodeSystem, CodeSystemConcept, ValueSet } from 'fhir/r4.js';
import { CodeSystemUrl, ValueSetUrl } from '../../src/canonical.js';
import { CONSULTATION_CODES, COURSE_TYPES, RULE_IDS, type ConsultationCode, type CourseType, type RuleId } from '../../src/course/types.js';
import { ODI_ANSWER_SYSTEM, ODI_ANSWER_VALUE_SET, PSFS_SLOT_CODES } from '../../src/instruments/codes.js';
import { odiStatementPlaceholder, type Bilingual } from '../../src/instruments/texts.js';
import { commonMetadata, designations } from './common.js';
import { COURSE_TYPE_DEFINITIONS } from '../../src/course/course-types.js';
import { RULE_TITLES } from '../../src/cds/cards/card-text.js';
import { CONSULTATION_CATALOGUE, CONSULTATION_MODES, CONSULTATION_ROLES, type ConsultationMode, type ConsultationRole } from '../../src/course/catalogue.js';

/** Danish definitions for the CodeSystem; names, roles and modes come from the course catalogue. */
const DEFINITIONS: Readonly<Record<ConsultationCode, string>> = {
  '0110': 'Indgang til forløbet: diagnostisk vurdering, anamnese og undersøgelse, funktionstest, plan og mål (PSFS), instruktion i træning.',
  '0113': 'Træning af tilrettelagt program på klinikken, indtil patienten kan træne selv.',
  '0261': 'Indgang til forløbet for en patient i et aktuelt forløb, der overgår til struktureret forløb.',
  '0262': 'Som 0261, afholdt samme dag som en 0110; sammen tæller de som én indgang.',
  '0263': 'Patientuddannelse på hold; kan tilbydes to gange i et forløb.',
  '0264': 'Superviseret træning på hold, én gang ugentligt i 6 uger.',
  '0265': 'Individuel patientuddannelse; i forløb 2 og 3 kun når hold ikke er muligt.',
  '0266': 'Individuel superviseret træning; op til 6 gange inden for 3 måneder.',
  '0267': 'Afslutning: ODI og PSFS igen, opfølgning på funktionstest, plan for fortsat træning, epikrise til egen læge.',
  '0268': 'Opfølgning ca. 3 og 9 måneder efter den afsluttende konsultation: status, tjek af spørgeskemaer, justering af øvelser.',
  '0269': 'Supplerende manuel behandling til smertebehandling og for at kunne træne.',
};

interface ConsultationInfo {
  readonly name: Bilingual;
  readonly definition: string;
  readonly role: ConsultationRole;
  readonly mode: ConsultationMode;
}

/** course-model.md, "Consultation codes": the catalogue of src/course with the CodeSystem's definitions. */
export const CONSULTATIONS = Object.fromEntries(
  CONSULTATION_CODES.map((code): [ConsultationCode, ConsultationInfo] => {
    const c = CONSULTATION_CATALOGUE[code];
    return [code, { name: { da: c.nameDa, en: c.nameEn }, definition: DEFINITIONS[code], role: c.role, mode: c.mode }];
  }),
) as Readonly<Record<ConsultationCode, ConsultationInfo>>;

/** Danish definitions for the course-type CodeSystem; the names are the course types' titles in src/course. */
const COURSE_DEFINITIONS: Readonly<Record<CourseType, string>> = {
  'self-training': 'Forløb 1: første episode med primære lænderygsmerter, ingen fear-avoidance, kompetent egenhåndtering, træningsvant.',
  'recurrent': 'Forløb 2: tilbagevendende primære lænderygsmerter; 6-8 ugers træning og behandling med holdtræning.',
  'persistent': 'Forløb 3: vedvarende (over 12 uger) primære lænderygsmerter; egner sig ikke til holdtræning; 12 ugers forløb.',
};

export const COURSES = Object.fromEntries(
  COURSE_TYPES.map((type) => {
    const t = COURSE_TYPE_DEFINITIONS[type];
    return [type, { name: { da: t.titleDa, en: t.titleEn }, definition: COURSE_DEFINITIONS[type] }];
  }),
) as Readonly<Record<CourseType, { readonly name: Bilingual; readonly definition: string }>>;

/** Danish definitions of the card topics; their names are the cards' own rule titles (src/cds/cards/card-text.ts). */
const TOPIC_DEFINITIONS: Readonly<Record<RuleId, string>> = {
  'course-entry': 'Indgangen er en 0110, en 0261 eller en 0110 og en 0262 samme dag. En 0262 uden 0110 samme dag, en konsultation før indgangen eller en anden indgang i samme forløb er et fund.',
  'education-limit': 'Patientuddannelse (0263 og 0265 tilsammen) højst 2 gange pr. forløb (standard).',
  'individual-education-exception': '0265 i forløb 2 eller 3, hvor patientuddannelse på hold er normen: påmindelse om at notere begrundelsen.',
  'individual-training-limit': '0266 højst 6 gange inden for 3 måneder fra forløbets indgang (standard).',
  'group-training-frequency': '0264 højst én gang pr. uge (ISO-uge) og højst 6 gange i alt (standard).',
  'one-per-day': 'Højst én konsultation i forløbet pr. kalenderdag, undtagen en 0262 med sin 0110 og en 0113 med en individuel konsultation.',
  'final-consultation': 'Én 0267 pr. forløb; efter 0267 må kun 0268 følge.',
  'follow-up-timing': 'Højst 2 opfølgende konsultationer (0268), kun efter 0267, ca. 3 og 9 måneder efter 0267 (tolerance 28 dage, standard).',
  'missing-baseline-scores': 'Påkrævede spørgeskemaer mangler ved forløbets indgang: ODI altid, PSFS i forløb 2 og 3, NPRS i forløb 1 (standard: inden for 30 dage før).',
  'missing-final-scores': 'ODI og PSFS mangler ved den afsluttende konsultation 0267 (standard: inden for 14 dage før).',
  'follow-up-scores': 'ODI og PSFS forventes ved den opfølgende konsultation 0268 (standard: inden for 14 dage før).',
  'outcome-change': 'Ændringen i ODI, PSFS og NPRS fra baseline ved 0267 og 0268, med klinisk vigtig ændring markeret.',
  'next-consultation': 'Den anbefalede næste ydelse i forløbet (højst tre forslag, det første er anbefalingen).',
  'course-type-unknown': 'Forløbets type (1, 2 eller 3) kan ikke bestemmes; anbefalinger kun ud fra de fælles trin.',
};

export const CARD_TOPICS = Object.fromEntries(
  RULE_IDS.map((id) => [id, { name: RULE_TITLES[id], definition: TOPIC_DEFINITIONS[id] }]),
) as Readonly<Record<RuleId, { readonly name: Bilingual; readonly definition: string }>>;

const INSTRUMENT_CONCEPTS: { code: string; name: Bilingual; definition: string }[] = [
  {
    code: 'psfs',
    name: { da: 'PSFS gennemsnitsscore', en: 'PSFS mean score' },
    definition: 'Patient Specifik Funktionel Skala: gennemsnittet af de vurderede aktiviteter, 0 (kan ikke) til 10 (som før problemet). Højere er bedre.',
  },
  ...PSFS_SLOT_CODES.map((code, i) => ({
    code,
    name: { da: `PSFS aktivitet ${i + 1}`, en: `PSFS activity slot ${i + 1}` },
    definition: `PSFS-aktivitet nr. ${i + 1} (0-10); bruges som Observation.component.code, så samme aktivitet genkendes ved senere målinger.`,
  })),
  {
    code: 'odi',
    name: { da: 'ODI samlet score (%)', en: 'ODI total score (%)' },
    definition: 'Oswestry Disability Index 2.1a, samlet score i procent (0-100); projektets alias for LOINC 97909-6. Lavere er bedre.',
  },
  {
    code: 'nprs',
    name: { da: 'NPRS smerteintensitet (0-10)', en: 'NPRS pain intensity (0-10)' },
    definition: 'Numerisk smerteskala, 0 (ingen smerter) til 10 (værst tænkelige smerter); projektets alias for LOINC 72514-3.',
  },
];

function concept(code: string, name: Bilingual, definition?: string): CodeSystemConcept {
  return { code, display: name.da, ...(definition ? { definition } : {}), designation: designations(name) };
}

function codeSystem(args: {
  id: string;
  url: string;
  valueSet: string;
  name: string;
  title: string;
  description: string;
  concept: CodeSystemConcept[];
  property?: CodeSystem['property'];
}): CodeSystem {
  return {
    resourceType: 'CodeSystem',
    id: args.id,
    language: 'da',
    url: args.url,
    ...commonMetadata,
    name: args.name,
    title: args.title,
    description: args.description,
    caseSensitive: true,
    valueSet: args.valueSet,
    content: 'complete',
    count: args.concept.length,
    ...(args.property ? { property: args.property } : {}),
    concept: args.concept,
  };
}

function allCodesValueSet(args: { id: string; url: string; system: string; name: string; title: string; description: string }): ValueSet {
  return {
    resourceType: 'ValueSet',
    id: args.id,
    language: 'da',
    url: args.url,
    ...commonMetadata,
    name: args.name,
    title: args.title,
    description: args.description,
    compose: { include: [{ system: args.system, version: commonMetadata.version }] },
  };
}

export function terminologyResources(): (CodeSystem | ValueSet)[] {
  const consultation = codeSystem({
    id: 'consultation-code',
    url: CodeSystemUrl.consultation,
    valueSet: ValueSetUrl.consultation,
    name: 'ConsultationCode',
    title: 'Ydelsesnumre i strukturerede forløb for lænderygsmerter (fysioterapi)',
    description:
      'Ydelsesnumre (konsultationskoder) i strukturerede forløb for patienter med primære smerter i lænderyggen, ' +
      'overenskomst om fysioterapi (speciale 51), aftale af 28. maj 2025. Koden er selve ydelsesnummeret. ' +
      'Egenskaben role angiver trinnet i forløbet, mode om konsultationen er individuel eller på hold.',
    property: [
      {
        code: 'role',
        description: `Trin i forløbet: ${CONSULTATION_ROLES.join(' | ')}`,
        type: 'code',
      },
      { code: 'mode', description: `Individuel eller hold: ${CONSULTATION_MODES.join(' | ')}`, type: 'code' },
    ],
    concept: CONSULTATION_CODES.map((code) => {
      const c = CONSULTATIONS[code];
      return {
        ...concept(code, c.name, c.definition),
        property: [
          { code: 'role', valueCode: c.role },
          { code: 'mode', valueCode: c.mode },
        ],
      };
    }),
  });
  const courseType = codeSystem({
    id: 'course-type',
    url: CodeSystemUrl.courseType,
    valueSet: ValueSetUrl.courseType,
    name: 'CourseType',
    title: 'Typer af strukturerede forløb for lænderygsmerter',
    description: 'De tre eksempelforløb: selvtræningsforløb (1), tilbagevendende (2) og vedvarende (3) lænderygsmerter.',
    concept: (Object.keys(COURSES) as CourseType[]).map((code) => concept(code, COURSES[code].name, COURSES[code].definition)),
  });
  const cardTopic = codeSystem({
    id: 'card-topic',
    url: CodeSystemUrl.cardTopic,
    valueSet: ValueSetUrl.cardTopic,
    name: 'CardTopic',
    title: 'Emner for CDS-kort om strukturerede forløb',
    description: 'Regel-id for hver regel, tjenesten kontrollerer; bruges som CDS Hooks-kortets source.topic.',
    concept: RULE_IDS.map((id) => concept(id, CARD_TOPICS[id].name, CARD_TOPICS[id].definition)),
  });
  const instrument = codeSystem({
    id: 'instrument',
    url: CodeSystemUrl.instrument,
    valueSet: ValueSetUrl.instrument,
    name: 'Instrument',
    title: 'Resultatmål i strukturerede forløb',
    description:
      'Koder for scorer uden LOINC-kode (PSFS og dens aktivitetspladser) samt projektets aliasser for ODI og NPRS, ' +
      'som også genkendes ved deres LOINC-koder (97909-6, 72514-3).',
    concept: INSTRUMENT_CONCEPTS.map((c) => concept(c.code, c.name, c.definition)),
  });
  const odiAnswer = codeSystem({
    id: 'odi-answer',
    url: ODI_ANSWER_SYSTEM,
    valueSet: ODI_ANSWER_VALUE_SET,
    name: 'OdiAnswer',
    title: 'ODI svarkoder (ordinalværdi 0-5)',
    description:
      'Svarkoder for hvert afsnit af Oswestry Disability Index 2.1a: koden er udsagnets ordinalværdi, 0 (mindst ' +
      'besvær) til 5 (størst besvær). Visningsteksterne er pladsholdere; udsagnenes ordlyd er licenseret.',
    concept: [0, 1, 2, 3, 4, 5].map((k) => concept(String(k), odiStatementPlaceholder(k))),
  });

  const valueSets = [
    { cs: consultation, id: 'consultation-code', url: ValueSetUrl.consultation },
    { cs: courseType, id: 'course-type', url: ValueSetUrl.courseType },
    { cs: cardTopic, id: 'card-topic', url: ValueSetUrl.cardTopic },
    { cs: instrument, id: 'instrument', url: ValueSetUrl.instrument },
    { cs: odiAnswer, id: 'odi-answer', url: ODI_ANSWER_VALUE_SET },
  ].map(({ cs, id, url }) =>
    allCodesValueSet({
      id,
      url,
      system: cs.url!,
      name: cs.name!,
      title: `${cs.title!} (alle koder)`,
      description: `Alle koder i ${cs.url!}.`,
    }),
  );
  return [consultation, courseType, cardTopic, instrument, odiAnswer, ...valueSets];
}
