/** Entry point for callers that fetch the Questionnaires the mapper does not know (see questionnaire-index.ts). */
export { findQuestionnaire, indexQuestionnaires, knownQuestionnaire, unknownQuestionnaireUrls } from './questionnaire-index.js';
