import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Accepts a caller's X-Request-Id when it is a short, plain token (so it cannot inject into logs
 * or headers), otherwise makes a fresh UUID.
 */
export function genRequestId(req: IncomingMessage): string {
  const supplied = req.headers['x-request-id'];
  if (typeof supplied === 'string' && SANE_REQUEST_ID.test(supplied)) return supplied;
  return randomUUID();
}
