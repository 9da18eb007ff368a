import type { Consultation, LocalDate } from '../../course/types.js';

/**
 * Splits coded consultations into courses when no EpisodeOfCare says which course they belong to
 * (course-model.md, "How a course is found"): a counted 0110 or 0261 starts a course; a 0262 joins the 0110 of its
 * day; consultations before the first entry belong to the first course. Written here because `src/course` did not
 * export a `splitIntoCourses` when the mapper was written.
 */

const COUNTED: ReadonlySet<string> = new Set(['arrived', 'triaged', 'in-progress', 'onleave', 'finished']);
const ENTRY: ReadonlySet<string> = new Set(['0110', '0261']);

function counts(c: Consultation, referenceDate: LocalDate): boolean {
  if (c.current === true) return c.status !== 'cancelled' && c.status !== 'entered-in-error';
  return COUNTED.has(c.status) && c.date <= referenceDate;
}

/** Entries first within a day, so that a 0262 recorded before its 0110 still joins it. */
function compare(a: Consultation, b: Consultation): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  const ea = ENTRY.has(a.code) ? 0 : 1;
  const eb = ENTRY.has(b.code) ? 0 : 1;
  if (ea !== eb) return ea - eb;
  const sa = a.start ?? '';
  const sb = b.start ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function splitIntoCourses(consultations: readonly Consultation[], referenceDate: LocalDate): Consultation[][] {
  const sorted = [...consultations].sort(compare);
  const courses: Consultation[][] = [];
  let current: Consultation[] | undefined;
  let entryDate: LocalDate | undefined;
  for (const c of sorted) {
    // A second entry on the entry's own day stays in the course: the engine reports the double entry.
    if (ENTRY.has(c.code) && counts(c, referenceDate) && c.date !== entryDate) {
      current = [];
      courses.push(current);
      entryDate = c.date;
    } else if (current === undefined) {
      current = [];
      courses.push(current);
    }
    current.push(c);
  }
  return courses;
}
