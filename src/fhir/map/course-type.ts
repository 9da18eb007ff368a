import { ExternalSystem } from '../../canonical.js';
import type { Definitions } from '../../course/definitions/types.js';
import type { CourseType } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { arr, codings, prop, splitCanonical, str, type JsonObject } from './guards.js';
import { referencedId } from './references.js';

/** The definitions' course types by their coding and by their PlanDefinition canonical. */
function typesOf(defs: Definitions): { systems: ReadonlySet<string>; byCode: ReadonlyMap<string, string>; byPlan: ReadonlyMap<string, CourseType> } {
  const courses = [...defs.courses.values()];
  return {
    systems: new Set(courses.map((c) => c.typeSystem)),
    byCode: new Map(courses.map((c) => [c.type, c.typeSystem])),
    byPlan: new Map(courses.map((c) => [c.url, c.type])),
  };
}
const IGNORED_CARE_PLAN_STATUSES: ReadonlySet<string> = new Set(['revoked', 'entered-in-error']);

/** The course type coded on an EpisodeOfCare, if any. */
export function episodeCourseType(episode: JsonObject, issues: DataQualityIssue[], defs: Definitions): CourseType | undefined {
  const resource = `EpisodeOfCare/${str(episode, 'id') ?? ''}`;
  const { systems, byCode } = typesOf(defs);
  for (const c of codings(prop(episode, 'type'))) {
    if (c.code === undefined) continue;
    if (c.system !== undefined && systems.has(c.system)) {
      if (byCode.get(c.code) === c.system) return c.code;
      issues.push(dataQualityIssue('unknown-course-type', resource, { code: c.code.slice(0, 32) }));
    } else if (c.system === undefined && byCode.has(c.code)) {
      issues.push(dataQualityIssue('unknown-code-system', resource, { code: c.code }));
    }
  }
  return undefined;
}

/** The EpisodeOfCare a CarePlan is linked to by the workflow-episodeOfCare extension. */
export function carePlanEpisodeId(carePlan: JsonObject): string | undefined {
  for (const ext of arr(carePlan, 'extension')) {
    if (str(ext, 'url') !== ExternalSystem.workflowEpisodeOfCare) continue;
    const id = referencedId(prop(ext, 'valueReference'), 'EpisodeOfCare');
    if (id !== undefined) return id;
  }
  return undefined;
}

/** The course types of the PlanDefinitions a CarePlan instantiates. */
function carePlanCourseTypes(carePlan: JsonObject, issues: DataQualityIssue[], defs: Definitions): CourseType[] {
  const out: CourseType[] = [];
  const { byPlan } = typesOf(defs);
  const ours = [...byPlan.keys()].map((u) => u.slice(0, u.lastIndexOf('/') + 1));
  for (const c of arr(carePlan, 'instantiatesCanonical')) {
    if (typeof c !== 'string') continue;
    const { url } = splitCanonical(c);
    const type = byPlan.get(url);
    if (type !== undefined) out.push(type);
    else if (ours.some((base) => url.startsWith(base))) {
      issues.push(dataQualityIssue('unknown-course-type', `CarePlan/${str(carePlan, 'id') ?? ''}`, { url: url.slice(0, 256) }));
    }
  }
  return out;
}

/**
 * Course type = the EpisodeOfCare's type coding; else the PlanDefinition instantiated by the patient's CarePlan
 * linked to the episode, or, failing that, any active CarePlan of hers (not linked to another episode). Never
 * guessed: conflicting plans give undefined with a note.
 */
export function courseTypeOf(
  episode: JsonObject | undefined,
  episodeId: string | undefined,
  carePlans: readonly JsonObject[],
  issues: DataQualityIssue[],
  defs: Definitions,
): CourseType | undefined {
  const fromEpisode = episode === undefined ? undefined : episodeCourseType(episode, issues, defs);

  const linked: JsonObject[] = [];
  const active: JsonObject[] = [];
  for (const cp of carePlans) {
    const status = str(cp, 'status');
    if (status !== undefined && IGNORED_CARE_PLAN_STATUSES.has(status)) continue;
    const link = carePlanEpisodeId(cp);
    if (episodeId !== undefined && link === episodeId) linked.push(cp);
    else if (status === 'active' && (link === undefined || episodeId === undefined)) active.push(cp);
  }
  const planTypes = new Set<CourseType>();
  for (const cp of linked.length > 0 ? linked : active) {
    for (const t of carePlanCourseTypes(cp, issues, defs)) planTypes.add(t);
  }

  if (fromEpisode !== undefined) {
    if ([...planTypes].some((t) => t !== fromEpisode)) {
      issues.push(dataQualityIssue('course-type-conflict', `EpisodeOfCare/${episodeId ?? ''}`, { episode: fromEpisode, plan: [...planTypes].join(',') }));
    }
    return fromEpisode;
  }
  if (planTypes.size === 1) return [...planTypes][0];
  if (planTypes.size > 1) {
    issues.push(dataQualityIssue('course-type-conflict', episodeId === undefined ? undefined : `EpisodeOfCare/${episodeId}`, { plan: [...planTypes].join(',') }));
  }
  return undefined;
}
