/** The structured-course engine: pure evaluation of one course by its definition (no FHIR, no HTTP, no clock). */
export * from './types.js';
export * from './config.js';
export * from './dates.js';
export * from './definitions/types.js';
export { activeDefinitions, type ActiveCourseView, type ActiveDefinitionsView } from './definitions/active.js';
export { evaluateCourse, splitIntoCourses, RULES, InvalidReferenceDateError, type Rule } from './evaluate.js';
export {
  buildContext, isCounted, compareConsultations, findEntry, limitWindow, milestoneStep, ofCodes, openingCodes, type RuleContext, type CourseEntry,
} from './context.js';
export { nextConsultation, currentStep } from './next-consultation.js';
export { finalDue, type FinalDue } from './final-due.js';
export { summarizeOutcome, changeFacts } from './outcome.js';
export { courseProgress } from './progress.js';
export { followUpMax, matchFollowUps, followUpTargets, type FollowUpTarget, type FollowUpMatch } from './rules/follow-up-timing.js';
export { isDayCompliant, dayAllowance, type DayAllowance } from './rules/one-per-day.js';
