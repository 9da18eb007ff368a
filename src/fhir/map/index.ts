export { mapCourse, type CourseHook, type CourseMapping, type CourseMappingInput } from './map-course.js';
export { toConsultation, toProposedConsultation, type ToConsultationOptions } from './consultation.js';
export { toScoreRecords, readScoreObservation, type ObservationScore } from './observation.js';
export { scoreQuestionnaireResponse } from './questionnaire-response.js';
export { unknownQuestionnaireUrls } from './questionnaire-index.js';
export { parseFhirDate, toLocalDate } from './local-date.js';
export type { MapResult } from './map-result.js';
