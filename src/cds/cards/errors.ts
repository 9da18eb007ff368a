/** Start-up failure: a rule or language has no template, so the service must not start half-translated. */
export class MissingTemplatesError extends Error {
  override readonly name = 'MissingTemplatesError';
  constructor(
    readonly missing: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`Card templates missing: ${missing.join(', ')}`, options);
  }
}

/** A template failed to compile or render (strict mode found a field the view model does not have). */
export class CardTemplateError extends Error {
  override readonly name = 'CardTemplateError';
  constructor(
    readonly template: string,
    options?: { cause?: unknown },
  ) {
    const reason = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`Card template ${template} failed${reason}`, options);
  }
}

export function isMissingTemplatesError(error: unknown): error is MissingTemplatesError {
  return error instanceof MissingTemplatesError;
}

export function isCardTemplateError(error: unknown): error is CardTemplateError {
  return error instanceof CardTemplateError;
}
