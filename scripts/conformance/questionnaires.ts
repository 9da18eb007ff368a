/** Questionnaires for ODI, PSFS and NPRS, with the linkIds and texts of src/instruments. */
import type { Extension, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { CodeSystemUrl, ExternalSystem, Loinc, PUBLIC_ODI_QUESTIONNAIRE_URL, QuestionnaireUrl } from '../../src/canonical.js';
import { DefinitionExtension } from '../../src/fhir/definitions/extension-urls.js';
import { InstrumentCode, ODI_ANSWER_SYSTEM } from '../../src/instruments/codes.js';
import { NPRS_LINK_ID, ODI_LINK_IDS, ODI_SCORE_LINK_ID, PSFS_SCORE_LINK_ID, PSFS_SLOTS } from '../../src/instruments/link-ids.js';
import { ODI_SEX_LIFE_SECTION } from '../../src/instruments/odi.js';
import {
  InstrumentName,
  NprsText,
  ODI_LICENCE_NOTE,
  ODI_SECTION_TITLES,
  OdiText,
  PsfsText,
  odiStatementPlaceholder,
  type Bilingual,
} from '../../src/instruments/texts.js';
import { commonMetadata, english, MAX_VALUE_EXTENSION, MIN_VALUE_EXTENSION } from './common.js';

const text = (t: Bilingual): Pick<QuestionnaireItem, 'text' | '_text'> => ({ text: t.da, _text: english(t) });

const integerRange = (min: number, max: number) => [
  { url: MIN_VALUE_EXTENSION, valueInteger: min },
  { url: MAX_VALUE_EXTENSION, valueInteger: max },
];

/**
 * How each instrument is recognised and scored (extension instrument-scoring): the one place its numbers are stated
 * (range, rounding, minimum answered, clinically important change; instruments.md).
 */
interface Scoring {
  readonly id: string;
  readonly order: number;
  readonly short: string;
  readonly method: 'percent-of-max' | 'mean-of-activities' | 'single-item' | 'subscales';
  readonly min: number;
  readonly max: number;
  readonly higherIsBetter: boolean;
  readonly decimals: number;
  readonly unit?: string;
  readonly minAnswered?: number;
  readonly changePoints: number;
  readonly changePercent?: number;
  readonly itemChangePoints?: number;
  readonly roundingTolerance: number;
  readonly scoreCodes: readonly { system: string; code: string }[];
  readonly aliases?: readonly string[];
}

function scoringExtension(s: Scoring): Extension {
  const parts: Extension[] = [
    { url: 'id', valueId: s.id },
    { url: 'order', valueInteger: s.order },
    { url: 'short', valueString: s.short },
    { url: 'method', valueCode: s.method },
    { url: 'min', valueDecimal: s.min },
    { url: 'max', valueDecimal: s.max },
    { url: 'higherIsBetter', valueBoolean: s.higherIsBetter },
    { url: 'decimals', valueInteger: s.decimals },
    ...(s.unit ? [{ url: 'unit', valueString: s.unit }] : []),
    ...(s.minAnswered !== undefined ? [{ url: 'minAnswered', valueInteger: s.minAnswered }] : []),
    { url: 'changePoints', valueDecimal: s.changePoints },
    ...(s.changePercent !== undefined ? [{ url: 'changePercent', valueDecimal: s.changePercent }] : []),
    ...(s.itemChangePoints !== undefined ? [{ url: 'itemChangePoints', valueDecimal: s.itemChangePoints }] : []),
    { url: 'roundingTolerance', valueDecimal: s.roundingTolerance },
    ...s.scoreCodes.map((c) => ({ url: 'scoreCode', valueCoding: { ...c } })),
    ...(s.aliases ?? []).map((a) => ({ url: 'alias', valueCanonical: a })),
  ];
  return { url: DefinitionExtension.instrument, extension: parts };
}

function questionnaire(args: {
  id: string;
  scoring: Scoring;
  url: string;
  name: string;
  title: Bilingual;
  description: string;
  code: Questionnaire['code'];
  copyright?: string;
  item: QuestionnaireItem[];
}): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    id: args.id,
    language: 'da',
    extension: [scoringExtension(args.scoring)],
    url: args.url,
    ...commonMetadata,
    name: args.name,
    title: args.title.da,
    _title: english(args.title),
    subjectType: ['Patient'],
    description: args.description,
    ...(args.copyright ? { copyright: args.copyright } : {}),
    code: args.code,
    item: args.item,
  };
}

