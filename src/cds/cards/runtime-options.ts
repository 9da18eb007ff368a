/**
 * Handlebars' runtime options, built once per environment instead of on every template call.
 *
 * A top-level template call (`template(context)`) first sets itself up: it copies every registered helper into a
 * new object and wraps each one in a closure that copies the options of every helper call (to add
 * `lookupProperty`), builds the prototype-access control lists, and merges partials and decorators. For a card that
 * is two template runs per call, repeated identically each time (measured: ~10 % of a prefetch call's CPU).
 *
 * Handlebars itself skips that setup for partials, which receive the state their caller built. So the state is built
 * once, by one real top-level run of a template that only invokes a function partial which keeps the options it is
 * given (Handlebars' own values, nothing imitated), and each render then runs as a partial with that state.
 * `data.root` is what the skipped `initData` would have set. Helpers go in unwrapped except `lookup`, the one
 * built-in that reads `options.lookupProperty`; ours and the other built-ins never do, so the output is the same
 * byte for byte (the card tests compare whole responses).
 */
import type Handlebars from 'handlebars';

interface RuntimeState {
  readonly helpers: Record<string, unknown>;
  readonly partials: Record<string, unknown>;
  readonly decorators: Record<string, unknown>;
  readonly hooks: Record<string, unknown>;
  readonly protoAccessControl: unknown;
}

const CAPTURE_PARTIAL = '__runtimeOptionsCapture';

/** Runs templates of `env` with the state built once; call after every helper and partial is registered. */
export function createTemplateRunner(env: typeof Handlebars): (template: Handlebars.TemplateDelegate, context: object) => string {
  let captured: RuntimeState | undefined;
  env.registerPartial(CAPTURE_PARTIAL, ((_context: unknown, options: RuntimeState) => {
    captured = options;
    return '';
  }) as unknown as Handlebars.Template);
  env.compile(`{{> ${CAPTURE_PARTIAL}}}`)({});
  env.unregisterPartial(CAPTURE_PARTIAL);
  if (!captured) throw new Error('Handlebars did not pass its runtime options to a partial');
  const state = captured;
  const envHelpers = env.helpers as Record<string, unknown>;
  const helpers: Record<string, unknown> = { ...state.helpers };
  for (const [name, helper] of Object.entries(envHelpers)) {
    if (name !== 'lookup' && name in helpers) helpers[name] = helper;
  }
  const base = {
    partial: true,
    helpers,
    partials: state.partials,
    decorators: state.decorators,
    hooks: state.hooks,
    protoAccessControl: state.protoAccessControl,
  };
  return (template, context) => template(context, { ...base, data: { root: context } } as Handlebars.RuntimeOptions);
}
