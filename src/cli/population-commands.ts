/**
 * `worklist`, `report` and `ndjson-export`: the clinic's view of its whole population (src/population). Both
 * `worklist` and `report` evaluate the same way and differ only in what the table and CSV show; `--format json`
 * prints the whole document `{date, items, report}`.
 */
import { availableParallelism } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { isLocalDate, toLocalDate, type CourseConfig } from '../course/index.js';
import { loadCourseConfig } from '../fhir/definitions/course-config.js';
import { loadDemoBundles } from '../demo/patients.js';
import { evaluateFhirServer } from '../population/fhir/evaluate-fhir-server.js';
import { reportCsv, reportTable, worklistCsv, worklistTable } from '../population/format.js';
import { evaluateNdjsonFolder } from '../population/ndjson/evaluate-folder.js';
import { writeBundlesAsNdjson } from '../population/ndjson/export-bundles.js';
import { createPartial, finishPopulation, mergePartials, type PartialResult, type PopulationOptions } from '../population/population-result.js';
import { PERIODS, type Period } from '../population/report.js';
import { DEFAULT_HORIZON_DAYS } from '../population/worklist.js';
import { progressBar } from './progress-bar.js';

interface PopulationCliOptions {
  fhirServer?: string;
  ndjson?: string;
  merge?: string[];
  token?: string;
  date?: string;
  format: 'table' | 'json' | 'csv';
  horizon: string;
  period: Period;
  lang: 'da' | 'en';
  workers: string;
  allPatients?: boolean;
  courseConfig?: string;
  partialOut?: string;
}

function fail(program: Command, message: string): never {
  program.error(`error: ${message}`, { exitCode: 2 });
}

function courseConfig(program: Command, file: string | undefined): CourseConfig | undefined {
  if (!file) return undefined;
  try {
    const json = JSON.parse(readFileSync(resolve(file), 'utf8')) as { course?: unknown };
    // As CDS_CONFIG's `course`: overrides and definition folders (relative to the working directory, the project root
    // when run as `npm run cli`), validated together.
    const problems: string[] = [];
    const config = loadCourseConfig(json.course ?? json, process.cwd(), problems);
    return config ?? fail(program, `--course-config ${file}: ${problems.join('; ')}`);
  } catch (error) {
    return fail(program, `--course-config ${file}: ${(error as Error).message}`);
  }
}

function readPartial(program: Command, file: string): PartialResult {
  try {
    const p = JSON.parse(readFileSync(resolve(file), 'utf8')) as PartialResult;
    if (p?.kind !== 'structured-course-population-partial') throw new Error('not a partial result written by --partial-out');
    return p;
  } catch (error) {
    return fail(program, `--merge ${file}: ${(error as Error).message}`);
  }
}

