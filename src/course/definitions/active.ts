import type { CourseConfig } from '../config.js';
import type { Bilingual, ChangeThreshold, CourseDefinition, Definitions, LimitDefinition, ScoringMethod } from './types.js';

/**
 * The active definitions as plain JSON: what the clinician app, the worklist, the CLI (`definitions`) and the
 * README's rules table show. Overrides are already applied, so every number here is the one the rules use.
 */
export interface ActiveStepView {
  readonly id: string;
  readonly title?: Bilingual;
  readonly codes: readonly { readonly code: string; readonly name: Bilingual; readonly mode: string; readonly role: 'preferred' | 'alternative' | 'exception' | 'companion' }[];
  readonly supplements: readonly string[];
  readonly plan: { readonly min: number; readonly max: number | null };
  readonly milestone?: string;
  /** Instruments required at the milestone, with the look-back in days. */
  readonly instruments?: readonly string[];
  readonly lookBackDays?: number;
}

export interface ActiveCourseView {
  readonly type: string;
  readonly url: string;
  readonly version?: string;
  readonly title: Bilingual;
  readonly name: Bilingual;
  readonly steps: readonly ActiveStepView[];
  readonly limits: readonly LimitDefinition[];
  readonly finalDue: { readonly afterDays: number | null; readonly afterCount: { readonly code: string; readonly count: number } | null };
  readonly followUp: { readonly targetMonths: readonly number[]; readonly toleranceDays: number };
}

export interface ActiveInstrumentView {
  readonly id: string;
  readonly name: Bilingual;
  readonly questionnaires: readonly string[];
  readonly codings: readonly { readonly system: string; readonly code: string }[];
  readonly range: { readonly min: number; readonly max: number };
  readonly higherIsBetter: boolean;
  readonly method: ScoringMethod;
  readonly decimals: number;
  readonly minAnswered?: number;
  readonly subscales: readonly string[];
  readonly change: ChangeThreshold;
  readonly itemChangePoints?: number;
}

export interface ActiveDefinitionsView {
  readonly courses: readonly ActiveCourseView[];
  readonly instruments: readonly ActiveInstrumentView[];
}

function courseView(c: CourseDefinition, d: Definitions): ActiveCourseView {
  return {
    type: c.type, url: c.url, ...(c.version ? { version: c.version } : {}), title: c.title, name: c.name,
    steps: c.steps.map((s) => {
      const m = s.milestone ? c.milestones[s.milestone] : undefined;
      return {
        id: s.id,
        ...(s.title ? { title: s.title } : {}),
        codes: s.codes.map((code, i) => {
          const info = d.codes.get(code);
          const role = s.companions[code] !== undefined ? 'companion' as const
            : s.exceptions.includes(code) ? 'exception' as const : i === 0 ? 'preferred' as const : 'alternative' as const;
          return { code, name: info?.name ?? { da: code, en: code }, mode: info?.mode ?? 'none', role };
        }),
        supplements: s.supplements,
        plan: s.plan,
        ...(s.milestone ? { milestone: s.milestone } : {}),
        ...(m ? { instruments: m.instruments, lookBackDays: m.lookBackDays } : {}),
      };
    }),
    limits: c.limits,
    finalDue: c.finalDue,
    followUp: c.followUp,
  };
}

/** Steps, limits, final-due triggers, follow-up targets and instruments of the active configuration. */
export function activeDefinitions(config: CourseConfig): ActiveDefinitionsView {
  const d = config.definitions;
  return {
    courses: [...d.courses.values()].map((c) => courseView(c, d)),
    instruments: [...d.instruments.values()].map((i) => ({
      id: i.id, name: { da: i.name.da.long, en: i.name.en.long }, questionnaires: i.questionnaires, codings: i.codings,
      range: { min: i.min, max: i.max }, higherIsBetter: i.higherIsBetter, method: i.method, decimals: i.decimals,
      ...(i.minAnswered !== undefined ? { minAnswered: i.minAnswered } : {}),
      subscales: i.subscales.map((s) => s.id), change: i.change,
      ...(i.itemChangePoints !== undefined ? { itemChangePoints: i.itemChangePoints } : {}),
    })),
  };
}
