import type { RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { finding } from './finding.js';

/**
 * individual-education-exception: in course 2 group education (0263) is the norm and in course 3 individual
 * education is an exception, so a 0265 there is a reminder to record why. Only the current 0265 reminds: a
 * reminder about a past consultation cannot be acted on and would repeat at every later visit.
 */
export function individualEducationException(ctx: RuleContext): Finding[] {
  if (ctx.type !== 'recurrent' && ctx.type !== 'persistent') return [];
  const current = ctx.consultations.filter((c) => c.code === '0265' && c.current === true);
  return current.map((c) =>
    finding('individual-education-exception', ctx.type === 'recurrent' ? 'group-preferred' : 'exception', 'info', true, [c], {
      code: c.code,
      date: c.date,
      courseType: ctx.type ?? null,
      preferredCode: '0263',
    }),
  );
}
