export { CourseConfigError, DEFAULT_COURSE_CONFIG, RULE_IDS, courseConfigSchema, parseCourseConfig } from '../../src/course/index.js';
export { DEFAULT_CHANGE_THRESHOLDS as DEFAULT_CHANGE_THRESHOLDS_FOR_TEST } from '../../src/instruments/change.js';
