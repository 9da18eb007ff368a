/** The course timeline: consultations against the plan's steps and limits, the rules' findings, the recommendation. */
import type { CourseDefinition, StepDefinition } from '../../course/definitions/types.js';
import type { Evaluation, Finding } from '../../course/types.js';
import { RULE_TITLES } from '../../cds/cards/card-text.js';
import { h } from '../dom.js';
import { consultationName, courseDefinition, courseTitle, planSteps, type CourseView } from './course-glue.js';
import type { Lang, Messages } from './i18n.js';
import { formatLocalDate } from './format.js';

/** One limit as the engine reports it in the progress facts (src/course/progress.ts). */
interface LimitFact {
  readonly id: string;
  readonly kind: string;
  readonly codes: readonly string[];
  readonly max: number;
  readonly windowStart?: string;
  readonly windowEnd?: string;
}

function limitFacts(facts: Evaluation['progress']['facts']): LimitFact[] {
  const list = facts['limits'];
  if (!Array.isArray(list)) return [];
  return list.flatMap((x): LimitFact[] => {
    if (x === null || typeof x !== 'object' || Array.isArray(x)) return [];
    const o = x as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.kind !== 'string' || typeof o.max !== 'number' || !Array.isArray(o.codes)) return [];
    return [{
      id: o.id, kind: o.kind, max: o.max, codes: o.codes.filter((c): c is string => typeof c === 'string'),
      ...(typeof o.windowStart === 'string' ? { windowStart: o.windowStart } : {}),
      ...(typeof o.windowEnd === 'string' ? { windowEnd: o.windowEnd } : {}),
    }];
  });
}

export function timelineView(view: CourseView, m: Messages, lang: Lang): HTMLElement {
  const evaluation = view.evaluation;
  if (!evaluation || !evaluation.hasCourse || !view.history) return h('p', { class: 'state empty', 'data-state': 'no-course' }, m.noCourse);
  const findingsById = new Map<string, Finding[]>();
  for (const f of evaluation.findings) for (const id of f.consultationIds) findingsById.set(id, [...(findingsById.get(id) ?? []), f]);
  const consultations = [...view.history.consultations].sort((a, b) => (a.start ?? a.date).localeCompare(b.start ?? b.date));

  return h('section', { class: 'timeline', 'aria-labelledby': 'timeline-title' },
    h('h2', { id: 'timeline-title' }, `${m.courseType}: ${courseTitle(evaluation.type, lang) ?? m.typeUnknown}`),
    h('p', { class: 'muted' }, `${m.referenceDate}: ${formatLocalDate(evaluation.referenceDate, lang)}`),
    recommendationBox(evaluation, m, lang),
    h('h3', {}, m.consultations),
    h('ol', { class: 'consultations', 'data-testid': 'consultations' }, consultations.map((c) => {
      const found = findingsById.get(c.id) ?? [];
      return h('li', { class: `consultation${found.length ? ' has-finding' : ''}${c.current ? ' current' : ''}`, 'data-code': c.code },
        h('span', { class: 'date' }, formatLocalDate(c.date, lang)),
        h('span', { class: 'code' }, c.code),
        h('span', { class: 'name' }, consultationName(c.code, lang)),
        h('span', { class: 'status' }, `${m.status[c.status] ?? c.status}${c.current ? ` · ${m.current}` : ''}`),
        found.length ? h('span', { class: 'flag' }, found.map((f) => RULE_TITLES[f.ruleId][lang]).join(', ')) : null);
    })),
    planTable(evaluation, m, lang),
    findingsList(evaluation, m, lang),
  );
}

function recommendationBox(evaluation: Evaluation, m: Messages, lang: Lang): HTMLElement | null {
  const [first, ...rest] = [...evaluation.recommendations].sort((a, b) => a.rank - b.rank);
  if (!first) return null;
  return h('div', { class: 'recommendation', 'data-testid': 'recommendation' },
    h('strong', {}, `${m.recommendation}: `), `${first.code} ${consultationName(first.code, lang)}`,
    typeof first.facts['targetDate'] === 'string' ? ` (${formatLocalDate(String(first.facts['targetDate']), lang)})` : '',
    rest.length ? h('div', { class: 'muted' }, `${m.alternatives}: ${rest.map((r) => `${r.code} ${consultationName(r.code, lang)}`).join(' · ')}`) : null);
}

