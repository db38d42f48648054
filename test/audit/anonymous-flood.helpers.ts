import request from 'supertest';
import type { TestGateway } from '../utils/test-gateway';

/** One kind of request without an identified caller, and the route label it is counted under. */
interface Noise {
  path: string;
  headers: Record<string, string>;
  route: string;
}

/** The attack: no key, a bad key, and an unknown route without a key. */
export const NOISE: readonly Noise[] = [
  { path: '/v1/audit', headers: {}, route: '/v1/audit' },
  {
    path: '/v1/queues/stats',
    headers: { authorization: 'Bearer not-a-key' },
    route: '/v1/queues/stats',
  },
  { path: '/v1/no-such-route', headers: {}, route: 'unmatched' },
];

/**
 * Sends `total` anonymous requests, `concurrency` at a time, and tallies what came back as
 * `<status> <route>` → count: what the anonymous-request counter must say afterwards.
 */
export async function flood(
  url: string,
  total: number,
  concurrency = 16,
): Promise<Map<string, number>> {
  const tally = new Map<string, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      const noise = NOISE[next++ % NOISE.length];
      const res = await fetch(`${url}${noise.path}`, { headers: noise.headers });
      await res.arrayBuffer();
      const key = `${res.status} ${noise.route}`;
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return tally;
}

/** `gateway_anonymous_requests_total` as `<status> <route>` → count. */
export async function anonymousCounter(t: TestGateway): Promise<Map<string, number>> {
  const res = await request(t.url).get('/metrics').expect(200);
  const counts = new Map<string, number>();
  for (const line of res.text.split('\n')) {
    const m = /^gateway_anonymous_requests_total\{route="([^"]*)",status="(\d+)"\} (\d+)$/.exec(
      line,
    );
    if (m) counts.set(`${m[2]} ${m[1]}`, Number(m[3]));
  }
  return counts;
}

/** Polls until `probe` holds (records are written just after their response is sent). */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface LogLine {
  msg?: string;
  audit?: { actor: string | null };
  anonymous?: { status: number; count: number };
}

export function logLines(t: TestGateway): LogLine[] {
  return t.logs.lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as LogLine];
    } catch {
      return [];
    }
  });
}
