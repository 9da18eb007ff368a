/**
 * Forløbsoverblik, the SMART app launched from the cards: the course timeline, the scores over time, and
 * questionnaire entry. Danish by default, English by a switch. All FHIR access goes through fhir-session.ts.
 */
import './app.css';
import type { Patient } from 'fhir/r4.js';
import type { Definitions } from '../../course/definitions/types.js';
import type { Instrument } from '../../course/types.js';
import { clear, h } from '../dom.js';
import { evaluatePatient, loadDefinitions, type CourseView } from './course-glue.js';
import { loadPatientData, type PatientData } from './data.js';
import { launch, SessionExpiredError, type Session } from './fhir-session.js';
import { currentLang, MESSAGES, setLang, type Lang } from './i18n.js';
import { questionnaireView } from './questionnaire-view.js';
import { scoresView } from './scores-view.js';
import { timelineView } from './timeline-view.js';

type Tab = 'timeline' | 'scores' | 'questionnaire';
const TABS: readonly Tab[] = ['timeline', 'scores', 'questionnaire'];

interface Loaded {
  readonly session: Session;
  data: PatientData;
  view: CourseView;
}

const root = document.getElementById('app')!;
let lang: Lang = currentLang();
let tab: Tab = 'timeline';
/** The instrument chosen (appContext or the picker); undefined: the first one whose form the server holds. */
let instrument: Instrument | undefined;
let definitions: Definitions | undefined;
let loaded: Loaded | undefined;
let flash = '';
let screen: 'loading' | 'app' | 'not-launched' | 'expired' | 'error' = 'loading';
let errorText = '';

setLang(lang);
void start();

async function start(): Promise<void> {
  render();
  // The service's active course definitions, fetched beside the launch (once: every later load reuses them).
  const definitionsLoading = loadDefinitions();
  definitionsLoading.catch(() => undefined);
  let outcome;
  try {
    outcome = await launch();
  } catch (error) {
    return fail(`${MESSAGES[lang].launchFailed}: ${(error as Error).message}`);
  }
  if (outcome.kind === 'redirecting') return;
  if (outcome.kind === 'not-launched') {
    screen = 'not-launched';
    return render();
  }
  try {
    definitions = await definitionsLoading;
  } catch (error) {
    return fail(`${MESSAGES[lang].definitionsFailed}: ${(error as Error).message}`);
  }
  const session = outcome.session;
  const context = session.appContext ?? {};
  if (context.view === 'questionnaire') tab = 'questionnaire';
  else if (context.view === 'scores') tab = 'scores';
  if (typeof context.instrument === 'string' && definitions.instruments.has(context.instrument)) instrument = context.instrument;
  await load(session);
}

function encounterOf(session: Session): string | undefined {
  const fromContext = session.appContext?.encounter;
  return typeof fromContext === 'string' && fromContext !== '' ? fromContext : session.encounterId;
}

async function load(session: Session): Promise<void> {
  // start() reads the definitions before the first load.
  if (!definitions) return fail(MESSAGES[lang].definitionsFailed);
  try {
    const data = await loadPatientData(session, definitions);
    loaded = { session, data, view: evaluatePatient(data, encounterOf(session), new Date()) };
    screen = 'app';
  } catch (error) {
    if (error instanceof SessionExpiredError) screen = 'expired';
    else return fail(`${MESSAGES[lang].readFailed}: ${(error as Error).message}`);
  }
  render();
}

function fail(text: string): void {
  screen = 'error';
  errorText = text;
  render();
}

function render(): void {
  const m = MESSAGES[lang];
  clear(root);
  const langButton = h('button', { type: 'button', class: 'lang', lang: lang === 'da' ? 'en' : 'da', 'data-testid': 'lang', onclick: () => { lang = lang === 'da' ? 'en' : 'da'; setLang(lang); render(); } }, m.languageSwitch);
  const header = h('header', { class: 'bar' }, h('h1', {}, m.appTitle), loaded?.data.patient ? h('span', { class: 'patient' }, patientLabel(loaded.data.patient)) : null, langButton);
  root.append(header);
  if (screen === 'loading') return void root.append(h('p', { class: 'state' }, m.loading));
  if (screen === 'not-launched') {
    return void root.append(h('div', { class: 'state', 'data-state': 'not-launched' }, h('p', {}, m.notLaunched), h('a', { class: 'button primary', href: '/app/?standalone=1' }, m.startStandalone)));
  }
  if (screen === 'expired') {
    return void root.append(h('div', { class: 'state error', 'data-state': 'expired', role: 'alert' }, h('p', {}, m.expired), h('a', { class: 'button', href: '/app/?standalone=1' }, m.restart)));
  }
  if (screen === 'error' || !loaded || !definitions) return void root.append(h('p', { class: 'state error', role: 'alert' }, errorText));

  const nav = h('nav', { class: 'tabs', role: 'tablist' }, TABS.map((t) => h('button', {
    type: 'button', role: 'tab', id: `tab-${t}`, 'aria-selected': String(t === tab), 'aria-controls': 'panel', 'data-tab': t,
    onclick: () => { tab = t; flash = ''; render(); },
  }, m.tabs[t]!)));
  const panel = h('main', { id: 'panel', role: 'tabpanel', 'aria-labelledby': `tab-${tab}` });
  if (flash) panel.append(h('p', { class: 'flash', role: 'status', 'data-testid': 'flash' }, flash));
  const state = loaded;
  if (tab === 'timeline') panel.append(timelineView(state.view, m, lang));
  else if (tab === 'scores') panel.append(scoresView(state.view, m, lang));
  else {
    const encounterId = encounterOf(state.session);
    panel.append(questionnaireView({
      session: state.session, data: state.data, view: state.view, m, lang, definitions,
      ...(instrument !== undefined ? { instrument } : {}),
      ...(encounterId ? { encounterId } : {}),
      choose: (i) => { instrument = i; flash = ''; render(); },
      saved: async (message) => { flash = message; tab = 'scores'; await load(state.session); },
      expired: () => { screen = 'expired'; render(); },
    }));
  }
  root.append(nav, panel);
}

function patientLabel(p: Patient): string {
  const n = p.name?.[0];
  return n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
}
