import { round1 } from './score-value.js';

/**
 * ODI 2.1a scoring from the ordinals ticked per section (instruments.md). Written here because `src/instruments`
 * did not yet export its scorer when the mapper was written; the behaviour is the documented one:
 * double tick -> the higher; fewer than `minAnswered` answered sections -> no score; the sex-life section may be
 * skipped (missing, never 0); score = sum / (5 x answered) x 100.
 */
export const ODI_MIN_ANSWERED = 9;

export type OdiScore =
  | { readonly ok: true; readonly value: number; readonly answered: number }
  | { readonly ok: false; readonly answered: number };

/** `sections[i]` holds the valid ordinals (0-5) ticked in section i; an empty list is an unanswered section. */
export function scoreOdiSections(sections: readonly (readonly number[])[], minAnswered = ODI_MIN_ANSWERED): OdiScore {
  let sum = 0;
  let answered = 0;
  for (const ticks of sections) {
    if (ticks.length === 0) continue;
    sum += Math.max(...ticks);
    answered += 1;
  }
  if (answered < minAnswered || answered === 0) return { ok: false, answered };
  return { ok: true, value: round1((sum / (5 * answered)) * 100), answered };
}
