import { DEFAULT_RULES, type CourseConfig } from '../../course/config.js';
import type { Definitions } from '../../course/definitions/types.js';
import { loadDefinitions } from './load.js';
import { SHIPPED_DEFINITIONS_DIR } from './shipped-dir.js';

export { SHIPPED_DEFINITIONS_DIR };

/**
 * Read once, when first imported. A shipped definition with a problem is a defect of this repository, so it throws
 * (the test suite fails on it long before a clinic could start the service).
 */
export const SHIPPED_DEFINITIONS: Definitions = loadDefinitions([SHIPPED_DEFINITIONS_DIR]);

/** The engine's configuration with nothing configured: the shipped definitions, every rule on. */
export const DEFAULT_COURSE_CONFIG: CourseConfig = { definitions: SHIPPED_DEFINITIONS, rules: DEFAULT_RULES };
