import request, { type Response } from 'supertest';
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
