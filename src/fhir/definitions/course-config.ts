import type { ErrorObject } from 'ajv';
import { resolve } from 'node:path';
import { CourseConfigError, courseConfigSchema, parseCourseConfig, type CourseConfig } from '../../course/config.js';
import { didYouMean } from '../../did-you-mean.js';
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
    error.problems.forEach((p, i) => problems.push(`CDS_CONFIG course: ${p}${courseKeyHint(error.errors[i])}`));
    return undefined;
  }
}

/** A misspelt key gets the nearest known key of the same object ("did you mean ...?"). */
function courseKeyHint(e: ErrorObject | undefined): string {
  if (e?.keyword !== 'additionalProperties') return '';
  // schemaPath '#/properties/rules/additionalProperties': the object schema is the path without its last step.
  let node: unknown = courseConfigSchema;
  for (const step of e.schemaPath.replace(/^#\//, '').split('/').slice(0, -1)) node = (node as Record<string, unknown> | undefined)?.[step];
  const known = Object.keys((node as { properties?: object } | undefined)?.properties ?? {});
  return didYouMean(String(e.params.additionalProperty), known);
}
