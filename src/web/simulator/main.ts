/**
 * The EHR simulator page: choose a demo patient and encounter, fire a hook (signed with the simulator's development
 * JWT), and see the cards as an EHR shows them. Accepting a suggestion creates its resource in the FHIR server and
 * sends feedback; dismissing sends feedback with the chosen reason; a SMART link starts an EHR launch of the app.
 */
import './simulator.css';
import { Marked } from 'marked';
import { definitionsFromJson, type DefinitionsJson } from '../../course/definitions/serialize.js';
import type { ConsultationCodeDefinition } from '../../course/definitions/types.js';
import { clear, h } from '../dom.js';

interface DemoPatient { key: string; title: { da: string; en: string }; patientId: string; encounterIds: string[]; currentEncounterId?: string }
interface Coding { system?: string; code: string; display?: string }
interface Card {
  uuid?: string; summary: string; detail?: string; indicator: 'info' | 'warning' | 'critical';
  source: { label: string; url?: string; topic?: Coding };
  suggestions?: { label: string; uuid?: string; isRecommended?: boolean; actions?: { type: string; description?: string; resource?: { resourceType: string } & Record<string, unknown> }[] }[];
  links?: { label: string; url: string; type: 'absolute' | 'smart'; appContext?: string }[];
  overrideReasons?: Coding[];
}

const HOOK_SERVICES = { 'patient-view': 'lbp-patient-view', 'encounter-start': 'lbp-encounter-start', 'appointment-book': 'lbp-appointment-book' } as const;
type Hook = keyof typeof HOOK_SERVICES;
const origin = location.origin;
const fhirBase = `${origin}/fhir`;
const root = document.getElementById('root')!;
// Card markdown as an EHR renders it: raw HTML in the markdown is shown as text, never interpreted.
const markdown = new Marked({ renderer: { html: ({ text }) => escapeHtml(text) } });

let patients: DemoPatient[] = [];
/** The service's consultation codes (its active course definitions), for the proposed appointment's code. */
let consultationCodes: ConsultationCodeDefinition[] = [];
let lastExchange: { request: unknown; token?: unknown; response: unknown; status?: number } | undefined;
let cards: Card[] = [];
let context: { patient: string; encounter?: string; hook: Hook; service: string; lang: string } | undefined;
const feedbackLog: string[] = [];

void init();

async function init(): Promise<void> {
  const [patientList, codes] = await Promise.all([
    fetch('/ehr/api/patients').then(async (r) => (await r.json()) as DemoPatient[]),
    // Same definitions the app reads (DEFINITIONS_PATH); without them the appointment's code list stays empty.
    fetch('/app/course-definitions.json').then(async (r) => (r.ok ? [...definitionsFromJson((await r.json()) as DefinitionsJson).codes.values()] : []))
      .catch(() => [] as ConsultationCodeDefinition[]),
  ]);
  patients = patientList;
  consultationCodes = codes;
  render();
}

