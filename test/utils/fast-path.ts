import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import request, { type Response } from 'supertest';
import { ReplayHooks } from '../../src/replay/replay.hooks';
import type { TestGateway } from './test-gateway';

/** Headers that differ per request or per connection, whichever path answers. */
export const PER_REQUEST_HEADERS = ['x-request-id', 'date', 'connection', 'keep-alive'];
/** Audit fields that differ per request. */
export const PER_REQUEST_AUDIT = ['requestId', 'time', 'latencyMs', 'ip'];

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** An answer without what differs per request, to compare the fast path with the normal route. */
export function answerOf(res: Response): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers as Record<string, string>)) {
    if (!PER_REQUEST_HEADERS.includes(name)) headers[name] = value;
  }
  // A problem body names its request id (the header already dropped above).
  const body = (res as Response & { text: string }).text.replace(
    /"requestId":"[^"]*"/,
    '"requestId":"…"',
  );
  return { status: res.status, headers, body };
}

/** gateway_fast_path_answers_total from /metrics. */
export async function fastPathAnswers(t: TestGateway): Promise<number> {
  const res = await request(t.url).get('/metrics').expect(200);
  const line = res.text.split('\n').find((l) => l.startsWith('gateway_fast_path_answers_total'));
  return Number(line?.split(' ')[1] ?? 0);
}

/** A POST the way supertest cannot send it: the body as given (chunked when no length is set). */
export function rawPost(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: string | Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const kept: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (!PER_REQUEST_HEADERS.includes(name) && typeof value === 'string') kept[name] = value;
        }
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: kept,
          body: text.replace(/"requestId":"[^"]*"/, '"requestId":"…"'),
        });
      });
    });
    req.on('error', reject);
    // Written before the end, a body without Content-Length goes chunked (end(body) would set it).
    if (headers['content-length'] === undefined) req.write(body);
    req.end(headers['content-length'] === undefined ? undefined : body);
  });
}

/**
 * Sends the headers and part of a body, then leaves: the gateway has a request it can never
 * answer. Resolves with the aborted record (without its per-request fields) once the gateway's
 * store of anonymous requests holds it: the caller left before it was identified.
 */
export async function leaveMidBody(
  t: TestGateway,
  path: string,
  key: string,
): Promise<Record<string, unknown>> {
  const before = (await abortedRecords(t, path)).length;
  const socket = connect(Number(new URL(t.url).port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer ${key}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{"metrics":',
  );
  // Long enough for the gateway to have the headers: a round trip on the same loopback.
  await request(t.url).get('/health/live');
  socket.destroy();
  for (let tries = 0; tries < 100; tries++) {
    const records = await abortedRecords(t, path);
    if (records.length > before) {
      return Object.fromEntries(
        Object.entries(records[0]).filter(([k]) => !PER_REQUEST_AUDIT.includes(k)),
      );
    }
  }
  throw new Error(`${t.url}: no aborted audit record for ${path}`);
}

/** Aborted records of `path` among the anonymous requests, newest first. */
async function abortedRecords(t: TestGateway, path: string): Promise<Record<string, unknown>[]> {
  const res = await request(t.url).get('/v1/audit/anonymous').query({ limit: 200 }).set(t.auth());
  const records = (res.body as { records: Record<string, unknown>[] }).records;
  return records.filter((r) => r.route === path && r.outcome === 'aborted');
}

/**
 * Counts, per gateway, the hits its preHandler answered (the other way in is the server's
 * request listener): which way in answered a request.
 */
export function spyOnPreHandlerReplies(): { of(t: TestGateway): number; restore(): void } {
  const spy = jest.spyOn(ReplayHooks.prototype as unknown as { sendReply(): void }, 'sendReply');
  return {
    of: (t) => spy.mock.contexts.filter((c) => c === t.gateway.app.get(ReplayHooks)).length,
    restore: () => spy.mockRestore(),
  };
}
