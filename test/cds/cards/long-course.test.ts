import { describe, expect, it } from 'vitest';
import { MAX_LISTED_FINDINGS } from '../../../src/cds/cards/view-model.js';
import { addDays } from '../../../src/course/index.js';
import type { Consultation, CourseHistory } from '../../../src/course/types.js';
import { expectValidCdsResponse } from '../../helpers/cds-response.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { evaluateCourse } from '../../support/engine.js';
import { buildCards, createCardRenderer } from '../../support/with-shipped.js';

/** A course that breaks one limit 40 times: the card stays readable, and keeps the current consultation's finding. */
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });

const training: Consultation[] = Array.from({ length: 46 }, (_, i) => ({
  id: `t${i + 1}`,
  code: '0266' as const,
  date: addDays('2026-01-05', i * 3),
  status: 'finished' as const,
}));
const history: CourseHistory = {
  type: 'persistent',
  consultations: [{ id: 'e1', code: '0110', date: '2026-01-05', status: 'finished' }, ...training.slice(0, -1),
    { ...training.at(-1)!, status: 'arrived', current: true }],
  scores: [],
  scoresAvailable: true,
};

describe('a card with many findings of one rule', () => {
  for (const lang of ['da', 'en'] as const) {
    it(`lists at most ${MAX_LISTED_FINDINGS}, the current one among them, and says how many more (${lang})`, () => {
      const evaluation = evaluateCourse(history, training.at(-1)!.date);
      const all = evaluation.findings.filter((f) => f.ruleId === 'individual-training-limit');
      expect(all.length).toBe(40);
      let n = 0;
      const cards = buildCards(evaluation, { lang, renderer, newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, patientId: 'p1', issues: [] });
      expectValidCdsResponse({ cards });
      const card = cards.find((c) => c.source.topic?.code === 'individual-training-limit')!;
      expect(card.indicator).toBe('warning');
      const listed = (card.detail ?? '').split('\n').filter((l) => /^- /.test(l) && /0266/.test(l));
      expect(listed.length).toBe(MAX_LISTED_FINDINGS);
      expect(card.detail).toMatch(lang === 'da' ? /og 30 fund mere/ : /and 30 more findings/);
      expect(card.detail).toMatch(lang === 'da' ? /Denne konsultation/ : /This consultation/);
    });
  }
});
