/** CodeSystems and their all-codes ValueSets. */
import type { CodeSystem, CodeSystemConcept, ValueSet } from 'fhir/r4.js';
import { CodeSystemUrl, ValueSetUrl } from '../../src/canonical.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_IDS, type RuleId } from '../../src/course/types.js';
import { SHIPPED_DEFINITIONS_DIR } from '../../src/fhir/definitions/shipped-dir.js';
import { ODI_ANSWER_SYSTEM, ODI_ANSWER_VALUE_SET, PSFS_SLOT_CODES } from '../../src/instruments/codes.js';
import { odiStatementPlaceholder, type Bilingual } from '../../src/instruments/texts.js';
import { commonMetadata, designations } from './common.js';
import { RULE_TITLES } from '../../src/cds/cards/card-text.js';

/** Danish definitions of the card topics; their names are the cards' own rule titles (src/cds/cards/card-text.ts). */
/**
 * Danish definitions of the card topics. No number here: the limits are the course definitions' (PlanDefinitions),
 * overridable per clinic, and the active numbers are stated on the cards and in the README's generated table.
 */
const TOPIC_DEFINITIONS: Readonly<Record<RuleId, string>> = {
  'course-entry': 'Indgangen er en af indgangstrinnets indgangsydelser, evt. med sin ledsagende ydelse samme dag (én indgang). En ledsagende ydelse uden sin partner samme dag, en konsultation før indgangen eller en anden indgang i samme forløb er et fund.',
  'education-limit': 'Patientuddannelse (trinnets ydelser tilsammen) højst det antal pr. forløb, forløbsdefinitionen angiver.',
  'individual-education-exception': 'En ydelse, som forløbet kun bruger undtagelsesvist (individuel patientuddannelse, hvor hold er normen): påmindelse om at notere begrundelsen.',
  'individual-training-limit': 'Et trins ydelser højst N gange inden for et vindue fra forløbets indgang (eller den første af dem).',
  'group-training-frequency': 'Et trins ydelser højst N gange pr. ISO-uge (lokal tid), og højst N gange i alt eller i et vindue.',
  'one-per-day': 'Højst én konsultation i forløbet pr. kalenderdag, undtagen en indgang med sin ledsagende ydelse og superviseret selvtræning ved siden af en individuel konsultation.',
  'final-consultation': 'Én afsluttende konsultation pr. forløb; derefter må kun opfølgende konsultationer følge.',
  'follow-up-timing': 'Højst N opfølgende konsultationer, kun efter den afsluttende, hver inden for tolerancen fra sin måldato.',
  'missing-baseline-scores': 'Spørgeskemaer, forløbet kræver ved indgangen, mangler (registreret i perioden før eller på indgangsdagen).',
  'missing-final-scores': 'Spørgeskemaer, forløbet kræver ved den afsluttende konsultation, mangler.',
  'follow-up-scores': 'Spørgeskemaer, forløbet forventer ved en opfølgende konsultation, mangler.',
  'outcome-change': 'Ændringen i spørgeskemaernes scores fra forløbets start ved den afsluttende og de opfølgende konsultationer, med klinisk relevant ændring markeret.',
  'next-consultation': 'Den anbefalede næste ydelse i forløbet (højst tre forslag, det første er anbefalingen).',
  'course-type-unknown': 'Forløbets type kan ikke bestemmes; anbefalinger kun ud fra de fælles trin.',
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

/** The hand-maintained CodeSystems of the course definitions, read back for their ValueSets. */
function handMaintained(file: string): CodeSystem {
  return JSON.parse(readFileSync(join(SHIPPED_DEFINITIONS_DIR, file), 'utf8')) as CodeSystem;
}

export function terminologyResources(): (CodeSystem | ValueSet)[] {
  const consultation = handMaintained('CodeSystem-consultation-code.json');
  const courseType = handMaintained('CodeSystem-course-type.json');
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
  return [cardTopic, instrument, odiAnswer, ...valueSets];
}
