import { CodeSystemUrl, GUIDELINE_URL } from '../../canonical.js';
import type { Definitions } from '../../course/definitions/types.js';
import { RULE_IDS, type Evaluation, type Finding, type RuleId } from '../../course/types.js';
import { DATA_QUALITY_TEXT } from '../../fhir/data-quality.js';
import type { CdsCard, CdsLink, CdsSuggestion } from '../protocol-types.js';
import type { CardLanguage } from './card-language.js';
import type { CardRenderer } from './card-renderer.js';
import { proposedAppointment, questionnaireTask } from './card-resources.js';
import {
  ENGINE_ISSUE_TEXT,
  GENERIC_ISSUE_TEXT,
  LIMIT_RULES,
  RULE_TITLES,
  SCORE_RULES,
  SOURCE_LABEL,
  SUGGESTION_TEXT,
  overrideReasons,
  scoreOverrideReasons,
} from './card-text.js';
import { consultationDisplay, instrumentName } from './consultation-names.js';
import { formatFactValue } from './fact-text.js';
import { isLocalDateText } from './format.js';
import { rankedRecommendations } from './next-consultation-view.js';
import { buildViewModel, type IssueView } from './view-model.js';

/**
 * A data-quality issue as the FHIR mapper reports it. Structural, so that any issue with a kind can be listed:
 * the kinds of `src/fhir/data-quality.ts` get their sentence from DATA_QUALITY_TEXT, others a generic one.
 */
export interface CardDataQualityIssue {
  readonly kind: string;
  readonly resource?: string;
  readonly facts?: Readonly<Record<string, string | number | boolean>>;
}

export interface BuildCardsOptions {
  readonly lang: CardLanguage;
  readonly renderer: CardRenderer;
  /** UUID generator, injected so that tests can compare whole responses. */
  readonly newId: () => string;
  readonly patientId: string;
  /** The current Encounter's id (never an Appointment's): questionnaire Tasks point at it. */
  readonly encounterId?: string;
  readonly issues: readonly CardDataQualityIssue[];
  /** Overrides the card source label ('Strukturerede forløb, lænderyg'). */
  readonly serviceLabel?: string;
  /**
   * Launch URL of a SMART app that lets the patient or clinician fill in a questionnaire (configuration
   * `questionnaireAppUrl`): missing-score cards then carry a SMART link per missing instrument, whose appContext
   * names the Questionnaire's canonical URL.
   */
  readonly questionnaireAppUrl?: string;
  /** The active definitions (names of codes, instruments, course types); the shipped ones by default. */
  readonly definitions: Definitions;
}

const SCORE_RESOURCE_TYPES = new Set(['Observation', 'QuestionnaireResponse', 'Questionnaire', 'Goal']);
const SCORE_CARD_RULES: readonly RuleId[] = [...SCORE_RULES, 'outcome-change'];

/**
 * Cards for one evaluation (course-model.md, "When a card appears"): none without a course; one card per rule
 * with findings (its indicator the highest severity among them); exactly one next-consultation card. Warnings
 * come first, then the next-consultation card, then the other info cards, each group in rule order.
 */
