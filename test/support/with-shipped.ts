/**
 * The card, mapping and discovery functions with the shipped definitions filled in, for tests. In src/ every caller
 * passes the active definitions (a forgotten one would silently state the shipped numbers); tests of the shipped
 * courses use these.
 */
import type { Definitions, Evaluation, Finding, RuleId } from '../../src/course/index.js';
import { buildCards as build, type BuildCardsOptions } from '../../src/cds/cards/build-cards.js';
import { createCardRenderer as renderer, type CardRendererOptions } from '../../src/cds/cards/card-renderer.js';
import type { CardLanguage } from '../../src/cds/cards/card-language.js';
import { buildViewModel as viewModel, type IssueView } from '../../src/cds/cards/view-model.js';
import { discoveryDocument as discovery } from '../../src/cds/services.js';
import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';
import { toConsultation as consultation, toProposedConsultation as proposed } from '../../src/fhir/map/consultation.js';
import { mapCourse as map, type CourseMappingInput } from '../../src/fhir/map/map-course.js';
import { toScoreRecords as scoreRecords } from '../../src/fhir/map/observation.js';
import { unknownQuestionnaireUrls as unknownUrls } from '../../src/fhir/map/questionnaire-index.js';
import { scoreQuestionnaireResponse as scoreResponse, type ScoringOptions } from '../../src/fhir/map/questionnaire-response.js';

type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
const defs = SHIPPED_DEFINITIONS;

export const createCardRenderer = (o: Optional<CardRendererOptions, 'definitions'>) => renderer({ definitions: defs, ...o });
export const buildCards = (e: Evaluation, o: Optional<BuildCardsOptions, 'definitions'>) => build(e, { definitions: defs, ...o });
export const buildViewModel = (e: Evaluation, r: RuleId, f: readonly Finding[], l: CardLanguage, d: readonly IssueView[], x: Definitions = defs) =>
  viewModel(e, r, f, l, d, x);
export const discoveryDocument = (lang: 'da' | 'en' = 'da', x: Definitions = defs) => discovery(lang, x);
export const mapCourse = (i: Optional<CourseMappingInput, 'definitions'>) => map({ definitions: defs, ...i } as CourseMappingInput);
export const toConsultation = (e: unknown, o: Partial<Parameters<typeof consultation>[1]> = {}) => consultation(e, { definitions: defs, ...o });
export const toProposedConsultation = (a: unknown, o: { current?: boolean } = {}) => proposed(a, { definitions: defs, ...o });
export const toScoreRecords = (o: unknown, x: Definitions = defs) => scoreRecords(o, x);
export const unknownQuestionnaireUrls = (r: unknown, k: unknown, x: Definitions = defs) => unknownUrls(r, k, x);
export const scoreQuestionnaireResponse = (qr: unknown, qs: readonly unknown[] = [], o: ScoringOptions = { definitions: defs }) => scoreResponse(qr, qs, o);
