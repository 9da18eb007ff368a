import { describe, expect, it } from 'vitest';
import type { CourseType, RuleId } from '../../../src/course/types.js';
import { CONSULTATION_CODES, COURSE_TYPES } from '../../support/shipped-codes.js';
import { CARD_LANGUAGES } from '../../../src/cds/cards/card-language.js';
import { EXTREME_CHANGES, KINDS, ODI_CHANGE, PSFS_CHANGE, evaluation, ruleFinding } from './evaluations.js';
import { TEMPLATES_DIR } from './templates-dir.js';
import { buildViewModel, createCardRenderer } from '../../support/with-shipped.js';

const renderer = createCardRenderer({ templatesDir: TEMPLATES_DIR });
const RULES = Object.keys(KINDS) as Exclude<RuleId, 'next-consultation'>[];
const TYPES: (CourseType | undefined)[] = [...COURSE_TYPES, undefined];

interface Case {
  readonly label: string;
  readonly summary: string;
}

/** Every rule x kind x cause x facts (realistic, extreme) x course type x language, rendered before any truncation. */
function ruleSummaries(): Case[] {
  const cases: Case[] = [];
  for (const lang of CARD_LANGUAGES) {
    for (const ruleId of RULES) {
      for (const kind of KINDS[ruleId]) {
        for (const causedByCurrent of [true, false]) {
          for (const extreme of [false, true]) {
            for (const type of TYPES) {
              const f = ruleFinding(ruleId, { kind, causedByCurrent, extreme });
              const ev = evaluation({
                ...(type ? { type } : { type: undefined }),
                findings: [f, f],
                outcome: { baseline: {}, latest: {}, changes: extreme ? EXTREME_CHANGES : [ODI_CHANGE, PSFS_CHANGE] },
              });
              const vm = buildViewModel(ev, ruleId, [f, f], lang, []);
              cases.push({
                label: `${lang} ${ruleId} ${kind} current=${causedByCurrent} extreme=${extreme} type=${type}`,
                summary: renderer.renderRawSummary(lang, ruleId, vm),
              });
            }
          }
        }
      }
    }
    for (const code of CONSULTATION_CODES) {
      for (const withRecommendation of [true, false]) {
        const ev = evaluation({
          recommendations: withRecommendation ? [{ code, rank: 1, reason: 'next-step', facts: {} }] : [],
        });
        cases.push({
          label: `${lang} next-consultation ${withRecommendation ? code : 'none'}`,
          summary: renderer.renderRawSummary(lang, 'next-consultation', buildViewModel(ev, 'next-consultation', [], lang, [])),
        });
      }
    }
  }
  return cases;
}

const cases = ruleSummaries();

describe('card summaries', () => {
  it('covers every rule in both languages', () => {
    const covered = new Set(cases.map((c) => c.label.split(' ').slice(0, 2).join(' ')));
    expect(covered.size).toBe(CARD_LANGUAGES.length * (RULES.length + 1));
  });

  it('stay under 140 characters for realistic and extreme facts, without needing truncation', () => {
    const tooLong = cases.filter((c) => c.summary.length >= 140).map((c) => `${c.label}: ${c.summary.length}`);
    expect(tooLong).toEqual([]);
  });

  it('are one line of plain text with no HTML entities and no Markdown', () => {
    const bad = cases.filter((c) => /[\n&*<>|]|^\s|\s$/.test(c.summary) || c.summary === '').map((c) => c.label);
    expect(bad).toEqual([]);
  });

  it('say in Danish what the current consultation causes', () => {
    const f = ruleFinding('individual-training-limit', { kind: 'over-limit', causedByCurrent: true });
    const vm = buildViewModel(evaluation({ findings: [f] }), 'individual-training-limit', [f], 'da', []);
    expect(renderer.render('da', 'individual-training-limit', vm).summary).toBe(
      'Denne 0266 overskrider grænsen på 6 inden for 3 mdr.',
    );
  });
});

describe('the longest summaries', () => {
  it('are listed here so a reviewer sees how close they come to the limit', () => {
    const longest = [...cases].sort((a, b) => b.summary.length - a.summary.length).slice(0, 3);
    for (const c of longest) expect(c.summary.length, c.summary).toBeLessThan(140);
    expect(longest[0]?.summary.length).toBeGreaterThan(90);
  });
});
