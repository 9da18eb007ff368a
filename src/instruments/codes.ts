import { CANONICAL_BASE, CodeSystemUrl, ExternalSystem, Loinc } from '../canonical.js';

/**
 * Codes of the instrument CodeSystem (CodeSystemUrl.instrument). PSFS has no LOINC code, so its mean score and its
 * activity slots (Observation.component) use ours; `odi` and `nprs` are project aliases accepted beside LOINC.
 */
export const InstrumentCode = {
  psfs: 'psfs',
  odi: 'odi',
  nprs: 'nprs',
} as const;

export const PSFS_SLOT_CODES = ['psfs-1', 'psfs-2', 'psfs-3', 'psfs-4', 'psfs-5'] as const;
export type PsfsSlotCode = (typeof PSFS_SLOT_CODES)[number];

/**
 * System of the ODI answer codes '0'..'5' (the code is the ordinal score). Derived from the one canonical base;
 * kept here rather than in canonical.ts because only the ODI Questionnaire and its reader use it.
 */
export const ODI_ANSWER_SYSTEM = `${CANONICAL_BASE}/CodeSystem/odi-answer`;
export const ODI_ANSWER_VALUE_SET = `${CANONICAL_BASE}/ValueSet/odi-answer`;

/** The Codings by which a score Observation of each instrument is recognised (LOINC first, then our aliases). */
export const ScoreObservationCodes = {
  odi: [
    { system: ExternalSystem.loinc, code: Loinc.odiTotal },
    { system: CodeSystemUrl.instrument, code: InstrumentCode.odi },
  ],
  psfs: [{ system: CodeSystemUrl.instrument, code: InstrumentCode.psfs }],
  nprs: [
    { system: ExternalSystem.loinc, code: Loinc.nprs },
    { system: CodeSystemUrl.instrument, code: InstrumentCode.nprs },
  ],
} as const;
