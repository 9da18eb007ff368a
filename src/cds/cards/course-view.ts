import { milestoneStep, openingCodes } from '../../course/context.js';
import type { CourseDefinition, Definitions, LimitDefinition } from '../../course/definitions/types.js';
import type { CardLanguage } from './card-language.js';

/**
 * The course's definition as the templates read it: codes, limits, milestones and follow-up targets of the active
 * definition (overrides applied), so that a card states the numbers the rules used and never a default of its own.
 */
export interface LimitView {
  readonly id: string;
  readonly kind: LimitDefinition['kind'];
  readonly codes: readonly string[];
  readonly max: number;
  readonly windowMonths?: number;
  readonly windowDays?: number;
  readonly anchor?: string;
  readonly perWeek: boolean;
  readonly window: boolean;
}

export interface CourseView {
  readonly entryCodes: readonly string[];
  readonly companions: readonly { readonly code: string; readonly partner: string }[];
  readonly finalCode?: string;
  readonly followUpCodes: readonly string[];
  readonly followUpMonths: readonly number[];
  readonly toleranceDays: number;
  readonly followUpLimit?: number;
  readonly educationLimits: readonly LimitView[];
  readonly individualTrainingLimits: readonly LimitView[];
  readonly groupTrainingLimits: readonly LimitView[];
  readonly entryInstruments: readonly string[];
  readonly finalInstruments: readonly string[];
  readonly followUpInstruments: readonly string[];
  readonly sharesDayCodes: readonly string[];
  /** Each course type with the instruments it requires at entry: "forløb 1 (selvtræning): ODI og NPRS". */
  readonly types: readonly { readonly name: string; readonly entryInstruments: readonly string[] }[];
}

const limitView = (l: LimitDefinition): LimitView => ({
  id: l.id, kind: l.kind, codes: l.codes, max: l.max,
  ...(l.windowMonths !== undefined ? { windowMonths: l.windowMonths } : {}),
  ...(l.windowDays !== undefined ? { windowDays: l.windowDays } : {}),
  ...(l.anchor !== undefined ? { anchor: l.anchor } : {}),
  perWeek: l.kind === 'per-iso-week',
  window: l.kind === 'window',
});

export function courseView(defs: Definitions, type: string | undefined, lang: CardLanguage): CourseView {
  const d: CourseDefinition = (type !== undefined ? defs.courses.get(type) : undefined) ?? defs.common;
  const entry = milestoneStep(d, 'entry');
  const byRule = (rule: LimitDefinition['rule']) => d.limits.filter((l) => l.rule === rule).map(limitView);
  const followUp = d.limits.find((l) => l.rule === 'follow-up-timing' && l.kind === 'per-course');
  const finalCode = milestoneStep(d, 'final')?.codes[0];
  return {
    entryCodes: openingCodes(entry),
    companions: Object.entries(entry?.companions ?? {}).map(([code, partner]) => ({ code, partner })),
    ...(finalCode !== undefined ? { finalCode } : {}),
    followUpCodes: milestoneStep(d, 'follow-up')?.codes ?? [],
    followUpMonths: d.followUp.targetMonths,
    toleranceDays: d.followUp.toleranceDays,
    ...(followUp ? { followUpLimit: followUp.max } : {}),
    educationLimits: byRule('education-limit'),
    individualTrainingLimits: byRule('individual-training-limit'),
    groupTrainingLimits: byRule('group-training-frequency'),
    entryInstruments: d.milestones.entry?.instruments ?? [],
    finalInstruments: d.milestones.final?.instruments ?? [],
    followUpInstruments: d.milestones['follow-up']?.instruments ?? [],
    sharesDayCodes: d.steps.filter((s) => s.sharesDay).flatMap((s) => s.codes),
    types: [...defs.courses.values()].map((c) => ({ name: c.name[lang], entryInstruments: c.milestones.entry?.instruments ?? [] })),
  };
}
