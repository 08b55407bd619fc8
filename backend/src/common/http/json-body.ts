import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error';

/** DESIGN §8 Limits: a JSON body nested deeper than this is refused before validation. */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** True when the JSON text nests objects/arrays deeper than `max`; one pass, no recursion. */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth--;
  }
  return false;
}

// As Fastify's own parser: `__proto__` and `constructor.prototype` keys are refused outright.
const MAYBE_POISONED = /__proto__|constructor|\\u00/;
function refusePoison(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value)
  ) {
    throw AppError.badRequest('The request body contains a forbidden key');
  }
  return value;
}

export const tooLarge = (limit: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes`);

export interface JsonBodyOptions {
  /** The limit for ordinary JSON bodies. */
  bodyLimit: number;
  /** A larger limit for some routes (imports), by request. */
  limitFor?: (req: FastifyRequest) => number | undefined;
}

/**
 * Replaces Fastify's JSON parser: an empty body is no body (clients that always send
 * `Content-Type: application/json`, e.g. on DELETE), bytes are counted against the route's
 * limit while they arrive, and bodies nested deeper than 64 levels are a 400 before parsing.
 */
export function registerJsonParser(fastify: FastifyInstance, opts: JsonBodyOptions): void {
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  const parse = (
    req: FastifyRequest,
    payload: IncomingMessage,
    done: (err: Error | null, body?: unknown) => void,
  ): void => {
    const limit = opts.limitFor?.(req) ?? opts.bodyLimit;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return done(tooLarge(limit), undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: unknown) => {
      if (finished) return;
      finished = true;
      payload.removeAllListeners('data');
      done(err, body);
    };
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish(tooLarge(limit));
        payload.resume();
        return;
      }
      chunks.push(chunk);
    });
    payload.on('error', (err: Error) => finish(err));
    payload.on('end', () => {
      const text = Buffer.concat(chunks, size).toString('utf8');
      if (text.trim() === '') return finish(null, undefined);
      if (jsonDepthExceeds(text)) {
        return finish(
          AppError.badRequest(`The JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`),
        );
      }
      let body: unknown;
      try {
        body = MAYBE_POISONED.test(text) ? JSON.parse(text, refusePoison) : JSON.parse(text);
      } catch (err) {
        return finish(
          err instanceof AppError ? err : AppError.badRequest('The request body is not valid JSON'),
        );
      }
      finish(null, body);
    });
  };
  fastify.addContentTypeParser('application/json', parse);
  fastify.addContentTypeParser(/^application\/[\w.+-]+\+json$/, parse);
}
