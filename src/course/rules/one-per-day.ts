import type { RuleContext } from '../context.js';
import type { CourseDefinition } from '../definitions/types.js';
import type { ConsultationMode } from '../definitions/types.js';
import type { Consultation, Finding } from '../types.js';
import { anyCurrent, finding } from './finding.js';

/** What a day may hold besides one consultation: from the definition's entry companions and day-sharing steps. */
export interface DayAllowance {
  /** companion code -> the code it joins on the same day (one unit together). */
  readonly companions: Readonly<Record<string, string>>;
  /** Codes that may share the day with one individual consultation. */
  readonly sharesDay: ReadonlySet<string>;
  readonly modeOf: (code: string) => ConsultationMode | undefined;
}

export function dayAllowance(definition: CourseDefinition, modeOf: (code: string) => ConsultationMode | undefined): DayAllowance {
  const companions: Record<string, string> = {};
  const sharesDay = new Set<string>();
  for (const s of definition.steps) {
    Object.assign(companions, s.companions);
    if (s.sharesDay) for (const c of s.codes) sharesDay.add(c);
  }
  return { companions, sharesDay, modeOf };
}

/**
 * Allowed on one day: a single consultation; a code with its same-day companion (one entry); one day-sharing
 * consultation (supervised self-training) beside one individual consultation (or beside the entry).
 */
export function isDayCompliant(day: readonly Consultation[], allow: DayAllowance): boolean {
  let sharing = 0;
  const others: Consultation[] = [];
  for (const c of day) {
    if (allow.sharesDay.has(c.code)) sharing += 1;
    else others.push(c);
  }
  const codes = new Set(others.map((c) => c.code));
  const joined = others.filter((c) => {
    const partner = allow.companions[c.code];
    return partner !== undefined && codes.has(partner);
  }).length;
  const units = others.length - Math.min(joined, 1);
  if (sharing > 1 || units > 1) return false;
  if (sharing === 1 && units === 1) return others.every((c) => allow.modeOf(c.code) === 'individual');
  return true;
}

/**
 * Rule kind "one per day": at most one consultation of the course per local day, with the allowances above. One
 * finding per day; the current consultation causes it when it is on that day.
 */
export function onePerDay(ctx: RuleContext): Finding[] {
  const allow = dayAllowance(ctx.definition, (code) => ctx.config.definitions.codes.get(code)?.mode);
  const out: Finding[] = [];
  const list = ctx.consultations;
  let i = 0;
  while (i < list.length) {
    let j = i + 1;
    while (j < list.length && (list[j] as Consultation).date === (list[i] as Consultation).date) j += 1;
    if (j - i > 1) {
      const day = list.slice(i, j);
      if (!isDayCompliant(day, allow)) {
        const causedByCurrent = anyCurrent(ctx, day);
        out.push(finding('one-per-day', 'same-day', causedByCurrent ? 'warning' : 'info', causedByCurrent, day, {
          date: day[0]?.date,
          codes: day.map((c) => c.code),
          count: day.length,
        }));
      }
    }
    i = j;
  }
  return out;
}
