import { describe, expect, it } from 'vitest';
import { QuestionnaireUrl } from '../../../src/canonical.js';
import { mapCourse } from '../../../src/fhir/map/index.js';
import { input } from './bundle-input.js';
import { encounter, episode, inEpisode, PATIENT, scoreObservation } from './builders.js';

const CODES = ['0266', '0264', '0113', '0269'];
const day = (i: number) => new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

const encounters = Array.from({ length: 1000 }, (_, i) =>
  encounter(`e${i}`, i % 50 === 0 ? '0110' : CODES[i % 4], `${day(i)}T09:00:00+01:00`, inEpisode(`ep${Math.floor(i / 50)}`)),
);
const episodes = Array.from({ length: 20 }, (_, i) => episode(`ep${i}`, day(i * 50)));
const observations = Array.from({ length: 1000 }, (_, i) =>
  scoreObservation(`o${i}`, i % 2 === 0 ? '72514-3' : '97909-6', { valueDecimal: i % 10 }, `${day(i)}T08:00:00+01:00`, {
    derivedFrom: [{ reference: `QuestionnaireResponse/q${i}` }],
  }),
);
const responses = Array.from({ length: 200 }, (_, i) => ({
  resourceType: 'QuestionnaireResponse', id: `q${i * 2}`, questionnaire: QuestionnaireUrl.nprs, status: 'completed',
  subject: { reference: `Patient/${PATIENT}` }, authored: `${day(i * 2)}T08:00:00+01:00`, item: [{ linkId: 'nprs', answer: [{ valueInteger: (i * 2) % 10 }] }],
}));
const big = input(PATIENT, { encounters, episodes, observations, questionnaireResponses: responses }, {
  hook: 'encounter-start', currentEncounterId: 'e999',
});

describe('mapping a long record', () => {
  // What it maps, not how fast: speed is `npm run bench`'s (its scale and remote runs map up to 5,000 consultations).
  it('maps 1,000 Encounters and 1,000 Observations: the latest episode, its 50 consultations, every score', () => {
    const first = mapCourse(big);
    expect(first.episodeId).toBe('ep19');
    expect(first.history?.consultations).toHaveLength(50);
    expect(first.history?.scores).toHaveLength(1000);
    // The same answer every time: nothing in the mapping depends on an earlier call.
    expect(JSON.stringify(mapCourse(big))).toBe(JSON.stringify(first));
  });
});
