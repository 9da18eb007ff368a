/**
 * StructureDefinitions of the course-definition profile: the PlanDefinition profile and our extensions, so that the
 * course definitions in fhir-resources/ are themselves defined in FHIR and a validator can resolve every extension
 * URL. The names and URLs are src/fhir/definitions/extension-urls.ts's, which the engine's reader uses.
 */
import type { ElementDefinition, StructureDefinition } from 'fhir/r4.js';
import { COURSE_PROFILE, DefinitionExtension } from '../../src/fhir/definitions/extension-urls.js';
import { commonMetadata } from './common.js';

interface Part {
  readonly name: string;
  readonly type: string;
  readonly short: string;
  readonly many?: boolean;
  readonly required?: boolean;
}

const STEP: readonly Part[] = [
  { name: 'planMin', type: 'integer', short: 'Planlagt antal, mindst' },
  { name: 'planMax', type: 'integer', short: 'Planlagt antal, højst (uden: så mange som patienten har brug for)' },
  { name: 'milestone', type: 'code', short: 'entry | final | follow-up' },
  { name: 'instrument', type: 'canonical', short: 'Spørgeskema (Questionnaire), der kræves ved milepælen', many: true },
  { name: 'lookBack', type: 'Duration', short: 'Scores tæller fra så længe før milepælens dato' },
  { name: 'sharesDay', type: 'boolean', short: 'Trinnets ydelser må ligge samme dag som én individuel konsultation' },
  { name: 'recommendable', type: 'boolean', short: 'false: trinnet anbefales aldrig selv' },
];
const LIMIT: readonly Part[] = [
  { name: 'id', type: 'id', short: 'Grænsens faste id i forløbstypen (konfigurationen ændrer den ved dette id)', required: true },
  { name: 'rule', type: 'code', short: 'Regel (kort-emne): education-limit | individual-training-limit | group-training-frequency | follow-up-timing', required: true },
  { name: 'kind', type: 'code', short: 'per-course | window | per-iso-week', required: true },
  { name: 'max', type: 'integer', short: 'Højst så mange af trinnets ydelser', required: true },
  { name: 'window', type: 'Duration', short: 'window: vinduets længde (måneder eller dage)' },
  { name: 'anchor', type: 'code', short: 'window: entry (forløbets indgang) | first (den første af ydelserne)' },
];
const FOLLOW_UP: readonly Part[] = [
  { name: 'target', type: 'Duration', short: 'Måldato: den afsluttende konsultations dato + så mange måneder', many: true, required: true },
  { name: 'tolerance', type: 'Duration', short: 'Hvor langt en opfølgning må ligge fra sin måldato', required: true },
];
const FINAL_DUE: readonly Part[] = [
  { name: 'afterDays', type: 'integer', short: 'Aktuel fra indgangen + så mange kalenderdage' },
  { name: 'afterCount', type: 'integer', short: 'Aktuel når så mange af ydelsen (activity) er talt med (1: fra den første)' },
  { name: 'activity', type: 'canonical', short: 'Ydelsen (ActivityDefinition), afterCount tæller' },
];
const SCORING: readonly Part[] = [
  { name: 'id', type: 'id', short: 'Spørgeskemaets id i reglerne og konfigurationen', required: true },
  { name: 'order', type: 'integer', short: 'Rækkefølge på kort og i tabeller' },
  { name: 'short', type: 'string', short: 'Kort navn (ODI)' },
  { name: 'method', type: 'code', short: 'percent-of-max | mean-of-activities | single-item | subscales', required: true },
  { name: 'min', type: 'decimal', short: 'Laveste score', required: true },
  { name: 'max', type: 'decimal', short: 'Højeste score', required: true },
  { name: 'higherIsBetter', type: 'boolean', short: 'Højere er bedre (PSFS); ellers lavere (ODI, NPRS)' },
  { name: 'decimals', type: 'integer', short: 'Decimaler, scoren rapporteres med' },
  { name: 'unit', type: 'string', short: 'Enhed efter scoren (%)' },
  { name: 'minAnswered', type: 'integer', short: 'Færrest besvarede spørgsmål (pr. delskala), der giver en score' },
  { name: 'reverse', type: 'boolean', short: 'subscales: 100 = ingen problemer (KOOS/HOOS)' },
  { name: 'changePoints', type: 'decimal', short: 'Klinisk relevant ændring, point', required: true },
  { name: 'changePercent', type: 'decimal', short: 'Klinisk relevant ændring, procent af baseline' },
  { name: 'itemChangePoints', type: 'decimal', short: 'Klinisk relevant ændring på én aktivitet' },
  { name: 'roundingTolerance', type: 'decimal', short: 'Største forskel mellem angivet og beregnet score, der er afrunding' },
  { name: 'scoreCode', type: 'Coding', short: 'Kode for scoren (Observation.code): LOINC hvor den findes, ellers vores', many: true },
  { name: 'alias', type: 'canonical', short: 'Andre Questionnaires, der genkendes som dette spørgeskema', many: true },
];

