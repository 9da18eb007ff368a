import type {
  CourseDefinition, LimitDefinition, Milestone, MilestoneDefinition, StepDefinition,
} from './types.js';
import { MILESTONES } from './types.js';

/**
 * The definition used when a course's type cannot be determined (course-type-unknown): what every loaded course
 * shares. Steps present (by id) in every course, their codes in order of how many courses use them; limits present
 * (by id) in every course, at their most lenient, so an unknown type never warns where a known one would not; the
 * instruments every course requires at a milestone; no final-due trigger (the engine never guesses it).
 */
export function commonDefinition(courses: readonly CourseDefinition[]): CourseDefinition {
  const first = courses[0];
  const steps: StepDefinition[] = [];
  for (const step of first?.steps ?? []) {
    const all = courses.map((c) => c.steps.find((s) => s.id === step.id));
    if (all.some((s) => s === undefined)) continue;
    const shared = all as StepDefinition[];
    const maxes = shared.map((s) => s.plan.max);
    const min = Math.min(...shared.map((s) => s.plan.min));
    steps.push({
      id: step.id,
      ...(step.title ? { title: step.title } : {}),
      codes: byUse(shared.map((s) => s.codes)),
      plan: { min, max: maxes.some((m) => m === null) ? null : Math.max(...(maxes as number[])) },
      // Only what every course allows: a supplement of one course type is not recommended for an unknown one.
      supplements: step.supplements.filter((c) => shared.every((s) => s.supplements.includes(c))),
      exceptions: [],
      companions: Object.assign({}, ...shared.map((s) => s.companions)) as Record<string, string>,
      sharesDay: shared.some((s) => s.sharesDay),
      ...(step.milestone ? { milestone: step.milestone } : {}),
      // A step some course may skip (plan min 0) is not recommended when the type is unknown.
      recommendable: step.milestone !== undefined || (min >= 1 && shared.every((s) => s.recommendable)),
    });
  }
  const limits: LimitDefinition[] = [];
  for (const limit of first?.limits ?? []) {
    const all = courses.map((c) => c.limits.find((l) => l.id === limit.id && l.rule === limit.rule && l.kind === limit.kind));
    if (all.some((l) => l === undefined) || !steps.some((s) => s.id === limit.step)) continue;
    const shared = all as LimitDefinition[];
    const months = shared.map((l) => l.windowMonths).filter((m): m is number => m !== undefined);
    const days = shared.map((l) => l.windowDays).filter((d): d is number => d !== undefined);
    limits.push({
      ...limit,
      codes: byUse(shared.map((l) => l.codes)),
      max: Math.max(...shared.map((l) => l.max)),
      ...(months.length > 0 ? { windowMonths: Math.max(...months) } : {}),
      ...(days.length > 0 ? { windowDays: Math.max(...days) } : {}),
    });
  }
  const milestones = Object.fromEntries(MILESTONES.map((m) => [m, commonMilestone(courses, m)])) as Record<Milestone, MilestoneDefinition | undefined>;
  return {
    type: '',
    typeSystem: first?.typeSystem ?? '',
    url: '',
    title: { da: 'Ukendt forløbstype', en: 'Unknown course type' },
    name: { da: 'ukendt forløbstype', en: 'unknown course type' },
    steps,
    limits,
    milestones,
    finalDue: { afterDays: null, afterCount: null },
    followUp: {
      targetMonths: first?.followUp.targetMonths ?? [],
      toleranceDays: Math.max(0, ...courses.map((c) => c.followUp.toleranceDays)),
    },
  };
}

function commonMilestone(courses: readonly CourseDefinition[], m: Milestone): MilestoneDefinition | undefined {
  const all = courses.map((c) => c.milestones[m]);
  if (all.length === 0 || all.some((x) => x === undefined)) return undefined;
  const shared = all as MilestoneDefinition[];
  const instruments = shared[0]!.instruments.filter((i) => shared.every((x) => x.instruments.includes(i)));
  return { instruments, lookBackDays: Math.max(...shared.map((x) => x.lookBackDays)) };
}

/** Codes of several lists, those used by most lists first, then in order of first appearance. */
function byUse(lists: readonly (readonly string[])[]): string[] {
  const uses = new Map<string, number>();
  for (const list of lists) for (const code of list) uses.set(code, (uses.get(code) ?? 0) + 1);
  return [...uses.keys()].sort((a, b) => (uses.get(b) ?? 0) - (uses.get(a) ?? 0));
}
