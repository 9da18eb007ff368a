import type { RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { limitFinding } from './finding.js';

/** education-limit: patient education, 0263 and 0265 together, at most N per course (default 2). */
export function educationLimit(ctx: RuleContext): Finding[] {
  const limit = ctx.config.education.maxPerCourse;
  const education = ctx.consultations.filter((c) => c.code === '0263' || c.code === '0265');
  return education.slice(limit).map((c, i) =>
    limitFinding('education-limit', 'over-limit', ctx, c, [], {
      ordinal: limit + i + 1,
      count: education.length,
      limit,
    }),
  );
}
