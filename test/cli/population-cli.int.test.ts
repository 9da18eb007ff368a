import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoBundles } from '../../src/demo/patients.js';
import { startFhirServer, type RunningFhirServer } from '../../src/sandbox/index.js';
import { PROJECT_ROOT } from '../support/start-service.js';

const run = promisify(execFile);
const cli = (args: string[]) =>
  run(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), ...args], { cwd: PROJECT_ROOT, timeout: 60_000 });
const failing = (args: string[]) => cli(args).then(() => undefined, (e: { stderr: string; code: number }) => e);

/** `ndjson-export`, `worklist` and `report` as an operator runs them, on both inputs. */
describe('the population CLI', () => {
  let dir: string;
  let fhir: RunningFhirServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lbp-pop-cli-'));
    fhir = await startFhirServer({ bundles: loadDemoBundles(PROJECT_ROOT), requireBearer: 'cli-token' });
    await cli(['ndjson-export', '--out', join(dir, 'demo')]);
  });
  afterAll(async () => {
    await fhir.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the demo Bundles as an NDJSON folder, one file per resource type', async () => {
    const { stdout } = await cli(['ndjson-export', '--out', join(dir, 'exported')]);
    expect(stdout).toMatch(/^Encounter\.ndjson: 135$/m);
    expect(readdirSync(join(dir, 'exported')).sort()).toEqual(expect.arrayContaining(['Encounter.ndjson', 'EpisodeOfCare.ndjson', 'Observation.ndjson', 'Patient.ndjson', 'QuestionnaireResponse.ndjson', 'CarePlan.ndjson']));
  });

  it('prints exactly {date, items, report} with --format json, the same from the folder and from the FHIR server', async () => {
    const args = ['--date', '2027-02-10', '--format', 'json', '--lang', 'en'];
    const fromFiles = JSON.parse((await cli(['worklist', '--ndjson', join(dir, 'demo'), ...args])).stdout);
    expect(Object.keys(fromFiles)).toEqual(['date', 'items', 'report']);
    expect(fromFiles.date).toBe('2027-02-10');
    for (const item of fromFiles.items) expect(Object.keys(item)).toEqual(['patientId', 'courseType', 'action', 'due', 'code', 'text']);
    expect(fromFiles.items.find((i: { action: string }) => i.action === 'follow-up-due')).toEqual({
      patientId: 'lbp-edge-final-consultation-patient', courseType: 'recurrent', action: 'follow-up-due', due: '2027-02-16', code: '0268',
      text: 'Follow-up consultation (0268) at 3 months: target 2027-02-16, latest 2027-03-16',
    });
    const fromServer = JSON.parse((await cli(['report', '--fhir-server', fhir.url, '--token', 'cli-token', '--all-patients', ...args])).stdout);
    expect(fromServer).toEqual(fromFiles);
  });

  it('prints the worklist as a table and CSV, and the report as a table and CSV', async () => {
    const table = (await cli(['worklist', '--ndjson', join(dir, 'demo'), '--date', '2026-11-25'])).stdout;
    expect(table).toMatch(/^Worklist 2026-11-25: 5 item\(s\) for 17 course\(s\) of 17 patient\(s\)/);
    expect(table).toMatch(/2026-11-25\s+scores-missing\s+0110\s+recurrent\s+lbp-edge-missing-baseline-scores-patient\s+ODI mangler til 0110 den 2026-11-25/);
    const csv = (await cli(['worklist', '--ndjson', join(dir, 'demo'), '--date', '2026-11-25', '--format', 'csv'])).stdout.split('\r\n');
    expect(csv[0]).toBe('due,action,code,courseType,patientId,text');
    expect(csv).toContain('2026-11-25,scores-missing,0267,recurrent,lbp-edge-missing-final-scores-patient,ODI og PSFS mangler til 0267 den 2026-11-25');
    const report = (await cli(['report', '--ndjson', join(dir, 'demo'), '--date', '2026-11-25', '--period', 'year'])).stdout;
    expect(report).toMatch(/^recurrent\s+all\s+12\s+5\s+7\s+91\.7 %\s+80\.0 %/m);
    const reportCsv = (await cli(['report', '--ndjson', join(dir, 'demo'), '--date', '2026-11-25', '--period', 'year', '--format', 'csv'])).stdout.split('\r\n');
    expect(reportCsv[0]).toMatch(/^courseType,period,started,finished,open,baselineComplete,finalComplete,odiN,/);
    expect(reportCsv).toContain(reportCsv.find((l) => l.startsWith('recurrent,all,12,5,7,0.917,0.8,')));
  });

  it('writes partial results and merges them into the result of the whole', async () => {
    const partial = join(dir, 'part.json');
    const whole = JSON.parse((await cli(['worklist', '--ndjson', join(dir, 'demo'), '--date', '2026-11-25', '--format', 'json', '--partial-out', partial])).stdout);
    const merged = JSON.parse((await cli(['worklist', '--merge', partial, '--format', 'json'])).stdout);
    expect(merged).toEqual(whole);
  });

  it('explains bad input instead of failing obscurely', async () => {
    expect((await failing(['worklist', '--date', '2026-11-25']))?.stderr).toMatch(/exactly one of --fhir-server <url>, --ndjson <dir> or --merge/);
    expect((await failing(['worklist', '--ndjson', join(dir, 'demo'), '--date', '2026-02-30']))?.stderr).toMatch(/--date must be a date YYYY-MM-DD/);
    expect((await failing(['worklist', '--ndjson', join(dir, 'nowhere')]))?.stderr).toMatch(/cannot read the NDJSON folder/);
    expect((await failing(['worklist', '--fhir-server', fhir.url, '--token', 'wrong']))?.stderr).toMatch(/FhirHttpError/);
    expect((await failing(['worklist', '--merge', join(dir, 'demo', 'Patient.ndjson')]))?.stderr).toMatch(/--merge .*Patient\.ndjson/);
  });
});
