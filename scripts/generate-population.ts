/**
 * `npx tsx scripts/generate-population.ts --patients 100000 --out <dir> [--seed 1] [--date 2026-11-25]
 * [--per-set 1000]`: a seeded synthetic clinic population as Bulk Data NDJSON file sets (see population/plan.ts).
 */
import { Command } from 'commander';
import { writePopulation } from './population/write-population.js';

const opts = new Command('generate-population')
  .requiredOption('--out <dir>', 'folder to write (created)')
  .option('--patients <n>', 'patients', '1000')
  .option('--seed <n>', 'seed', '1')
  .option('--date <YYYY-MM-DD>', 'reference date: nothing after it has happened', '2026-11-25')
  .option('--per-set <n>', 'patients per file set', '1000')
  .parse()
  .opts<{ out: string; patients: string; seed: string; date: string; perSet: string }>();

const started = performance.now();
const result = await writePopulation({
  patients: Number(opts.patients), seed: Number(opts.seed), referenceDate: opts.date, outDir: opts.out, patientsPerSet: Number(opts.perSet),
});
process.stdout.write(`${opts.patients} patients, ${result.resources} resources, ${(result.bytes / 1e6).toFixed(1)} MB in ${result.sets} file set(s), ${Math.round(performance.now() - started)} ms\n`);
