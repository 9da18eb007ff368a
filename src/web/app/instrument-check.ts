/**
 * Validation and live score of a form being filled in, by the instrument's scoring method, with the project's own
 * scoring (src/instruments) and the instrument definition's numbers: percent of max (ODI) one answer per item and
 * the definition's minimum answered; mean of activities (PSFS) 3 to all activities, each rated within the range;
 * one item (NPRS) within the range; subscales (KOOS/HOOS-style) enough answers in every subscale. Also the answers
 * as QuestionnaireResponse items, in the Questionnaire's structure.
 */
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponseItem } from 'fhir/r4.js';
import type { InstrumentDefinition } from '../../course/definitions/types.js';
import { ODI_LINK_IDS } from '../../instruments/link-ids.js';
import { ODI_BANDS, ODI_MAX_STATEMENT_SCORE, odiBand } from '../../instruments/odi.js';
import { scorePercentOfMax, scoreSubscales } from '../../instruments/scoring.js';
import { allItems, chosenCoding, fieldValue, ordinalOf } from './questionnaire-form.js';
import type { Lang, Messages } from './i18n.js';
import { formatNumber } from './format.js';

/** The issue's reading of PSFS for this app: at least three activities (the instrument allows one to five). */
export const PSFS_MIN_ACTIVITIES = 3;

export interface FormCheck {
  readonly valid: boolean;
  /** What the clinician reads under the form: the live score, or what is still missing. */
  readonly message: string;
  /** The score; absent for an instrument scored in subscales (then `subscales`). */
  readonly value?: number;
  readonly activities?: readonly { slot: number; text: string; rating: number }[];
  readonly subscales?: readonly { id: string; value: number }[];
}

const roundTo = (n: number, decimals: number): number => Math.round(n * 10 ** decimals) / 10 ** decimals;

