/**
 * Validation and live score of a form being filled in, per instrument, with the project's own scoring
 * (src/instruments): ODI one answer per section and the configured minimum answered; PSFS 3-5 activities each
 * rated 0-10; NPRS 0-10. Also the answers as QuestionnaireResponse items, in the Questionnaire's structure.
 */
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponseItem } from 'fhir/r4.js';
import type { Instrument } from '../../course/index.js';
import { NPRS_LINK_ID, ODI_BANDS, ODI_LINK_IDS, PSFS_SLOTS, scoreNprs, scoreOdi, scorePsfs } from '../../instruments/index.js';
import { COURSE_CONFIG } from './course-glue.js';
import { allItems, chosenCoding, fieldValue, ordinalOf } from './questionnaire-form.js';
import type { Lang, Messages } from './i18n.js';
import { formatNumber } from './format.js';

/** The reading of PSFS for this app: at least three activities (the instrument allows one to five). */
export const PSFS_MIN_ACTIVITIES = 3;

export interface FormCheck {
  readonly valid: boolean;
  /** What the clinician reads under the form: the live score, or what is still missing. */
  readonly message: string;
  readonly value?: number;
  readonly activities?: readonly { slot: number; text: string; rating: number }[];
}

export function checkForm(instrument: Instrument, q: Questionnaire, form: HTMLFormElement, m: Messages, lang: Lang): FormCheck {
  const items = new Map(allItems(q.item).map((i) => [i.linkId, i]));
  if (instrument === 'odi') {
    const sections = ODI_LINK_IDS.map((id) => {
      const item = items.get(id);
      const coding = item ? chosenCoding(form, item) : undefined;
      const score = coding ? ordinalOf(coding) : undefined;
      return score === undefined ? [] : [score];
    });
    const result = scoreOdi(sections, { minAnswered: COURSE_CONFIG.scores.odiMinAnswered });
    if (result.status === 'scored') {
      const band = ODI_BANDS.find((b) => b.band === result.band)!;
      return { valid: true, value: result.percent, message: `${m.scoreLive}: ${result.percent} % · ${band.label[lang]}` };
    }
    if (result.status === 'incomplete') return { valid: false, message: m.odiIncomplete(result.answered, result.minAnswered) };
    return { valid: false, message: m.invalidForm };
  }
  if (instrument === 'psfs') {
    const activities: { slot: number; text: string; rating: number }[] = [];
    let broken = false;
    for (const slot of PSFS_SLOTS) {
      const text = fieldValue(form, slot.activity);
      const raw = fieldValue(form, slot.score);
      if (text === '' && raw === '') continue;
      const rating = Number(raw);
      if (text === '' || raw === '' || !Number.isInteger(rating)) {
        broken = true;
        continue;
      }
      activities.push({ slot: slot.slot, text, rating });
    }
    const scored = scorePsfs(activities.map((a) => ({ id: `psfs-${a.slot}`, label: a.text, value: a.rating })));
    const enough = activities.length >= PSFS_MIN_ACTIVITIES;
    if (scored.status === 'scored' && enough && !broken) {
      return { valid: true, value: scored.mean, activities, message: `${m.scoreLive}: ${formatNumber(scored.mean, lang)} (${activities.length})` };
    }
    return { valid: false, message: m.psfsNeed(PSFS_MIN_ACTIVITIES, PSFS_SLOTS.length) };
  }
  const raw = fieldValue(form, NPRS_LINK_ID);
  const result = raw === '' ? undefined : scoreNprs(Number(raw));
  if (result && result.status === 'scored' && Number.isInteger(Number(raw))) return { valid: true, value: result.value, message: `${m.scoreLive}: ${result.value}` };
  return { valid: false, message: m.nprsNeed };
}

/**
 * The answers in the Questionnaire's own structure (groups kept), only items that have an answer; the read-only
 * total item gets the score computed here (the service recomputes it from the answers and compares).
 */
export function responseItems(q: Questionnaire, form: HTMLFormElement, total: number): QuestionnaireResponseItem[] {
  const walk = (items: readonly QuestionnaireItem[] | undefined): QuestionnaireResponseItem[] =>
    (items ?? []).flatMap((item): QuestionnaireResponseItem[] => {
      if (item.type === 'display') return [];
      if (item.readOnly) return item.type === 'decimal' ? [{ linkId: item.linkId, answer: [{ valueDecimal: total }] }] : [];
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
