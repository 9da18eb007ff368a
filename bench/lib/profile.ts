/**
 * Where a hook call's CPU goes: a V8 CPU profile (node --cpu-prof) of the service under load, each sample given to
 * the stage of the nearest frame on its stack that belongs to one (a JSON.parse inside body-parser is "request body
 * parse", a Handlebars frame under buildCards is "cards").
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Checked from the sample's own frame outwards; the first stage that matches a frame wins. */
const STAGES: readonly { name: string; match: (fn: string, url: string) => boolean }[] = [
  { name: 'feedback store (SQLite)', match: (_f, u) => u.includes('/feedback/') || u.includes('better-sqlite3') },
  { name: 'cards (view models, Handlebars)', match: (_f, u) => u.includes('/cds/cards/') || u.includes('/handlebars/') },
  { name: 'course evaluation', match: (_f, u) => u.includes('/course/') },
  { name: 'FHIR mapping', match: (_f, u) => u.includes('/fhir/map/') || u.includes('/instruments/') },
  { name: 'FHIR client (fhirclient, node-fetch)', match: (_f, u) => u.includes('/fhirclient/') || u.includes('fetch/') },
  { name: 'prefetch resolution, FHIR reader', match: (_f, u) => u.includes('/fhir/prefetch') || u.includes('/fhir/reader/') },
  { name: 'request validation (ajv)', match: (_f, u) => u.includes('/cds/schemas') || u.includes('/ajv/') },
  { name: 'JWT verification (jose)', match: (_f, u) => u.includes('/jose/') || u.includes('/http/authenticate') },
  { name: 'logging (pino)', match: (_f, u) => u.includes('/pino') || u.includes('redact') || u.includes('sonic-boom') },
  { name: 'request body read + JSON.parse', match: (_f, u) => u.includes('/body-parser/') || u.includes('/raw-body/') || u.includes('/iconv-lite/') },
  { name: 'answer JSON + write', match: (f, u) => u.includes('/express/lib/response') || f === 'writev' || f === 'writeBuffer' || f === 'writeUtf8String' },
  { name: 'hook handler (rest)', match: (_f, u) => u.includes('/cds/') || u.includes('/service.') },
  { name: 'express routing, middleware', match: (_f, u) => u.includes('/express/') || u.includes('/router/') || u.includes('/http/app') },
  { name: 'garbage collection', match: (f) => f === '(garbage collector)' },
];

export interface StageShare {
  readonly stage: string;
  /** Share of the busy (non-idle) CPU time, in %. */
  readonly percent: number;
}

/**
 * Every thread's profile together (node writes one file per thread): a call read from FHIR does its work in a hook
 * thread, and the event loop's profile alone would show only the HTTP side of it.
 */
export function stagesOf(profileFiles: readonly string[]): { busyMs: number; stages: StageShare[] } {
  const totals = new Map<string, number>();
  let busy = 0;
  for (const file of profileFiles) busy += addStages(file, totals);
  const stages = [...totals.entries()]
    .map(([stage, us]) => ({ stage, percent: Math.round((us / busy) * 1000) / 10 }))
    .sort((a, b) => b.percent - a.percent);
  return { busyMs: busy / 1000, stages };
}

/** Adds one thread's busy time per stage (µs) to `totals`; returns its busy time. */
function addStages(profileFile: string, totals: Map<string, number>): number {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stageOfNode = new Map<number, string>();
  const stageOf = (id: number): string => {
    const known = stageOfNode.get(id);
    if (known) return known;
    let stage = 'node internals (HTTP, streams, timers)';
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      const hit = STAGES.find((s) => s.match(functionName, url));
      if (hit) {
        stage = hit.name;
        break;
      }
    }
    stageOfNode.set(id, stage);
    return stage;
  };
  const inHook = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (byId.get(at)!.callFrame.functionName === 'handleHook') return true;
    }
    return false;
  };
  // Start-up (module loading, schema and template compilation) is not a call's cost: count from the first call on.
  // A thread that never ran a call (an idle hook thread) adds nothing.
  const first = profile.samples.findIndex(inHook);
  if (first < 0) return 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (i < first) return;
    const fn = byId.get(id)!.callFrame.functionName;
    if (fn === '(idle)' || fn === '(program)') return;
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    const stage = stageOf(id);
    totals.set(stage, (totals.get(stage) ?? 0) + dt);
  });
  return busy;
}