function odi(): Questionnaire {
  const sections: QuestionnaireItem[] = ODI_LINK_IDS.map((linkId, i) => ({
    linkId,
    ...text(ODI_SECTION_TITLES[i]!),
    type: 'choice',
    // The sex-life section may be skipped; scoring treats a skip as missing (instruments.md).
    required: i !== ODI_SEX_LIFE_SECTION,
    answerOption: [0, 1, 2, 3, 4, 5].map((k) => {
      const placeholder = odiStatementPlaceholder(k);
      return {
        valueCoding: {
          extension: [{ url: ExternalSystem.ordinalValueExtension, valueDecimal: k }],
          system: ODI_ANSWER_SYSTEM,
          code: String(k),
          display: placeholder.da,
          _display: english(placeholder),
        },
      };
    }),
  }));
  return questionnaire({
    id: 'odi',
    // Ostelo et al. 2008: >= 10 points or >= 30 % of baseline; at least 9 of 10 sections answered.
    scoring: {
      id: 'odi', order: 1, short: 'ODI', method: 'percent-of-max', min: 0, max: 100, higherIsBetter: false, decimals: 0,
      unit: '%', minAnswered: 9, changePoints: 10, changePercent: 30, roundingTolerance: 1,
      scoreCodes: [{ system: ExternalSystem.loinc, code: Loinc.odiTotal }, { system: CodeSystemUrl.instrument, code: InstrumentCode.odi }],
      aliases: [PUBLIC_ODI_QUESTIONNAIRE_URL],
    },
    url: QuestionnaireUrl.odi,
    name: 'OswestryDisabilityIndex',
    title: InstrumentName.odi,
    description:
      'Oswestry Disability Index 2.1a: 10 afsnit med seks udsagn hver, scoret 0-5; samlet score i procent. ' +
      `${ODI_LICENCE_NOTE.da} Svarene scores ud fra ordinalværdien (extension ordinalValue) eller koden i ${ODI_ANSWER_SYSTEM}, aldrig ud fra teksten.`,
    copyright: ODI_LICENCE_NOTE.en,
    code: [{ system: ExternalSystem.loinc, code: Loinc.odiPanel, display: 'Oswestry Disability Index' }],
    item: [
      ...sections,
      {
        linkId: ODI_SCORE_LINK_ID,
        code: [{ system: ExternalSystem.loinc, code: Loinc.odiTotal, display: 'Oswestry Disability Index score' }],
        ...text(OdiText.score),
        type: 'decimal',
        readOnly: true,
      },
    ],
  });
}

function psfs(): Questionnaire {
  const slots: QuestionnaireItem[] = PSFS_SLOTS.map((s) => ({
    linkId: s.group,
    ...text(PsfsText.slot(s.slot)),
    type: 'group',
    // The first activity is the minimum for a score; the others are optional.
    required: s.slot === 1,
    item: [
      { linkId: s.activity, ...text(PsfsText.activity), type: 'string', required: s.slot === 1 },
      {
        linkId: s.score,
        extension: integerRange(0, 10),
        code: [{ system: CodeSystemUrl.instrument, code: `psfs-${s.slot}`, display: `PSFS aktivitet ${s.slot}` }],
        ...text(PsfsText.score),
        type: 'integer',
        required: s.slot === 1,
        enableWhen: [{ question: s.activity, operator: 'exists', answerBoolean: true }],
      },
    ],
  }));
  return questionnaire({
    id: 'psfs',
    // Stratford et al. 1995: 2 points on the mean, 3 points on one activity.
    scoring: {
      id: 'psfs', order: 2, short: 'PSFS', method: 'mean-of-activities', min: 0, max: 10, higherIsBetter: true, decimals: 1,
      changePoints: 2, itemChangePoints: 3, roundingTolerance: 0.1,
      scoreCodes: [{ system: CodeSystemUrl.instrument, code: InstrumentCode.psfs }],
    },
    url: QuestionnaireUrl.psfs,
    name: 'PatientSpecificFunctionalScale',
    title: InstrumentName.psfs,
    description:
      'Patient Specifik Funktionel Skala: op til fem aktiviteter, hver vurderet 0 (kan ikke) til 10 (som før ' +
      'problemet); scoren er gennemsnittet. Hver aktivitet genkendes på sin tekst (ikke sin plads), så den samme aktivitet ' +
      'genvurderes ved 0267 og 0268.',
    code: [{ system: CodeSystemUrl.instrument, code: InstrumentCode.psfs, display: 'PSFS gennemsnitsscore' }],
    item: [
      { linkId: 'psfs-intro', ...text(PsfsText.intro), type: 'display' },
      ...slots,
      {
        linkId: PSFS_SCORE_LINK_ID,
        code: [{ system: CodeSystemUrl.instrument, code: InstrumentCode.psfs, display: 'PSFS gennemsnitsscore' }],
        ...text(PsfsText.mean),
        type: 'decimal',
        readOnly: true,
      },
    ],
  });
}

function nprs(): Questionnaire {
  const code = [{ system: ExternalSystem.loinc, code: Loinc.nprs, display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' }];
  return questionnaire({
    id: 'nprs',
    // 2 points or 30 % (instruments.md).
    scoring: {
      id: 'nprs', order: 3, short: 'NPRS', method: 'single-item', min: 0, max: 10, higherIsBetter: false, decimals: 1,
      changePoints: 2, changePercent: 30, roundingTolerance: 0.1,
      scoreCodes: [{ system: ExternalSystem.loinc, code: Loinc.nprs }, { system: CodeSystemUrl.instrument, code: InstrumentCode.nprs }],
    },
    url: QuestionnaireUrl.nprs,
    name: 'NumericPainRatingScale',
    title: InstrumentName.nprs,
    description: 'Numerisk smerteskala: ét spørgsmål, 0 (ingen smerter) til 10 (værst tænkelige smerter).',
    code,
    item: [{ linkId: NPRS_LINK_ID, extension: integerRange(0, 10), code, ...text(NprsText.item), type: 'integer', required: true }],
  });
}

export function questionnaireResources(): Questionnaire[] {
  return [odi(), psfs(), nprs()];
}