function part(p: Part): ElementDefinition[] {
  const id = `Extension.extension:${p.name}`;
  return [
    { id, path: 'Extension.extension', sliceName: p.name, short: p.short, min: p.required ? 1 : 0, max: p.many ? '*' : '1' },
    { id: `${id}.extension`, path: 'Extension.extension.extension', max: '0' },
    { id: `${id}.url`, path: 'Extension.extension.url', fixedUri: p.name },
    { id: `${id}.value[x]`, path: 'Extension.extension.value[x]', min: 1, type: [{ code: p.type }] },
  ];
}

function extension(args: {
  id: string; url: string; name: string; title: string; description: string; context: string; parts?: readonly Part[]; valueType?: string;
}): StructureDefinition {
  const elements: ElementDefinition[] = args.parts
    ? [
      { id: 'Extension', path: 'Extension', short: args.title },
      { id: 'Extension.extension', path: 'Extension.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'closed' }, min: 1 },
      ...args.parts.flatMap(part),
      { id: 'Extension.url', path: 'Extension.url', fixedUri: args.url },
      { id: 'Extension.value[x]', path: 'Extension.value[x]', max: '0' },
    ]
    : [
      { id: 'Extension', path: 'Extension', short: args.title, max: '1' },
      { id: 'Extension.extension', path: 'Extension.extension', max: '0' },
      { id: 'Extension.url', path: 'Extension.url', fixedUri: args.url },
      { id: 'Extension.value[x]', path: 'Extension.value[x]', min: 1, type: [{ code: args.valueType ?? 'code' }] },
    ];
  return {
    resourceType: 'StructureDefinition',
    id: args.id,
    language: 'da',
    url: args.url,
    ...commonMetadata,
    name: args.name,
    title: args.title,
    description: args.description,
    // No fhirVersion: the official R4 JSON Schema's enum stops at 4.0.0 and would reject 4.0.1.
    kind: 'complex-type',
    abstract: false,
    context: [{ type: 'element', expression: args.context }],
    type: 'Extension',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Extension',
    derivation: 'constraint',
    differential: { element: elements },
  };
}

function profile(): StructureDefinition {
  const ext = (name: string, url: string, path: string, max: string): ElementDefinition => ({
    id: `${path}.extension:${name}`, path: `${path}.extension`, sliceName: name, min: 0, max, type: [{ code: 'Extension', profile: [url] }],
  });
  return {
    resourceType: 'StructureDefinition',
    id: 'course-plan-definition',
    language: 'da',
    url: COURSE_PROFILE,
    ...commonMetadata,
    name: 'CoursePlanDefinition',
    title: 'Struktureret forløb som PlanDefinition',
    description:
      'Et struktureret forløb (en forløbstype) som data, læst af tjenesten: useContext focus = forløbstypen; hver ' +
      'handling på øverste niveau er et trin (course-step) med dets ydelser som underhandlinger (definitionCanonical -> ' +
      'ActivityDefinition, den foretrukne først, rolle i course-code-role), grænser (course-limit, hver med fast id), ' +
      'milepæle med påkrævede spørgeskemaer (Questionnaire canonical), hvornår afslutningen er aktuel (course-final-due) ' +
      'og opfølgningens måldatoer (course-follow-up). Tallene er standarder, som tjenestens konfiguration kan ændre.',
    kind: 'resource',
    abstract: false,
    type: 'PlanDefinition',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/PlanDefinition',
    derivation: 'constraint',
    differential: {
      element: [
        { id: 'PlanDefinition.extension', path: 'PlanDefinition.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } },
        ext('finalDue', DefinitionExtension.finalDue, 'PlanDefinition', '*'),
        { id: 'PlanDefinition.url', path: 'PlanDefinition.url', min: 1 },
        { id: 'PlanDefinition.useContext', path: 'PlanDefinition.useContext', min: 1 },
        { id: 'PlanDefinition.action', path: 'PlanDefinition.action', min: 1 },
        { id: 'PlanDefinition.action.id', path: 'PlanDefinition.action.id', min: 1 },
        { id: 'PlanDefinition.action.extension', path: 'PlanDefinition.action.extension', slicing: { discriminator: [{ type: 'value', path: 'url' }], rules: 'open' } },
        ext('step', DefinitionExtension.step, 'PlanDefinition.action', '1'),
        ext('limit', DefinitionExtension.limit, 'PlanDefinition.action', '*'),
        ext('followUp', DefinitionExtension.followUp, 'PlanDefinition.action', '1'),
      ],
    },
  };
}

export function extensionDefinitions(): StructureDefinition[] {
  return [
    profile(),
    extension({
      id: 'course-step', url: DefinitionExtension.step, name: 'CourseStep', title: 'Trin i et struktureret forløb',
      description: 'Et trins plan (mindst/højst; uden højst: åbent), milepæl (indgang, afslutning, opfølgning) med de spørgeskemaer, der kræves, og hvor længe før de tæller.',
      context: 'PlanDefinition.action', parts: STEP,
    }),
    extension({
      id: 'course-limit', url: DefinitionExtension.limit, name: 'CourseLimit', title: 'Grænse for et trin i et struktureret forløb',
      description: 'En grænse for et trins ydelser: pr. forløb, inden for et vindue fra indgangen (eller den første af dem), eller pr. ISO-uge (lokal tid, Europe/Copenhagen). Fast id, så konfigurationen kan ændre tallet; reglen er kortets emne.',
      context: 'PlanDefinition.action', parts: LIMIT,
    }),
    extension({
      id: 'course-code-role', url: DefinitionExtension.codeRole, name: 'CourseCodeRole', title: 'Ydelsens rolle i et trin',
      description: 'preferred (anbefales) | alternative | exception (kun undtagelsesvist: begrundelsen noteres) | supplement (sætter ikke trinnet) | companion (samme dag som den ydelse, relatedAction peger på; tæller som én med den).',
      context: 'PlanDefinition.action.action', valueType: 'code',
    }),
    extension({
      id: 'course-follow-up', url: DefinitionExtension.followUp, name: 'CourseFollowUp', title: 'Opfølgningens måldatoer',
      description: 'Måldatoerne for opfølgning (den afsluttende konsultations dato + måneder) og hvor langt en opfølgning må ligge fra sin måldato.',
      context: 'PlanDefinition.action', parts: FOLLOW_UP,
    }),
    extension({
      id: 'course-final-due', url: DefinitionExtension.finalDue, name: 'CourseFinalDue', title: 'Hvornår afslutningen er aktuel',
      description: 'Afslutningen er aktuel på indgangen + N dage, eller når den N-te af en ydelse er talt med (N = 1: fra den første).',
      context: 'PlanDefinition', parts: FINAL_DUE,
    }),
    extension({
      id: 'instrument-scoring', url: DefinitionExtension.instrument, name: 'InstrumentScoring', title: 'Hvordan et spørgeskema genkendes og scores',
      description: 'Spørgeskemaets koder, område, retning, scoringsmetode (procent af maksimum over besvarede spørgsmål, gennemsnit over identificerede aktiviteter, ét spørgsmål, delskalaer 0-100), afrunding og klinisk relevant ændring.',
      context: 'Questionnaire', parts: SCORING,
    }),
  ];
}
