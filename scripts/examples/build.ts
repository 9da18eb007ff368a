/**
 * All example files, built in memory: the script writes them, and a test compares them with the committed copies,
 * so the files in fhir-resources/examples/ can never drift from the timelines here.
 */
import { DEMO_PATIENTS } from '../../src/demo/patients.js';
import { COURSE_2_MID, NO_EPISODE } from './demo-courses.js';
import { EDGE_CASES } from './edge-cases.js';
import { InvalidExampleSpecError, buildPatientBundle } from './patient-bundle.js';
import { COURSE_1, COURSE_2, COURSE_3 } from './seed-courses.js';
import type { PatientSpec } from './spec.js';

export const EXAMPLES_DIR = 'fhir-resources/examples';

export const PATIENT_SPECS: readonly PatientSpec[] = [COURSE_1, COURSE_2, COURSE_3, COURSE_2_MID, ...EDGE_CASES, NO_EPISODE];

export interface ExampleFile {
  /** Relative to the project root. */
  readonly path: string;
  readonly content: string;
}

/** One file per demo patient, in DEMO_PATIENTS order; the catalogue names the file. */
export function buildExampleFiles(): ExampleFile[] {
  return DEMO_PATIENTS.map((demo) => {
    const spec = PATIENT_SPECS.find((s) => s.key === demo.key);
    if (!spec) throw new InvalidExampleSpecError(`no timeline for demo patient ${demo.key}`);
    return { path: demo.bundleFile, content: `${JSON.stringify(buildPatientBundle(spec), null, 2)}\n` };
  });
}
