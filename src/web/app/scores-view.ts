/**
 * Scores over time, one chart per instrument (our own SVG: no chart library needed for a few line charts):
 * the baseline, the band within which a change is not clinically important (the instrument's configured threshold),
 * entry and final markers, one point per measurement; and a table of the same numbers. Scales to 360 px wide.
 * Instruments, ranges, thresholds and names are the active definitions'.
 */
import { addDays, daysBetween } from '../../course/dates.js';
import type { InstrumentDefinition } from '../../course/definitions/types.js';
import type { ScoreRecord } from '../../course/types.js';
import { h, s } from '../dom.js';
import { courseDefinition, instrumentList, type CourseView } from './course-glue.js';
import { formatLocalDate, formatNumber } from './format.js';
import type { Lang, Messages } from './i18n.js';

const W = 340;
const H = 180;
const PAD = { left: 34, right: 10, top: 12, bottom: 26 };

/** A record with one numeric value (a subscale-only record has none: it has no point on a single line). */
type ValuedRecord = ScoreRecord & { readonly value: number };
const hasValue = (r: ScoreRecord): r is ValuedRecord => typeof r.value === 'number' && Number.isFinite(r.value);

export function scoresView(view: CourseView, m: Messages, lang: Lang): HTMLElement {
  const history = view.history;
  const evaluation = view.evaluation;
  if (!history || !evaluation) return h('p', { class: 'state empty', 'data-state': 'no-course' }, m.noCourse);
  // This course's scores only: from the baseline look-back before its entry (an earlier course is another story).
  const entry = evaluation.progress.entryDate;
  const lookBack = courseDefinition(evaluation.type).milestones.entry?.lookBackDays ?? 0;
  const from = entry ? addDays(entry, -lookBack) : undefined;
  const byInstrument = instrumentList().map((def) => ({
    def,
    records: history.scores.filter((r): r is ValuedRecord => r.instrument === def.id && hasValue(r) && (!from || r.date >= from)).sort((a, b) => a.date.localeCompare(b.date)),
  })).filter((x) => x.records.length > 0);
  if (byInstrument.length === 0) return h('p', { class: 'state empty' }, m.noScores);
  const markers = { entry: evaluation.progress.entryDate, final: evaluation.progress.finalDate };
  return h('section', { class: 'scores', 'aria-labelledby': 'scores-title' },
    h('h2', { id: 'scores-title' }, m.scoresTitle),
    byInstrument.map(({ def, records }) => {
      const stated = evaluation.outcome.baseline[def.id];
      const baseline = stated && hasValue(stated) ? stated : records[0]!;
      return h('figure', { class: 'score-chart', 'data-instrument': def.id },
        h('figcaption', {}, def.name[lang].long),
        chart(def, records, baseline, markers, m, lang),
        table(def, records, baseline, m, lang),
        def.method === 'mean-of-activities' ? activityTable(def, records, m, lang) : null);
    }));
}

