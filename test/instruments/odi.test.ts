import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { QuestionnaireResponse } from 'fhir/r4.js';
import { ExternalSystem } from '../../src/canonical.js';
import {
  InstrumentOptionError,
  ODI_BANDS,
  odiBand,
  odiSectionIndex,
  odiSectionsFromLinkIds,
  scoreOdi,
  type OdiResult,
} from '../../src/instruments/index.js';
import { REALWORLD_DIR } from '../support/shared-dir.js';

const all = (...scores: number[]): number[][] => scores.map((s) => [s]);

function scored(r: OdiResult) {
  if (r.status !== 'scored') throw new Error(`expected scored, got ${JSON.stringify(r)}`);
  return r;
}

describe('scoreOdi', () => {
  it('scores ten answered sections as the sum times two', () => {
    const r = scored(scoreOdi(all(2, 1, 3, 1, 2, 2, 1, 2, 3, 2)));
    expect(r.sum).toBe(19);
    expect(r.answered).toBe(10);
    expect(r.percent).toBe(38);
    expect(r.percentExact).toBe(38);
    expect(r.band).toBe('moderate');
    expect(r.bandLabel).toEqual({ da: 'Moderat funktionstab', en: 'Moderate disability' });
    expect(r.doubleTicks).toEqual([]);
    expect(r.missing).toEqual([]);
  });

  it('scores nine answered sections against a maximum of 45 and rounds to a whole percent', () => {
    const sections = all(2, 1, 3, 1, 2, 2, 1, 0, 3, 2);
    sections[3] = [];
    const r = scored(scoreOdi(sections));
    expect(r.answered).toBe(9);
    expect(r.sum).toBe(16);
    expect(r.percentExact).toBeCloseTo((16 / 45) * 100, 10);
    expect(r.percent).toBe(36);
    expect(r.missing).toEqual([3]);
    expect(r.sectionScores[3]).toBeNull();
  });

  it('gives no score when only eight sections are answered and nine are required', () => {
    const sections = all(1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    sections[2] = [];
    sections[7] = [];
    expect(scoreOdi(sections, { minAnswered: 9 })).toEqual({ status: 'incomplete', answered: 8, minAnswered: 9, missing: [2, 7] });
  });

  it('scores eight answered sections when the caller lowers minAnswered to eight', () => {
    const sections = all(3, 3, 3, 3, 3, 3, 3, 3, 3, 3);
    sections[0] = [];
    sections[7] = [];
    expect(scored(scoreOdi(sections, { minAnswered: 8 })).percent).toBe(60);
  });

  it('takes the higher score when two statements are ticked in one section and reports the section', () => {
    const sections = all(2, 1, 3, 1, 2, 2, 1, 2, 3, 2);
    sections[4] = [4, 2];
    const r = scored(scoreOdi(sections));
    expect(r.sectionScores[4]).toBe(4);
    expect(r.sum).toBe(21);
    expect(r.percent).toBe(42);
    expect(r.doubleTicks).toEqual([4]);
  });

  it('treats a skipped sex-life section as missing, never as zero', () => {
    const sections = all(5, 5, 5, 5, 5, 5, 5, 0, 5, 5);
    sections[7] = [];
    const r = scored(scoreOdi(sections));
    // As zero it would be 45/50 = 90 %; as missing it is 45/45 = 100 %.
    expect(r.percent).toBe(100);
    expect(r.answered).toBe(9);
    expect(r.band).toBe('bed-bound');
  });

  it('rejects a score outside 0-5 with the section at fault', () => {
    const sections = all(2, 1, 3, 1, 2, 2, 1, 2, 3, 2);
    sections[9] = [6];
    expect(scoreOdi(sections)).toMatchObject({ status: 'invalid', section: 9 });
    sections[9] = [-1];
    expect(scoreOdi(sections)).toMatchObject({ status: 'invalid', section: 9 });
    sections[9] = [2.5];
    expect(scoreOdi(sections)).toMatchObject({ status: 'invalid', section: 9 });
    sections[9] = [Number.NaN];
    expect(scoreOdi(sections).status).toBe('invalid');
  });

  it('rejects a list that does not have ten sections', () => {
    expect(scoreOdi(all(1, 1, 1, 1, 1, 1, 1, 1, 1)).status).toBe('invalid');
    expect(scoreOdi(all(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)).status).toBe('invalid');
  });

  it('throws an option error for a minAnswered outside 1-10', () => {
    expect(() => scoreOdi(all(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), { minAnswered: 0 })).toThrow(InstrumentOptionError);
    expect(() => scoreOdi(all(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), { minAnswered: 11 })).toThrow(InstrumentOptionError);
  });
});

describe('odiBand', () => {
  it.each([
    [0, 'minimal'],
    [20, 'minimal'],
    [21, 'moderate'],
    [40, 'moderate'],
    [41, 'severe'],
    [60, 'severe'],
    [61, 'crippled'],
    [80, 'crippled'],
    [81, 'bed-bound'],
    [100, 'bed-bound'],
  ] as const)('puts %i %% in band %s', (percent, band) => {
    expect(odiBand(percent)).toBe(band);
  });

  it('puts a scored response exactly on an edge into the lower band and one point above into the next', () => {
    const tenSum = (sum: number) => all(...Array.from({ length: 10 }, (_, i) => (i < sum % 10 ? 1 : 0) + Math.floor(sum / 10)));
    expect(scored(scoreOdi(tenSum(10)))).toMatchObject({ percent: 20, band: 'minimal' });
    expect(scored(scoreOdi(tenSum(11)))).toMatchObject({ percent: 22, band: 'moderate' });
    expect(scored(scoreOdi(tenSum(20)))).toMatchObject({ percent: 40, band: 'moderate' });
    expect(scored(scoreOdi(tenSum(30)))).toMatchObject({ percent: 60, band: 'severe' });
    expect(scored(scoreOdi(tenSum(40)))).toMatchObject({ percent: 80, band: 'crippled' });
    expect(scored(scoreOdi(tenSum(41)))).toMatchObject({ percent: 82, band: 'bed-bound' });
  });

  it('has a Danish and an English label for every band', () => {
    for (const b of ODI_BANDS) {
      expect(b.label.da.length).toBeGreaterThan(0);
      expect(b.label.en.length).toBeGreaterThan(0);
    }
  });
});

describe('the ODI response of the CMS access model', () => {
  const path = `${REALWORLD_DIR}/questionnaires/cms-access-model/QuestionnaireResponse-OswestryDisabilityIndexExample.json`;
  const response = JSON.parse(readFileSync(path, 'utf8')) as QuestionnaireResponse;

  function ticksByLinkId(qr: QuestionnaireResponse): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const item of qr.item ?? []) {
      if (odiSectionIndex(item.linkId) === undefined) continue;
      const ticks = (item.answer ?? []).flatMap((a) =>
        (a.valueCoding?.extension ?? [])
          .filter((e) => e.url === ExternalSystem.ordinalValueExtension && typeof e.valueDecimal === 'number')
          .map((e) => e.valueDecimal as number),
      );
      out.set(item.linkId, ticks);
    }
    return out;
  }

  it('scores 38 from its ordinal values, not the 36 it states', () => {
    const r = scored(scoreOdi(odiSectionsFromLinkIds(ticksByLinkId(response))));
    expect(r.answered).toBe(10);
    expect(r.sum).toBe(19);
    expect(r.percent).toBe(38);
    const stated = response.item?.find((i) => i.linkId === 'score')?.answer?.[0]?.valueDecimal;
    expect(stated).toBe(36);
    expect(r.percent).not.toBe(stated);
  });
});
