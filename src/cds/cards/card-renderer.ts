import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import type { Definitions } from '../../course/definitions/types.js';
import { RULE_IDS, type RuleId } from '../../course/types.js';
import { CARD_LANGUAGES, type CardLanguage } from './card-language.js';
import { consultationDisplay, instrumentName, isInstrument, scoreUnit, subscaleName } from './consultation-names.js';
import { formatWeek } from './fact-text.js';
import { CardTemplateError, MissingTemplatesError } from './errors.js';
import { createTemplateRunner } from './runtime-options.js';
import { formatDate, formatNumber, formatScore, formatSigned, pluralise } from './format.js';

/** The CDS Hooks limit is "< 140 characters"; a summary that would reach it is cut. */
export const SUMMARY_MAX_LENGTH = 139;

export interface RenderedCardText {
  /** One line, trimmed, shorter than 140 characters. */
  readonly summary: string;
  /** GitHub-flavoured Markdown. */
  readonly detail: string;
}

export interface CardRenderer {
  render(lang: CardLanguage, ruleId: RuleId, viewModel: object): RenderedCardText;
  /** Renders the summary template alone, before any truncation: lets tests check the 140-character budget. */
  renderRawSummary(lang: CardLanguage, ruleId: RuleId, viewModel: object): string;
}

export interface CardRendererOptions {
  /**
   * Folder holding one sub-folder per language (`da/`, `en/`) with `<rule-id>.summary.hbs`, `.detail.hbs` and
   * partials `_<name>.hbs`. Partials are used as written: one used inside a line (`_who.hbs`) has no final newline.
   */
  readonly templatesDir: string;
  /** Where the helpers take names of codes and instruments from: the active definitions (shipped by default). */
  readonly definitions: Definitions;
}

type Template = Handlebars.TemplateDelegate;

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;

/**
 * Reads and compiles every card template once, at start-up, and fails then (not at the first hook call) when a
 * rule or language lacks one or a template does not parse. Each language gets its own Handlebars environment so
 * that its helpers format dates and numbers in that language without the templates passing it around.
 */
export function createCardRenderer(options: CardRendererOptions): CardRenderer {
  const templates = new Map<string, Template>();
  const runners = new Map<CardLanguage, (template: Template, context: object) => string>();
  const missing: string[] = [];
  const partialsByLang = new Map<CardLanguage, Set<string>>();

  for (const lang of CARD_LANGUAGES) {
    const dir = join(options.templatesDir, lang);
    const env = Handlebars.create();
    const helpers = helpersFor(env, lang, options.definitions);
    env.registerHelper(helpers);
    // Every helper is ours and known at compile time: calls to them compile to direct calls, and a bare
    // `{{label}}` to a plain (strict) property lookup instead of "a helper named label, else the property", checked
    // on every use. A template naming a helper that does not exist fails to compile (at start, see compile()).
    const compileOptions: CompileOptions = {
      strict: true,
      noEscape: false,
      knownHelpers: Object.fromEntries(Object.keys(helpers).map((name) => [name, true])),
      knownHelpersOnly: true,
    };
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.hbs'));
    } catch {
      files = [];
    }
    const partials = new Set<string>();
    for (const file of files.filter((f) => f.startsWith('_'))) {
      const name = file.slice(1, -'.hbs'.length);
      env.registerPartial(name, compile(env, join(dir, file), `${lang}/${file}`, compileOptions));
      partials.add(name);
    }
    partialsByLang.set(lang, partials);
    for (const ruleId of RULE_IDS) {
      for (const part of ['summary', 'detail'] as const) {
        const file = `${ruleId}.${part}.hbs`;
        if (!files.includes(file)) {
          missing.push(`${lang}/${file}`);
          continue;
        }
        templates.set(key(lang, ruleId, part), compile(env, join(dir, file), `${lang}/${file}`, compileOptions));
      }
    }
    runners.set(lang, createTemplateRunner(env));
  }
  // A partial in one language only would make the other language's templates throw at the first hook call.
  for (const lang of CARD_LANGUAGES) {
    for (const other of CARD_LANGUAGES) {
      for (const name of partialsByLang.get(other) ?? []) {
        if (!partialsByLang.get(lang)?.has(name)) missing.push(`${lang}/_${name}.hbs`);
      }
    }
  }
  if (missing.length > 0) throw new MissingTemplatesError([...new Set(missing)].sort());

  function run(lang: CardLanguage, ruleId: RuleId, part: 'summary' | 'detail', viewModel: object): string {
    const template = templates.get(key(lang, ruleId, part));
    if (!template) throw new CardTemplateError(`${lang}/${ruleId}.${part}.hbs`);
    try {
      return runners.get(lang)!(template, viewModel);
    } catch (cause) {
      throw new CardTemplateError(`${lang}/${ruleId}.${part}.hbs`, { cause });
    }
  }

  return {
    render(lang, ruleId, viewModel) {
      return {
        summary: truncateSummary(oneLine(run(lang, ruleId, 'summary', viewModel))),
        detail: tidyMarkdown(run(lang, ruleId, 'detail', viewModel)),
      };
    },
    renderRawSummary(lang, ruleId, viewModel) {
      return oneLine(run(lang, ruleId, 'summary', viewModel));
    },
  };
}

