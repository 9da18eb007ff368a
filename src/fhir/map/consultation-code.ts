import type { Definitions } from '../../course/definitions/types.js';
import type { ConsultationCode } from '../../course/types.js';
import { dataQualityIssue, type DataQualityIssue } from '../data-quality.js';
import { codings } from './guards.js';

/** The CodeSystems the definitions' consultation codes come from, memoised per definitions object. */
const systemsOf = new WeakMap<Definitions, ReadonlySet<string>>();
function consultationSystems(defs: Definitions): ReadonlySet<string> {
  let s = systemsOf.get(defs);
  if (!s) {
    s = new Set([...defs.codes.values()].map((c) => c.system));
    systemsOf.set(defs, s);
  }
  return s;
}

export function isConsultationCode(code: string, defs: Definitions): code is ConsultationCode {
  return defs.codes.has(code);
}

/**
 * The consultation code of a list of CodeableConcepts (Encounter.type, Appointment.serviceType): a code of the
 * definitions' consultation catalogue under its own system. Codes under other systems are not ours and are
 * ignored; a code of ours written without a system is noted, not used.
 */
export function consultationCodeOf(
  concepts: unknown,
  resource: string,
  issues: DataQualityIssue[],
  defs: Definitions,
): ConsultationCode | undefined {
  const found: ConsultationCode[] = [];
  const systems = consultationSystems(defs);
  for (const c of codings(concepts)) {
    if (c.code === undefined) continue;
    if (c.system !== undefined && systems.has(c.system)) {
      const def = defs.codes.get(c.code);
      if (def !== undefined && def.system === c.system) {
        if (!found.includes(c.code)) found.push(c.code);
      } else {
        issues.push(dataQualityIssue('unknown-consultation-code', resource, { code: c.code.slice(0, 16) }));
      }
    } else if (c.system === undefined && defs.codes.has(c.code)) {
      issues.push(dataQualityIssue('unknown-code-system', resource, { code: c.code }));
    }
  }
  if (found.length > 1) {
    issues.push(dataQualityIssue('multiple-consultation-codes', resource, { codes: found.join(',') }));
  }
  return found[0];
}
