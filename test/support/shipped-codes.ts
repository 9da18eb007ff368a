import { SHIPPED_DEFINITIONS } from '../../src/fhir/definitions/shipped.js';

/** The shipped definitions' codes, course types and instruments, for tests that walk all of them. */
export const CONSULTATION_CODES: readonly string[] = [...SHIPPED_DEFINITIONS.codes.keys()];
export const COURSE_TYPES: readonly string[] = [...SHIPPED_DEFINITIONS.courses.keys()];
export const INSTRUMENTS: readonly string[] = [...SHIPPED_DEFINITIONS.instruments.keys()];
