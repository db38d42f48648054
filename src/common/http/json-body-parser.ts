import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors/app-error';

/** Deeper request JSON than any endpoint needs; past it validation would recurse for nothing. */
export const MAX_JSON_DEPTH = 32;

/**
 * Nesting depth of a JSON text, counted over brackets outside strings, stopping early once
 * `limit` is passed. Linear, allocation-free: cheap next to the parse itself.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** A parsed JSON body, or why it is refused (the error Fastify's parser answers with, a 400). */
export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; error: Error };
export type JsonBodyParse = (body: Buffer | string) => JsonBodyResult;

/**
 * Fastify's JSON body parser (prototype-poisoning protection) behind a UTF-8 check and a
 * nesting-depth check: a few kilobytes of `[[[[…` would otherwise reach class-transformer and
 * overflow its recursion (a 500) instead of being a 400. One function for both readers of a
 * JSON body: Fastify's content-type parser and the replay before the router.
 */
export function jsonBodyParserOf(fastify: FastifyInstance): JsonBodyParse {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  return (body) => {
    if (typeof body !== 'string' && !isUtf8(body)) {
      return {
        ok: false,
        error: new AppError('MALFORMED_BODY', 'Request body is not valid UTF-8'),
      };
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      const message = `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`;
      return { ok: false, error: new AppError('MALFORMED_BODY', message) };
    }
    let result: JsonBodyResult | undefined;
    // The default parser answers through its callback, synchronously; it reads no request.
    void parse(undefined as never, text, (error, value) => {
      result = error ? { ok: false, error: namedParseError(error, text) } : { ok: true, value };
    });
    return (
      result ?? { ok: false, error: new AppError('MALFORMED_BODY', 'Request body not parsed') }
    );
  };
}

/**
 * Fastify's parser answers "not valid JSON" for a `__proto__` or `constructor.prototype` key
 * too (secure-json-parse's refusal, its reason dropped). A text that plain JSON.parse reads
 * (safe here: it makes an own property, touching no prototype) was refused for that key: say so.
 */
function namedParseError(error: Error, text: string): Error {
  if ((error as { code?: unknown }).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return error;
  try {
    JSON.parse(text);
  } catch {
    return error;
  }
  return new AppError(
    'MALFORMED_BODY',
    'Request body has a "__proto__" or "constructor.prototype" key, which is refused (prototype poisoning)',
  );
}

/**
 * Replaces Fastify's JSON body parser with jsonBodyParserOf's, and removes its `text/plain`
 * one: every body this API takes is JSON, and a JSON text sent as `text/plain` arrived as one
 * string, which validation then reported field by field as if each were missing. It is now
 * the 415 of any other media type.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = jsonBodyParserOf(fastify);
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  // Read as bytes: decoded as a string, invalid UTF-8 turns into replacement characters whose
  // length no longer matches Content-Length, and the caller got that mismatch as the reason.
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (_request, body, done) => {
      const parsed = parse(body);
      if (parsed.ok) done(null, parsed.value);
      else done(parsed.error, undefined);
    },
  );
}
