import { describe, expect, it } from 'vitest';
import Handlebars from 'handlebars';
import { createTemplateRunner } from '../../../src/cds/cards/runtime-options.js';

const options = { strict: true, knownHelpers: { shout: true }, knownHelpersOnly: true } as const;

function env() {
  const e = Handlebars.create();
  e.registerHelper('shout', (v: unknown) => `${String(v).toUpperCase()}!`);
  e.registerPartial('who', e.compile('{{name}} ({{@root.title}})', options));
  return e;
}

const source = [
  '{{#each items}}{{@index}}={{shout this.label}} {{> who name=this.label}}; {{/each}}',
  '{{#if flag}}yes{{else}}no{{/if}} {{#with nested}}{{deep}}{{/with}} {{lookup map key}}',
  '{{#unless flag}}never{{/unless}}{{{raw}}} {{escaped}}',
].join('\n');
const context = {
  title: 'T', flag: true, items: [{ label: 'a' }, { label: 'b<' }], nested: { deep: 'd' },
  map: { k: 'v' }, key: 'k', raw: '<b>', escaped: '<i>&',
};

describe('templates run with runtime options built once', () => {
  it('give the same text as a plain Handlebars call: each, @index, @root, partials, if/with/unless, lookup, escaping', () => {
    const e = env();
    const template = e.compile(source, options);
    const expected = template(context);
    const run = createTemplateRunner(e);
    expect(run(template, context)).toBe(expected);
    // And again: nothing from one call leaks into the next.
    expect(run(template, { ...context, flag: false, items: [] })).toBe(template({ ...context, flag: false, items: [] }));
    expect(run(template, context)).toBe(expected);
  });

  it('still throws on a missing property in strict mode', () => {
    const e = env();
    const template = e.compile('{{missing}}', options);
    const run = createTemplateRunner(e);
    expect(() => template({})).toThrow(/"missing" not defined/);
    expect(() => run(template, {})).toThrow(/"missing" not defined/);
  });

  it('leaves no capture partial behind', () => {
    const e = env();
    createTemplateRunner(e);
    expect(Object.keys(e.partials)).toEqual(['who']);
  });
});
