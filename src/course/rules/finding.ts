import type { RuleContext } from '../context.js';
import type { Consultation, FactValue, Facts, Finding, RuleId, Severity } from '../types.js';

/** Facts are JSON: drop undefined values so templates and deep-equal comparisons see the same thing. */
export function facts(record: Readonly<Record<string, FactValue | undefined>>): Facts {
  const out: Record<string, FactValue> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

export const anyCurrent = (ctx: RuleContext, consultations: readonly Consultation[]): boolean =>
  consultations.some((c) => c.current === true && ctx.currentIds.has(c.id));

/**
 * The indicator of the limit rules (course-model.md): warning when the current consultation causes the finding,
 * info when only past consultations do.
 */
export function limitFinding(
  ruleId: RuleId,
  kind: string,
  ctx: RuleContext,
  offender: Consultation,
  related: readonly Consultation[],
  factRecord: Readonly<Record<string, FactValue | undefined>>,
): Finding {
  return limitFindingFrom(ruleId, kind, ctx, offender, related, facts(factRecord));
}

export function finding(
  ruleId: RuleId,
  kind: string,
  severity: Severity,
  causedByCurrent: boolean,
  consultations: readonly Consultation[],
  factRecord: Readonly<Record<string, FactValue | undefined>>,
): Finding {
  return {
    ruleId,
    severity,
    kind,
    causedByCurrent,
    consultationIds: [...new Set(consultations.map((c) => c.id))],
    facts: facts(factRecord),
  };
}

/**
 * Later in the course than `anchor`: a later local day, or the same day when it is the consultation being added
 * now or it demonstrably started later. Same-day records without start times are not ordered.
 */
export function isLaterThan(c: Consultation, anchor: Consultation): boolean {
  if (c.date !== anchor.date) return c.date > anchor.date;
  if (c.current === true && anchor.current !== true) return true;
  if (c.start === undefined || anchor.start === undefined) return false;
  // Parsed, not compared as text: two instants of one day may carry different offsets.
  return Date.parse(c.start) > Date.parse(anchor.start);
}

/**
 * limitFinding for the limit kinds, which may report hundreds of findings from one limit: the facts every finding
 * of the limit shares are made once (`base`, already plain JSON) and each finding adds its own in one object.
 */
export function limitFindingFrom(
  ruleId: RuleId,
  kind: string,
  ctx: RuleContext,
  offender: Consultation,
  related: readonly Consultation[],
  base: Facts,
  own?: Readonly<Record<string, FactValue>>,
): Finding {
  const causedByCurrent = offender.current === true && ctx.currentIds.has(offender.id);
  const ids = related.length === 0 ? [offender.id] : [...new Set([...related.map((c) => c.id), offender.id])];
  return {
    ruleId,
    severity: causedByCurrent ? 'warning' : 'info',
    kind,
    causedByCurrent,
    consultationIds: ids,
    facts: { code: offender.code, date: offender.date, ...base, ...own },
  };
}
