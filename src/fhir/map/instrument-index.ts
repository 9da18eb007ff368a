import type { Definitions, InstrumentDefinition } from '../../course/definitions/types.js';
import { splitCanonical } from './guards.js';

/** The instrument registry indexed for the mapper: by score coding, by form coding, by Questionnaire canonical. */
export interface InstrumentIndex {
  readonly defs: Definitions;
  readonly byScoreCoding: ReadonlyMap<string, InstrumentDefinition>;
  readonly byFormCoding: ReadonlyMap<string, InstrumentDefinition>;
  readonly byQuestionnaire: ReadonlyMap<string, InstrumentDefinition>;
  /** Every code of the registry's codings, to note one written without its system. */
  readonly bareCodes: ReadonlySet<string>;
}

const key = (system: string, code: string): string => `${system}|${code}`;
const cache = new WeakMap<Definitions, InstrumentIndex>();

export function instrumentIndex(defs: Definitions): InstrumentIndex {
  const hit = cache.get(defs);
  if (hit) return hit;
  const byScoreCoding = new Map<string, InstrumentDefinition>();
  const byFormCoding = new Map<string, InstrumentDefinition>();
  const byQuestionnaire = new Map<string, InstrumentDefinition>();
  const bareCodes = new Set<string>();
  for (const i of defs.instruments.values()) {
    for (const c of i.codings) {
      byScoreCoding.set(key(c.system, c.code), i);
      bareCodes.add(c.code);
    }
    for (const c of i.formCodings) byFormCoding.set(key(c.system, c.code), i);
    for (const q of i.questionnaires) byQuestionnaire.set(splitCanonical(q).url, i);
  }
  const index = { defs, byScoreCoding, byFormCoding, byQuestionnaire, bareCodes };
  cache.set(defs, index);
  return index;
}

export const codingKey = key;
