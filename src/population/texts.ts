/**
 * The worklist's short texts, one catalogue per language; the same keys in both, checked by the compiler. Texts
 * carry codes, dates and counts only, never anything from the patient's record.
 */
import type { Instrument } from '../course/index.js';
import type { WorklistAction } from './worklist.js';

export type Language = 'da' | 'en';

export interface TextParams {
  readonly code: string | null;
  readonly due: string;
  readonly months?: number;
  readonly latest?: string;
  readonly count?: number;
  readonly limit?: number;
  readonly instruments?: readonly Instrument[];
  readonly window?: boolean;
}

type Catalogue = Readonly<Record<WorklistAction, (p: TextParams) => string>>;

const INSTRUMENT_NAMES: Readonly<Record<Instrument, string>> = { odi: 'ODI', psfs: 'PSFS', nprs: 'NPRS' };
const list = (p: TextParams, and: string): string => {
  const names = (p.instruments ?? []).map((i) => INSTRUMENT_NAMES[i]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
};

export const WORKLIST_TEXTS: Readonly<Record<Language, Catalogue>> = {
  da: {
    'follow-up-due': (p) => `Opfølgende konsultation (0268) efter ${p.months} mdr.: mål ${p.due}, senest ${p.latest}`,
    'follow-up-overdue': (p) => `Opfølgning efter ${p.months} mdr. (0268) overskredet: mål var ${p.due}, senest ${p.latest}`,
    'final-due': (p) => `Afsluttende konsultation (0267) er relevant fra ${p.due}`,
    'scores-missing': (p) => `${list(p, 'og')} mangler til ${p.code} den ${p.due}`,
    'limit-near': (p) => p.window
      ? `${p.code}: ${p.count} af ${p.limit} brugt; vinduet lukker ${p.due}`
      : `${p.code}: ${p.count} af ${p.limit} brugt; én mere bryder grænsen`,
    'type-unknown': () => 'Forløbstypen er ukendt: registrér forløbstypen på forløbet',
  },
  en: {
    'follow-up-due': (p) => `Follow-up consultation (0268) at ${p.months} months: target ${p.due}, latest ${p.latest}`,
    'follow-up-overdue': (p) => `Follow-up at ${p.months} months (0268) overdue: target was ${p.due}, latest ${p.latest}`,
    'final-due': (p) => `Final consultation (0267) due from ${p.due}`,
    'scores-missing': (p) => `${list(p, 'and')} missing for ${p.code} on ${p.due}`,
    'limit-near': (p) => p.window
      ? `${p.code}: ${p.count} of ${p.limit} used; the window closes ${p.due}`
      : `${p.code}: ${p.count} of ${p.limit} used; one more breaks the limit`,
    'type-unknown': () => 'Course type unknown: record the type on the course',
  },
};
