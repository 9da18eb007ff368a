/**
 * PlanDefinitions for the three example courses and one ActivityDefinition per consultation code
 * (course-model.md). Actions are the steps in order; timing and the rules' default limits are data on the actions
 * (Timing, relatedAction offsets, and our course-limit extension), so anyone can read the plan from FHIR alone.
 */
import type { ActivityDefinition, DataRequirement, PlanDefinition, PlanDefinitionAction } from 'fhir/r4.js';
import { CodeSystemUrl, GUIDELINE_URL, PlanDefinitionUrl } from '../../src/canonical.js';
import { CONSULTATION_CODES, type ConsultationCode, type CourseType, type Instrument } from '../../src/course/types.js';
import { ScoreObservationCodes } from '../../src/instruments/codes.js';
import { ActivityDefinitionUrl, commonMetadata, days, limitExtension, months, type LimitData } from './common.js';
import { CONSULTATIONS, COURSES } from './terminology.js';

/** Defaults of course-model.md's rule table. */
const Defaults = {
  educationMax: 2,
  individualTraining: { max: 6, windowMonths: 3 },
  groupTraining: { max: 6, perIsoWeek: 1 },
  followUp: { max: 2, targetsMonths: [3, 9], toleranceDays: 28 },
  baselineLookBackDays: 30,
  finalLookBackDays: 14,
  followUpLookBackDays: 14,
  finalDueDays: { recurrent: 56, persistent: 84 },
} as const;

const coding = (code: ConsultationCode) => ({ system: CodeSystemUrl.consultation, code, display: CONSULTATIONS[code].name.da });

function scoreInput(instrument: Instrument, lookBackDays: number): DataRequirement {
  return {
    type: 'Observation',
    codeFilter: [{ path: 'code', code: ScoreObservationCodes[instrument].map((c) => ({ ...c })) }],
    dateFilter: [{ path: 'effective', valueDuration: days(lookBackDays) }],
  };
}

function consultation(code: ConsultationCode, id: string, extra: Partial<PlanDefinitionAction> = {}): PlanDefinitionAction {
  const { extension, ...rest } = extra;
  return {
    id,
    ...(extension ? { extension } : {}),
    title: `${code} ${CONSULTATIONS[code].name.da}`,
    code: [{ coding: [coding(code)] }],
    definitionCanonical: ActivityDefinitionUrl(code),
    ...rest,
  };
}

const limit = (data: LimitData) => ({ extension: [limitExtension(data)] });
const after = (actionId: string) => ({ actionId, relationship: 'after' as const });

function entry(baseline: readonly Instrument[]): PlanDefinitionAction {
  return {
    id: 'entry',
    title: 'Indgang',
    description:
      'Forløbets indgang: 0110, eller 0261 for en patient i et aktuelt forløb, eller 0110 og 0262 samme dag (tæller som én indgang). ' +
      `Spørgeskemaer udfyldes inden konsultationen: ${baseline.map((i) => i.toUpperCase()).join(' og ')}.`,
    input: baseline.map((i) => scoreInput(i, Defaults.baselineLookBackDays)),
    groupingBehavior: 'logical-group',
    selectionBehavior: 'exactly-one',
    action: [
      consultation('0110', 'entry-0110'),
      consultation('0261', 'entry-0261'),
      {
        id: 'entry-0110-0262',
        title: '0110 og 0262 samme dag',
        groupingBehavior: 'logical-group',
        selectionBehavior: 'all',
        action: [
          consultation('0110', 'entry-0110-0262-0110'),
          consultation('0262', 'entry-0110-0262-0262', {
            relatedAction: [{ actionId: 'entry-0110-0262-0110', relationship: 'concurrent-with-start' }],
          }),
        ],
      },
    ],
  };
}

function individualTraining(previous: string, plan: { count: number; countMax: number }): PlanDefinitionAction {
  const { max, windowMonths } = Defaults.individualTraining;
  return consultation('0266', 'individual-training', {
    ...limit({ max, window: months(windowMonths), anchor: 'entry' }),
    description: `Individuel superviseret træning, ${plan.count}-${plan.countMax} gange; højst ${max} inden for ${windowMonths} måneder fra indgangen.`,
    relatedAction: [after(previous)],
    timingTiming: { repeat: { count: plan.count, countMax: plan.countMax, boundsDuration: months(windowMonths) } },
  });
}

function supplement(): PlanDefinitionAction {
  return consultation('0269', 'manual-treatment', {
    description: 'Supplerende manuel behandling efter behov; sætter ikke forløbets trin.',
    requiredBehavior: 'could',
    cardinalityBehavior: 'multiple',
    relatedAction: [{ actionId: 'individual-training', relationship: 'concurrent' }],
  });
}

function selfTraining(previous: string): PlanDefinitionAction {
  return consultation('0113', 'self-training', {
    description: 'Superviseret selvtræning på klinikken, indtil patienten kan træne selv.',
    cardinalityBehavior: 'multiple',
    relatedAction: [after(previous)],
  });
}

function final(previous: string, due: PlanDefinitionAction['relatedAction']): PlanDefinitionAction {
  return consultation('0267', 'final', {
    ...limit({ max: 1 }),
    description: 'Afsluttende konsultation: ODI og PSFS igen, opfølgning på funktionstest, plan for fortsat træning, epikrise til egen læge.',
    input: (['odi', 'psfs'] as const).map((i) => scoreInput(i, Defaults.finalLookBackDays)),
    cardinalityBehavior: 'single',
    relatedAction: [after(previous), ...(due ?? [])],
  });
}

