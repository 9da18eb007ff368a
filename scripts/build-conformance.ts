/**
 * Generates our conformance resources into fhir-resources/ (top level only; fhir-resources/examples/ is not ours
 * to touch; nor are the hand-maintained course definitions, see HAND_MAINTAINED). For what it writes, the TypeScript
 * constants are the source of truth and test/fhir-resources checks the files on disk equal this output.
 *
 *   npx tsx scripts/build-conformance.ts          write the files
 *   npx tsx scripts/build-conformance.ts --check  exit 1 when a file is missing, stale or extra
 */
import { readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FhirResource } from 'fhir/r4.js';
import { extensionDefinitions } from './conformance/extension-definitions.js';
import { questionnaireResources } from './conformance/questionnaires.js';
import { terminologyResources } from './conformance/terminology.js';

export const CONFORMANCE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fhir-resources');

/** Resource types this generator writes at the top level of fhir-resources/. */
export const CONFORMANCE_TYPES = ['CodeSystem', 'ValueSet', 'Questionnaire', 'StructureDefinition'] as const;

/**
 * Hand-maintained sources beside the generated files: the course definitions (PlanDefinitions and
 * ActivityDefinitions, never generated) and the two CodeSystems they are written in. The generator leaves them alone.
 */
export const HAND_MAINTAINED = ['CodeSystem-consultation-code.json', 'CodeSystem-course-type.json'] as const;

export interface ConformanceFile {
  /** `<ResourceType>-<id>.json` */
  readonly fileName: string;
  readonly resource: FhirResource;
  /** The exact file content (2-space JSON, trailing newline). */
  readonly content: string;
}

export function buildConformanceResources(): ConformanceFile[] {
  const resources: FhirResource[] = [...terminologyResources(), ...questionnaireResources(), ...extensionDefinitions()];
  return resources.map((resource) => ({
    fileName: `${resource.resourceType}-${resource.id}.json`,
    resource,
    content: `${JSON.stringify(resource, null, 2)}\n`,
  }));
}

const owned = (name: string) =>
  name.endsWith('.json') && CONFORMANCE_TYPES.some((t) => name.startsWith(`${t}-`)) && !(HAND_MAINTAINED as readonly string[]).includes(name);

/** Differences between the generator's output and `dir`: missing, stale (content differs) and extra files. */
export function compareConformanceDir(dir: string = CONFORMANCE_DIR): { missing: string[]; stale: string[]; extra: string[] } {
  const files = buildConformanceResources();
  const present = new Set(readdirSync(dir).filter(owned));
  const expected = new Set(files.map((f) => f.fileName));
  const missing = files.filter((f) => !present.has(f.fileName)).map((f) => f.fileName);
  const stale = files.filter((f) => present.has(f.fileName) && readFileSync(join(dir, f.fileName), 'utf8') !== f.content).map((f) => f.fileName);
  const extra = [...present].filter((n) => !expected.has(n));
  return { missing, stale, extra };
}

export function writeConformanceResources(dir: string = CONFORMANCE_DIR): string[] {
  const files = buildConformanceResources();
  const expected = new Set(files.map((f) => f.fileName));
  // Generated files that the generator no longer produces would otherwise linger under our canonical URLs.
  for (const name of readdirSync(dir).filter(owned)) if (!expected.has(name)) unlinkSync(join(dir, name));
  for (const f of files) writeFileSync(join(dir, f.fileName), f.content);
  return files.map((f) => f.fileName);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv.includes('--check')) {
    const { missing, stale, extra } = compareConformanceDir();
    const problems = [...missing.map((n) => `missing ${n}`), ...stale.map((n) => `stale ${n}`), ...extra.map((n) => `extra ${n}`)];
    for (const p of problems) console.error(p);
    process.exit(problems.length ? 1 : 0);
  }
  const written = writeConformanceResources();
  console.log(`wrote ${written.length} files to ${CONFORMANCE_DIR}`);
}
