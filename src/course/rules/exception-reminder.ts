import type { RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * Rule kind "exception reminder" (individual-education-exception): a code the definition marks as used only by
 * exception (individual education where group education is the norm) reminds to record why. Only the current
 * consultation reminds: a reminder about a past one cannot be acted on and would repeat at every later visit.
 */
export function exceptionReminder(ctx: RuleContext): Finding[] {
  const current = ctx.current;
  if (!current || ctx.type === undefined) return [];
  const step = ctx.definition.steps.find((s) => s.exceptions.includes(current.code));
  if (!step) return [];
  const preferred = step.codes.find((c) => !step.exceptions.includes(c));
  return [finding('individual-education-exception', preferred ? 'group-preferred' : 'exception', 'info', true, [current], {
    code: current.code,
    date: current.date,
    courseType: ctx.type,
    preferredCode: preferred,
    step: step.id,
  })];
}