export function buildCards(evaluation: Evaluation, options: BuildCardsOptions): CdsCard[] {
  if (!evaluation.hasCourse) return [];
  const { lang } = options;

  const byRule = new Map<RuleId, Finding[]>();
  for (const finding of evaluation.findings) {
    const list = byRule.get(finding.ruleId) ?? [];
    list.push(finding);
    byRule.set(finding.ruleId, list);
  }
  // next-consultation is issued whenever there is a course, with or without findings of its own.
  // A rule switched off in the configuration issues no card at all.
  const off = new Set(evaluation.switchedOff ?? []);
  if (!byRule.has('next-consultation') && !off.has('next-consultation')) byRule.set('next-consultation', []);
  for (const id of off) byRule.delete(id);
  const ruleIds = RULE_IDS.filter((id) => byRule.has(id));

  const issuesByRule = placeIssues(evaluation, options, ruleIds, byRule);
  const currentEncounterMissing = options.issues.some((i) => i.kind === 'current-encounter-not-found');

  const cards = ruleIds.map((ruleId) => {
    const findings = byRule.get(ruleId) ?? [];
    const viewModel = { ...buildViewModel(evaluation, ruleId, findings, lang, issuesByRule.get(ruleId) ?? [], options.definitions), currentEncounterMissing };
    const text = options.renderer.render(lang, ruleId, viewModel);
    // Never above info where the model says so, whatever a finding claims: next-consultation and outcome-change.
    const warning = viewModel.isWarning && ruleId !== 'next-consultation' && ruleId !== 'outcome-change';
    const suggestions = suggestionsFor(ruleId, evaluation, findings, options, viewModel.missingInstruments);
    const links = [...questionnaireLinks(ruleId, findings, options, viewModel.missingInstruments), ...timelineLink(ruleId, options)];
    const card: CdsCard = {
      uuid: options.newId(),
      summary: text.summary,
      indicator: warning ? 'warning' : 'info',
      ...(text.detail !== '' ? { detail: text.detail } : {}),
      source: {
        label: options.serviceLabel && options.serviceLabel.trim() !== '' ? options.serviceLabel : SOURCE_LABEL[lang],
        url: GUIDELINE_URL,
        topic: { system: CodeSystemUrl.cardTopic, code: ruleId, display: RULE_TITLES[ruleId][lang] },
      },
      ...(suggestions ?? {}),
      ...(LIMIT_RULES.has(ruleId) ? { overrideReasons: overrideReasons(lang) } : {}),
      ...(SCORE_RULES.has(ruleId) ? { overrideReasons: scoreOverrideReasons(lang) } : {}),
      ...(links.length > 0 ? { links } : {}),
    };
    return card;
  });

  const rank = (card: CdsCard): number =>
    card.indicator === 'warning' ? 0 : card.source.topic?.code === 'next-consultation' ? 1 : 2;
  // Array.prototype.sort is stable: rule order is kept within each group.
  return cards.sort((a, b) => rank(a) - rank(b));
}

function questionnaireLinks(
  ruleId: RuleId,
  findings: readonly Finding[],
  options: BuildCardsOptions,
  missingInstruments: readonly string[],
): CdsLink[] {
  const app = options.questionnaireAppUrl;
  if (!app || !SCORE_RULES.has(ruleId) || findings.some((f) => f.kind === 'unavailable')) return [];
  const defs = options.definitions;
  return missingInstruments.flatMap((instrument) => {
    const questionnaire = defs.instruments.get(instrument)?.questionnaires[0];
    if (questionnaire === undefined) return [];
    // The app opens the form of this instrument for this consultation (the launch context gives the patient).
    return [{
      label: SUGGESTION_TEXT[options.lang].openForm(instrumentName(instrument, options.lang, defs).long),
      url: app,
      type: 'smart' as const,
      appContext: JSON.stringify({
        view: 'questionnaire',
        instrument,
        questionnaire,
        patient: options.patientId,
        ...(options.encounterId ? { encounter: options.encounterId } : {}),
      }),
    }];
  });
}

/** The next-consultation card links to the course timeline in the same app. */
function timelineLink(ruleId: RuleId, options: BuildCardsOptions): CdsLink[] {
  if (!options.questionnaireAppUrl || ruleId !== 'next-consultation') return [];
  return [{
    label: SUGGESTION_TEXT[options.lang].openTimeline,
    url: options.questionnaireAppUrl,
    type: 'smart',
    appContext: JSON.stringify({ view: 'timeline', patient: options.patientId, ...(options.encounterId ? { encounter: options.encounterId } : {}) }),
  }];
}

