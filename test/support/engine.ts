/**
 * The engine with the shipped definitions as the default configuration, for tests. The engine itself takes its
 * configuration as an argument (src/course never reads FHIR files); here the shipped definitions are loaded once.
 */
import {
  evaluateCourse as evaluate, parseCourseConfig as parse, splitIntoCourses as split, milestoneStep,
  type Consultation, type CourseConfig, type CourseHistory, type Definitions, type Evaluation, type LocalDate,
} from '../../src/course/index.js';
import { DEFAULT_COURSE_CONFIG, SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

export { DEFAULT_COURSE_CONFIG, SHIPPED_DEFINITIONS };

export const evaluateCourse = (history: CourseHistory, referenceDate: LocalDate, config: CourseConfig = DEFAULT_COURSE_CONFIG): Evaluation =>
  evaluate(history, referenceDate, config);

export const parseCourseConfig = (json: unknown, base: Definitions = SHIPPED_DEFINITIONS): CourseConfig => parse(json, base);

export const splitIntoCourses = (consultations: readonly Consultation[]): Consultation[][] =>
  split(consultations, milestoneStep(SHIPPED_DEFINITIONS.common, 'entry'));
