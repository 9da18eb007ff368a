import { scoreOdi } from '../../instruments/odi.js';

/**
 * ODI from the ordinals ticked per section, by the instruments' scorer (whole percent, halves up; double tick ->
 * the higher; fewer than nine answered sections -> no score). The mapper has already dropped invalid ticks with an
 * issue each, so 'invalid' cannot come back from here; it is treated as incomplete all the same.
 */
export type OdiScore =
  | { readonly ok: true; readonly value: number; readonly answered: number }
  | { readonly ok: false; readonly answered: number };

export function scoreOdiSections(sections: readonly (readonly number[])[], minAnswered?: number): OdiScore {
  const r = scoreOdi(sections, minAnswered === undefined ? {} : { minAnswered });
  if (r.status === 'scored') return { ok: true, value: r.percent, answered: r.answered };
  return { ok: false, answered: r.status === 'incomplete' ? r.answered : sections.filter((s) => s.length > 0).length };
}
