/** The structured-course engine: pure evaluation of one course (no FHIR, no HTTP, no clock). */
export * from './types.js';
export * from './catalogue.js';
export * from './course-types.js';
export * from './config.js';
export * from './dates.js';
export { evaluateCourse, splitIntoCourses, RULES, InvalidReferenceDateError, type Rule } from './evaluate.js';
export { buildContext, isCounted, compareConsultations, findEntry, type RuleContext, type CourseEntry } from './context.js';
export { nextConsultation, currentStep } from './next-consultation.js';
export { finalDue, type FinalDue } from './final-due.js';
export { summarizeOutcome, changeFacts } from './outcome.js';
export { courseProgress } from './progress.js';
export { matchFollowUps, followUpTargets, type FollowUpTarget, type FollowUpMatch } from './rules/follow-up-timing.js';
export { isDayCompliant } from './rules/one-per-day.js';
