import type { CourseConfig } from '../course/config.js';
import type { CourseDefinition, Definitions, LimitDefinition } from '../course/definitions/types.js';

/**
 * The README's rules table, made from the active definitions (so it states the numbers the service uses): one
 * column per course type, one row per rule, then the instruments. `npm run cli -- definitions --readme` writes it
 * between the markers; test/cli/definitions.test.ts fails when the README's copy is stale.
 */
export const RULES_TABLE_START = '<!-- generated:rules-table -->';
export const RULES_TABLE_END = '<!-- /generated:rules-table -->';

const codes = (list: readonly string[]): string => list.join(', ');

function limitText(l: LimitDefinition): string {
  const scope = l.kind === 'per-iso-week' ? 'per ISO week'
    : l.kind === 'window' ? `within ${l.windowMonths !== undefined ? `${l.windowMonths} months` : `${l.windowDays ?? '?'} days`} of ${l.anchor === 'first' ? 'the first' : 'the entry'}`
      : 'per course';
  return `${codes(l.codes)} ≤ ${l.max} ${scope} (\`${l.id}\`)`;
}

const milestone = (c: CourseDefinition, m: 'entry' | 'final' | 'follow-up'): string => {
  const x = c.milestones[m];
  return x ? `${x.instruments.join(', ').toUpperCase() || '-'}, look-back ${x.lookBackDays} days` : '-';
};

type Row = readonly [string, string, (c: CourseDefinition) => string];

function rows(d: Definitions): Row[] {
  const limitsOf = (rule: LimitDefinition['rule']) => (c: CourseDefinition) =>
    c.limits.filter((l) => l.rule === rule).map(limitText).join('; ') || '-';
  const step = (m: string) => (c: CourseDefinition) => c.steps.find((s) => s.milestone === m);
  return [
    ['`course-entry`', 'entry', (c) => {
      const s = step('entry')(c);
      const pairs = Object.entries(s?.companions ?? {}).map(([a, b]) => `${a} with ${b} same day`);
      return s ? [codes(s.codes.filter((x) => s.companions[x] === undefined)), ...pairs].join('; ') : '-';
    }],
    ['`education-limit`', 'count limit', limitsOf('education-limit')],
    ['`individual-education-exception`', 'exception reminder', (c) => codes(c.steps.flatMap((s) => s.exceptions)) || '-'],
    ['`individual-training-limit`', 'windowed limit', limitsOf('individual-training-limit')],
    ['`group-training-frequency`', 'weekly frequency / count limit', limitsOf('group-training-frequency')],
    ['`one-per-day`', 'one per day', (c) => {
      const share = c.steps.filter((s) => s.sharesDay).flatMap((s) => s.codes);
      return share.length > 0 ? `${codes(share)} may share a day with an individual consultation` : 'one a day';
    }],
    ['`final-consultation`', 'final', (c) => `${codes(step('final')(c)?.codes ?? [])} once; then only ${codes(step('follow-up')(c)?.codes ?? [])}`],
    ['`follow-up-timing`', 'follow-up timing', (c) => {
      const max = c.limits.find((l) => l.rule === 'follow-up-timing')?.max;
      return `${max === undefined ? '' : `≤ ${max}, `}${c.followUp.targetMonths.map((m) => `+${m}`).join(' and ')} months after the final, ± ${c.followUp.toleranceDays} days`;
    }],
    ['`missing-baseline-scores`', 'milestone instruments', (c) => milestone(c, 'entry')],
    ['`missing-final-scores`', 'milestone instruments', (c) => milestone(c, 'final')],
    ['`follow-up-scores`', 'milestone instruments', (c) => milestone(c, 'follow-up')],
    ['`outcome-change`', 'outcome change', () => 'at the final and follow-ups; thresholds per instrument below'],
    ['`next-consultation`', 'next consultation', (c) => {
      const f = c.finalDue;
      const due = [
        ...(f.afterDays !== null ? [`entry + ${f.afterDays} days`] : []),
        ...(f.afterCount ? [f.afterCount.count === 1 ? `from the first ${f.afterCount.code}` : `at the ${f.afterCount.count}th ${f.afterCount.code}`] : []),
      ];
      const plan = c.steps.map((s) => `${s.codes[0] ?? '?'} ${s.plan.min}-${s.plan.max ?? 'open'}`).join(', ');
      return `final due: ${due.join(' or ') || 'never by rule'}; plan: ${plan}`;
    }],
    ['`course-type-unknown`', 'type unknown', () => `common steps: ${codes(d.common.steps.filter((s) => s.recommendable).map((s) => s.codes[0] ?? '?'))}`],
  ];
}

export function rulesTableMarkdown(config: CourseConfig): string {
  const d = config.definitions;
  const courses = [...d.courses.values()];
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    `| rule (card topic) | kind | ${courses.map((c) => `\`${c.type}\``).join(' | ')} |`,
    `|---|---|${courses.map(() => '---').join('|')}|`,
    ...rows(d).map(([id, kind, cell]) => `| ${id} | ${kind} | ${courses.map((c) => esc(cell(c))).join(' | ')} |`),
    '',
    '| instrument | scoring | range | better | clinically important change | minimum answered |',
    '|---|---|---|---|---|---|',
    ...[...d.instruments.values()].map((i) => `| \`${i.id}\` | ${i.method} | ${i.min}-${i.max} | ${i.higherIsBetter ? 'higher' : 'lower'} | ` +
      `≥ ${i.change.points} points${i.change.percent !== undefined ? ` or ≥ ${i.change.percent} %` : ''}${i.itemChangePoints !== undefined ? `; ≥ ${i.itemChangePoints} on one activity` : ''} | ${i.minAnswered ?? '-'} |`),
  ];
  return `${lines.join('\n')}\n`;
}

/** The README with the table between the markers replaced; undefined when the markers are missing. */
export function withRulesTable(readme: string, table: string): string | undefined {
  const start = readme.indexOf(RULES_TABLE_START);
  const end = readme.indexOf(RULES_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return `${readme.slice(0, start + RULES_TABLE_START.length)}\n${table}${readme.slice(end)}`;
}
