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

/**
 * Replaces Fastify's JSON body parser with the same parser (prototype-poisoning protection,
 * body limit) behind a nesting-depth check: a few kilobytes of `[[[[…` would otherwise reach
 * class-transformer and overflow its recursion (a 500) instead of being a 400.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  // Read as bytes: decoded as a string, invalid UTF-8 turns into replacement characters whose
  // length no longer matches Content-Length, and the caller got that mismatch as the reason.
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    if (typeof body !== 'string' && !isUtf8(body)) {
      done(new AppError('MALFORMED_BODY', 'Request body is not valid UTF-8'), undefined);
      return;
    }
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        new AppError('MALFORMED_BODY', `JSON body nests deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
      return;
    }
    // The default parser answers through `done`; its return value carries nothing.
    void parse(request, text, done);
  });
}
