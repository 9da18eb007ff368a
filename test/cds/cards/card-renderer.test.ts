import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../../src/course/types.js';
import { SUMMARY_MAX_LENGTH, escapePatientText, truncateSummary } from '../../../src/cds/cards/card-renderer.js';
import { CARD_LANGUAGES } from '../../../src/cds/cards/card-language.js';
import { CardTemplateError, MissingTemplatesError } from '../../../src/cds/cards/errors.js';
import { formatDate, formatNumber, formatSigned } from '../../../src/cds/cards/format.js';

import { TEMPLATES_DIR } from './templates-dir.js';
import { createCardRenderer } from '../../support/with-shipped.js';

const scratch: string[] = [];
function copyOfTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'card-templates-'));
  scratch.push(dir);
  cpSync(TEMPLATES_DIR, dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('card templates', () => {
  it('has a summary and a detail template for every rule in Danish and English', () => {
    const missing = CARD_LANGUAGES.flatMap((lang) =>
      RULE_IDS.flatMap((ruleId) =>
        ['summary', 'detail']
          .map((part) => `${lang}/${ruleId}.${part}.hbs`)
          .filter((file) => !existsSync(join(TEMPLATES_DIR, file))),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('compiles every template of the project at start-up', () => {
    expect(() => createCardRenderer({ templatesDir: TEMPLATES_DIR })).not.toThrow();
  });

  it('refuses to start when templates are missing, naming every one of them', () => {
    const dir = copyOfTemplates();
    rmSync(join(dir, 'en', 'one-per-day.summary.hbs'));
    rmSync(join(dir, 'da', 'outcome-change.detail.hbs'));
    rmSync(join(dir, 'en', '_score-table.hbs'));
    let error: unknown;
    try {
      createCardRenderer({ templatesDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingTemplatesError);
    expect((error as MissingTemplatesError).missing).toEqual([
      'da/outcome-change.detail.hbs',
      'en/_score-table.hbs',
      'en/one-per-day.summary.hbs',
    ]);
  });

  it('refuses to start when a language folder is missing altogether', () => {
    const dir = copyOfTemplates();
    rmSync(join(dir, 'en'), { recursive: true });
    expect(() => createCardRenderer({ templatesDir: dir })).toThrow(MissingTemplatesError);
  });

  it('refuses to start when a template does not parse', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'da', 'one-per-day.summary.hbs'), '{{#if causedByCurrent}}unclosed');
    expect(() => createCardRenderer({ templatesDir: dir })).toThrow(CardTemplateError);
  });

  it('throws when a template names a field its view model lacks, because templates are strict', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'da', 'one-per-day.summary.hbs'), 'Dato {{noSuchField}}');
    const renderer = createCardRenderer({ templatesDir: dir });
    expect(() => renderer.render('da', 'one-per-day', {})).toThrow(/one-per-day\.summary\.hbs/);
  });

  it('escapes HTML in every value it renders', () => {
    const dir = copyOfTemplates();
    writeFileSync(join(dir, 'da', 'one-per-day.detail.hbs'), 'Værdi: {{value}}');
    writeFileSync(join(dir, 'da', 'one-per-day.summary.hbs'), 'Resumé');
    const renderer = createCardRenderer({ templatesDir: dir });
    const { detail } = renderer.render('da', 'one-per-day', { value: '<b onclick="x()">fed</b>' });
    expect(detail).toBe('Værdi: &lt;b onclick&#x3D;&quot;x()&quot;&gt;fed&lt;/b&gt;');
  });
});

describe('summary length', () => {
  it('keeps a short summary as it is', () => {
    expect(truncateSummary('Anbefalet næste konsultation: Afsluttende konsultation (0267)')).toBe(
      'Anbefalet næste konsultation: Afsluttende konsultation (0267)',
    );
  });

  it('cuts a long summary at a word boundary with an ellipsis, below 140 characters', () => {
    const long = `${'Individuel konsultation: Superviseret træning '.repeat(5)}slut`;
    const cut = truncateSummary(long);
    expect(cut.length).toBeLessThan(140);
    expect(cut.length).toBeLessThanOrEqual(SUMMARY_MAX_LENGTH);
    expect(cut.endsWith('…')).toBe(true);
    expect(long.startsWith(cut.slice(0, -1))).toBe(true);
    expect(long.charAt(cut.length - 1)).toBe(' ');
  });

  it('cuts a summary of exactly 140 characters, which the spec does not allow', () => {
    expect(truncateSummary('a '.repeat(70)).length).toBeLessThan(140);
  });
});

describe('formatting per language', () => {
  it('writes dates as 25.11.2026 in Danish and 25 Nov 2026 in English, without moving the day', () => {
    expect(formatDate('2026-11-25', 'da')).toBe('25.11.2026');
    expect(formatDate('2026-03-05', 'da')).toBe('05.03.2026');
    expect(formatDate('2026-11-25', 'en')).toBe('25 Nov 2026');
    expect(formatDate('2027-01-01', 'en')).toBe('1 Jan 2027');
  });

  it('writes decimals with a comma in Danish and a point in English', () => {
    expect(formatNumber(3.5, 'da')).toBe('3,5');
    expect(formatNumber(3.5, 'en')).toBe('3.5');
    expect(formatSigned(2.25, 'da')).toBe('+2,3');
    expect(formatSigned(-10, 'en')).toBe('-10');
    expect(formatSigned(0, 'da')).toBe('0');
  });
});

describe('patient text', () => {
  it('neutralises HTML and Markdown in patient text', () => {
    const text = escapePatientText('<script>alert(1)</script> | [link](javascript:x) *fed*\nny linje');
    expect(text).not.toMatch(/<|>|\n/);
    expect(text).toContain('&lt;script&gt;');
    expect(text).toContain('\\|');
    expect(text).toContain('\\[link\\]\\(javascript:x\\)');
    expect(text).toContain('\\*fed\\*');
  });
});
