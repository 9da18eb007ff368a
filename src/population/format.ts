/** The worklist and the report as text tables and CSV (RFC 4180, quoted where needed). */
import type { ReportGroup } from './report.js';
import type { PopulationResult } from './population-result.js';
import type { WorklistItem } from './worklist.js';

const ITEM_COLUMNS = ['due', 'action', 'code', 'courseType', 'patientId', 'text'] as const;

let plainNumbers = false;
function pct(s: { share: number | null }): string {
  if (s.share === null) return plainNumbers ? '' : '-';
  return plainNumbers ? String(s.share) : `${(s.share * 100).toFixed(1)} %`;
}
const num = (n: number | null): string => (n === null ? (plainNumbers ? '' : '-') : String(n));

/** One report group as flat columns (shared by the table and the CSV). */
function reportRow(g: ReportGroup): Record<string, string> {
  const row: Record<string, string> = {
    courseType: g.courseType ?? 'unknown',
    period: g.period,
    started: String(g.started),
    finished: String(g.finished),
    open: String(g.open),
    baselineComplete: pct(g.baselineScoresComplete),
    finalComplete: pct(g.finalScoresComplete),
  };
  for (const [i, c] of Object.entries(g.change)) {
    row[`${i}N`] = String(c.n);
    row[`${i}Mean`] = num(c.mean);
    row[`${i}Median`] = num(c.median);
    row[`${i}Important`] = pct(c.importantImprovement);
  }
  row.lengthMean = num(g.courseLengthDays.mean);
  row.lengthMedian = num(g.courseLengthDays.median);
  for (const [m, s] of Object.entries(g.followUpOnTime)) row[`followUp${m}mOnTime`] = pct(s);
  row.limitFindingsPer100 = num(g.limitFindingsPer100);
  return row;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
}

const itemCells = (i: WorklistItem): string[] => [i.due, i.action, i.code ?? '', i.courseType ?? 'unknown', i.patientId, i.text];

export function worklistTable(result: PopulationResult): string {
  const head = `Worklist ${result.date}: ${result.items.length} item(s) for ${result.report.courses} course(s) of ${result.report.patients} patient(s)`;
  const extra = result.report.unreadable > 0 ? `\n${result.report.unreadable} patient(s) could not be read` : '';
  return `${head}${extra}\n\n${table(ITEM_COLUMNS, result.items.map(itemCells))}\n`;
}

export function worklistCsv(result: PopulationResult): string {
  return `${csv(ITEM_COLUMNS, result.items.map(itemCells))}\r\n`;
}

/** CSV cells are plain numbers (shares 0-1, empty when undefined); the table shows percentages. */
function reportMatrix(result: PopulationResult, forCsv = false): { header: string[]; rows: string[][] } {
  plainNumbers = forCsv;
  const rows = result.report.groups.map(reportRow);
  plainNumbers = false;
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return { header, rows: rows.map((r) => header.map((h) => r[h] ?? (forCsv ? '' : '-'))) };
}

export function reportTable(result: PopulationResult): string {
  const { header, rows } = reportMatrix(result);
  return `Quality report ${result.date} by ${result.report.period} of course entry: ${result.report.courses} course(s)\n\n${table(header, rows)}\n`;
}

export function reportCsv(result: PopulationResult): string {
  const { header, rows } = reportMatrix(result, true);
  return `${csv(header, rows)}\r\n`;
}
