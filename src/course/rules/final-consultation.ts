import { codesOf, type RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { isLaterThan, limitFinding } from './finding.js';

/** final-consultation: one 0267 per course, and after it only 0268 may follow. */
export function finalConsultation(ctx: RuleContext): Finding[] {
  const final = ctx.final;
  if (!final) return [];
  const out: Finding[] = [];
  for (const c of codesOf(ctx, '0267').slice(1)) {
    out.push(limitFinding('final-consultation', 'second-final', ctx, c, [final], { finalDate: final.date }));
  }
  for (const c of ctx.consultations) {
    if (c.code !== '0267' && c.code !== '0268' && isLaterThan(c, final)) {
      out.push(limitFinding('final-consultation', 'after-final', ctx, c, [final], { finalDate: final.date }));
    }
  }
  return out;
}
