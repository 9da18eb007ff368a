/** Questionnaire entry: pick an instrument, fill in its form (rendered from the server's Questionnaire), save. */
import type { Definitions, InstrumentDefinition } from '../../course/definitions/types.js';
import type { Instrument } from '../../course/types.js';
import { ODI_LINK_IDS } from '../../instruments/link-ids.js';
import { ODI_SEX_LIFE_SECTION } from '../../instruments/odi.js';
import { h } from '../dom.js';
import { instrumentLabel, type CourseView } from './course-glue.js';
import type { PatientData } from './data.js';
import { SessionExpiredError, WriteRefusedError, type Session } from './fhir-session.js';
import type { Lang, Messages } from './i18n.js';
import { checkForm, responseItems } from './instrument-check.js';
import { renderQuestionnaire } from './questionnaire-form.js';
import { nowWithOffset, questionnaireResponse, scoreObservation } from './score-resources.js';

export interface QuestionnaireViewDeps {
  readonly session: Session;
  readonly data: PatientData;
  readonly view: CourseView;
  readonly m: Messages;
  readonly lang: Lang;
  readonly definitions: Definitions;
  /** The instrument chosen; absent: the first one whose Questionnaire the server holds. */
  readonly instrument?: Instrument;
  readonly encounterId?: string;
  readonly choose: (instrument: Instrument) => void;
  readonly saved: (message: string) => Promise<void>;
  readonly expired: () => void;
}

/** The instruments the app can offer: those of the definitions whose Questionnaire the server holds, in order. */
export function offeredInstruments(defs: Definitions, data: PatientData): InstrumentDefinition[] {
  return [...defs.instruments.values()].filter((d) => data.questionnaireByInstrument[d.id] !== undefined);
}

export function questionnaireView(deps: QuestionnaireViewDeps): HTMLElement {
  const { m, lang } = deps;
  const offered = offeredInstruments(deps.definitions, deps.data);
  const instrument = deps.instrument ?? offered[0]?.id;
  const picker = h('div', { class: 'instrument-picker', role: 'group', 'aria-label': m.chooseQuestionnaire },
    offered.map((d) => h('button', { type: 'button', class: d.id === instrument ? 'selected' : '', 'aria-pressed': String(d.id === instrument), 'data-instrument': d.id, onclick: () => deps.choose(d.id) }, instrumentLabel(d, lang))));
  const def = instrument !== undefined ? deps.definitions.instruments.get(instrument) : undefined;
  const q = instrument !== undefined ? deps.data.questionnaireByInstrument[instrument] : undefined;
  if (!def || !q) return h('section', {}, picker, h('p', { class: 'state error' }, m.questionnaireMissing));

  // Re-rating: the activities named at the baseline stay fixed (matched by the activity's group linkId or its
  // component code '<code>-<n>').
  const baseline = deps.view.evaluation?.outcome.baseline[def.id]?.activities ?? [];
  const fixed = new Map<string, string>();
  if (def.method === 'mean-of-activities') {
    const own = def.codings.find((c) => c.system !== 'http://loinc.org');
    for (const a of baseline) {
      const slot = def.activities.find((s, i) => s.group === a.id || (own !== undefined && a.id === `${own.code}-${i + 1}`));
      if (slot && a.label) fixed.set(slot.text, a.label);
    }
  }
  // The ODI's sex-life section may be skipped (the minimum answered allows it): said under that section.
  const skippable = ODI_LINK_IDS[ODI_SEX_LIFE_SECTION];
  const notes = new Map<string, string>(def.items.includes(skippable) ? [[skippable, m.odiSkippable]] : []);
  const form = renderQuestionnaire(q, { lang, fixed, notes });
  if (fixed.size > 0) form.insertBefore(h('p', { class: 'note', 'data-testid': 'psfs-rerating' }, m.psfsBaseline), form.children[1] ?? null);
  const live = h('p', { class: 'live-score', 'aria-live': 'polite', 'data-testid': 'live-score' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'submit' }, m.submit) as HTMLButtonElement;
  form.append(live, submit, status);

  const update = (): void => {
    const check = checkForm(def, q, form, m, lang);
    live.textContent = check.message;
    submit.disabled = !check.valid;
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const check = checkForm(def, q, form, m, lang);
      if (!check.valid || (check.value === undefined && !check.subscales?.length)) {
        status.textContent = m.invalidForm;
        return;
      }
      submit.disabled = true;
      status.textContent = m.saving;
      const write = {
        instrument: def,
        questionnaire: q,
        patientId: deps.session.patientId,
        ...(deps.encounterId ? { encounterId: deps.encounterId } : {}),
        authored: nowWithOffset(new Date()),
        items: responseItems(q, form, check.value),
        ...(check.value !== undefined ? { value: check.value } : {}),
        ...(check.activities ? { activities: check.activities } : {}),
        ...(check.subscales ? { subscales: check.subscales } : {}),
      };
      try {
        const response = await deps.session.create(questionnaireResponse(write));
        const observation = scoreObservation(write, response.id!);
        if (observation) await deps.session.create(observation);
        await deps.saved(m.saved(check.message.replace(/^[^:]*: /, '')));
      } catch (error) {
        if (error instanceof SessionExpiredError) return deps.expired();
        status.textContent = error instanceof WriteRefusedError ? m.refused : `${m.readFailed}: ${(error as Error).message}`;
        status.setAttribute('data-state', error instanceof WriteRefusedError ? 'refused' : 'error');
        submit.disabled = false;
      }
    })();
  });
  return h('section', { class: 'questionnaire-view' }, picker, form);
}
