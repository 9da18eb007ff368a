/**
 * The worklist's short texts, one catalogue per language; the same keys in both, checked by the compiler. Texts
 * carry codes, dates and counts only, never anything from the patient's record.
 */
import type { WorklistAction } from './worklist.js';

export type Language = 'da' | 'en';

export interface TextParams {
  readonly code: string | null;
  readonly due: string;
  readonly months?: number;
  readonly latest?: string;
  readonly count?: number;
  readonly limit?: number;
  /** Short names of the instruments (ODI, PSFS, ...), as the definitions name them. */
  readonly instruments?: readonly string[];
  readonly window?: boolean;
}

type Catalogue = Readonly<Record<WorklistAction, (p: TextParams) => string>>;

const list = (p: TextParams, and: string): string => {
  const names = p.instruments ?? [];
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
};

export const WORKLIST_TEXTS: Readonly<Record<Language, Catalogue>> = {
  da: {
    'follow-up-due': (p) => `Opfølgende konsultation (${p.code}) efter ${p.months} mdr.: mål ${p.due}, senest ${p.latest}`,
    'follow-up-overdue': (p) => `Opfølgning efter ${p.months} mdr. (${p.code}) overskredet: mål var ${p.due}, senest ${p.latest}`,
    'final-due': (p) => `Afsluttende konsultation (${p.code}) er relevant fra ${p.due}`,
    'scores-missing': (p) => `${list(p, 'og')} mangler til ${p.code} den ${p.due}`,
    'limit-near': (p) => p.window
      ? `${p.code}: ${p.count} af ${p.limit} brugt; vinduet lukker ${p.due}`
      : `${p.code}: ${p.count} af ${p.limit} brugt; én mere bryder grænsen`,
    'type-unknown': () => 'Forløbstypen er ukendt: registrér forløbstypen på forløbet',
  },
  en: {
    'follow-up-due': (p) => `Follow-up consultation (${p.code}) at ${p.months} months: target ${p.due}, latest ${p.latest}`,
    'follow-up-overdue': (p) => `Follow-up at ${p.months} months (${p.code}) overdue: target was ${p.due}, latest ${p.latest}`,
    'final-due': (p) => `Final consultation (${p.code}) due from ${p.due}`,
    'scores-missing': (p) => `${list(p, 'and')} missing for ${p.code} on ${p.due}`,
    'limit-near': (p) => p.window
      ? `${p.code}: ${p.count} of ${p.limit} used; the window closes ${p.due}`
      : `${p.code}: ${p.count} of ${p.limit} used; one more breaks the limit`,
    'type-unknown': () => 'Course type unknown: record the type on the course',
  },
};
