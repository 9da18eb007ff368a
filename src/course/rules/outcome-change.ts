import type { RuleContext } from '../context.js';
import { changeFacts, summarizeOutcome } from '../outcome.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * outcome-change: at a 0267 or 0268 (the current consultation), the change of each instrument against baseline,
 * with the clinically important change marked. Info; issued only when at least one instrument can be compared.
 */
export function outcomeChange(ctx: RuleContext): Finding[] {
  const current = ctx.current;
  if (!current || (current.code !== '0267' && current.code !== '0268')) return [];
  if (!ctx.scoresAvailable) {
    return [finding('outcome-change', 'unavailable', 'info', true, [current], { code: current.code, date: current.date })];
  }
  const { changes } = summarizeOutcome(ctx);
  if (changes.length === 0) return [];
  return [finding('outcome-change', 'change', 'info', true, [current], {
    code: current.code,
    date: current.date,
    changes: changes.map(changeFacts),
    anyClinicallyImportant: changes.some((c) => c.clinicallyImportant),
  })];
}
