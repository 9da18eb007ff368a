/** The course timeline: consultations against the plan's steps and limits, the rules' findings, the recommendation. */
import { CONSULTATION_CATALOGUE, type ConsultationCode, type Evaluation, type Finding, type StepId } from '../../course/index.js';
import { RULE_TITLES } from '../../cds/cards/card-text.js';
import { h } from '../dom.js';
import { courseTitle, planSteps, type CourseView } from './course-glue.js';
import type { Lang, Messages } from './i18n.js';
import { formatLocalDate } from './format.js';

const STEP_NAMES: Readonly<Record<StepId, Readonly<Record<Lang, string>>>> = {
  entry: { da: 'Indgang', en: 'Entry' },
  education: { da: 'Patientuddannelse', en: 'Patient education' },
  'individual-training': { da: 'Individuel træning', en: 'Individual training' },
  'group-training': { da: 'Holdtræning', en: 'Group training' },
  'self-training': { da: 'Selvtræning på klinik', en: 'Self-training at the clinic' },
  final: { da: 'Afslutning', en: 'Final' },
  'follow-up': { da: 'Opfølgning', en: 'Follow-up' },
};

export const consultationName = (code: ConsultationCode, lang: Lang): string =>
  lang === 'da' ? CONSULTATION_CATALOGUE[code].nameDa : CONSULTATION_CATALOGUE[code].nameEn;

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

/** Limits as the engine reported them in the progress facts (the configuration's numbers, never restated here). */
function limitFor(step: StepId, facts: Evaluation['progress']['facts'], m: Messages, lang: Lang): string {
  const f = facts as Record<string, unknown>;
  if (step === 'education') return String(f.educationLimit ?? '');
  if (step === 'individual-training') {
    const windowText = typeof f.individualTrainingWindowStart === 'string' && typeof f.individualTrainingWindowEnd === 'string'
      ? ` (${m.window(formatLocalDate(f.individualTrainingWindowStart, lang), formatLocalDate(f.individualTrainingWindowEnd, lang))})` : '';
    return `${String(f.individualTrainingLimit ?? '')}${windowText}`;
  }
  if (step === 'group-training') return String(f.groupTrainingLimit ?? '');
  if (step === 'follow-up') return String(f.followUpLimit ?? '');
  if (step === 'entry' || step === 'final') return '1';
  return '';
}

function planTable(evaluation: Evaluation, m: Messages, lang: Lang): HTMLElement {
  const counts = evaluation.progress.counts;
  const facts = evaluation.progress.facts as Record<string, unknown>;
  const rows = planSteps(evaluation.type).map((step) => {
    const used = [...step.codes, ...(step.supplements ?? [])].reduce((n, code) => n + (counts[code] ?? 0), 0);
    const planned = step.plan.max === null ? `${step.plan.min}+` : step.plan.min === step.plan.max ? String(step.plan.min) : `${step.plan.min}–${step.plan.max}`;
    return h('tr', { 'data-step': step.id },
      h('th', { scope: 'row' }, STEP_NAMES[step.id][lang], h('div', { class: 'muted' }, [...step.codes, ...(step.supplements ?? [])].join(', '))),
      h('td', {}, String(used)), h('td', {}, planned), h('td', {}, limitFor(step.id, evaluation.progress.facts, m, lang)));
  });
  const due = facts.finalDue === true ? m.finalDueNow : typeof facts.finalDueDate === 'string' ? m.finalDue(formatLocalDate(facts.finalDueDate, lang)) : '';
  const targets = Array.isArray(facts.followUpTargets) ? (facts.followUpTargets as string[]).map((d) => formatLocalDate(d, lang)).join(', ') : '';
  return h('div', { class: 'plan' },
    h('h3', {}, m.plan),
    rows.length ? h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.colStep), h('th', { scope: 'col' }, m.colUsed), h('th', { scope: 'col' }, m.colPlanned), h('th', { scope: 'col' }, m.colLimit))), h('tbody', {}, rows)) : null,
    due ? h('p', { 'data-testid': 'final-due' }, due) : null,
    targets ? h('p', {}, `${m.followUpTargets}: ${targets}`) : null);
}

function findingsList(evaluation: Evaluation, m: Messages, lang: Lang): HTMLElement {
  const findings = evaluation.findings.filter((f) => f.ruleId !== 'next-consultation');
  return h('div', { class: 'findings' },
    h('h3', {}, m.findings),
    findings.length === 0 ? h('p', { class: 'muted' }, m.noFindings) : h('ul', {}, findings.map((f) =>
      h('li', { class: `finding ${f.severity}`, 'data-rule': f.ruleId }, h('strong', {}, RULE_TITLES[f.ruleId][lang]), ` (${f.kind})`))));
}
