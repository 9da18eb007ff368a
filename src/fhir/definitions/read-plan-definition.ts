import type {
  ConsultationCodeDefinition, CourseDefinition, FinalDueDefinition, LimitDefinition, LimitKind, LimitRule, Milestone,
  MilestoneDefinition, StepDefinition,
} from '../../course/definitions/types.js';
import { LIMIT_KINDS, LIMIT_RULES, MILESTONES } from '../../course/definitions/types.js';
import { arr, codings, isObject, prop, splitCanonical, str, type JsonObject } from '../map/guards.js';
import { DefinitionExtension as X } from './extension-urls.js';
import {
  bilingual, boolPart, codePart, durationOf, extensionsOf, intPart, partOf, partsOf,
} from './fhir-json.js';

/**
 * One course PlanDefinition (our profile) as a CourseDefinition. Each top-level action is a step; its sub-actions
 * name the step's consultation codes by ActivityDefinition canonical, the preferred first, each with its role
 * (course-code-role). Problems are collected, never thrown: the caller lists them all and refuses to start.
 */
export interface ReadContext {
  /** ActivityDefinition canonical (without version) -> the consultation code it performs. */
  readonly activities: ReadonlyMap<string, ConsultationCodeDefinition>;
  /** Questionnaire canonical (without version) -> instrument id. */
  readonly questionnaires: ReadonlyMap<string, string>;
}

const FOCUS = 'focus';

function stepOf(action: JsonObject, ctx: ReadContext, say: (m: string) => void): StepDefinition | undefined {
  const id = str(action, 'id');
  if (id === undefined) {
    say('a step action has no id');
    return undefined;
  }
  const ext = extensionsOf(action, X.step)[0];
  const codes: string[] = [];
  const supplements: string[] = [];
  const exceptions: string[] = [];
  const companions: Record<string, string> = {};
  const codeOfAction = new Map<string, string>();
  const subs = arr(action, 'action').filter(isObject);
  for (const sub of subs) {
    const canonical = str(sub, 'definitionCanonical');
    const def = canonical === undefined ? undefined : ctx.activities.get(splitCanonical(canonical).url);
    if (!def) {
      say(`step ${id}: ${canonical === undefined ? 'a code action has no definitionCanonical' : `unknown consultation code (no ActivityDefinition ${canonical})`}`);
      continue;
    }
    const subId = str(sub, 'id');
    if (subId !== undefined) codeOfAction.set(subId, def.code);
    const role = str(extensionsOf(sub, X.codeRole)[0], 'valueCode') ?? (codes.length === 0 ? 'preferred' : 'alternative');
    if (role === 'supplement') {
      if (!supplements.includes(def.code)) supplements.push(def.code);
      continue;
    }
    if (!codes.includes(def.code)) codes.push(def.code);
    if (role === 'exception') exceptions.push(def.code);
    if (role !== 'preferred' && role !== 'alternative' && role !== 'exception' && role !== 'companion') {
      say(`step ${id}: unknown code role ${role}`);
    }
  }
  for (const sub of subs) {
    if (str(extensionsOf(sub, X.codeRole)[0], 'valueCode') !== 'companion') continue;
    const own = codeOfAction.get(str(sub, 'id') ?? '');
    const partner = arr(sub, 'relatedAction').map((r) => codeOfAction.get(str(r, 'actionId') ?? '')).find((c) => c !== undefined);
    if (own === undefined) continue;
    if (partner === undefined) say(`step ${id}: companion ${own} relates to no code of the step`);
    else companions[own] = partner;
  }
  const milestone = codePart(ext, 'milestone');
  if (milestone !== undefined && !(MILESTONES as readonly string[]).includes(milestone)) say(`step ${id}: unknown milestone ${milestone}`);
  const planMin = intPart(ext, 'planMin') ?? 0;
  const planMax = intPart(ext, 'planMax');
  const title = bilingual(action, 'title');
  return {
    id,
    ...(title ? { title } : {}),
    codes,
    plan: { min: planMin, max: planMax ?? null },
    supplements,
    exceptions,
    companions,
    sharesDay: boolPart(ext, 'sharesDay') === true,
    ...(milestone !== undefined && (MILESTONES as readonly string[]).includes(milestone) ? { milestone: milestone as Milestone } : {}),
    recommendable: boolPart(ext, 'recommendable') !== false,
  };
}

function milestoneOf(action: JsonObject, ctx: ReadContext, say: (m: string) => void): MilestoneDefinition | undefined {
  const ext = extensionsOf(action, X.step)[0];
  const instruments: string[] = [];
  for (const p of partsOf(ext, 'instrument')) {
    const canonical = str(p, 'valueCanonical');
    const instrument = canonical === undefined ? undefined : ctx.questionnaires.get(splitCanonical(canonical).url);
    if (instrument === undefined) say(`step ${str(action, 'id') ?? ''}: unknown instrument (no Questionnaire ${canonical ?? '?'})`);
    else instruments.push(instrument);
  }
  const lookBack = durationOf(prop(partOf(ext, 'lookBack'), 'valueDuration'));
  return { instruments, lookBackDays: lookBack?.days ?? 0 };
}