function chart(def: InstrumentDefinition, records: readonly ValuedRecord[], baseline: ValuedRecord, markers: { entry?: string; final?: string }, m: Messages, lang: Lang): SVGElement {
  const lo = def.min;
  const hi = def.max > def.min ? def.max : def.min + 1;
  const dates = [...records.map((r) => r.date), ...[markers.entry, markers.final].filter((d): d is string => !!d)].sort();
  const first = dates[0]!;
  const span = Math.max(1, daysBetween(first, dates[dates.length - 1]!));
  const x = (date: string): number => PAD.left + (daysBetween(first, date) / span) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const threshold = def.change.points;
  const bandTop = y(Math.min(hi, baseline.value + threshold));
  const bandBottom = y(Math.max(lo, baseline.value - threshold));
  const title = `${def.name[lang].long}: ${records.map((r) => `${formatLocalDate(r.date, lang)} ${formatNumber(r.value, lang)}`).join(', ')}`;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, class: 'chart' });
  // The band: a change inside it is not clinically important (either direction).
  svg.append(s('rect', { class: 'band', x: PAD.left, y: bandTop, width: W - PAD.left - PAD.right, height: Math.max(0, bandBottom - bandTop) }, s('title', {}, m.importantBand)));
  for (const tick of [lo, (lo + hi) / 2, hi]) {
    svg.append(s('line', { class: 'grid', x1: PAD.left, x2: W - PAD.right, y1: y(tick), y2: y(tick) }));
    svg.append(s('text', { class: 'axis', x: PAD.left - 4, y: y(tick) + 4, 'text-anchor': 'end' }, String(tick)));
  }
  svg.append(s('line', { class: 'baseline', x1: PAD.left, x2: W - PAD.right, y1: y(baseline.value), y2: y(baseline.value) }, s('title', {}, `${m.baseline} ${formatNumber(baseline.value, lang)}`)));
  for (const [key, date] of [['entry', markers.entry], ['final', markers.final]] as const) {
    if (!date) continue;
    svg.append(s('line', { class: `marker ${key}`, x1: x(date), x2: x(date), y1: PAD.top, y2: H - PAD.bottom }));
    const at = x(date);
    const anchor = at > W - PAD.right - 30 ? 'end' : at < PAD.left + 30 ? 'start' : 'middle';
    svg.append(s('text', { class: 'axis', x: at, y: H - 14, 'text-anchor': anchor }, key === 'entry' ? m.entry : m.final));
  }
  // The first and last dates under the axis, so the time scale can be read.
  svg.append(s('text', { class: 'axis', x: PAD.left, y: H - 2, 'text-anchor': 'start' }, formatLocalDate(first, lang)));
  if (span > 1) svg.append(s('text', { class: 'axis', x: W - PAD.right, y: H - 2, 'text-anchor': 'end' }, formatLocalDate(dates[dates.length - 1]!, lang)));
  svg.append(s('polyline', { class: 'series', points: records.map((r) => `${x(r.date)},${y(r.value)}`).join(' ') }));
  for (const r of records) {
    svg.append(s('circle', { class: 'point', cx: x(r.date), cy: y(r.value), r: 4, 'data-date': r.date, 'data-value': r.value }, s('title', {}, `${formatLocalDate(r.date, lang)}: ${formatNumber(r.value, lang)}`)));
  }
  return svg;
}

function table(def: InstrumentDefinition, records: readonly ValuedRecord[], baseline: ValuedRecord, m: Messages, lang: Lang): HTMLElement {
  const better = def.higherIsBetter;
  return h('details', { class: 'score-table' }, h('summary', {}, m.table),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, m.colDate), h('th', { scope: 'col' }, m.colValue), h('th', { scope: 'col' }, m.colChange))),
      h('tbody', {}, records.map((r) => {
        const change = Math.round((r.value - baseline.value) * 10) / 10;
        const important = Math.abs(change) >= def.change.points;
        const cls = important ? ((change > 0) === better ? 'better' : 'worse') : '';
        return h('tr', { class: cls }, h('td', {}, formatLocalDate(r.date, lang)), h('td', {}, formatNumber(r.value, lang)),
          h('td', {}, r.id === baseline.id ? m.baseline : `${change > 0 ? '+' : ''}${formatNumber(change, lang)}`));
      }))));
}

function activityTable(def: InstrumentDefinition, records: readonly ScoreRecord[], m: Messages, lang: Lang): HTMLElement | null {
  const ids = [...new Set(records.flatMap((r) => (r.activities ?? []).map((a) => a.id)))];
  if (ids.length === 0) return null;
  const label = (id: string): string => records.flatMap((r) => r.activities ?? []).find((a) => a.id === id && a.label)?.label ?? id;
  return h('details', { class: 'score-table', open: true }, h('summary', {}, m.perActivity(def.name[lang].short)),
    h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), records.map((r) => h('th', { scope: 'col' }, formatLocalDate(r.date, lang))))),
      h('tbody', {}, ids.map((id) => h('tr', {}, h('th', { scope: 'row' }, label(id)),
        records.map((r) => h('td', {}, (() => { const a = r.activities?.find((x) => x.id === id); return a ? formatNumber(a.value, lang) : '–'; })())))))));
}
