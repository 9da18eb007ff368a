import { describe, expect, it } from 'vitest';
import { QuestionnaireUrl } from '../../../src/canonical.js';
import { expectValidCdsResponse } from '../../helpers/cds-response.js';
import { evaluation, ruleFinding } from './evaluations.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { buildCards, createCardRenderer } from '../../support/with-shipped.js';

/** course-model.md, "Card contract": a missing-score card offers a Task and, where configured, a SMART link. */
const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });
let n = 0;
const newId = (): string => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const APP = 'https://forms.example.dk/launch';

describe('the questionnaire app link on missing-score cards', () => {
  const missing = evaluation({ findings: [ruleFinding('missing-baseline-scores', { causedByCurrent: true })] });

  it('links each missing instrument to the configured SMART app, with the Questionnaire in appContext', () => {
    const cards = buildCards(missing, { lang: 'da', renderer, newId, patientId: 'p1', issues: [], questionnaireAppUrl: APP });
    expectValidCdsResponse({ cards });
    const card = cards.find((c) => c.source.topic?.code === 'missing-baseline-scores')!;
    expect(card.links?.map((l) => [l.type, l.url, JSON.parse(l.appContext ?? '{}').questionnaire])).toEqual([
      ['smart', APP, QuestionnaireUrl.odi],
      ['smart', APP, QuestionnaireUrl.psfs],
    ]);
    expect(card.suggestions).toHaveLength(2); // the Tasks stay
    expect(cards.filter((c) => c.links).map((c) => c.source.topic?.code).sort()).toEqual(['missing-baseline-scores', 'next-consultation']);
  });

  it('names the instrument and the current encounter in each link\'s appContext', () => {
    const cards = buildCards(missing, { lang: 'en', renderer, newId, patientId: 'p1', encounterId: 'e7', issues: [], questionnaireAppUrl: APP });
    const card = cards.find((c) => c.source.topic?.code === 'missing-baseline-scores')!;
    expect(card.links?.map((l) => JSON.parse(l.appContext ?? '{}'))).toEqual([
      { view: 'questionnaire', instrument: 'odi', questionnaire: QuestionnaireUrl.odi, patient: 'p1', encounter: 'e7' },
      { view: 'questionnaire', instrument: 'psfs', questionnaire: QuestionnaireUrl.psfs, patient: 'p1', encounter: 'e7' },
    ]);
  });

  it('links the next-consultation card to the timeline of the same app', () => {
    const cards = buildCards(missing, { lang: 'da', renderer, newId, patientId: 'p1', issues: [], questionnaireAppUrl: APP });
    const next = cards.find((c) => c.source.topic?.code === 'next-consultation')!;
    expect(next.links).toEqual([{ label: 'Se forløbet i forløbsoverblikket', url: APP, type: 'smart', appContext: JSON.stringify({ view: 'timeline', patient: 'p1' }) }]);
  });

  it('offers override reasons on missing-score cards, so a dismissal says why', () => {
    const cards = buildCards(missing, { lang: 'en', renderer, newId, patientId: 'p1', issues: [] });
    const card = cards.find((c) => c.source.topic?.code === 'missing-baseline-scores')!;
    expect(card.overrideReasons?.map((r) => r.code)).toEqual(['patient-declined', 'recorded-elsewhere', 'not-relevant-now']);
    expect(card.overrideReasons?.every((r) => r.display && r.system.endsWith('/CodeSystem/score-override-reason'))).toBe(true);
  });

  it('has no links when no app is configured, or when the scores could not be read', () => {
    const plain = buildCards(missing, { lang: 'en', renderer, newId, patientId: 'p1', issues: [] });
    expect(plain.some((c) => c.links)).toBe(false);
    const unreadable = evaluation({ findings: [ruleFinding('missing-baseline-scores', { kind: 'unavailable' })] });
    const cards = buildCards(unreadable, { lang: 'en', renderer, newId, patientId: 'p1', issues: [], questionnaireAppUrl: APP });
    expect(cards.find((c) => c.source.topic?.code === 'missing-baseline-scores')?.links).toBeUndefined();
  });
});