function limitsOf(action: JsonObject, step: StepDefinition, say: (m: string) => void): LimitDefinition[] {
  const out: LimitDefinition[] = [];
  for (const ext of extensionsOf(action, X.limit)) {
    const id = str(partOf(ext, 'id'), 'valueId') ?? str(partOf(ext, 'id'), 'valueString');
    const rule = codePart(ext, 'rule');
    const kind = codePart(ext, 'kind');
    const max = intPart(ext, 'max');
    const where = `step ${step.id}, limit ${id ?? '?'}`;
    if (id === undefined) say(`step ${step.id}: a limit has no id`);
    if (rule === undefined || !(LIMIT_RULES as readonly string[]).includes(rule)) say(`${where}: rule must be one of ${LIMIT_RULES.join(', ')}`);
    if (kind === undefined || !(LIMIT_KINDS as readonly string[]).includes(kind)) say(`${where}: kind must be one of ${LIMIT_KINDS.join(', ')}`);
    if (max === undefined || max < 0) say(`${where}: max must be a non-negative integer`);
    const window = durationOf(prop(partOf(ext, 'window'), 'valueDuration'));
    const anchor = codePart(ext, 'anchor');
    if (anchor !== undefined && anchor !== 'entry' && anchor !== 'first') say(`${where}: anchor must be entry or first`);
    if (id === undefined || rule === undefined || kind === undefined || max === undefined) continue;
    out.push({
      id, rule: rule as LimitRule, kind: kind as LimitKind, step: step.id, codes: step.codes, max,
      ...(window?.months !== undefined ? { windowMonths: window.months } : {}),
      ...(window?.days !== undefined ? { windowDays: window.days } : {}),
      ...(kind === 'window' ? { anchor: (anchor ?? 'entry') as 'entry' | 'first' } : {}),
    });
  }
  return out;
}

function finalDueOf(plan: JsonObject, ctx: ReadContext, say: (m: string) => void): FinalDueDefinition {
  let afterDays: number | null = null;
  let afterCount: FinalDueDefinition['afterCount'] = null;
  for (const ext of extensionsOf(plan, X.finalDue)) {
    const days = intPart(ext, 'afterDays');
    const count = intPart(ext, 'afterCount');
    if (days !== undefined) afterDays = days;
    if (count !== undefined) {
      const canonical = str(partOf(ext, 'activity'), 'valueCanonical');
      const code = canonical === undefined ? undefined : ctx.activities.get(splitCanonical(canonical).url)?.code;
      if (code === undefined) say(`final-due: unknown consultation code (no ActivityDefinition ${canonical ?? '?'})`);
      else afterCount = { code, count };
    }
  }
  return { afterDays, afterCount };
}

export function readPlanDefinition(plan: unknown, ctx: ReadContext, source: string): { value?: CourseDefinition; problems: string[] } {
  const problems: string[] = [];
  const say = (m: string): void => {
    problems.push(`${source}: ${m}`);
  };
  if (!isObject(plan) || str(plan, 'resourceType') !== 'PlanDefinition') return { problems: [`${source}: not a PlanDefinition`] };
  const url = str(plan, 'url');
  if (url === undefined) say('has no url');
  const focus = arr(plan, 'useContext').find((u) => str(prop(u, 'code'), 'code') === FOCUS);
  const typeCoding = codings(prop(focus, 'valueCodeableConcept')).find((c) => c.code !== undefined && c.system !== undefined);
  if (typeCoding === undefined) say('has no course type (useContext focus coding)');
  const steps: StepDefinition[] = [];
  const limits: LimitDefinition[] = [];
  const milestones: Record<Milestone, MilestoneDefinition | undefined> = { entry: undefined, final: undefined, 'follow-up': undefined };
  let followUp = { targetMonths: [] as number[], toleranceDays: 0 };
  for (const action of arr(plan, 'action').filter(isObject)) {
    const step = stepOf(action, ctx, say);
    if (!step) continue;
    steps.push(step);
    limits.push(...limitsOf(action, step, say));
    if (step.milestone) milestones[step.milestone] = milestoneOf(action, ctx, say);
    const fu = extensionsOf(action, X.followUp)[0];
    if (fu) {
      const targets = partsOf(fu, 'target').map((p) => durationOf(prop(p, 'valueDuration'))?.months);
      if (targets.some((t) => t === undefined)) say(`step ${step.id}: follow-up targets must be durations in months`);
      followUp = {
        targetMonths: targets.filter((t): t is number => t !== undefined),
        toleranceDays: durationOf(prop(partOf(fu, 'tolerance'), 'valueDuration'))?.days ?? 0,
      };
    }
  }
  const title = bilingual(plan, 'title') ?? { da: url ?? source, en: url ?? source };
  const name = bilingual(plan, 'subtitle') ?? title;
  // A definition with problems of its own still goes on to the checks of meaning, so every problem is listed.
  if (url === undefined || typeCoding?.code === undefined || typeCoding.system === undefined) return { problems };
  const version = str(plan, 'version');
  return {
    value: {
      type: typeCoding.code, typeSystem: typeCoding.system, url, ...(version ? { version } : {}), title, name, source, resource: plan,
      steps, limits, milestones, finalDue: finalDueOf(plan, ctx, say), followUp,
    },
    problems,
  };
}
