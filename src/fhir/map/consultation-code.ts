import { CodeSystemUrl } from '../../canonical.js';
import { CONSULTATION_CODES, type ConsultationCode } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { codings } from './guards.js';

const CODES: ReadonlySet<string> = new Set(CONSULTATION_CODES);

export function isConsultationCode(code: string): code is ConsultationCode {
  return CODES.has(code);
}

/**
 * The consultation code of a list of CodeableConcepts (Encounter.type, Appointment.serviceType). Codes under other
 * systems are not ours and are ignored; a code of ours written without a system is noted, not used.
 */
export function consultationCodeOf(
  concepts: unknown,
  resource: string,
  issues: DataQualityIssue[],
): ConsultationCode | undefined {
  const found: ConsultationCode[] = [];
  for (const c of codings(concepts)) {
    if (c.code === undefined) continue;
    if (c.system === CodeSystemUrl.consultation) {
      if (isConsultationCode(c.code)) {
        if (!found.includes(c.code)) found.push(c.code);
      } else {
        issues.push(dataQualityIssue('unknown-consultation-code', resource, { code: c.code.slice(0, 16) }));
      }
    } else if (c.system === undefined && isConsultationCode(c.code)) {
      issues.push(dataQualityIssue('unknown-code-system', resource, { code: c.code }));
    }
  }
  if (found.length > 1) {
    issues.push(dataQualityIssue('multiple-consultation-codes', resource, { codes: found.join(',') }));
  }
  return found[0];
}
