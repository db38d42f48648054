import { FakeClock } from '../../common/clock/fake-clock.fake';
import { AppError } from '../../common/errors/app-error';
import type { UpstreamRequest } from '../cxone.types';
import type { AuthProbeCall } from './auth-probe-call';
import { ReadinessProbe, type ReadinessProbeResult } from './readiness-probe';

const INTERVAL_MS = 30_000;
const TIMEOUT_MS = 3_000;

/** How the fake upstream answers the next probe call. */
type Answer = 'ok' | 'hang' | { status: number };

/** A client whose calls the test answers; it records each request and its signal. */
class ScriptedClient {
  readonly requests: UpstreamRequest[] = [];
  private readonly answers: Answer[] = [];
  private pending: { resolve: () => void }[] = [];

  next(...answers: Answer[]): void {
    this.answers.push(...answers);
  }

  request(req: UpstreamRequest): Promise<unknown> {
    this.requests.push(req);
    const answer = this.answers.shift() ?? 'ok';
    if (answer === 'ok') return Promise.resolve({ status: 200 });
    if (answer === 'hang')
      return new Promise((resolve, reject) => {
        this.pending.push({ resolve: () => resolve({ status: 200 }) });
        req.signal?.addEventListener('abort', () => reject(new Error('cancelled')));
      });
    const code = answer.status === 401 ? 'UPSTREAM_AUTH_FAILED' : 'UPSTREAM_UNAVAILABLE';
    return Promise.reject(
      new AppError(code, `CXone answered readinessProbe with HTTP ${answer.status}`, {
        extensions: { upstream: { status: answer.status } },
      }),
    );
  }

  /** Answers every hanging call (a probe that finishes late). */
  release(): void {
    for (const p of this.pending) p.resolve();
    this.pending = [];
  }
}

const CALL: AuthProbeCall = {
  request: () => ({ operation: 'readinessProbe', method: 'GET', path: '/probe' }),
};

describe('ReadinessProbe', () => {
  let clock: FakeClock;
  let client: ScriptedClient;
  let tokenValid: boolean;
  let probe: ReadinessProbe;

  beforeEach(() => {
    clock = new FakeClock();
    client = new ScriptedClient();
    tokenValid = true;
    probe = new ReadinessProbe({
      client,
      tokens: { status: () => ({ valid: tokenValid }) },
      call: CALL,
      clock,
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
    });
  });

  /** Tracks whether a promise has settled, without waiting for it. */
  function track<T>(p: Promise<T>): { settled: () => boolean; value: Promise<T> } {
    let settled = false;
    void p.then(
      () => (settled = true),
      () => (settled = true),
    );
    return { settled: () => settled, value: p };
  }

  it('sends at most one upstream call per interval and answers from the last result between', async () => {
    const first = await probe.current();
    expect(first).toMatchObject({ up: true, token: 'accepted' });
    expect(client.requests).toHaveLength(1);
    expect(client.requests[0]).toMatchObject({
      operation: 'readinessProbe',
      deadlineMs: TIMEOUT_MS,
    });

    for (let i = 0; i < 20; i++) {
      await clock.advance(1000);
      expect(await probe.current()).toBe(first);
    }
    expect(client.requests).toHaveLength(1);

    await clock.advance(INTERVAL_MS - 20_000);
    const second = await probe.current();
    expect(client.requests).toHaveLength(2);
    expect(second.at).toBe(clock.now());
  });

  it('shares one probe in flight between every caller', async () => {
    client.next('hang');
    const callers = Array.from({ length: 10 }, () => track(probe.current()));
    await clock.advance(0);
    expect(client.requests).toHaveLength(1);
    expect(callers.some((c) => c.settled())).toBe(false);

    client.release();
    const results = await Promise.all(callers.map((c) => c.value));
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatchObject({ up: true, token: 'accepted' });
    expect(client.requests).toHaveLength(1);
  });

  it('is down once a token refresh does not finish within the timeout, and not before', async () => {
    // A 401 dropped the token and the refresh hangs: the client's call never settles.
    client.next('hang');
    tokenValid = false;
    const ready = track(probe.current());
    await clock.advance(TIMEOUT_MS - 1);
    expect(ready.settled()).toBe(false);

    await clock.advance(1);
    const result = await ready.value;
    expect(result).toMatchObject({ up: false, token: 'unavailable' });
    expect(result.message).toContain(`did not finish within ${TIMEOUT_MS} ms`);
    expect(client.requests[0].signal?.aborted).toBe(true);
  });

  it('stays up, unconfirmed, when the API hangs while a token is held', async () => {
    client.next('hang');
    const ready = track(probe.current());
    await clock.advance(TIMEOUT_MS);
    expect(await ready.value).toMatchObject({ up: true, token: 'unconfirmed' });
  });

  it('is down when CXone rejects even the refreshed token (401 after the client refreshed once)', async () => {
    client.next({ status: 401 });
    const result = await probe.current();
    expect(result).toMatchObject({ up: false, token: 'rejected' });
    expect(result.message).toContain('HTTP 401');
  });

  it('is down when a 401 dropped the token and the refresh failed', async () => {
    client.next({ status: 503 });
    tokenValid = false;
    expect(await probe.current()).toMatchObject({ up: false, token: 'unavailable' });
  });

  it('counts any other answer CXone gave as an accepted token, and a 5xx as unconfirmed', async () => {
    client.next({ status: 404 }, { status: 503 });
    expect(await probe.current()).toMatchObject({ up: true, token: 'accepted' });
    await clock.advance(INTERVAL_MS);
    const result = await probe.current();
    expect(result).toMatchObject({ up: true, token: 'unconfirmed' });
    expect(result.message).toContain('HTTP 503');
  });

  it('probes again at once when an up result lost its token locally, but a down one waits', async () => {
    await probe.current();
    tokenValid = false;
    client.next({ status: 503 });
    const down: ReadinessProbeResult = await probe.current();
    expect(client.requests).toHaveLength(2);
    expect(down.up).toBe(false);

    await clock.advance(INTERVAL_MS - 1);
    expect(await probe.current()).toBe(down);
    expect(client.requests).toHaveLength(2);

    await clock.advance(1);
    tokenValid = true;
    expect(await probe.current()).toMatchObject({ up: true, token: 'accepted' });
    expect(client.requests).toHaveLength(3);
  });
});
