/**
 * Renders one of our Questionnaires as the FHIR server holds it (never a form written by hand): groups, display
 * items, choices (radio groups, from answerOption), integers (with the min/max extensions) and strings, in the
 * user's language (the translation extension on `_text` / `_display`). Keyboard use is the browser's own: Tab
 * between fields, arrow keys within a radio group.
 */
import type { Coding, Element, Questionnaire, QuestionnaireItem } from 'fhir/r4.js';
import { ExternalSystem } from '../../canonical.js';
import { h } from '../dom.js';
import type { Lang } from './i18n.js';

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
const MIN_VALUE = 'http://hl7.org/fhir/StructureDefinition/minValue';
const MAX_VALUE = 'http://hl7.org/fhir/StructureDefinition/maxValue';

/** Text in the user's language: the translation extension when it has one, else the resource's own (Danish). */
export function localized(text: string | undefined, element: Element | undefined, lang: Lang): string {
  if (lang !== 'da') {
    for (const ext of element?.extension ?? []) {
      if (ext.url !== TRANSLATION) continue;
      const l = ext.extension?.find((e) => e.url === 'lang')?.valueCode;
      const content = ext.extension?.find((e) => e.url === 'content')?.valueString;
      if (l === lang && content) return content;
    }
  }
  return text ?? '';
}

/** The ordinal score of an answer Coding: its ordinalValue extension, else its code as a number. */
export function ordinalOf(coding: Coding): number | undefined {
  const ext = coding.extension?.find((e) => e.url === ExternalSystem.ordinalValueExtension || e.url === ExternalSystem.itemWeightExtension);
  const value = ext?.valueDecimal ?? (coding.code !== undefined ? Number(coding.code) : undefined);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

export function bounds(item: QuestionnaireItem): { min?: number; max?: number } {
  const min = item.extension?.find((e) => e.url === MIN_VALUE)?.valueInteger;
  const max = item.extension?.find((e) => e.url === MAX_VALUE)?.valueInteger;
  return { ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

export interface FormOptions {
  readonly lang: Lang;
  /** Fixed answers of string items (PSFS re-rating: the baseline activities), by linkId. */
  readonly fixed?: ReadonlyMap<string, string>;
  /** A note shown under an item, by linkId (e.g. "may be skipped"). */
  readonly notes?: ReadonlyMap<string, string>;
}

export function renderQuestionnaire(q: Questionnaire, options: FormOptions): HTMLFormElement {
  const form = h('form', { class: 'questionnaire', novalidate: true, 'data-questionnaire': q.url ?? '' }) as HTMLFormElement;
  form.append(h('h2', {}, localized(q.title, (q as { _title?: Element })._title, options.lang)));
  for (const item of q.item ?? []) form.append(renderItem(item, options));
  return form;
}

function renderItem(item: QuestionnaireItem, options: FormOptions): HTMLElement {
  const text = localized(item.text, (item as { _text?: Element })._text, options.lang);
  const note = options.notes?.get(item.linkId);
  const id = `q-${item.linkId}`;
  if (item.type === 'display') return h('p', { class: 'display' }, text);
  // A calculated total (read-only): the live score under the form shows it, and the response carries it.
  if (item.readOnly) return h('span', { hidden: true });
  if (item.type === 'group') {
    return h('fieldset', { class: 'group', 'data-link-id': item.linkId }, h('legend', {}, text), (item.item ?? []).map((child) => renderItem(child, options)));
  }
  if (item.type === 'choice' || item.type === 'open-choice') {
    return h('fieldset', { class: 'choice', 'data-link-id': item.linkId, role: 'radiogroup', 'aria-required': item.required ? 'true' : 'false' },
      h('legend', {}, text, note ? h('span', { class: 'note' }, ` (${note})`) : null),
      (item.answerOption ?? []).map((option, i) => {
        const coding = option.valueCoding;
        if (!coding) return null;
        const label = localized(coding.display, (coding as { _display?: Element })._display, options.lang);
        return h('label', { class: 'option' },
          h('input', { type: 'radio', name: item.linkId, value: String(i), id: `${id}-${i}` }), ` ${label}`);
      }));
  }
  if (item.type === 'integer' || item.type === 'decimal') {
    const { min, max } = bounds(item);
    return h('div', { class: 'field', 'data-link-id': item.linkId },
      h('label', { for: id }, text),
      h('input', { id, name: item.linkId, type: 'number', inputmode: 'numeric', step: item.type === 'integer' ? 1 : 'any', min, max, class: 'number' }));
  }
  const fixed = options.fixed?.get(item.linkId);
  return h('div', { class: 'field', 'data-link-id': item.linkId },
    h('label', { for: id }, text),
    h('input', { id, name: item.linkId, type: 'text', maxlength: 200, value: fixed, readonly: fixed !== undefined, autocomplete: 'off' }));
}

/** The answer Coding chosen for a choice item, by the radio's index into answerOption. */
export function chosenCoding(form: HTMLFormElement, item: QuestionnaireItem): Coding | undefined {
  const checked = form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(item.linkId)}"]:checked`);
  return checked ? item.answerOption?.[Number(checked.value)]?.valueCoding : undefined;
}

export function fieldValue(form: HTMLFormElement, linkId: string): string {
  return (form.querySelector<HTMLInputElement>(`input[name="${CSS.escape(linkId)}"]`)?.value ?? '').trim();
}

/** Every item of the Questionnaire, depth first. */
export function allItems(items: readonly QuestionnaireItem[] | undefined): QuestionnaireItem[] {
  return (items ?? []).flatMap((i) => [i, ...allItems(i.item)]);
}
