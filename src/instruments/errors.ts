/**
 * A caller passed scoring options that make no sense (e.g. minAnswered 0). Bad answers are data and come back as
 * status 'invalid'; a bad option is a programming or configuration error and is thrown.
 */
export class InstrumentOptionError extends Error {
  override readonly name = 'InstrumentOptionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function isInstrumentOptionError(e: unknown): e is InstrumentOptionError {
  return e instanceof InstrumentOptionError;
}
