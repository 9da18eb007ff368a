/**
 * One unit of work: a file set small enough to group by patient in memory (see MAX_UNIT_BYTES), read line by line,
 * each patient evaluated once all the set's files are read. Larger sets are first split into such units by
 * partition.ts.
 */
import { addPatient, createPartial, type PartialResult, type PopulationOptions } from '../population-result.js';
import { addResource, emptyPatientResources, PATIENT_RESOURCE_LISTS, type PatientResources } from '../patient-resources.js';
import type { FileSet } from './file-sets.js';
import { patientIdOf } from './patient-of.js';
import { readLines } from './read-lines.js';

/**
 * A set up to this size is grouped in memory (parsed, roughly 4-5x the bytes); above it, it is partitioned by
 * patient first. Bounds a worker's memory whatever the input.
 */
export const MAX_UNIT_BYTES = 8 * 1024 * 1024;

/** File types whose lines are read: the kinds the engine needs, and partition buckets, which hold them mixed. */
export const BUCKET_TYPE = 'Bucket';
const READ_TYPES: ReadonlySet<string> = new Set([...Object.keys(PATIENT_RESOURCE_LISTS), 'Patient', BUCKET_TYPE]);

export interface UnitProgress {
  readonly bytes: number;
  readonly patients: number;
}

export async function processUnit(
  unit: FileSet,
  options: PopulationOptions,
  onProgress: (delta: UnitProgress) => void = () => {},
): Promise<PartialResult> {
  const partial = createPartial(options);
  const byPatient = new Map<string, PatientResources>();
  const patientOf = (id: string): PatientResources => {
    let p = byPatient.get(id);
    if (!p) {
      p = emptyPatientResources(id);
      byPatient.set(id, p);
    }
    return p;
  };
  for (const file of unit.files) {
    if (!READ_TYPES.has(file.type)) {
      onProgress({ bytes: file.bytes, patients: 0 });
      continue;
    }
    let bytes = 0;
    for await (const line of readLines(file.path)) {
      bytes += line.length + 1;
      if (bytes > 1 << 20) {
        onProgress({ bytes, patients: 0 });
        bytes = 0;
      }
      let resource: unknown;
      try {
        resource = JSON.parse(line);
      } catch {
        partial.skipped += 1;
        continue;
      }
      const patientId = patientIdOf(resource);
      if (patientId === undefined) {
        partial.skipped += 1;
        continue;
      }
      const type = (resource as { resourceType?: unknown }).resourceType;
      if (type === 'Patient') patientOf(patientId);
      else if (!addResource(patientOf(patientId), resource as { resourceType?: unknown })) continue;
    }
    onProgress({ bytes, patients: 0 });
  }
  let done = 0;
  for (const resources of byPatient.values()) {
    addPatient(partial, resources, options);
    done += 1;
    if (done % 500 === 0) {
      onProgress({ bytes: 0, patients: 500 });
    }
  }
  onProgress({ bytes: 0, patients: done % 500 });
  byPatient.clear();
  return partial;
}
