import { codesOf, type RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding, limitFinding } from './finding.js';

/**
 * course-entry: a course opens with a 0110, a 0261, or a 0110 and a 0262 on the same local day (one entry).
 * Flags a 0262 without a same-day 0110, a second entry, consultations before the entry, and (our reading) a course
 * whose consultations have no entry at all.
 */
export function courseEntry(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const entry = ctx.entry;
  const days0110 = new Set(codesOf(ctx, '0110').map((c) => c.date));
  for (const c of codesOf(ctx, '0262')) {
    if (!days0110.has(c.date)) out.push(limitFinding('course-entry', 'orphan-0262', ctx, c, [], {}));
  }
  if (!entry) {
    const others = ctx.consultations.filter((c) => c.code !== '0262');
    if (others.length > 0) {
      const causedByCurrent = others.some((c) => c.current === true);
      out.push(finding('course-entry', 'no-entry', causedByCurrent ? 'warning' : 'info', causedByCurrent, others, {
        count: others.length,
        firstDate: others[0]?.date,
      }));
    }
    return out;
  }
  for (const c of ctx.consultations) {
    if (c.date >= entry.date) break;
    if (c.code !== '0262') {
      out.push(limitFinding('course-entry', 'before-entry', ctx, c, [], { entryDate: entry.date, entryCode: entry.consultation.code }));
    }
  }
  for (const c of ctx.consultations) {
    if ((c.code === '0110' || c.code === '0261') && c !== entry.consultation) {
      out.push(limitFinding('course-entry', 'second-entry', ctx, c, [entry.consultation], {
        entryDate: entry.date,
        entryCode: entry.consultation.code,
      }));
    }
  }
  return out;
}