function suggestionsFor(
  ruleId: RuleId,
  evaluation: Evaluation,
  findings: readonly Finding[],
  options: BuildCardsOptions,
  missingInstruments: readonly string[],
): Pick<CdsCard, 'suggestions' | 'selectionBehavior'> | undefined {
  const text = SUGGESTION_TEXT[options.lang];
  const defs = options.definitions;
  if (ruleId === 'next-consultation') {
    const suggestions: CdsSuggestion[] = rankedRecommendations(evaluation).map((rec, index) => {
      const name = consultationDisplay(rec.code, options.lang, defs);
      const target = rec.facts['targetDate'];
      return {
        label: text.book(name),
        uuid: options.newId(),
        ...(index === 0 ? { isRecommended: true } : {}),
        actions: [
          {
            type: 'create',
            description: text.bookAction(name),
            resource: proposedAppointment(rec.code, options.patientId, options.lang, defs, typeof target === 'string' && isLocalDateText(target) ? target : undefined),
          },
        ],
      };
    });
    return suggestions.length > 0 ? { suggestions, selectionBehavior: 'at-most-one' } : undefined;
  }
  if (SCORE_RULES.has(ruleId) && !findings.some((f) => f.kind === 'unavailable')) {
    const suggestions: CdsSuggestion[] = missingInstruments.flatMap((instrument) => {
      if (!defs.instruments.has(instrument)) return [];
      const name = instrumentName(instrument, options.lang, defs).long;
      return [
        {
          label: text.task(name),
          uuid: options.newId(),
          actions: [
            {
              type: 'create',
              description: text.taskAction(name),
              resource: questionnaireTask(instrument, options.patientId, options.lang, defs, options.encounterId),
            },
          ],
        },
      ];
    });
    return suggestions.length > 0 ? { suggestions, selectionBehavior: 'any' } : undefined;
  }
  return undefined;
}

/**
 * Each data-quality issue goes to the card it concerns: the card whose findings name the record; else, for a
 * score record, the first score card; else the next-consultation card, which is always there.
 */
function placeIssues(
  evaluation: Evaluation,
  options: BuildCardsOptions,
  ruleIds: readonly RuleId[],
  byRule: ReadonlyMap<RuleId, readonly Finding[]>,
): Map<RuleId, IssueView[]> {
  const placed = new Map<RuleId, IssueView[]>();
  const add = (ruleId: RuleId, view: IssueView): void => {
    const list = placed.get(ruleId) ?? [];
    list.push(view);
    placed.set(ruleId, list);
  };
  const target = (resourceType: string | undefined, id: string | undefined): RuleId => {
    if (id !== undefined) {
      const owner = ruleIds.find((r) => (byRule.get(r) ?? []).some((f) => f.consultationIds.includes(id)));
      if (owner) return owner;
    }
    if (resourceType !== undefined && SCORE_RESOURCE_TYPES.has(resourceType)) {
      const scoreCard = SCORE_CARD_RULES.find((r) => ruleIds.includes(r));
      if (scoreCard) return scoreCard;
    }
    return 'next-consultation';
  };

  for (const issue of options.issues) {
    const [type, id] = splitReference(issue.resource);
    const known = (DATA_QUALITY_TEXT as Readonly<Record<string, { da: string; en: string }>>)[issue.kind];
    const facts = issue.facts ? formatFactValue(issue.facts, options.lang, '', options.definitions) : '';
    add(target(type, id), {
      text: known ? known[options.lang] : GENERIC_ISSUE_TEXT[options.lang],
      ...(issue.resource ? { resource: issue.resource } : {}),
      ...(facts !== '' ? { facts } : {}),
    });
  }
  for (const issue of evaluation.dataQuality ?? []) {
    const isScore = issue.code === 'unknown-instrument' || issue.code === 'invalid-value';
    add(target(isScore ? 'Observation' : undefined, issue.recordId), {
      text: ENGINE_ISSUE_TEXT[issue.code][options.lang],
      ...(issue.recordId ? { resource: issue.recordId } : {}),
    });
  }
  return placed;
}

function splitReference(reference: string | undefined): [string | undefined, string | undefined] {
  if (!reference) return [undefined, undefined];
  const parts = reference.split('/');
  if (parts.length >= 2) return [parts[parts.length - 2], parts[parts.length - 1]];
  return [undefined, reference];
}