function key(lang: CardLanguage, ruleId: RuleId, part: 'summary' | 'detail'): string {
  return `${lang}/${ruleId}.${part}`;
}

function compile(env: typeof Handlebars, path: string, name: string, options: CompileOptions): Template {
  const source = readFileSync(path, 'utf8');
  try {
    // precompile() now so that a syntax error or an unknown helper stops start-up; compile() itself is lazy and
    // caches on first use.
    env.precompile(source, options);
    return env.compile(source, options);
  } catch (cause) {
    throw new CardTemplateError(name, { cause });
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts at the last word boundary that leaves room for the ellipsis, so the result stays below 140 characters. */
export function truncateSummary(summary: string, max: number = SUMMARY_MAX_LENGTH): string {
  if (summary.length <= max) return summary;
  const room = summary.slice(0, max - 1);
  const cut = room.lastIndexOf(' ');
  return `${(cut > 0 ? room.slice(0, cut) : room).replace(/[\s,;:.-]+$/, '')}…`;
}

const TRAILING_SPACE = /[^\S\n]+(?=\n|$)/g;

/** Templates are easier to read with blank lines; the card should not carry runs of them. */
function tidyMarkdown(text: string): string {
  // Trailing whitespace of every line (one pass, not a split/replace/join per line), then runs of blank lines.
  return text.replace(TRAILING_SPACE, '').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Patient text (PSFS activity labels) in Markdown: Markdown punctuation is backslash-escaped first, then HTML is
 * escaped, so neither a tag nor a link nor a table pipe written by a patient survives as markup.
 */
export function escapePatientText(text: string): string {
  const markdownSafe = text.replace(/[\r\n\t]+/g, ' ').replace(/[\\*_{}[\]()#+\-.!|~]/g, '\\$&');
  return Handlebars.escapeExpression(markdownSafe);
}

const TEXT = {
  da: { yes: 'ja', no: 'nej', and: 'og' },
  en: { yes: 'yes', no: 'no', and: 'and' },
} as const;

function joinWords(items: readonly string[], lang: CardLanguage): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${TEXT[lang].and} ${items[items.length - 1]}`;
}

function helpersFor(env: typeof Handlebars, lang: CardLanguage, defs: Definitions): Record<string, Handlebars.HelperDelegate> {
  const short = (i: unknown): string => (isInstrument(i, defs) ? instrumentName(i, lang, defs).short : str(i));
  const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
  return {
    date: (v: unknown) => formatDate(str(v), lang),
    dates: (v: unknown) => joinWords((Array.isArray(v) ? v : []).map((d) => formatDate(str(d), lang)), lang),
    num: (v: unknown) => formatNumber(num(v), lang),
    abs: (v: unknown) => Math.abs(num(v)),
    week: (v: unknown) => formatWeek(str(v), lang),
    signed: (v: unknown) => formatSigned(num(v), lang),
    score: (v: unknown, instrument: unknown) => formatScore(num(v), scoreUnit(str(instrument), defs), lang),
    consultation: (code: unknown) => consultationDisplay(str(code), lang, defs),
    consultations: (codes: unknown) =>
      joinWords((Array.isArray(codes) ? codes : []).map((c) => consultationDisplay(str(c), lang, defs)), lang),
    codes: (codes: unknown) => joinWords((Array.isArray(codes) ? codes : []).map(str), lang),
    instrument: short,
    instrumentLong: (v: unknown) => (isInstrument(v, defs) ? instrumentName(v, lang, defs).long : str(v)),
    instruments: (v: unknown) => joinWords((Array.isArray(v) ? v : []).map(short), lang),
    subscale: (instrument: unknown, id: unknown) => subscaleName(str(instrument), str(id), lang, defs),
    // {{plural n "konsultation" "konsultationer"}} -> "7 konsultationer"
    plural: (n: unknown, one: unknown, many: unknown) => pluralise(num(n), str(one), str(many), lang),
    yesNo: (v: unknown) => (v ? TEXT[lang].yes : TEXT[lang].no),
    eq: (a: unknown, b: unknown) => a === b,
    gt: (a: unknown, b: unknown) => num(a) > num(b),
    or: (a: unknown, b: unknown) => Boolean(a) || Boolean(b),
    patientText: (v: unknown) => new env.SafeString(escapePatientText(str(v))),
  };
}
