/**
 * The hook route's body parser. Normal bodies (a prefetch of a normal history is ~13 kB) are parsed here with
 * express.json. A large one is kept as bytes when there is somewhere else to parse it, a worker thread: a
 * multi-megabyte JSON.parse on the event loop would stall every other call for its duration. The choice is made on
 * Content-Length, before anything is read.
 */
import express, { type NextFunction, type Request, type RequestHandler } from 'express';

const JSON_TYPES = ['application/json', 'application/*+json'];

export interface HookBodyOptions {
  readonly maxBodyBytes: number;
  /** Bodies above this many bytes are kept raw (`req.body` a Buffer); undefined: always parsed here. */
  readonly rawAboveBytes?: number;
}

export function createHookBodyParser(options: HookBodyOptions): RequestHandler {
  const json = express.json({ limit: options.maxBodyBytes, type: JSON_TYPES, strict: true });
  if (options.rawAboveBytes === undefined) return json;
  // Compressed bodies (their length is not the body's), and whatever is refused (too large, another type), go
  // through express.raw: its inflation, limits and errors.
  const raw = express.raw({ limit: options.maxBodyBytes, type: JSON_TYPES });
  const threshold = options.rawAboveBytes;
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    // Only UTF-8 (JSON's own) goes raw; another declared charset is express.json's to accept or refuse.
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (!(Number.isFinite(length) && length > threshold && (charset === undefined || charset === 'utf-8'))) {
      json(req, res, next);
      return;
    }
    const identity = (req.headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity';
    if (identity && length <= options.maxBodyBytes && req.is(JSON_TYPES)) readKnownLength(req, length, next);
    else raw(req, res, next);
  };
}

/** A failure as body-parser reports it (`status`, `type`): the error handler maps both kinds alike. */
function bodyError(type: 'request.aborted' | 'request.size.invalid', message: string): Error {
  return Object.assign(new Error(message), { status: 400, type });
}

/**
 * Reads a body of declared length into one buffer allocated up front, each chunk copied in as it arrives. So the
 * event loop never joins megabytes in one go (Buffer.concat took ~2.3 ms of it per 6 MB call), and the buffer owns
 * its memory: it moves to the worker thread without a copy (pool/hook-pool.ts `movableBytes`).
 */
function readKnownLength(req: Request, length: number, next: NextFunction): void {
  const bytes = Buffer.allocUnsafeSlow(length);
  let received = 0;
  let settled = false;
  const settle = (error?: Error): void => {
    if (settled) return;
    settled = true;
    req.off('data', onData).off('end', onEnd).off('aborted', onAborted).off('close', onClose).off('error', onError);
    if (error) {
      // As body-parser does: the rest of the body is not wanted, but it must not back up the socket.
      req.resume();
      next(error);
      return;
    }
    req.body = bytes;
    next();
  };
  // Node's HTTP parser frames the body by its Content-Length, so a mismatch is not expected; were one to come, the
  // count (copy() never writes past the buffer) makes it the 400 body-parser gives, never a truncated body.
  const onData = (chunk: Buffer): void => {
    if (received < length) chunk.copy(bytes, received);
    received += chunk.length;
  };
  const onEnd = (): void => {
    settle(received === length ? undefined : bodyError('request.size.invalid', 'the body does not match its Content-Length'));
  };
  const onAborted = (): void => settle(bodyError('request.aborted', 'the request was aborted'));
  const onClose = (): void => {
    if (!req.complete) onAborted();
  };
  const onError = (error: Error): void => settle(error);
  req.on('data', onData).on('end', onEnd).on('aborted', onAborted).on('close', onClose).on('error', onError);
}
