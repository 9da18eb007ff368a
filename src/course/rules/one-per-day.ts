import { isIndividual } from '../catalogue.js';
import type { RuleContext } from '../context.js';
import type { Consultation, Finding } from '../types.js';
import { anyCurrent, finding } from './finding.js';

/**
 * Allowed on one day: a single consultation; a 0110 with its 0262 (one entry); a 0113 beside one individual
 * consultation (or beside the entry).
 */
export function isDayCompliant(day: readonly Consultation[]): boolean {
  let selfTraining = 0;
  let n0110 = 0;
  let n0262 = 0;
  const others: Consultation[] = [];
  for (const c of day) {
    if (c.code === '0113') selfTraining += 1;
    else {
      others.push(c);
      if (c.code === '0110') n0110 += 1;
      if (c.code === '0262') n0262 += 1;
    }
  }
  const units = others.length - (n0110 > 0 && n0262 > 0 ? 1 : 0);
  if (selfTraining > 1 || units > 1) return false;
  if (selfTraining === 1 && units === 1) return others.every((c) => isIndividual(c.code));
  return true;
}

/**
 * one-per-day: at most one consultation of the course per local day, with the two exceptions above. One finding per
 * day; the current consultation causes it when it is on that day.
 */
export function onePerDay(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const list = ctx.consultations;
  let i = 0;
  while (i < list.length) {
    let j = i + 1;
    while (j < list.length && (list[j] as Consultation).date === (list[i] as Consultation).date) j += 1;
    if (j - i > 1) {
      const day = list.slice(i, j);
      if (!isDayCompliant(day)) {
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