function render(): void {
  clear(root);
  const patientSelect = h('select', { id: 'patient', name: 'patient' }, patients.map((p) => h('option', { value: p.key }, `${p.title.da}`))) as HTMLSelectElement;
  const encounterSelect = h('select', { id: 'encounter', name: 'encounter' }) as HTMLSelectElement;
  const hookSelect = h('select', { id: 'hook', name: 'hook' }, (Object.keys(HOOK_SERVICES) as Hook[]).map((k) => h('option', { value: k }, k))) as HTMLSelectElement;
  const langSelect = h('select', { id: 'lang', name: 'lang' }, h('option', { value: 'da' }, 'Dansk'), h('option', { value: 'en' }, 'English')) as HTMLSelectElement;
  const codeSelect = h('select', { id: 'appointment-code', name: 'appointment-code' }, consultationCodes.map((c) => h('option', { value: c.code }, `${c.code} ${c.name.da}`))) as HTMLSelectElement;
  const startInput = h('input', { id: 'appointment-start', type: 'datetime-local', value: '2026-12-02T10:00' }) as HTMLInputElement;
  const appointmentForm = h('fieldset', { class: 'appointment', hidden: true }, h('legend', {}, 'Foreslået aftale (appointment-book)'),
    h('label', { for: 'appointment-code' }, 'Ydelse'), codeSelect, h('label', { for: 'appointment-start' }, 'Start'), startInput);

  const fillEncounters = (): void => {
    const p = patients.find((x) => x.key === patientSelect.value);
    clear(encounterSelect);
    encounterSelect.append(h('option', { value: '' }, '(ingen)'));
    for (const id of p?.encounterIds ?? []) encounterSelect.append(h('option', { value: id, selected: id === p?.currentEncounterId }, id === p?.currentEncounterId ? `${id} (aktuel)` : id));
    hookSelect.value = p?.currentEncounterId ? 'encounter-start' : 'patient-view';
    appointmentForm.hidden = hookSelect.value !== 'appointment-book';
  };
  patientSelect.addEventListener('change', fillEncounters);
  hookSelect.addEventListener('change', () => { appointmentForm.hidden = hookSelect.value !== 'appointment-book'; });
  if (context) patientSelect.value = patients.find((p) => p.patientId === context!.patient)?.key ?? patientSelect.value;
  fillEncounters();
  if (context) { hookSelect.value = context.hook; langSelect.value = context.lang; appointmentForm.hidden = context.hook !== 'appointment-book'; if (context.encounter) encounterSelect.value = context.encounter; }

  const fire = async (event: Event): Promise<void> => {
    event.preventDefault();
    const p = patients.find((x) => x.key === patientSelect.value)!;
    const hook = hookSelect.value as Hook;
    await fireHook({ patient: p.patientId, hook, lang: langSelect.value, service: HOOK_SERVICES[hook], ...(encounterSelect.value ? { encounter: encounterSelect.value } : {}) },
      hook === 'appointment-book' ? { code: codeSelect.value, start: startInput.value } : undefined);
  };
  const form = h('form', { class: 'controls', onsubmit: (e) => void fire(e) },
    h('label', { for: 'patient' }, 'Patient'), patientSelect,
    h('label', { for: 'encounter' }, 'Konsultation (Encounter)'), encounterSelect,
    h('label', { for: 'hook' }, 'Hook'), hookSelect,
    h('label', { for: 'lang' }, 'Sprog'), langSelect,
    appointmentForm,
    h('button', { type: 'submit', class: 'primary', 'data-testid': 'fire' }, 'Kald CDS-service'));

  const cardList = h('section', { class: 'cards', 'aria-label': 'CDS-kort', 'data-testid': 'cards' },
    lastExchange ? (cards.length ? cards.map(renderCard) : h('p', { class: 'muted', 'data-testid': 'no-cards' }, 'Ingen kort.')) : h('p', { class: 'muted' }, 'Vælg en patient og kald en hook.'));
  const exchange = lastExchange ? h('details', { class: 'json', 'data-testid': 'json' }, h('summary', {}, `Request og response (JSON) · HTTP ${lastExchange.status ?? ''}`),
    h('h4', {}, 'JWT (header og claims)'), h('pre', {}, JSON.stringify(lastExchange.token, null, 2)),
    h('h4', {}, 'Request'), h('pre', {}, JSON.stringify(lastExchange.request, null, 2)),
    h('h4', {}, 'Response'), h('pre', {}, JSON.stringify(lastExchange.response, null, 2))) : null;
  const log = feedbackLog.length ? h('section', { class: 'feedback-log' }, h('h3', {}, 'Feedback sendt'), h('ul', { 'data-testid': 'feedback-log' }, feedbackLog.map((l) => h('li', {}, l)))) : null;
  root.append(h('div', { class: 'layout' }, form, h('div', { class: 'results' }, cardList, exchange, log)));
}

async function fireHook(ctx: NonNullable<typeof context>, appointment?: { code: string; start: string }): Promise<void> {
  context = ctx;
  const url = `${origin}/cds-services/${ctx.service}`;
  const hookContext: Record<string, unknown> = { userId: 'Practitioner/demo', patientId: ctx.patient };
  if (ctx.hook === 'encounter-start' && ctx.encounter) hookContext.encounterId = ctx.encounter;
  if (ctx.hook === 'appointment-book') hookContext.appointments = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: proposedAppointment(ctx.patient, appointment!) }] };
  const request = { hookInstance: crypto.randomUUID(), hook: ctx.hook, fhirServer: fhirBase, context: hookContext };
  const token = await signedToken(url);
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept-Language': ctx.lang, Authorization: `Bearer ${token}` }, body: JSON.stringify(request) });
  const body = await response.json();
  cards = response.ok ? (body.cards ?? []) : [];
  lastExchange = { request, token: decodeJwt(token), response: body, status: response.status };
  render();
}

function proposedAppointment(patient: string, a: { code: string; start: string }): Record<string, unknown> {
  const code = consultationCodes.find((c) => c.code === a.code);
  // datetime-local has no offset: the simulator's clinic is in Copenhagen; the browser's offset says which one.
  const start = new Date(a.start);
  return {
    resourceType: 'Appointment', id: `sim-${crypto.randomUUID().slice(0, 8)}`, status: 'proposed',
    serviceType: [{ coding: [{ system: code?.system ?? 'https://fhir.structured-course.dk/CodeSystem/consultation-code', code: a.code, ...(code ? { display: code.name.da } : {}) }] }],
    start: start.toISOString(), end: new Date(start.getTime() + 30 * 60_000).toISOString(),
    participant: [{ actor: { reference: `Patient/${patient}` }, status: 'accepted' }],
  };
}

