import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { activeDefinitionsBundle, activePlanDefinition } from '../../../src/fhir/definitions/write-plan-definition.js';
import { parseCourseConfig } from '../../support/engine.js';

/** Definitions that do not make sense stop the start-up with every problem listed (main.ts exits 78 on a ConfigError). */
const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test/fixtures/courses/knee-hip-example');
const dir = mkdtempSync(join(tmpdir(), 'defs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = Record<string, any>;
function brokenCopy(edit: (plan: Json) => void): string {
  const folder = mkdtempSync(join(dir, 'course-'));
  cpSync(FIXTURE, folder, { recursive: true });
  const file = join(folder, 'PlanDefinition-knee-hip-example.json');
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Json;
  edit(plan);
  writeFileSync(file, JSON.stringify(plan));
  const config = join(folder, '..', `${folder.split('/').pop()}.json`);
  writeFileSync(config, JSON.stringify({ course: { definitions: [folder] } }));
  return config;
}

function problems(config: string): readonly string[] {
  try {
    loadConfig({ NODE_ENV: 'test', CDS_CONFIG: config }, ROOT);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loading course definitions from a configured folder', () => {
  it('lists every problem of meaning at once: unknown code, unknown instrument, a code in two steps, a limit on no step', () => {
    const config = brokenCopy((plan) => {
      const [entry, education, group] = plan.action;
      entry.action[0].definitionCanonical = 'https://example.org/fhir/ActivityDefinition/no-such-code';
      entry.extension[0].extension.push({ url: 'instrument', valueCanonical: 'https://example.org/fhir/Questionnaire/no-such-form' });
      education.action.push({ ...group.action[0], id: 'education-KH30' });
      plan.action.push({ id: 'empty', extension: [{ url: 'https://fhir.structured-course.dk/StructureDefinition/course-limit', extension: [
        { url: 'id', valueId: 'orphan' }, { url: 'rule', valueCode: 'education-limit' }, { url: 'kind', valueCode: 'per-course' }, { url: 'max', valueInteger: 1 },
      ] }], action: [] });
    });
    const list = problems(config);
    expect(list.some((p) => /unknown consultation code \(no ActivityDefinition .*no-such-code\)/.test(p))).toBe(true);
    expect(list.some((p) => /unknown instrument \(no Questionnaire .*no-such-form\)/.test(p))).toBe(true);
    expect(list.some((p) => p.includes('consultation code KH30 is in two steps (education and group-training)'))).toBe(true);
    expect(list.some((p) => p.includes('limit orphan is on no step'))).toBe(true);
    expect(list.every((p) => p.startsWith('CDS_CONFIG course.definitions: PlanDefinition-knee-hip-example.json'))).toBe(true);
  });

  it('refuses a folder that does not exist, and a course type defined twice', () => {
    const missing = join(dir, 'missing.json');
    writeFileSync(missing, JSON.stringify({ course: { definitions: ['no/such/folder'] } }));
    expect(problems(missing).join('\n')).toContain('cannot read the folder (ENOENT)');
    const twice = brokenCopy((plan) => {
      plan.useContext[0].valueCodeableConcept.coding[0] = { system: 'https://fhir.structured-course.dk/CodeSystem/course-type', code: 'recurrent' };
    });
    expect(problems(twice).join('\n')).toContain('course type recurrent is also defined by PlanDefinition-course-recurrent.json');
  });
});

describe('publishing the active definitions', () => {
  it('writes each PlanDefinition with the overridden numbers, for the embedded FHIR server and the CLI', () => {
    const config = parseCourseConfig({ courses: { recurrent: { limits: { 'individual-training': { max: 9 } }, finalDue: { afterDays: 60 }, followUp: { toleranceDays: 14 } } } });
    const plan = activePlanDefinition(config.definitions.courses.get('recurrent')!, config.definitions) as Json;
    const training = plan.action.find((a: Json) => a.id === 'individual-training');
    const limit = training.extension.find((e: Json) => e.url.endsWith('/course-limit'));
    expect(limit.extension.find((p: Json) => p.url === 'max').valueInteger).toBe(9);
    expect(plan.extension.find((e: Json) => e.extension[0].url === 'afterDays').extension[0].valueInteger).toBe(60);
    const followUp = plan.action.find((a: Json) => a.id === 'follow-up').extension.find((e: Json) => e.url.endsWith('/course-follow-up'));
    expect(followUp.extension.at(-1).valueDuration.value).toBe(14);
    const bundle = activeDefinitionsBundle(config.definitions) as Json;
    expect(bundle.entry.map((e: Json) => e.request.url)).toEqual(['PlanDefinition/course-self-training', 'PlanDefinition/course-recurrent', 'PlanDefinition/course-persistent']);
  });
});
