import { milestoneStep, ofCodes, type RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { isLaterThan, limitFinding } from './finding.js';

/** Rule kind "final": one final consultation per course, and after it only follow-up consultations may follow. */
export function finalConsultation(ctx: RuleContext): Finding[] {
  const final = ctx.final;
  if (!final) return [];
  const finalCodes = milestoneStep(ctx.definition, 'final')?.codes ?? [];
  const followUpCodes = milestoneStep(ctx.definition, 'follow-up')?.codes ?? [];
  const out: Finding[] = [];
  for (const c of ofCodes(ctx, finalCodes).slice(1)) {
    out.push(limitFinding('final-consultation', 'second-final', ctx, c, [final], { finalDate: final.date, finalCode: final.code }));
  }
  for (const c of ctx.consultations) {
    if (!finalCodes.includes(c.code) && !followUpCodes.includes(c.code) && isLaterThan(c, final)) {
      out.push(limitFinding('final-consultation', 'after-final', ctx, c, [final], {
        finalDate: final.date, finalCode: final.code, followUpCodes: [...followUpCodes],
      }));
    }
  }
  return out;
}
