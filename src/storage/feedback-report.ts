import type { Store } from './store.js';

/** The feedback report as a plain-text table, for the command line. */
export async function formatFeedbackReport(store: Store): Promise<string> {
  const pct = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(1)} %`);
  const lines: string[][] = [['rule', 'issued', 'feedback', 'accepted', 'overridden', 'accept rate', 'override rate']];
  for (const r of await store.reportByRule()) {
    lines.push([r.ruleId, String(r.issued), String(r.withFeedback), String(r.accepted), String(r.overridden),
      pct(r.acceptanceRate), pct(r.overrideRate)]);
  }
  const reasons: string[][] = [['rule', 'override reason', 'display', 'count']];
  for (const r of await store.reportOverrideReasons()) reasons.push([r.ruleId, r.reasonCode, r.reasonDisplay, String(r.count)]);
  return `${table(lines)}\n\n${table(reasons)}\n`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(fmt)].join('\n');
}
