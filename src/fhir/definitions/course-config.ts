import { resolve } from 'node:path';
import { CourseConfigError, parseCourseConfig, type CourseConfig } from '../../course/config.js';
import { DefinitionsError, loadDefinitions } from './load.js';
import { SHIPPED_DEFINITIONS, SHIPPED_DEFINITIONS_DIR } from './shipped.js';

/**
 * The engine's configuration from CDS_CONFIG's `course` object: the shipped definitions plus any folders of JSON
 * definition files it names (`course.definitions`, relative to the project root), validated together, then the
 * overrides applied. Every problem goes to `problems` (the caller refuses to start, exit 78).
 */
export function loadCourseConfig(json: unknown, projectRoot: string, problems: string[]): CourseConfig | undefined {
  const folders = (json as { definitions?: unknown } | null | undefined)?.definitions;
  let base = SHIPPED_DEFINITIONS;
  if (Array.isArray(folders) && folders.length > 0 && folders.every((f) => typeof f === 'string')) {
    try {
      base = loadDefinitions([SHIPPED_DEFINITIONS_DIR, ...folders.map((f: string) => resolve(projectRoot, f))]);
    } catch (error) {
      if (!(error instanceof DefinitionsError)) throw error;
      for (const p of error.problems) problems.push(`CDS_CONFIG course.definitions: ${p}`);
      return undefined;
    }
  }
  try {
    return parseCourseConfig(json ?? {}, base);
  } catch (error) {
    if (!(error instanceof CourseConfigError)) throw error;
    for (const p of error.problems) problems.push(`CDS_CONFIG course: ${p}`);
    return undefined;
  }
}
