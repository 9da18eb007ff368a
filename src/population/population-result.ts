/**
 * What one job (one file set, one FHIR server) produces, and how partial results merge: items concatenate, report
 * accumulators add up, counts add up. Plain JSON, so a partial result can cross a thread or be written to a file
 * and merged on another machine.
 */
import type { CourseConfig, LocalDate } from '../course/index.js';
import { DEFAULT_COURSE_CONFIG } from '../fhir/definitions/shipped.js';
import { courseFacts } from './course-facts.js';
import type { PatientResources } from './patient-resources.js';
import { addCourse, createReportAccumulator, reportOrder, finishReport, mergeReportAccumulators, type Period, type QualityReport, type ReportAccumulator } from './report.js';
import { compareItems, worklistItems, type WorklistItem } from './worklist.js';
import type { Language } from './texts.js';

export interface PopulationOptions {
  readonly referenceDate: LocalDate;
  readonly horizonDays: number;
  readonly period: Period;
  readonly lang: Language;
  readonly config?: CourseConfig;
}

export interface PartialResult {
  readonly kind: 'structured-course-population-partial';
  readonly referenceDate: LocalDate;
  readonly horizonDays: number;
  readonly lang: Language;
  /** Patients read (with or without a course). */
  patients: number;
  /** Patients with a course at the reference date. */
  courses: number;
  /** Patients whose data could not be read (FHIR errors); never silently dropped. */
  unreadable: number;
  /** NDJSON lines that are not JSON or name no patient: counted, never silently dropped. */
  skipped: number;
  items: WorklistItem[];
  report: ReportAccumulator;
}

export function createPartial(options: PopulationOptions): PartialResult {
  return {
    kind: 'structured-course-population-partial',
    referenceDate: options.referenceDate,
    horizonDays: options.horizonDays,
    lang: options.lang,
    patients: 0,
    courses: 0,
    unreadable: 0,
    skipped: 0,
    items: [],
    report: createReportAccumulator(options.period, reportOrder((options.config ?? DEFAULT_COURSE_CONFIG).definitions)),
  };
}

/** Evaluates one patient into the partial result. */
export function addPatient(partial: PartialResult, resources: PatientResources, options: PopulationOptions): void {
  partial.patients += 1;
  const facts = courseFacts(resources, options.referenceDate, options.config ?? DEFAULT_COURSE_CONFIG);
  if (!facts) return;
  partial.courses += 1;
  for (const item of worklistItems(facts, { horizonDays: options.horizonDays, lang: options.lang })) partial.items.push(item);
  addCourse(partial.report, facts);
}

export function mergePartials(into: PartialResult, from: PartialResult): PartialResult {
  if (into.referenceDate !== from.referenceDate || into.horizonDays !== from.horizonDays || into.lang !== from.lang) {
    throw new Error('partial results of different reference dates, horizons or languages cannot be merged');
  }
  into.patients += from.patients;
  into.courses += from.courses;
  into.unreadable += from.unreadable;
  into.skipped += from.skipped;
  for (const item of from.items) into.items.push(item);
  mergeReportAccumulators(into.report, from.report);
  return into;
}

export interface PopulationResult {
  readonly date: LocalDate;
  readonly items: readonly WorklistItem[];
  readonly report: QualityReport & { readonly patients: number; readonly courses: number; readonly unreadable: number; readonly skipped: number; readonly horizonDays: number };
}

/** The `--format json` document: `{date, items, report}`. */
export function finishPopulation(partial: PartialResult): PopulationResult {
  return {
    date: partial.referenceDate,
    items: [...partial.items].sort(compareItems),
    report: {
      patients: partial.patients,
      courses: partial.courses,
      unreadable: partial.unreadable,
      skipped: partial.skipped,
      horizonDays: partial.horizonDays,
      ...finishReport(partial.report),
    },
  };
}
