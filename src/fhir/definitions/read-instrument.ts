import type { InstrumentDefinition, ScoringMethod, SubscaleDefinition } from '../../course/definitions/types.js';
import { SCORING_METHODS } from '../../course/definitions/types.js';
import { ExternalSystem } from '../../canonical.js';
import { arr, isObject, num, plainCodings, prop, splitCanonical, str, type JsonObject } from '../map/guards.js';
import { DefinitionExtension as X } from './extension-urls.js';
import { bilingual, boolPart, codePart, decimalPart, extensionsOf, intPart, partOf, partsOf } from './fhir-json.js';

/**
 * An instrument from the Questionnaire that defines it (extension instrument-scoring): its codings, canonicals,
 * range, direction, scoring method, rounding and clinically important change. The items scored come from the
 * Questionnaire's own structure, so the form and its scoring cannot drift apart.
 */
type ActivityItem = InstrumentDefinition['activities'][number];

const walk = (items: readonly unknown[]): JsonObject[] =>
  items.filter(isObject).flatMap((i) => [i, ...walk(arr(i, 'item'))]);

function ordinalOf(option: unknown): number | undefined {
  for (const el of [prop(option, 'valueCoding'), option]) {
    for (const e of arr(el, 'extension')) {
      const url = str(e, 'url');
      if (url === ExternalSystem.ordinalValueExtension || url === ExternalSystem.itemWeightExtension) {
        const v = num(e, 'valueDecimal') ?? num(e, 'valueInteger');
        if (v !== undefined) return v;
      }
    }
  }
  const v = num(option, 'valueInteger');
  return v;
}

const maxOrdinal = (items: readonly JsonObject[]): number | undefined => {
  const all = items.flatMap((i) => arr(i, 'answerOption').map(ordinalOf)).filter((v): v is number => v !== undefined);
  return all.length > 0 ? Math.max(...all) : undefined;
};

const isNumeric = (i: JsonObject): boolean => str(i, 'type') === 'integer' || str(i, 'type') === 'decimal';

