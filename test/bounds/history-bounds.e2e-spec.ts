import request from 'supertest';
import { SystemClock, type ClockTimer } from '../../src/common/clock/clock';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import { agentIdOf } from '../../src/sandbox/incontact/ic-fixtures';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { incontactEnv } from '../reporting/incontact-helpers';
import { auditOf, getAndHangUp, upstreamCalls, upstreamIdle, waitFor } from './bounds-helpers';

const DAY_MS = 86_400_000;
/** The deadline the specs fire by hand: no other timer in the gateway has this length. */
const HELD_DEADLINE_MS = 597_000;

/** The 31 whole UTC days before today: the busy agent changes state 10 000 times each. */
function lastMonth(): { start: string; end: string } {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return { start: new Date(end - 31 * DAY_MS).toISOString(), end: new Date(end).toISOString() };
}

function historyPath(agentId: string): string {
  const { start, end } = lastMonth();
  return `/v1/agents/${agentId}/state-history?start=${start}&end=${end}`;
}

/** System time, except that timers of HELD_DEADLINE_MS only fire when the spec says so. */
class HeldDeadlineClock extends SystemClock {
  private readonly held = new Set<() => void>();

  override setTimer(ms: number, fn: () => void): ClockTimer {
    if (ms !== HELD_DEADLINE_MS) return super.setTimer(ms, fn);
    this.held.add(fn);
    return { cancel: () => this.held.delete(fn) };
  }

  heldTimers(): number {
    return this.held.size;
  }

  fire(): void {
    const due = [...this.held];
    this.held.clear();
    for (const fn of due) fn();
  }
}

describe('bounds of a long state history (e2e, sandbox)', () => {
  describe('v2 dialect', () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway();
    });
    afterAll(() => t.close());

    it('refuses a month of the busy agent after its first page: 422 naming the limit and the fix', async () => {
      await t.control.resetStats();
      const res = await request(t.url)
        .get(historyPath(t.sandbox.fixtures.agents.busy))
        .set(t.auth(TEST_KEYS.reporting))
        .expect(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({
        limit: { name: 'HISTORY_MAX_UPSTREAM_CALLS', value: 1000 },
        estimatedUpstreamCalls: 3100,
        shrink: 'request a shorter range (start/end)',
      });
      expect(res.body.detail).toContain('HISTORY_MAX_UPSTREAM_CALLS');
      expect(await upstreamCalls(t, 'agentHistory')).toBe(1);
    });
  });

  describe('v2 dialect, limits raised so only the caller or the deadline stops it', () => {
    let t: TestGateway;
    const clock = new HeldDeadlineClock();
    beforeAll(async () => {
      t = await startTestGateway({
        clock,
        sandbox: { latencyMs: 20 },
        env: {
          HISTORY_MAX_UPSTREAM_CALLS: '100000',
          HISTORY_DEADLINE_MS: String(HELD_DEADLINE_MS),
        },
      });
    });
    afterAll(() => t.close());

    it('stops every upstream call when the client hangs up, and audits the request as aborted', async () => {
      const busy = t.sandbox.fixtures.agents.busy;
      await t.control.resetStats();
      await getAndHangUp(t, historyPath(busy), () =>
        waitFor(
          async () => ((await upstreamCalls(t, 'agentHistory')) >= 30 ? true : undefined),
          'the history to be under way',
        ),
      );
      await upstreamIdle(t);
      // Calls the gateway had sent before the hang-up may reach the sandbox a moment later: a
      // whole round trip through gateway and sandbox lets them land before counting.
      const queueStats = () =>
        request(t.url)
          .get('/v1/queues/stats')
          .set({ ...t.auth(TEST_KEYS.reporting), 'cache-control': 'no-cache' })
          .expect(200);
      await queueStats();
      const afterHangUp = await upstreamCalls(t, 'agentHistory');
      // The whole month is 3 100 pages; what ran is the calls before the hang-up plus those in flight.
      expect(afterHangUp).toBeLessThan(500);
      // Other work goes on, and the abandoned history does not resume behind it.
      await queueStats();
      await upstreamIdle(t);
      expect(await upstreamCalls(t, 'queueStats')).toBe(2);
      expect(await upstreamCalls(t, 'agentHistory')).toBe(afterHangUp);

      const aborted = await waitFor(async () => {
        const records = await auditOf(t, 'reporter');
        return records.find((r) => r.outcome === 'aborted');
      }, 'the aborted request in the audit');
      expect(aborted).toMatchObject({
        action: 'reporting.state-history',
        route: '/v1/agents/:agentId/state-history',
        targets: { agentId: busy },
        status: 499,
      });
    });

    it('ends the whole operation at its deadline (on the clock) with a 504 naming it', async () => {
      await t.control.resetStats();
      const answer = request(t.url)
        .get(historyPath(t.sandbox.fixtures.agents.busy))
        .set(t.auth(TEST_KEYS.reporting))
        .then((res) => res);
      await waitFor(
        async () => ((await upstreamCalls(t, 'agentHistory')) >= 30 ? true : undefined),
        'the history to be under way',
      );
      expect(clock.heldTimers()).toBeGreaterThan(0);
      clock.fire();
      const res = await answer;
      expect(res.status).toBe(504);
      expect(res.body).toMatchObject({
        limit: { name: 'HISTORY_DEADLINE_MS', value: HELD_DEADLINE_MS },
      });
      await upstreamIdle(t);
      expect(await upstreamCalls(t, 'agentHistory')).toBeLessThan(500);
    });
  });

  describe('incontact dialect', () => {
    let sandbox: SandboxHandle;
    let t: TestGateway;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0 });
      t = await startTestGateway({
        sharedSandbox: sandbox,
        env: { ...incontactEnv(sandbox), HISTORY_MAX_UPSTREAM_CALLS: '100' },
      });
    });
    afterAll(async () => {
      await t.close();
      await sandbox.close();
    });

    it('refuses a month of the busy agent from its first day: 422 after a few calls', async () => {
      await t.control.resetStats();
      const res = await request(t.url)
        .get(historyPath(String(agentIdOf(sandbox.fixtures.agents.busy))))
        .set(t.auth(TEST_KEYS.reporting))
        .expect(422);
      expect(res.body).toMatchObject({
        limit: { name: 'HISTORY_MAX_UPSTREAM_CALLS', value: 100 },
      });
      expect(res.body.estimatedUpstreamCalls).toBeGreaterThan(100);
      const calls = await upstreamCalls(t, 'icAgentStateHistory');
      expect(calls).toBeGreaterThan(0);
      expect(calls).toBeLessThanOrEqual(20);
    });
  });
});
