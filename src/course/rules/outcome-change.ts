import { milestoneStep, type RuleContext } from '../context.js';
import { changeFacts, summarizeOutcome } from '../outcome.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * Rule kind "outcome change": when the current consultation is the final or a follow-up, the change of each
 * instrument against baseline, the clinically important change marked. Info; issued only when at least one
 * instrument can be compared (or the scores could not be read).
 */
export function outcomeChange(ctx: RuleContext): Finding[] {
  const current = ctx.current;
  const codes = [...(milestoneStep(ctx.definition, 'final')?.codes ?? []), ...(milestoneStep(ctx.definition, 'follow-up')?.codes ?? [])];
  if (!current || !codes.includes(current.code)) return [];
  if (!ctx.scoresAvailable) {
    return [finding('outcome-change', 'unavailable', 'info', true, [current], { code: current.code, date: current.date })];
  }
  const { changes } = summarizeOutcome(ctx);
  if (changes.length === 0) return [];
  return [finding('outcome-change', 'change', 'info', true, [current], {
    code: current.code,
    date: current.date,
    changes: changes.map((c) => changeFacts(c, ctx.instruments.get(c.instrument))),
    anyClinicallyImportant: changes.some((c) => c.clinicallyImportant),
  })];
}
