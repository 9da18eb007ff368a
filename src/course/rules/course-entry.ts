import { milestoneStep, openingCodes, type RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding, limitFinding } from './finding.js';

/**
 * Rule kind "entry" (course-entry): a course opens with one of the entry step's opening codes, or an opening code
 * with its same-day companion (one entry). Flags a companion without its partner that day, a second entry,
 * consultations before the entry, and (our reading) a course whose consultations have no entry at all.
 */
export function courseEntry(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const step = milestoneStep(ctx.definition, 'entry');
  if (!step) return out;
  const opens = openingCodes(step);
  const companions = step.companions;
  for (const [companion, partner] of Object.entries(companions)) {
    const partnerDays = new Set((ctx.byCode.get(partner) ?? []).map((c) => c.date));
    for (const c of ctx.byCode.get(companion) ?? []) {
      if (!partnerDays.has(c.date)) out.push(limitFinding('course-entry', 'orphan-companion', ctx, c, [], { partnerCode: partner }));
    }
  }
  const entry = ctx.entry;
  if (!entry) {
    const others = ctx.consultations.filter((c) => companions[c.code] === undefined);
    if (others.length > 0) {
      const causedByCurrent = others.some((c) => c.current === true);
      out.push(finding('course-entry', 'no-entry', causedByCurrent ? 'warning' : 'info', causedByCurrent, others, {
        count: others.length,
        firstDate: others[0]?.date,
        entryCodes: [...opens],
      }));
    }
    return out;
  }
  for (const c of ctx.consultations) {
    if (c.date >= entry.date) break;
    if (companions[c.code] === undefined) {
      out.push(limitFinding('course-entry', 'before-entry', ctx, c, [], { entryDate: entry.date, entryCode: entry.consultation.code }));
    }
  }
  for (const c of ctx.consultations) {
    if (opens.includes(c.code) && c !== entry.consultation) {
      out.push(limitFinding('course-entry', 'second-entry', ctx, c, [entry.consultation], {
        entryDate: entry.date,
        entryCode: entry.consultation.code,
      }));
    }
  }
  return out;
}
