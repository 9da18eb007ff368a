import { codesOf, individualTrainingWindow, type RuleContext } from '../context.js';
import type { Finding } from '../types.js';
import { limitFinding } from './finding.js';

/**
 * individual-training-limit: 0266 at most N within W months of the window's anchor (the entry by default). One
 * past N inside the window, or any after the window's last day, is a finding.
 */
export function individualTrainingLimit(ctx: RuleContext): Finding[] {
  const window = individualTrainingWindow(ctx);
  if (!window) return [];
  const { maxCount, windowMonths, anchor } = ctx.config.individualTraining;
  const all = codesOf(ctx, '0266');
  const out: Finding[] = [];
  let inWindow = 0;
  for (const c of all) {
    const base = {
      count: all.length,
      limit: maxCount,
      windowMonths,
      windowStart: window.start,
      windowEnd: window.end,
      anchor,
    };
    if (c.date > window.end) {
      out.push(limitFinding('individual-training-limit', 'after-window', ctx, c, [], base));
      continue;
    }
    inWindow += 1;
    if (inWindow > maxCount) {
      out.push(limitFinding('individual-training-limit', 'over-limit', ctx, c, [], { ...base, ordinal: inWindow }));
    }
  }
  return out;
}
