import { request as httpRequest, type ClientRequest } from 'node:http';
import { loadavg } from 'node:os';
import { rssBytes } from '../lib/proc-stats';
import type { Row } from '../lib/report';
import { unavailable, type BenchContext, type Scenario } from '../lib/scenario';
import { AUTH_HEADERS, startGateway, startSandbox } from '../lib/stack';

const SCENARIO = '7 live queue stream';
const SUBSCRIBERS = 1000;
const TTL_S = 1;

/** One subscriber: counts snapshots and notes, per update, how long after `asOf` it arrived. */
class Subscriber {
  snapshots = 0;
  /** waitTime marker → delivery lag in ms (arrival − the event's asOf). */
  readonly lags = new Map<number, number>();
  private buffer = '';
  readonly req: ClientRequest;

  constructor(url: string, onEvent: () => void) {
    this.req = httpRequest(url, { headers: { ...AUTH_HEADERS, accept: 'text/event-stream' } });
    this.req.on('response', (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const arrived = Date.now();
        this.buffer += chunk;
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          this.take(this.buffer.slice(0, end), arrived);
          this.buffer = this.buffer.slice(end + 2);
        }
        onEvent();
      });
    });
    this.req.on('error', () => undefined);
    this.req.end();
  }

  private take(block: string, arrived: number): void {
    if (block.includes('event: snapshot')) this.snapshots += 1;
    if (!block.includes('event: update')) return;
    const data = block.split('\n').find((l) => l.startsWith('data: '));
    if (!data) return;
    const body = JSON.parse(data.slice(6)) as { asOf: string; queues: { waitTime?: number }[] };
    for (const q of body.queues) {
      if (typeof q.waitTime === 'number')
        this.lags.set(q.waitTime, arrived - Date.parse(body.asOf));
    }
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function run(ctx: BenchContext): Promise<Row[]> {
  const updates = ctx.quick ? 3 : 8;
  const sandbox = await startSandbox();
  const gw = await startGateway({
    sandbox,
    env: { QUEUE_STATS_TTL_S: String(TTL_S), STREAM_MAX_PER_KEY: String(SUBSCRIBERS + 1) },
  });
  const fixtures = (await (await fetch(`${sandbox.url}/_sandbox/fixtures`)).json()) as {
    queues: { id: string }[];
  };
  const queueId = fixtures.queues[0]?.id;
  if (!queueId) return [unavailable(SCENARIO, 'subscribers', '', 'no sandbox queue')];

  // Baseline after one stream has made the feed poll once (its state is then in memory).
  const warm = new Subscriber(`${gw.url}/v1/queues/stream`, () => undefined);
  await waitFor(() => warm.snapshots > 0, 30_000, 'the first snapshot');
  await new Promise((r) => setTimeout(r, 1000));
  const baseline = rssBytes(gw.pid);

  const subscribers = Array.from(
    { length: SUBSCRIBERS },
    () => new Subscriber(`${gw.url}/v1/queues/stream`, () => undefined),
  );
  await waitFor(() => subscribers.every((s) => s.snapshots > 0), 60_000, 'all snapshots');
  await new Promise((r) => setTimeout(r, 2000));
  const loaded = rssBytes(gw.pid);
  const perSubscriberKb = (loaded - baseline) / SUBSCRIBERS / 1024;
  ctx.log(`  RSS ${Math.round(baseline / 2 ** 20)} → ${Math.round(loaded / 2 ** 20)} MB`);

  const lags: number[] = [];
  for (let i = 1; i <= updates; i++) {
    const marker = 1000 + i;
    await fetch(`${sandbox.url}/_sandbox/queues/${queueId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ waitTime: marker }),
    });
    await waitFor(() => subscribers.every((s) => s.lags.has(marker)), 30_000, `update ${i}`);
    for (const s of subscribers) lags.push(s.lags.get(marker) as number);
  }
  lags.sort((a, b) => a - b);
  const p99 = percentile(lags, 99);
  ctx.log(`  lag p50 ${percentile(lags, 50)} ms, p99 ${p99} ms, max ${lags[lags.length - 1]} ms`);
  for (const s of [warm, ...subscribers]) s.req.destroy();

  return [
    {
      scenario: SCENARIO,
      figure: `gateway memory per subscriber (${SUBSCRIBERS.toLocaleString('en-US')} concurrent streams, RSS delta)`,
      value: Math.round(perSubscriberKb * 10) / 10,
      unit: 'KiB',
      target: '≤ 64 KiB',
      pass: perSubscriberKb <= 64,
      note: `RSS ${Math.round(baseline / 2 ** 20)} → ${Math.round(loaded / 2 ** 20)} MB`,
    },
    {
      scenario: SCENARIO,
      figure: `delivery lag p99 of one update to all ${SUBSCRIBERS.toLocaleString('en-US')} (arrival − asOf, ${updates} updates)`,
      value: p99,
      unit: 'ms',
      target: '≤ 250 ms',
      pass: p99 <= 250,
      // On a shared machine the lag is mostly waiting for a core: the load says how busy it was.
      note: `p50 ${percentile(lags, 50)} ms, max ${lags[lags.length - 1]} ms, load average ${loadavg()[0].toFixed(1)}`,
    },
  ];
}

export const queueStream: Scenario = {
  id: 7,
  title: 'live queue stream: 1 000 subscribers, memory each and delivery lag of one update',
  run,
};
