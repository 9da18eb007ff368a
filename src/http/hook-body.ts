/**
 * The hook route's body parser. Normal bodies (a prefetch of a normal history is ~13 kB) are parsed here with
 * express.json. A large one is kept as bytes (express.raw: the same limit, types, inflation and errors) when there
 * is somewhere else to parse it, a worker thread: a multi-megabyte JSON.parse on the event loop would stall every
 * other call for its duration. The choice is made on Content-Length, before anything is read.
 */
import express, { type RequestHandler } from 'express';

const JSON_TYPES = ['application/json', 'application/*+json'];

export interface HookBodyOptions {
  readonly maxBodyBytes: number;
  /** Bodies above this many bytes are kept raw (`req.body` a Buffer); undefined: always parsed here. */
  readonly rawAboveBytes?: number;
}

export function createHookBodyParser(options: HookBodyOptions): RequestHandler {
  const json = express.json({ limit: options.maxBodyBytes, type: JSON_TYPES, strict: true });
  if (options.rawAboveBytes === undefined) return json;
  const raw = express.raw({ limit: options.maxBodyBytes, type: JSON_TYPES });
  const threshold = options.rawAboveBytes;
  return (req, res, next) => {
    const length = Number(req.headers['content-length']);
    // Only UTF-8 (JSON's own) goes raw; another declared charset is express.json's to accept or refuse.
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
    if (Number.isFinite(length) && length > threshold && (charset === undefined || charset === 'utf-8')) {
      raw(req, res, next);
      return;
    }
    json(req, res, next);
  };
}
