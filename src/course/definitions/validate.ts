import type { ConsultationCodeDefinition, CourseDefinition, InstrumentDefinition } from './types.js';
import { MILESTONES } from './types.js';

/**
 * The meaning of a set of course definitions (their FHIR shape is checked where they are read): every problem as
 * '<source>: <message>', so that start-up can list them all at once and refuse to start.
 */
export function definitionProblems(
  courses: readonly CourseDefinition[],
  codes: ReadonlyMap<string, ConsultationCodeDefinition>,
  instruments: ReadonlyMap<string, InstrumentDefinition>,
): string[] {
  const problems: string[] = [];
  const types = new Map<string, string>();
  for (const course of courses) {
    const where = `${course.source ?? course.url} (${course.type})`;
    const say = (message: string): void => {
      problems.push(`${where}: ${message}`);
    };
    const earlier = types.get(course.type);
    if (earlier !== undefined) say(`course type ${course.type} is also defined by ${earlier}`);
    types.set(course.type, course.source ?? course.url);
    if (course.steps.length === 0) say('has no steps');
    const stepOf = new Map<string, string>();
    for (const step of course.steps) {
      if (step.codes.length === 0) say(`step ${step.id} has no consultation code`);
      for (const code of [...step.codes, ...step.supplements]) {
        if (!codes.has(code)) say(`step ${step.id}: unknown consultation code ${code}`);
        const other = stepOf.get(code);
        if (other !== undefined && other !== step.id) say(`consultation code ${code} is in two steps (${other} and ${step.id})`);
        else if (other === step.id && !step.codes.includes(code)) say(`consultation code ${code} is both a code and a supplement of step ${step.id}`);
        stepOf.set(code, step.id);
      }
    }
    const stepIds = new Set<string>();
    for (const step of course.steps) {
      if (stepIds.has(step.id)) say(`step id ${step.id} appears twice`);
      stepIds.add(step.id);
    }
    for (const m of ['entry', 'final'] as const) {
      const n = course.steps.filter((s) => s.milestone === m).length;
      if (n !== 1) say(`needs exactly one ${m} step, has ${n}`);
    }
    for (const m of MILESTONES) {
      for (const i of course.milestones[m]?.instruments ?? []) if (!instruments.has(i)) say(`${m} milestone: unknown instrument ${i}`);
    }
    const limitIds = new Set<string>();
    for (const limit of course.limits) {
      if (limitIds.has(limit.id)) say(`limit id ${limit.id} appears twice`);
      limitIds.add(limit.id);
      const step = course.steps.find((s) => s.id === limit.step);
      if (!step || limit.codes.length === 0) say(`limit ${limit.id} is on no step`);
      if (limit.kind === 'window' && (limit.windowMonths ?? limit.windowDays) === undefined) say(`limit ${limit.id} is a window without a length`);
    }
    const count = course.finalDue.afterCount;
    if (count && !stepOf.has(count.code)) say(`final-due: consultation code ${count.code} is in no step`);
  }
  return problems;
}