async function signedToken(aud: string): Promise<string> {
  const answer = await fetch('/ehr/api/hook-token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ aud }) });
  return ((await answer.json()) as { token: string }).token;
}

function renderCard(card: Card): HTMLElement {
  const detail = h('div', { class: 'detail' });
  if (card.detail) detail.innerHTML = markdown.parse(card.detail, { async: false });
  const reasons = card.overrideReasons ?? [];
  const reasonSelect = reasons.length ? h('select', { 'aria-label': 'Begrundelse', 'data-testid': 'override-reason' }, reasons.map((r, i) => h('option', { value: String(i) }, r.display ?? r.code))) as HTMLSelectElement : undefined;
  return h('article', { class: `card ${card.indicator}`, 'data-topic': card.source.topic?.code ?? '', 'data-testid': 'card' },
    h('header', {}, h('span', { class: 'indicator' }, card.indicator), h('h3', {}, card.summary)),
    detail,
    h('p', { class: 'source' }, 'Kilde: ', card.source.url ? h('a', { href: card.source.url, target: '_blank', rel: 'noopener' }, card.source.label) : card.source.label),
    card.suggestions?.length ? h('div', { class: 'suggestions' }, card.suggestions.map((s) => h('button', { type: 'button', class: s.isRecommended ? 'primary' : '', 'data-testid': 'suggestion', onclick: (e) => void accept(card, s, e.currentTarget as HTMLButtonElement) }, s.label))) : null,
    card.links?.length ? h('div', { class: 'links' }, card.links.map((l) => h('button', { type: 'button', class: 'link', 'data-testid': 'link', 'data-type': l.type, onclick: () => void openLink(l) }, l.label))) : null,
    h('div', { class: 'dismiss' }, reasonSelect ?? null, h('button', { type: 'button', 'data-testid': 'dismiss', onclick: () => void dismiss(card, reasonSelect ? reasons[Number(reasonSelect.value)] : undefined) }, 'Afvis')));
}

async function ehrToken(): Promise<string> {
  const answer = await fetch('/ehr/api/fhir-token', { method: 'POST' });
  return ((await answer.json()) as { access_token: string }).access_token;
}

async function accept(card: Card, suggestion: NonNullable<Card['suggestions']>[number], button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  const token = await ehrToken();
  const created: string[] = [];
  for (const action of suggestion.actions ?? []) {
    if (action.type !== 'create' || !action.resource) continue;
    const answer = await fetch(`${fhirBase}/${action.resource.resourceType}`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json', Authorization: `Bearer ${token}` }, body: JSON.stringify(action.resource) });
    const body = await answer.json();
    created.push(answer.ok ? `${body.resourceType}/${body.id}` : `HTTP ${answer.status}`);
  }
  const status = card.uuid && suggestion.uuid ? await sendFeedback({ card: card.uuid, outcome: 'accepted', acceptedSuggestions: [{ id: suggestion.uuid }], outcomeTimestamp: new Date().toISOString() }) : 'no uuid';
  feedbackLog.push(`Accepteret: ${suggestion.label} → oprettet ${created.join(', ') || 'intet'} · feedback ${status}`);
  render();
}

async function dismiss(card: Card, reason: Coding | undefined): Promise<void> {
  if (!card.uuid) return;
  const status = await sendFeedback({ card: card.uuid, outcome: 'overridden', ...(reason ? { overrideReason: { reason } } : {}), outcomeTimestamp: new Date().toISOString() });
  feedbackLog.push(`Afvist: ${card.summary}${reason ? ` (${reason.display ?? reason.code})` : ''} · feedback ${status}`);
  cards = cards.filter((c) => c !== card);
  render();
}

async function sendFeedback(item: Record<string, unknown>): Promise<number> {
  const url = `${origin}/cds-services/${context!.service}/feedback`;
  const answer = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await signedToken(url)}` }, body: JSON.stringify({ feedback: [item] }) });
  return answer.status;
}

async function openLink(link: NonNullable<Card['links']>[number]): Promise<void> {
  if (link.type !== 'smart') return void window.open(link.url, '_blank', 'noopener');
  // An EHR launch: the EHR makes a launch context (patient, encounter, the card's appContext) and opens the app.
  const answer = await fetch(`${fhirBase}/auth/launch`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ launchUrl: link.url, parameters: { patient: context!.patient, ...(context!.encounter ? { encounter: context!.encounter } : {}), ...(link.appContext ? { appContext: link.appContext } : {}) } }),
  });
  const { launch_id: launchId } = (await answer.json()) as { launch_id: string };
  const url = new URL(link.url);
  url.searchParams.set('launch', launchId);
  url.searchParams.set('iss', fhirBase);
  window.open(url.toString(), '_blank');
}

function decodeJwt(token: string): unknown {
  const part = (s: string): unknown => JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/')));
  const [header, claims] = token.split('.');
  return { header: part(header!), claims: part(claims!) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