/**
 * Limits as the engine reported them in the progress facts (the configuration's numbers, never restated here): the
 * limits defined on this step (by the definition's step, else by their codes), the follow-up milestone's from
 * followUpLimit; an entry or final step without a limit is one consultation.
 */
function limitFor(step: StepDefinition, definition: CourseDefinition, facts: Evaluation['progress']['facts'], m: Messages, lang: Lang): string {
  const onStep = limitFacts(facts).filter((l) => {
    const defined = definition.limits.find((d) => d.id === l.id);
    return defined ? defined.step === step.id : l.codes.some((c) => step.codes.includes(c));
  });
  // Counted limits first (per course, window), the weekly frequency after.
  const ordered = [...onStep.filter((l) => l.kind !== 'per-iso-week'), ...onStep.filter((l) => l.kind === 'per-iso-week')];
  const texts = ordered.map((l) => {
    if (l.kind === 'per-iso-week') return m.perIsoWeek(l.max);
    const windowText = l.kind === 'window' && l.windowStart !== undefined && l.windowEnd !== undefined
      ? ` (${m.window(formatLocalDate(l.windowStart, lang), formatLocalDate(l.windowEnd, lang))})` : '';
    return `${l.max}${windowText}`;
  });
  if (step.milestone === 'follow-up' && typeof facts['followUpLimit'] === 'number') texts.push(String(facts['followUpLimit']));
  if (texts.length > 0) return texts.join(' · ');
  if (step.milestone === 'entry' || step.milestone === 'final') return '1';
  return '';
}

function planTable(evaluation: Evaluation, m: Messages, lang: Lang): HTMLElement {
  const counts = evaluation.progress.counts;
  const facts = evaluation.progress.facts as Record<string, unknown>;
  const definition = courseDefinition(evaluation.type);
  const rows = planSteps(evaluation.type).map((step) => {
    const used = [...step.codes, ...(step.supplements ?? [])].reduce((n, code) => n + (counts[code] ?? 0), 0);
    const planned = step.plan.max === null ? `${step.plan.min}+` : step.plan.min === step.plan.max ? String(step.plan.min) : `${step.plan.min}–${step.plan.max}`;
    return h('tr', { 'data-step': step.id },
      h('th', { scope: 'row' }, step.title?.[lang] ?? step.id, h('div', { class: 'muted' }, [...step.codes, ...(step.supplements ?? [])].join(', '))),
      h('td', {}, String(used)), h('td', {}, planned), h('td', {}, limitFor(step, definition, evaluation.progress.facts, m, lang)));
  });
  // The milestones' codes as the engine reported them (the definition's preferred final and follow-up codes).
  const finalCode = typeof facts.finalCode === 'string' ? facts.finalCode : '';
  const followUpCode = typeof facts.followUpCode === 'string' ? facts.followUpCode : '';
  const due = !finalCode ? '' : facts.finalDue === true ? m.finalDueNow(finalCode) : typeof facts.finalDueDate === 'string' ? m.finalDue(finalCode, formatLocalDate(facts.finalDueDate, lang)) : '';
  const targets = Array.isArray(facts.followUpTargets) ? (facts.followUpTargets as string[]).map((d) => formatLocalDate(d, lang)).join(', ') : '';
  return h('div', { class: 'plan' },
    h('h3', {}, m.plan),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.colStep), h('th', { scope: 'col' }, m.colUsed), h('th', { scope: 'col' }, m.colPlanned), h('th', { scope: 'col' }, m.colLimit))), h('tbody', {}, rows)) : null,
    due ? h('p', { 'data-testid': 'final-due' }, due) : null,
    targets ? h('p', {}, `${m.followUpTargets(followUpCode)}: ${targets}`) : null);
}

function findingsList(evaluation: Evaluation, m: Messages, lang: Lang): HTMLElement {
  const findings = evaluation.findings.filter((f) => f.ruleId !== 'next-consultation');
  return h('div', { class: 'findings' },
    h('h3', {}, m.findings),
    findings.length === 0 ? h('p', { class: 'muted' }, m.noFindings) : h('ul', {}, findings.map((f) =>
      h('li', { class: `finding ${f.severity}`, 'data-rule': f.ruleId }, h('strong', {}, RULE_TITLES[f.ruleId][lang]), ` (${f.kind})`))));
}
