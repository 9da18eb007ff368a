import type { RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/** Rule kind "type unknown": the type is never guessed from the history; say so, recommend common steps only. */
export function courseTypeUnknown(ctx: RuleContext): Finding[] {
  if (ctx.type !== undefined) return [];
  const commonCodes = ctx.definition.steps.filter((s) => s.recommendable).map((s) => s.codes[0] as string);
  return [finding('course-type-unknown', 'unknown', 'info', false, [], {
    commonCodes,
    knownTypes: [...ctx.config.definitions.courses.values()].map((c) => c.type),
  })];
}
