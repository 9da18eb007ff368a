/**
 * `npm run bench -- --population [--quick]`: the population job (issue 13) on generated clinics of 10,000, 50,000
 * and 100,000 patients (--quick: 2,000, 10,000 and 20,000), NDJSON in file sets of 1,000 patients, on worker threads, from the
 * compiled build as an operator runs it. Each run is its own process, which reports its wall time, CPU time (all
 * threads) and peak RSS (the whole process: main thread and workers). Figures go to bench/population-results.json.
 *
 * The machine is shared, so wall time depends on what else runs; CPU time per patient does not, and is what the
 * linearity check compares.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePopulation } from '../scripts/population/write-population.js';
import { PROJECT_ROOT } from './lib/patients.js';

const REFERENCE_DATE = '2026-11-25';
const SEED = 13;
const PATIENTS_PER_SET = 1000;
const TARGET = { seconds: 60, rssMb: 400, patients: 100_000 } as const;

interface JobFigures {
  patients: number;
  workers: number;
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
  items: number;
  inputMb: number;
  loadBefore: number;
}

/** The job as the CLI runs it (`worklist --ndjson DIR --format json`), in a fresh process of the compiled build. */
function runJob(dir: string, workers: number): Omit<JobFigures, 'patients' | 'inputMb'> {
  const script = `
    const { evaluateNdjsonFolder } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/population/ndjson/evaluate-folder.js'))});
    const { finishPopulation } = await import(${JSON.stringify(join(PROJECT_ROOT, 'dist/population/population-result.js'))});
    const started = performance.now();
    const partial = await evaluateNdjsonFolder(${JSON.stringify(dir)}, { referenceDate: '${REFERENCE_DATE}', horizonDays: 14, period: 'quarter', lang: 'da' }, { workers: ${workers} });
    const json = JSON.stringify(finishPopulation(partial), null, 2);
    const wallMs = performance.now() - started;
    const u = process.resourceUsage();
    process.stdout.write(JSON.stringify({ wallMs, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssMb: u.maxRSS / 1024, items: partial.items.length, patients: partial.patients, bytes: json.length }));
  `;
  const loadBefore = loadavg()[0] ?? 0;
  const file = join(dir, '..', 'job.mjs');
  writeFileSync(file, script);
  // A plain node process: no tsx loader inherited (NODE_OPTIONS), exactly the compiled build.
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const out = JSON.parse(execFileSync(process.execPath, [file], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 1 << 20, env })) as
    { wallMs: number; cpuMs: number; maxRssMb: number; items: number; patients: number };
  return { workers, wallMs: Math.round(out.wallMs), cpuMs: Math.round(out.cpuMs), maxRssMb: Math.round(out.maxRssMb), items: out.items, loadBefore: Math.round(loadBefore * 10) / 10 };
}

export async function runPopulationBench(options: { quick: boolean }): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log('building dist/ (npm run build)...');
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const sizes = options.quick ? [2_000, 10_000, 20_000] : [10_000, 50_000, 100_000];
  const workers = Math.min(4, availableParallelism());
  const root = mkdtempSync(join(tmpdir(), 'lbp-population-bench-'));
  const runs: JobFigures[] = [];
  try {
    for (const patients of sizes) {
      const dir = join(root, `p${patients}`);
      log(`generating ${patients} patients...`);
      const written = await writePopulation({ patients, seed: SEED, referenceDate: REFERENCE_DATE, outDir: dir, patientsPerSet: PATIENTS_PER_SET });
      log(`  ${written.resources} resources, ${(written.bytes / 1e6).toFixed(0)} MB in ${written.sets} file sets; running the job on ${workers} workers...`);
      const job = runJob(dir, workers);
      runs.push({ patients, inputMb: Math.round(written.bytes / 1e6), ...job });
      log(`  ${job.wallMs} ms wall, ${job.cpuMs} ms CPU, ${job.maxRssMb} MB peak RSS, ${job.items} items (load ${job.loadBefore})`);
      rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const small = runs[0] as JobFigures;
  const middle = runs[1] as JobFigures;
  const large = runs[runs.length - 1] as JobFigures;
  // Linear: time = fixed + per-patient x n. The line through the smallest and largest run predicts the middle one.
  const perPatientCpu = (large.cpuMs - small.cpuMs) / (large.patients - small.patients);
  const fixedCpu = small.cpuMs - perPatientCpu * small.patients;
  const predictedMiddle = fixedCpu + perPatientCpu * middle.patients;
  const perPatient = (r: JobFigures) => ({ wallUs: Math.round((r.wallMs * 1000) / r.patients), cpuUs: Math.round((r.cpuMs * 1000) / r.patients) });
  const scale = large.patients / small.patients;
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
    referenceDate: REFERENCE_DATE,
    patientsPerSet: PATIENTS_PER_SET,
    runs: runs.map((r) => ({ ...r, ...perPatient(r), patientsPerSecond: Math.round((r.patients * 1000) / r.wallMs) })),
    linearity: {
      marginalCpuUsPerPatient: Math.round(perPatientCpu * 1000),
      fixedCpuMs: Math.round(fixedCpu),
      middleCpuMs: middle.cpuMs,
      middlePredictedCpuMs: Math.round(predictedMiddle),
      middleDeviationPercent: Math.round(((middle.cpuMs - predictedMiddle) / predictedMiddle) * 1000) / 10,
      sizeRatio: scale,
      wallRatio: Math.round((large.wallMs / small.wallMs) * 100) / 100,
      cpuRatio: Math.round((large.cpuMs / small.cpuMs) * 100) / 100,
    },
    targets: options.quick ? [] : [
      { name: `${TARGET.patients} patients within ${TARGET.seconds} s`, value: Math.round(large.wallMs / 100) / 10, unit: 's', met: large.wallMs <= TARGET.seconds * 1000 },
      { name: `peak memory within ${TARGET.rssMb} MB`, value: large.maxRssMb, unit: 'MB', met: large.maxRssMb <= TARGET.rssMb },
    ],
  };
  if (!options.quick) writeFileSync(join(PROJECT_ROOT, 'bench', 'population-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  const lines = ['', 'population job (NDJSON, worker threads, compiled build)', 'patients  input MB  wall ms  CPU ms  µs/patient wall  µs/patient CPU  peak RSS MB  items  load'];
  for (const r of result.runs) {
    lines.push(`${String(r.patients).padStart(8)}  ${String(r.inputMb).padStart(8)}  ${String(r.wallMs).padStart(7)}  ${String(r.cpuMs).padStart(6)}  ${String(r.wallUs).padStart(15)}  ${String(r.cpuUs).padStart(14)}  ${String(r.maxRssMb).padStart(11)}  ${String(r.items).padStart(5)}  ${r.loadBefore}`);
  }
  lines.push(`linearity: ${scale}x the patients took ${result.linearity.wallRatio}x the wall time and ${result.linearity.cpuRatio}x the CPU time;`
    + ` CPU = ${result.linearity.fixedCpuMs} ms + ${result.linearity.marginalCpuUsPerPatient} µs x patients predicts ${result.linearity.middlePredictedCpuMs} ms`
    + ` for ${middle.patients}, measured ${middle.cpuMs} ms (${result.linearity.middleDeviationPercent} %)`);
  for (const t of result.targets) lines.push(`${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value} ${t.unit}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