export function checkForm(def: InstrumentDefinition, q: Questionnaire, form: HTMLFormElement, m: Messages, lang: Lang): FormCheck {
  const items = new Map(allItems(q.item).map((i) => [i.linkId, i]));
  // An answer's ordinal: its own extension (or numeric code), else the defining form's (answerOrdinals).
  const ordinal = (linkId: string): number | undefined => {
    const item = items.get(linkId);
    const coding = item ? chosenCoding(form, item) : undefined;
    if (!coding) return undefined;
    return ordinalOf(coding) ?? def.answerOrdinals[`${coding.system ?? ''}|${coding.code ?? ''}`];
  };
  const unit = def.unit ? ` ${def.unit}` : '';
  if (def.method === 'percent-of-max') {
    const sections = def.items.map((id) => { const score = ordinal(id); return score === undefined ? [] : [score]; });
    const itemMax = def.itemMax ?? ODI_MAX_STATEMENT_SCORE;
    const minAnswered = Math.min(def.items.length, Math.max(1, def.minAnswered ?? def.items.length));
    if (def.items.length === 0) return { valid: false, message: m.formNotSupported };
    const result = scorePercentOfMax(sections, { itemCount: def.items.length, itemMax, minAnswered, decimals: def.decimals });
    if (result.status === 'scored') {
      // The ODI's disability bands belong to the ODI's sections (its linkIds and 0-5 statements), to no other form.
      const isOdi = itemMax === ODI_MAX_STATEMENT_SCORE && def.items.length === ODI_LINK_IDS.length && def.items.every((id, i) => id === ODI_LINK_IDS[i]);
      const band = isOdi ? ODI_BANDS.find((b) => b.band === odiBand(result.percent)) : undefined;
      return { valid: true, value: result.percent, message: `${m.scoreLive}: ${formatNumber(result.percent, lang)}${unit}${band ? ` · ${band.label[lang]}` : ''}` };
    }
    if (result.status === 'incomplete') return { valid: false, message: m.odiIncomplete(result.answered, result.minAnswered) };
    return { valid: false, message: m.invalidForm };
  }
  if (def.method === 'mean-of-activities') {
    const slots = def.activities;
    if (slots.length === 0) return { valid: false, message: m.formNotSupported };
    const minActivities = Math.min(PSFS_MIN_ACTIVITIES, slots.length);
    const activities: { slot: number; text: string; rating: number }[] = [];
    let broken = false;
    slots.forEach((slot, i) => {
      const text = fieldValue(form, slot.text);
      const raw = fieldValue(form, slot.rating);
      if (text === '' && raw === '') return;
      const rating = Number(raw);
      if (text === '' || raw === '' || !Number.isInteger(rating) || rating < def.min || rating > def.max) {
        broken = true;
        return;
      }
      activities.push({ slot: i + 1, text, rating });
    });
    if (activities.length >= minActivities && !broken) {
      const mean = roundTo(activities.reduce((sum, a) => sum + a.rating, 0) / activities.length, def.decimals);
      return { valid: true, value: mean, activities, message: `${m.scoreLive}: ${formatNumber(mean, lang)}${unit} (${activities.length})` };
    }
    return { valid: false, message: m.psfsNeed(minActivities, slots.length, def.min, def.max) };
  }
  if (def.method === 'single-item') {
    const linkId = def.items[0];
    if (linkId === undefined) return { valid: false, message: m.formNotSupported };
    const item = items.get(linkId);
    // A choice item (a 0-10 scale offered as options) by its ordinal, a number field by its value.
    const raw = item && (item.type === 'choice' || item.type === 'open-choice') ? String(ordinal(linkId) ?? '') : fieldValue(form, linkId);
    const value = raw === '' ? NaN : Number(raw);
    const whole = item?.type !== 'decimal';
    if (Number.isFinite(value) && value >= def.min && value <= def.max && (!whole || Number.isInteger(value))) {
      return { valid: true, value, message: `${m.scoreLive}: ${formatNumber(value, lang)}${unit}` };
    }
    return { valid: false, message: m.singleItemNeed(def.name[lang].short, def.min, def.max) };
  }
  if (def.method === 'subscales' && def.subscales.length > 0) {
    const { scored, missing } = scoreSubscales(
      def.subscales.map((sub) => ({ id: sub.id, ordinals: sub.items.map(ordinal) })),
      { itemMax: def.itemMax ?? 4, ...(def.minAnswered !== undefined ? { minAnswered: def.minAnswered } : {}), ...(def.reverse !== undefined ? { reverse: def.reverse } : {}), decimals: def.decimals },
    );
    const name = (id: string): string => def.subscales.find((sub) => sub.id === id)?.name[lang] ?? id;
    if (missing.length === 0) {
      return { valid: true, subscales: scored, message: `${m.scoreLive}: ${scored.map((x) => `${name(x.id)} ${formatNumber(x.value, lang)}`).join(' · ')}` };
    }
    return { valid: false, message: m.subscalesNeed(missing.map(name).join(', ')) };
  }
  return { valid: false, message: m.formNotSupported };
}

/**
 * The answers in the Questionnaire's own structure (groups kept), only items that have an answer; the read-only
 * total item gets the score computed here (the service recomputes it from the answers and compares).
 */
export function responseItems(q: Questionnaire, form: HTMLFormElement, total: number | undefined): QuestionnaireResponseItem[] {
  const walk = (items: readonly QuestionnaireItem[] | undefined): QuestionnaireResponseItem[] =>
    (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
      if (item.type === 'display') return [];
      if (item.readOnly) return item.type === 'decimal' && total !== undefined ? [{ linkId: item.linkId, answer: [{ valueDecimal: total }] }] : [];
      if (item.type === 'group') {
        const children = walk(item.item);
        return children.length ? [{ linkId: item.linkId, item: children }] : [];
      }
      if (item.type === 'choice' || item.type === 'open-choice') {
        const coding = chosenCoding(form, item);
        return coding ? [{ linkId: item.linkId, ...(item.text ? { text: item.text } : {}), answer: [{ valueCoding: stripDisplayExtensions(coding) }] }] : [];
      }
      const value = fieldValue(form, item.linkId);
      if (value === '') return [];
      if (item.type === 'integer') return [{ linkId: item.linkId, answer: [{ valueInteger: Number(value) }] }];
      if (item.type === 'decimal') return [{ linkId: item.linkId, answer: [{ valueDecimal: Number(value) }] }];
      return [{ linkId: item.linkId, answer: [{ valueString: value }] }];
    });
  return walk(q.item);
}

/** The answer as the Questionnaire offered it (with its ordinal value), without the display's translations. */
function stripDisplayExtensions(coding: Coding): Coding {
  const { _display, ...rest } = coding as Coding & { _display?: unknown };
  void _display;
  return rest;
}
