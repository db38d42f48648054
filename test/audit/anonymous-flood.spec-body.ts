import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { anonymousCounter, eventually, flood, logLines } from './anonymous-flood.helpers';

/** Small capacities so that 10× each of them is a quick flood. */
export const CAPACITY = 100;
export const ANONYMOUS_KEEP = 20;
/** Approximate MAXLEN trimming in Redis may keep up to one stream node (100 entries) more. */
export const TRIM_SLACK = 100;
const ENV = {
  AUDIT_MEMORY_RECORDS: String(CAPACITY),
  AUDIT_STREAM_MAXLEN: String(CAPACITY),
  AUDIT_ANONYMOUS_RECORDS: String(ANONYMOUS_KEEP),
  // One summary line per status for the whole spec.
  AUDIT_ANONYMOUS_LOG_INTERVAL_S: '3600',
};

/**
 * The attack: a real status change is audited, then far more requests than the trail holds
 * arrive without a valid key (401s, and 404s for a route that does not exist). The status
 * change must still be found, the noise counted by route and status, and logged in a few lines.
 * One gateway per spec file: the logger captures only the first gateway of a process.
 */
export function floodSpec(
  backend: 'memory' | 'Redis',
  env: Record<string, string>,
  size: number,
): void {
  describe(`unauthenticated noise never displaces the audit trail (e2e, ${backend})`, () => {
    let t: TestGateway;
    beforeAll(async () => {
      t = await startTestGateway({ env: { ...ENV, ...env } });
    });
    afterAll(() => t.close());

    it(`keeps a status.update record through ${size} anonymous requests`, async () => {
      const userId = t.sandbox.fixtures.users.agent;
      const update = await request(t.url)
        .put(`/v1/agents/${userId}/status`)
        .set(t.auth())
        .send({ status: 'Break', pauseReason: 'IT Issue' });
      expect(update.status).toBe(200);
      const requestId = update.headers['x-request-id'];

      const sent = await flood(t.url, size);
      expect([...sent.keys()].sort()).toEqual([
        '401 /v1/audit',
        '401 /v1/queues/stats',
        '404 unmatched',
      ]);

      for (const query of [{ action: 'status.update' }, { actor: 'tester' }]) {
        const res = await request(t.url).get('/v1/audit').query(query).set(t.auth()).expect(200);
        const records = res.body.records as { requestId: string; actor: string | null }[];
        expect(records.map((r) => r.requestId)).toContain(requestId);
        expect(records.every((r) => r.actor !== null)).toBe(true);
      }
      // Counted apart, by route and status: every request the flood sent, no more.
      await eventually(async () => {
        const counted = await anonymousCounter(t);
        return [...sent].every(([key, n]) => counted.get(key) === n);
      });
      expect(await anonymousCounter(t)).toEqual(sent);
    }, 60_000);

    it('logs the noise in one summary line per status, not one line per request', () => {
      const lines = logLines(t);
      const summaries = lines.filter((l) => l.anonymous);
      expect(summaries.map((l) => l.anonymous?.status).sort()).toEqual([401, 404]);
      expect(lines.filter((l) => l.audit && l.audit.actor === null)).toEqual([]);
      expect(lines.filter((l) => l.audit?.actor === 'tester').length).toBeGreaterThanOrEqual(1);
    });

    it('keeps the last anonymous requests in their own small store', async () => {
      const res = await request(t.url).get('/v1/audit/anonymous?limit=1000').set(t.auth());
      expect(res.status).toBe(200);
      const records = res.body.records as { actor: string | null; status: number }[];
      expect(records.length).toBeGreaterThan(0);
      expect(records.length).toBeLessThanOrEqual(
        backend === 'memory' ? ANONYMOUS_KEEP : ANONYMOUS_KEEP + TRIM_SLACK,
      );
      expect(records.every((r) => r.actor === null && [401, 404].includes(r.status))).toBe(true);
      const scoped = await request(t.url)
        .get('/v1/audit/anonymous')
        .set(t.auth(TEST_KEYS.reporting));
      expect(scoped.status).toBe(403);
    });

    it('writes none of the noise to the audit file', async () => {
      await request(t.url).get('/v1/audit?limit=1').set(t.auth()).expect(200);
      const file = join(t.dataDir, 'audit', 'audit.jsonl');
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // With Redis up the trail is in the stream and the file is not written at all.
        expect(backend).toBe('Redis');
      }
      const records = text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { actor: string | null });
      if (backend === 'memory') expect(records.length).toBeGreaterThanOrEqual(2);
      expect(records.filter((r) => r.actor === null)).toEqual([]);
    });
  });
}
