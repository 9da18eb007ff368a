import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { commonDefinition } from '../../course/definitions/common.js';
import type {
  ConsultationCodeDefinition, ConsultationMode, CourseDefinition, Definitions, InstrumentDefinition,
} from '../../course/definitions/types.js';
import { definitionProblems } from '../../course/definitions/validate.js';
import { arr, codings, isObject, prop, splitCanonical, str, type JsonObject } from '../map/guards.js';
import { readInstrument } from './read-instrument.js';
import { readPlanDefinition } from './read-plan-definition.js';

/**
 * Course definitions from conformance resources: CodeSystems (names and modes of the consultation codes),
 * ActivityDefinitions (one per code), Questionnaires (instruments) and PlanDefinitions (courses). Every problem of
 * shape and meaning is collected; a caller with problems refuses to start.
 */
export class DefinitionsError extends Error {
  override readonly name = 'DefinitionsError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid course definitions (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
  }
}

export const isDefinitionsError = (e: unknown): e is DefinitionsError => e instanceof DefinitionsError;

export interface SourcedResource {
  readonly source: string;
  readonly resource: unknown;
}

const MODES: ReadonlySet<string> = new Set(['individual', 'group', 'none']);

function byType(resources: readonly SourcedResource[], type: string): { source: string; resource: JsonObject }[] {
  return resources.flatMap((r) => (isObject(r.resource) && str(r.resource, 'resourceType') === type ? [{ source: r.source, resource: r.resource }] : []));
}

function readCodes(resources: readonly SourcedResource[], problems: string[]): Map<string, ConsultationCodeDefinition> {
  const systems = new Map<string, JsonObject>();
  for (const { resource } of byType(resources, 'CodeSystem')) {
    const url = str(resource, 'url');
    if (url !== undefined) systems.set(url, resource);
  }
  const out = new Map<string, ConsultationCodeDefinition>();
  for (const { source, resource } of byType(resources, 'ActivityDefinition')) {
    const url = str(resource, 'url');
    const coding = codings(prop(resource, 'code'))[0];
    if (url === undefined || coding?.system === undefined || coding.code === undefined) {
      problems.push(`${source}: an ActivityDefinition needs a url and a code with system`);
      continue;
    }
    const concept = arr(systems.get(coding.system), 'concept').find((c) => str(c, 'code') === coding.code);
    if (concept === undefined) {
      problems.push(`${source}: unknown consultation code ${coding.code} (not in CodeSystem ${coding.system})`);
      continue;
    }
    const da = str(concept, 'display') ?? coding.code;
    const en = str(arr(concept, 'designation').find((d) => str(d, 'language') === 'en'), 'value') ?? da;
    const mode = str(arr(concept, 'property').find((p) => str(p, 'code') === 'mode'), 'valueCode') ?? 'none';
    if (!MODES.has(mode)) problems.push(`${source}: code ${coding.code} has mode ${mode}, expected individual, group or none`);
    const earlier = out.get(coding.code);
    if (earlier !== undefined && earlier.system !== coding.system) {
      problems.push(`${source}: consultation code ${coding.code} is defined under two systems (${earlier.system}, ${coding.system})`);
    }
    out.set(coding.code, {
      code: coding.code, system: coding.system, name: { da, en }, mode: mode as ConsultationMode, activity: splitCanonical(url).url,
    });
  }
  return out;
}

/** Definitions from a set of resources (each with the name of the file it came from). */
export function buildDefinitions(resources: readonly SourcedResource[]): { definitions?: Definitions; problems: string[] } {
  const problems: string[] = [];
  const codes = readCodes(resources, problems);
  const instruments = new Map<string, InstrumentDefinition>();
  const questionnaires = new Map<string, string>();
  for (const { source, resource } of byType(resources, 'Questionnaire')) {
    const r = readInstrument(resource, source);
    problems.push(...r.problems);
    if (!r.value) continue;
    if (instruments.has(r.value.id)) problems.push(`${source}: instrument ${r.value.id} is defined twice`);
    instruments.set(r.value.id, r.value);
    for (const q of r.value.questionnaires) questionnaires.set(q, r.value.id);
  }
  const sorted = [...instruments.values()].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : 1));
  instruments.clear();
  for (const i of sorted) instruments.set(i.id, i);
  const activities = new Map([...codes.values()].flatMap((c) => (c.activity ? [[c.activity, c] as const] : [])));
  const courses: CourseDefinition[] = [];
  for (const { source, resource } of byType(resources, 'PlanDefinition')) {
    const r = readPlanDefinition(resource, { activities, questionnaires }, source);
    problems.push(...r.problems);
    if (r.value) courses.push(r.value);
  }
  if (courses.length === 0) problems.push('no course PlanDefinition found');
  // In the order of the course-type CodeSystem (course 1, 2, 3), others after them by type.
  const position = (c: CourseDefinition): number => {
    const system = byType(resources, 'CodeSystem').find((x) => str(x.resource, 'url') === c.typeSystem)?.resource;
    const i = arr(system, 'concept').findIndex((k) => str(k, 'code') === c.type);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  courses.sort((a, b) => position(a) - position(b) || (a.type < b.type ? -1 : 1));
  problems.push(...definitionProblems(courses, codes, instruments));
  if (problems.length > 0) return { problems };
  return {
    definitions: { codes, courses: new Map(courses.map((c) => [c.type, c])), instruments, common: commonDefinition(courses) },
    problems,
  };
}

/** The JSON files of a folder (top level only: examples/ and other sub-folders are not definitions). */
export function readResourceFolder(folder: string, problems: string[]): SourcedResource[] {
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    problems.push(`${folder}: cannot read the folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return [];
  }
  const out: SourcedResource[] = [];
  for (const name of names) {
    const path = join(folder, name);
    if (!statSync(path).isFile()) continue;
    try {
      const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
      // A Bundle of definitions counts as its entries.
      const entries = str(json, 'resourceType') === 'Bundle' ? arr(json, 'entry').map((e) => prop(e, 'resource')) : [json];
      for (const resource of entries) out.push({ source: name, resource });
    } catch (error) {
      problems.push(`${name}: not JSON (${(error as Error).message.slice(0, 80)})`);
    }
  }
  return out;
}

/** Definitions from folders of JSON files; throws a DefinitionsError listing every problem. */
export function loadDefinitions(folders: readonly string[]): Definitions {
  const problems: string[] = [];
  const resources = folders.flatMap((f) => readResourceFolder(f, problems));
  const built = buildDefinitions(resources);
  problems.push(...built.problems);
  if (problems.length > 0 || !built.definitions) throw new DefinitionsError(problems);
  return built.definitions;
}