function followUps(): PlanDefinitionAction[] {
  const { max, targetsMonths, toleranceDays } = Defaults.followUp;
  return targetsMonths.map((m) =>
    consultation('0268', `follow-up-${m}`, {
      ...limit({ max, tolerance: days(toleranceDays) }),
      description: `Opfølgende konsultation ca. ${m} måneder efter 0267 (±${toleranceDays} dage): status, tjek af spørgeskemaer, justering af øvelser.`,
      input: (['odi', 'psfs'] as const).map((i) => scoreInput(i, Defaults.followUpLookBackDays)),
      requiredBehavior: 'could',
      cardinalityBehavior: 'single',
      relatedAction: [{ actionId: 'final', relationship: 'after-end', offsetDuration: months(m) }],
    }),
  );
}

const educationTiming = { timingTiming: { repeat: { count: 1, countMax: Defaults.educationMax } } };

function steps(type: CourseType): PlanDefinitionAction[] {
  switch (type) {
    case 'self-training':
      return [
        entry(['odi', 'nprs']),
        consultation('0265', 'education', {
          ...limit({ max: Defaults.educationMax }),
          description: 'Individuel patientuddannelse, 1-2 gange.',
          relatedAction: [after('entry')],
          ...educationTiming,
        }),
        individualTraining('education', { count: 1, countMax: 2 }),
        selfTraining('individual-training'),
        final('self-training', [{ actionId: 'self-training', relationship: 'after-start' }]),
        ...followUps(),
      ];
    case 'recurrent': {
      const { max, perIsoWeek } = Defaults.groupTraining;
      return [
        entry(['odi', 'psfs']),
        {
          id: 'education',
          ...limit({ max: Defaults.educationMax }),
          title: 'Patientuddannelse',
          description: 'Patientuddannelse på hold (0263), hvor klinikken har patienter nok; ellers individuelt (0265). Højst 2 i alt.',
          relatedAction: [after('entry')],
          ...educationTiming,
          groupingBehavior: 'logical-group',
          selectionBehavior: 'any',
          action: [
            consultation('0263', 'education-group', { precheckBehavior: 'yes' }),
            consultation('0265', 'education-individual', { precheckBehavior: 'no' }),
          ],
        },
        individualTraining('education', { count: 1, countMax: Defaults.individualTraining.max }),
        supplement(),
        consultation('0264', 'group-training', {
          ...limit({ max, maxPerIsoWeek: perIsoWeek }),
          description: `Superviseret træning på hold, ${perIsoWeek} gang ugentligt i ${max} uger.`,
          relatedAction: [after('individual-training')],
          timingTiming: { repeat: { count: max, frequency: perIsoWeek, period: 1, periodUnit: 'wk' } },
        }),
        final('group-training', [
          { actionId: 'entry', relationship: 'after-start', offsetDuration: days(Defaults.finalDueDays.recurrent) },
        ]),
        ...followUps(),
      ];
    }
    case 'persistent':
      return [
        entry(['odi', 'psfs']),
        consultation('0265', 'education', {
          ...limit({ max: Defaults.educationMax }),
          description: 'Individuel patientuddannelse, kan tilbydes to gange; individuelt kun undtagelsesvist, når hold ikke er muligt.',
          relatedAction: [after('entry')],
          ...educationTiming,
        }),
        individualTraining('education', { count: 1, countMax: Defaults.individualTraining.max }),
        supplement(),
        selfTraining('individual-training'),
        final('self-training', [
          { actionId: 'entry', relationship: 'after-start', offsetDuration: days(Defaults.finalDueDays.persistent) },
        ]),
        ...followUps(),
      ];
  }
}

const PLAN_NAMES: Readonly<Record<CourseType, string>> = {
  'self-training': 'CourseSelfTraining',
  recurrent: 'CourseRecurrent',
  persistent: 'CoursePersistent',
};

function planDefinition(type: CourseType): PlanDefinition {
  const course = COURSES[type];
  return {
    resourceType: 'PlanDefinition',
    id: `course-${type}`,
    language: 'da',
    url: PlanDefinitionUrl[type],
    ...commonMetadata,
    name: PLAN_NAMES[type],
    title: `Struktureret forløb: ${course.name.da}`,
    type: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/plan-definition-type', code: 'clinical-protocol', display: 'Clinical Protocol' }],
    },
    description: `${course.definition} Trinene er handlingerne i rækkefølge; grænserne er standardværdier, som kan konfigureres.`,
    useContext: [
      {
        code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' },
        valueCodeableConcept: { coding: [{ system: CodeSystemUrl.courseType, code: type, display: course.name.da }] },
      },
    ],
    relatedArtifact: [{ type: 'documentation', label: 'Strukturerede forløb', url: GUIDELINE_URL }],
    action: steps(type),
  };
}

function activityDefinition(code: ConsultationCode): ActivityDefinition {
  const c = CONSULTATIONS[code];
  return {
    resourceType: 'ActivityDefinition',
    id: `consultation-${code}`,
    language: 'da',
    url: ActivityDefinitionUrl(code),
    ...commonMetadata,
    name: `Consultation${code}`,
    title: `${code} ${c.name.da}`,
    description: c.definition,
    kind: 'Appointment',
    code: { coding: [coding(code)] },
    participant: [{ type: 'patient' }, { type: 'practitioner' }],
  };
}

export function planResources(): (PlanDefinition | ActivityDefinition)[] {
  return [
    ...(Object.keys(PLAN_NAMES) as CourseType[]).map(planDefinition),
    ...CONSULTATION_CODES.map(activityDefinition),
  ];
}
