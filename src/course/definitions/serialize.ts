import type { ConsultationCodeDefinition, CourseDefinition, Definitions, InstrumentDefinition } from './types.js';

/**
 * The active definitions as JSON and back, for a reader that cannot load them itself: the clinician app in the
 * browser gets exactly the definitions (overrides applied) of the service that served it. The source resources
 * stay behind: the engine never reads them.
 */
export interface DefinitionsJson {
  readonly codes: readonly ConsultationCodeDefinition[];
  readonly courses: readonly CourseDefinition[];
  readonly instruments: readonly InstrumentDefinition[];
  readonly common: CourseDefinition;
}

const withoutResource = ({ resource: _resource, ...course }: CourseDefinition): CourseDefinition => course;

export function definitionsToJson(defs: Definitions): DefinitionsJson {
  return {
    codes: [...defs.codes.values()],
    courses: [...defs.courses.values()].map(withoutResource),
    instruments: [...defs.instruments.values()],
    common: withoutResource(defs.common),
  };
}

export function definitionsFromJson(json: DefinitionsJson): Definitions {
  return {
    codes: new Map(json.codes.map((c) => [c.code, c])),
    courses: new Map(json.courses.map((c) => [c.type, c])),
    instruments: new Map(json.instruments.map((i) => [i.id, i])),
    common: json.common,
  };
}
