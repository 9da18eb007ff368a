import type { ConsultationCode } from './types.js';

/**
 * The consultation-code catalogue (course-model.md, "Consultation codes"): what each code is, in Danish and
 * English, whether it is held individually or in a group, and which role it plays in a course. The one source of
 * these names: the consultation CodeSystem, the example Bundles and the cards are all made from it.
 */

export const CONSULTATION_ROLES = [
  'entry', 'education', 'training', 'self-training', 'supplement', 'final', 'follow-up',
] as const;
export type ConsultationRole = (typeof CONSULTATION_ROLES)[number];

/** 0113 (supervised self-training at the clinic) is neither: the seed lists it without a mode ("-"). */
export const CONSULTATION_MODES = ['individual', 'group', 'none'] as const;
export type ConsultationMode = (typeof CONSULTATION_MODES)[number];

export interface ConsultationCodeInfo {
  readonly code: ConsultationCode;
  readonly nameDa: string;
  readonly nameEn: string;
  readonly mode: ConsultationMode;
  readonly role: ConsultationRole;
}

export const CONSULTATION_CATALOGUE = {
  '0110': { code: '0110', nameDa: 'Første konsultation', nameEn: 'First consultation', mode: 'individual', role: 'entry' },
  '0113': { code: '0113', nameDa: 'Superviseret selvtræning på klinik', nameEn: 'Supervised self-training at the clinic', mode: 'none', role: 'self-training' },
  '0261': { code: '0261', nameDa: 'Supplerende indledende konsultation', nameEn: 'Supplementary initial consultation', mode: 'individual', role: 'entry' },
  '0262': { code: '0262', nameDa: 'Supplerende indledende konsultation, samme dag som første konsultation', nameEn: 'Supplementary initial consultation, same day as the first consultation', mode: 'individual', role: 'entry' },
  '0263': { code: '0263', nameDa: 'Holdkonsultation: Patientuddannelse', nameEn: 'Group consultation: patient education', mode: 'group', role: 'education' },
  '0264': { code: '0264', nameDa: 'Holdkonsultation: Superviseret træning', nameEn: 'Group consultation: supervised training', mode: 'group', role: 'training' },
  '0265': { code: '0265', nameDa: 'Individuel konsultation: Patientuddannelse', nameEn: 'Individual consultation: patient education', mode: 'individual', role: 'education' },
  '0266': { code: '0266', nameDa: 'Individuel konsultation: Superviseret træning', nameEn: 'Individual consultation: supervised training', mode: 'individual', role: 'training' },
  '0267': { code: '0267', nameDa: 'Afsluttende konsultation', nameEn: 'Final consultation', mode: 'individual', role: 'final' },
  '0268': { code: '0268', nameDa: 'Opfølgende konsultation', nameEn: 'Follow-up consultation', mode: 'individual', role: 'follow-up' },
  '0269': { code: '0269', nameDa: 'Individuel konsultation: Manuel behandling', nameEn: 'Individual consultation: manual treatment', mode: 'individual', role: 'supplement' },
} as const satisfies Readonly<Record<ConsultationCode, ConsultationCodeInfo>>;

export function consultationInfo(code: ConsultationCode): ConsultationCodeInfo {
  return CONSULTATION_CATALOGUE[code];
}

export const isIndividual = (code: ConsultationCode): boolean => CONSULTATION_CATALOGUE[code].mode === 'individual';

/** Self-training (0113) is a training role too: it is where a course's training ends before the final. */
export const isTrainingRole = (role: ConsultationRole): boolean => role === 'training' || role === 'self-training';

/** Codes that open a course: 0110, 0261, and 0262 (only together with a same-day 0110). */
export const ENTRY_CODES: readonly ConsultationCode[] = ['0110', '0261', '0262'];
export const EDUCATION_CODES: readonly ConsultationCode[] = ['0263', '0265'];
