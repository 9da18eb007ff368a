/** Questionnaire entry: pick an instrument, fill in its form (rendered from the server's Questionnaire), save. */
import { INSTRUMENTS, type Instrument } from '../../course/index.js';
import { InstrumentName, ODI_LINK_IDS, ODI_SEX_LIFE_SECTION, PSFS_SLOTS } from '../../instruments/index.js';
import { h } from '../dom.js';
import type { CourseView } from './course-glue.js';
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
  readonly instrument: Instrument;
  readonly encounterId?: string;
  readonly choose: (instrument: Instrument) => void;
  readonly saved: (message: string) => Promise<void>;
  readonly expired: () => void;
}

export function questionnaireView(deps: QuestionnaireViewDeps): HTMLElement {
  const { m, lang, instrument } = deps;
  const picker = h('div', { class: 'instrument-picker', role: 'group', 'aria-label': m.chooseQuestionnaire },
    INSTRUMENTS.map((i) => h('button', { type: 'button', class: i === instrument ? 'selected' : '', 'aria-pressed': String(i === instrument), 'data-instrument': i, onclick: () => deps.choose(i) }, InstrumentName[i][lang].replace(/ \(.*$/, '') + ` (${i.toUpperCase()})`)));
  const q = deps.data.questionnaireByInstrument[instrument];
  if (!q) return h('section', {}, picker, h('p', { class: 'state error' }, m.questionnaireMissing));

  const baseline = deps.view.evaluation?.outcome.baseline.psfs?.activities ?? [];
  const fixed = new Map<string, string>();
  if (instrument === 'psfs') {
    for (const a of baseline) {
      const slot = PSFS_SLOTS.find((s) => s.group === a.id);
      if (slot && a.label) fixed.set(slot.activity, a.label);
    }
  }
  const notes = new Map<string, string>([[ODI_LINK_IDS[ODI_SEX_LIFE_SECTION], m.odiSkippable]]);
  const form = renderQuestionnaire(q, { lang, fixed, notes });
  if (fixed.size > 0) form.insertBefore(h('p', { class: 'note', 'data-testid': 'psfs-rerating' }, m.psfsBaseline), form.children[1] ?? null);
  const live = h('p', { class: 'live-score', 'aria-live': 'polite', 'data-testid': 'live-score' });
  const status = h('p', { class: 'form-status', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'submit' }, m.submit) as HTMLButtonElement;
  form.append(live, submit, status);

  const update = (): void => {
    const check = checkForm(instrument, q, form, m, lang);
    live.textContent = check.message;
    submit.disabled = !check.valid;
  };
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      const check = checkForm(instrument, q, form, m, lang);
      if (!check.valid || check.value === undefined) {
        status.textContent = m.invalidForm;
        return;
      }
      submit.disabled = true;
      status.textContent = m.saving;
      const write = {
        instrument,
        questionnaire: q,
        patientId: deps.session.patientId,
        ...(deps.encounterId ? { encounterId: deps.encounterId } : {}),
        authored: nowWithOffset(new Date()),
        items: responseItems(q, form, check.value),
        value: check.value,
        ...(check.activities ? { activities: check.activities } : {}),
      };
      try {
        const response = await deps.session.create(questionnaireResponse(write));
        await deps.session.create(scoreObservation(write, response.id!));
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
