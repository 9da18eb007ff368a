import type {
  CourseDefinition, Definitions, FinalDueDefinition, InstrumentDefinition, LimitDefinition, Milestone,
} from './types.js';
import { commonDefinition } from './common.js';

/**
 * CDS_CONFIG's `course` overrides applied to the definitions before anything reads them, so that cards, discovery,
 * the published PlanDefinitions, the CLI and the README all state the same, active numbers.
 *
 * Two ways to name a number: by course type and limit id (`courses.<type>.limits.<id>.max`), or, for every course
 * at once, by the rule the limit reports under (`individualTraining.maxCount` = every individual-training-limit
 * window's max). The per-course form wins.
 */
export interface LimitOverride {
  readonly max?: number;
  readonly windowMonths?: number;
  readonly windowDays?: number;
  readonly anchor?: 'entry' | 'first';
}

export interface CourseOverride {
  readonly limits?: Readonly<Record<string, LimitOverride>>;
  readonly finalDue?: Partial<FinalDueDefinition>;
  readonly followUp?: { readonly targetMonths?: readonly number[]; readonly toleranceDays?: number };
  readonly lookBackDays?: Partial<Readonly<Record<Milestone, number>>>;
}

export interface InstrumentOverride {
  readonly minAnswered?: number;
  readonly change?: { readonly points?: number; readonly percent?: number };
  readonly itemChangePoints?: number;
}

/** The override as parsed from JSON (already schema-checked by config.ts). */
export interface DefinitionOverrides {
  readonly education?: { readonly maxPerCourse?: number };
  readonly individualTraining?: { readonly maxCount?: number; readonly windowMonths?: number; readonly anchor?: 'entry' | 'first' };
  readonly groupTraining?: { readonly maxCount?: number; readonly maxPerIsoWeek?: number };
  readonly followUp?: { readonly maxCount?: number; readonly targetMonths?: readonly number[]; readonly toleranceDays?: number };
  readonly scores?: {
    readonly baselineLookBackDays?: number;
    readonly finalLookBackDays?: number;
    readonly followUpLookBackDays?: number;
    readonly odiMinAnswered?: number;
    readonly changeThresholds?: Readonly<Record<string, { points?: number; percent?: number }>>;
    readonly psfsActivityPoints?: number;
  };
  readonly finalDue?: Readonly<Record<string, Partial<FinalDueDefinition>>>;
  readonly courses?: Readonly<Record<string, CourseOverride>>;
  readonly instruments?: Readonly<Record<string, InstrumentOverride>>;
}

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** The rule-wide (legacy) keys as a per-limit override for one limit, or undefined when none applies. */
function ruleWide(o: DefinitionOverrides, limit: LimitDefinition): LimitOverride | undefined {
  if (limit.rule === 'education-limit' && limit.kind === 'per-course') return defined({ max: o.education?.maxPerCourse });
  if (limit.rule === 'individual-training-limit' && limit.kind === 'window') {
    const it = o.individualTraining;
    const anchor = it?.anchor === undefined ? undefined : it.anchor === 'entry' ? 'entry' as const : 'first' as const;
    return defined({ max: it?.maxCount, windowMonths: it?.windowMonths, anchor });
  }
  if (limit.rule === 'group-training-frequency') {
    return defined({ max: limit.kind === 'per-iso-week' ? o.groupTraining?.maxPerIsoWeek : limit.kind === 'per-course' ? o.groupTraining?.maxCount : undefined });
  }
  if (limit.rule === 'follow-up-timing' && limit.kind === 'per-course') return defined({ max: o.followUp?.maxCount });
  return undefined;
}

function applyLimit(limit: LimitDefinition, ...overrides: (LimitOverride | undefined)[]): LimitDefinition {
  let out = limit;
  for (const o of overrides) {
    if (!o) continue;
    const next = { ...out, ...defined(o) } as LimitDefinition & { windowMonths?: number; windowDays?: number };
    // A window is either in months or in days: naming one replaces the other.
    if (o.windowMonths !== undefined) delete next.windowDays;
    if (o.windowDays !== undefined) delete next.windowMonths;
    out = next;
  }
  return out;
}

function applyCourse(course: CourseDefinition, o: DefinitionOverrides, problems: string[]): CourseDefinition {
  const own = o.courses?.[course.type];
  for (const id of Object.keys(own?.limits ?? {})) {
    if (!course.limits.some((l) => l.id === id)) problems.push(`courses.${course.type}.limits: unknown limit id ${JSON.stringify(id)} (known: ${course.limits.map((l) => l.id).join(', ')})`);
  }
  const limits = course.limits.map((l) => applyLimit(l, ruleWide(o, l), own?.limits?.[l.id]));
  const look = {
    entry: own?.lookBackDays?.entry ?? o.scores?.baselineLookBackDays,
    final: own?.lookBackDays?.final ?? o.scores?.finalLookBackDays,
    'follow-up': own?.lookBackDays?.['follow-up'] ?? o.scores?.followUpLookBackDays,
  };
  const milestones = Object.fromEntries(Object.entries(course.milestones).map(([m, def]) => {
    const days = look[m as Milestone];
    return [m, def && days !== undefined ? { ...def, lookBackDays: days } : def];
  })) as CourseDefinition['milestones'];
  const finalDue = { ...course.finalDue, ...defined(o.finalDue?.[course.type] ?? {}), ...defined(own?.finalDue ?? {}) };
  const followUp = {
    ...course.followUp,
    ...defined({ targetMonths: o.followUp?.targetMonths, toleranceDays: o.followUp?.toleranceDays }),
    ...defined(own?.followUp ?? {}),
  };
  return { ...course, limits, milestones, finalDue, followUp };
}

function applyInstrument(i: InstrumentDefinition, o: DefinitionOverrides): InstrumentDefinition {
  const own = o.instruments?.[i.id];
  const legacy = o.scores;
  const minAnswered = own?.minAnswered ?? (i.method === 'percent-of-max' ? legacy?.odiMinAnswered : undefined);
  const itemChangePoints = own?.itemChangePoints ?? (i.method === 'mean-of-activities' ? legacy?.psfsActivityPoints : undefined);
  const change = { ...i.change, ...defined(legacy?.changeThresholds?.[i.id] ?? {}), ...defined(own?.change ?? {}) };
  return { ...i, change, ...defined({ minAnswered, itemChangePoints }) };
}

/** The definitions with the overrides applied, and every override that names something unknown. */
export function applyOverrides(base: Definitions, o: DefinitionOverrides): { definitions: Definitions; problems: string[] } {
  const problems: string[] = [];
  for (const type of Object.keys(o.courses ?? {})) {
    if (!base.courses.has(type)) problems.push(`courses: unknown course type ${JSON.stringify(type)} (known: ${[...base.courses.keys()].join(', ')})`);
  }
  for (const type of Object.keys(o.finalDue ?? {})) {
    if (!base.courses.has(type)) problems.push(`finalDue: unknown course type ${JSON.stringify(type)}`);
  }
  for (const id of [...Object.keys(o.instruments ?? {}), ...Object.keys(o.scores?.changeThresholds ?? {})]) {
    if (!base.instruments.has(id)) problems.push(`instruments: unknown instrument ${JSON.stringify(id)} (known: ${[...base.instruments.keys()].join(', ')})`);
  }
  const courses = new Map([...base.courses].map(([type, c]) => [type, applyCourse(c, o, problems)]));
  const instruments = new Map([...base.instruments].map(([id, i]) => [id, applyInstrument(i, o)]));
  return {
    definitions: { codes: base.codes, courses, instruments, common: commonDefinition([...courses.values()]) },
    problems,
  };
}