export function readInstrument(q: unknown, source: string): { value?: InstrumentDefinition; problems: string[] } {
  const problems: string[] = [];
  const say = (m: string): void => {
    problems.push(`${source}: ${m}`);
  };
  if (!isObject(q) || str(q, 'resourceType') !== 'Questionnaire') return { problems: [`${source}: not a Questionnaire`] };
  const ext = extensionsOf(q, X.instrument)[0];
  if (!ext) return { problems };
  const url = str(q, 'url');
  const id = str(partOf(ext, 'id'), 'valueId') ?? str(partOf(ext, 'id'), 'valueCode');
  const method = codePart(ext, 'method');
  if (url === undefined) say('has no url');
  if (id === undefined) say('instrument-scoring has no id');
  if (method === undefined || !(SCORING_METHODS as readonly string[]).includes(method)) say(`scoring method must be one of ${SCORING_METHODS.join(', ')}`);
  const min = decimalPart(ext, 'min');
  const max = decimalPart(ext, 'max');
  if (min === undefined || max === undefined || min >= max) say('needs a range min < max');
  const points = decimalPart(ext, 'changePoints');
  if (points === undefined) say('needs changePoints (clinically important change)');
  const items = walk(arr(q, 'item'));
  const top = arr(q, 'item').filter(isObject);
  let scored: string[] = [];
  const activities: ActivityItem[] = [];
  const subscales: SubscaleDefinition[] = [];
  let itemMax: number | undefined;
  if (method === 'percent-of-max') {
    const choice = items.filter((i) => str(i, 'type') === 'choice' && arr(i, 'answerOption').length > 0);
    scored = choice.map((i) => str(i, 'linkId') as string);
    itemMax = maxOrdinal(choice);
  } else if (method === 'single-item') {
    const first = items.find((i) => isNumeric(i) && prop(i, 'readOnly') !== true);
    if (first) scored = [str(first, 'linkId') as string];
  } else if (method === 'mean-of-activities') {
    for (const g of top.filter((i) => str(i, 'type') === 'group')) {
      const kids = arr(g, 'item').filter(isObject);
      const text = kids.find((k) => str(k, 'type') === 'string');
      const rating = kids.find(isNumeric);
      if (text && rating) activities.push({ group: str(g, 'linkId') as string, text: str(text, 'linkId') as string, rating: str(rating, 'linkId') as string });
    }
    scored = activities.map((a) => a.group);
  } else if (method === 'subscales') {
    for (const g of top.filter((i) => str(i, 'type') === 'group')) {
      const code = plainCodings(prop(g, 'code'))[0]?.code;
      const kids = walk(arr(g, 'item')).filter((k) => str(k, 'type') === 'choice');
      const name = bilingual(g, 'text');
      if (code === undefined || kids.length === 0) continue;
      subscales.push({ id: code, name: name ?? { da: code, en: code }, items: kids.map((k) => str(k, 'linkId') as string) });
    }
    itemMax = maxOrdinal(items.filter((i) => str(i, 'type') === 'choice'));
    scored = subscales.flatMap((s) => s.items);
  }
  if (scored.length === 0) say(`the Questionnaire has no items the ${method ?? '?'} method can score`);
  if ((method === 'percent-of-max' || method === 'subscales') && itemMax === undefined) say('its choice items carry no ordinal values');
  const short = str(partOf(ext, 'short'), 'valueString') ?? id ?? '';
  const title = bilingual(q, 'title') ?? { da: short, en: short };
  const codingsOf = partsOf(ext, 'scoreCode').map((p) => prop(p, 'valueCoding'))
    .map((c) => ({ system: str(c, 'system'), code: str(c, 'code') }))
    .filter((c): c is { system: string; code: string } => c.system !== undefined && c.code !== undefined);
  const aliases = partsOf(ext, 'alias').map((p) => str(p, 'valueCanonical')).filter((u): u is string => u !== undefined);
  if (problems.length > 0 || url === undefined || id === undefined || min === undefined || max === undefined || points === undefined) {
    return { problems };
  }
  const unit = str(partOf(ext, 'unit'), 'valueString');
  const minAnswered = intPart(ext, 'minAnswered');
  const percent = decimalPart(ext, 'changePercent');
  const itemChangePoints = decimalPart(ext, 'itemChangePoints');
  return {
    value: {
      id,
      name: { da: { short, long: title.da }, en: { short, long: title.en } },
      codings: codingsOf,
      questionnaires: [splitCanonical(url).url, ...aliases.map((a) => splitCanonical(a).url)],
      min, max,
      higherIsBetter: boolPart(ext, 'higherIsBetter') === true,
      method: method as ScoringMethod,
      decimals: intPart(ext, 'decimals') ?? 0,
      ...(unit !== undefined ? { unit } : {}),
      ...(minAnswered !== undefined ? { minAnswered } : {}),
      items: scored,
      ...(itemMax !== undefined ? { itemMax } : {}),
      ...(boolPart(ext, 'reverse') === true ? { reverse: true } : {}),
      subscales,
      change: { points, ...(percent !== undefined ? { percent } : {}) },
      ...(itemChangePoints !== undefined ? { itemChangePoints } : {}),
      roundingTolerance: decimalPart(ext, 'roundingTolerance') ?? 0,
      activities,
      statedItems: items.filter((i) => prop(i, 'readOnly') === true && isNumeric(i)).map((i) => str(i, 'linkId') as string),
      formCodings: plainCodings(prop(q, 'code')).filter((c): c is { system: string; code: string } => c.system !== undefined && c.code !== undefined),
      answerOrdinals: Object.fromEntries(items.flatMap((i) => arr(i, 'answerOption')).flatMap((o) => {
        const c = prop(o, 'valueCoding');
        const v = ordinalOf(o);
        const system = str(c, 'system');
        const code = str(c, 'code');
        return system !== undefined && code !== undefined && v !== undefined ? [[`${system}|${code}`, v]] : [];
      })),
      order: intPart(ext, 'order') ?? 999,
    },
    problems,
  };
}