async function evaluate(program: Command, opts: PopulationCliOptions): Promise<PartialResult> {
  const inputs = [opts.fhirServer, opts.ndjson, opts.merge].filter((x) => x !== undefined);
  if (inputs.length !== 1) fail(program, 'give exactly one of --fhir-server <url>, --ndjson <dir> or --merge <files...>');
  const referenceDate = opts.date ?? toLocalDate(new Date().toISOString()) ?? new Date().toISOString().slice(0, 10);
  if (!isLocalDate(referenceDate)) fail(program, `--date must be a date YYYY-MM-DD, not ${JSON.stringify(opts.date)}`);
  const horizonDays = Number(opts.horizon);
  if (!Number.isInteger(horizonDays) || horizonDays < 0 || horizonDays > 366) fail(program, '--horizon must be a whole number of days, 0-366');
  const workers = Number(opts.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 64) fail(program, '--workers must be a whole number, 0-64');
  const config = courseConfig(program, opts.courseConfig);
  const options: PopulationOptions = { referenceDate, horizonDays, period: opts.period, lang: opts.lang, ...(config ? { config } : {}) };

  if (opts.merge) {
    // The partials carry their reference date, horizon, period and language: the merge takes them from the first.
    const partials = opts.merge.map((file) => [file, readPartial(program, file)] as const);
    const first = partials[0]?.[1];
    const total = first
      ? createPartial({ referenceDate: first.referenceDate, horizonDays: first.horizonDays, lang: first.lang, period: first.report.period })
      : createPartial(options);
    for (const [file, partial] of partials) {
      try {
        mergePartials(total, partial);
      } catch (error) {
        fail(program, `--merge ${file}: ${(error as Error).message}`);
      }
    }
    return total;
  }
  const bar = progressBar(opts.ndjson ? 'reading NDJSON' : 'reading FHIR server');
  try {
    if (opts.ndjson) {
      const result = await evaluateNdjsonFolder(resolve(opts.ndjson), options, {
        workers,
        onUnits: (_units, bytes) => bar.total(bytes),
        onProgress: (d) => bar.add(d.bytes),
      });
      bar.done();
      return result;
    }
    const result = await evaluateFhirServer({
      fhirServer: opts.fhirServer as string,
      ...(opts.token ? { accessToken: opts.token } : {}),
      patientSource: opts.allPatients ? 'patients' : 'episodes',
      onTotal: (n) => bar.total(n),
      onProgress: (d) => bar.add(d.patients),
    }, options);
    bar.done();
    return result;
  } catch (error) {
    const e = error as Error;
    return fail(program, `${e.name}: ${e.message}`);
  }
}

function addPopulationCommand(program: Command, name: 'worklist' | 'report', description: string): void {
  program
    .command(name)
    .description(description)
    .option('--fhir-server <url>', 'FHIR base URL to read the population from')
    .option('--token <token>', 'bearer token for the FHIR server')
    .option('--ndjson <dir>', 'Bulk Data NDJSON folder to read the population from')
    .option('--merge <files...>', 'merge partial results written with --partial-out (one per file set or machine; their date, horizon, period and language are kept)')
    .option('--date <YYYY-MM-DD>', 'reference date (default: today in Europe/Copenhagen)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--horizon <days>', 'list follow-ups and closing windows due within this many days', String(DEFAULT_HORIZON_DAYS))
    .addOption(new Option('--period <period>', 'report period of the course entry').choices([...PERIODS]).default('quarter'))
    .addOption(new Option('--lang <lang>', 'language of the item texts').choices(['da', 'en']).default('da'))
    .option('--workers <n>', 'worker threads for NDJSON (0: none)', String(Math.min(4, availableParallelism())))
    .option('--all-patients', 'FHIR server: every Patient, not only those with an EpisodeOfCare')
    .option('--course-config <file>', 'JSON file with course limits (a CDS_CONFIG file or its "course" object)')
    .option('--partial-out <file>', 'also write the partial result, to merge later with --merge')
    .action(async (opts: PopulationCliOptions) => {
      const partial = await evaluate(program, opts);
      if (opts.partialOut) writeFileSync(resolve(opts.partialOut), JSON.stringify(partial));
      const result = finishPopulation(partial);
      if (opts.format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else if (name === 'worklist') process.stdout.write(opts.format === 'csv' ? worklistCsv(result) : worklistTable(result));
      else process.stdout.write(opts.format === 'csv' ? reportCsv(result) : reportTable(result));
      if (result.report.unreadable > 0) process.exitCode = 1;
    });
}

export function registerPopulationCommands(program: Command, projectRoot: string): void {
  addPopulationCommand(program, 'worklist', 'what is due for every patient with a structured course (follow-ups, finals, scores, limits)');
  addPopulationCommand(program, 'report', 'quality report per course type and period of entry');
  program
    .command('ndjson-export')
    .description('write the demo patients as a Bulk Data NDJSON folder (one <Type>.ndjson per resource type)')
    .requiredOption('--out <dir>', 'folder to write')
    .action(async (opts: { out: string }) => {
      const counts = await writeBundlesAsNdjson(loadDemoBundles(projectRoot), resolve(opts.out));
      for (const [type, n] of Object.entries(counts).sort()) process.stdout.write(`${type}.ndjson: ${n}\n`);
    });
}
