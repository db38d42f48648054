import request from 'supertest';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';

const PAUSE_REASONS = 'IT Issue, Queue Full, Skill Gap, Manager Meeting, System Maintenance';

describe('PUT /v1/agents/{userId}/status (e2e)', () => {
  let t: TestGateway;
  let users: TestGateway['sandbox']['fixtures']['users'];

  beforeAll(async () => {
    t = await startTestGateway();
    users = t.sandbox.fixtures.users;
  });
  afterAll(() => t.close());
  beforeEach(() => t.control.resetStats());

  const put = (userId: string, body: unknown, key: string = TEST_KEYS.all) =>
    request(t.url)
      .put(`/v1/agents/${userId}/status`)
      .set(t.auth(key))
      .send(body as object);

  it('writes the exact seed payload upstream and answers with the confirmed status', async () => {
    const res = await put(users.agent, {
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: 'FOLLOW-UP',
      forceAvailability: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      userId: users.agent,
      status: 'Break',
      pauseReason: 'Queue Full',
      updatedAt: expect.any(String),
      latencyMs: expect.any(Number),
    });
    expect(res.headers['idempotency-replayed']).toBeUndefined();
    const [sent] = await t.control.requests('userStatus');
    expect(sent.method).toBe('PUT');
    expect(sent.path).toBe(`/api/v2/users/${users.agent}/status`);
    expect(sent.body).toEqual({
      status: 'Break',
      pauseReason: 'Queue Full',
      wrapUpCode: 'FOLLOW-UP',
      directiveFlags: { autoAvailable: true, respectWrapUp: true },
    });
  });

  it('reads a user UUID in any case, writing and answering its lower-case spelling', async () => {
    const res = await put(users.agent.toUpperCase(), { status: 'Available' });
    expect(res.status).toBe(200);
    expect(res.body.userId).toBe(users.agent);
    const [sent] = await t.control.requests('userStatus');
    expect(sent.path).toBe(`/api/v2/users/${users.agent}/status`);
  });

  it('sends nulls and default flags for a bare status (supervisor, user without a shift)', async () => {
    for (const userId of [users.supervisor, users.noShift]) {
      const res = await put(userId, { status: 'Available' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ userId, status: 'Available', pauseReason: null });
    }
    const sent = await t.control.requests('userStatus');
    expect(sent.map((r) => r.body)).toEqual([
      {
        status: 'Available',
        pauseReason: null,
        wrapUpCode: null,
        directiveFlags: { autoAvailable: false, respectWrapUp: true },
      },
      {
        status: 'Available',
        pauseReason: null,
        wrapUpCode: null,
        directiveFlags: { autoAvailable: false, respectWrapUp: true },
      },
    ]);
  });

  describe('validation (400, nothing sent upstream)', () => {
    it.each([
      [
        'an unknown status',
        { status: 'Lunch' },
        'status',
        'Available, Busy, Break, Training, Offline',
      ],
      ['a missing status', {}, 'status', 'Available, Busy, Break, Training, Offline'],
      ['Break without a pause reason', { status: 'Break' }, 'pauseReason', PAUSE_REASONS],
      [
        'an unknown pause reason',
        { status: 'Busy', pauseReason: 'Nap' },
        'pauseReason',
        PAUSE_REASONS,
      ],
      ['a numeric pause reason', { status: 'Break', pauseReason: 5 }, 'pauseReason', 'string'],
      ['an unsafe wrap-up code', { status: 'Busy', wrapUpCode: '<script>' }, 'wrapUpCode', '1-64'],
      ['a long wrap-up code', { status: 'Busy', wrapUpCode: 'x'.repeat(65) }, 'wrapUpCode', '1-64'],
      [
        'a string forceAvailability',
        { status: 'Busy', forceAvailability: 'yes' },
        'forceAvailability',
        'true or false',
      ],
      ['an unknown field', { status: 'Busy', agentId: 'x' }, 'agentId', 'not an allowed field'],
    ])('refuses %s', async (_name, body, field, hint) => {
      const res = await put(users.agent, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      const error = res.body.errors.find((e: { field: string }) => e.field === field);
      expect(error.message).toContain(hint);
    });

    it.each([
      ['a path trick', '..%2F..%2Foauth'],
      ['a dot segment', '..'],
      ['too long an id', 'a'.repeat(65)],
      ['odd characters', 'user%20one'],
    ])('refuses %s as userId', async (_name, userId) => {
      const res = await put(userId, { status: 'Busy' });
      expect([400, 404]).toContain(res.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses a malformed Idempotency-Key naming the header', async () => {
      const res = await put(users.agent, { status: 'Busy' }).set('Idempotency-Key', 'bad key!');
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('Idempotency-Key');
    });

    it('made no upstream calls', async () => {
      await put(users.agent, { status: 'Break' });
      const stats = await t.control.stats();
      expect(stats.routes.userStatus.calls + stats.routes.userGet.calls).toBe(0);
    });
  });

  describe('user checks and upstream errors', () => {
    it('403s a user without the Agent or Supervisor role, before any write', async () => {
      const res = await put(users.noAgentRole, { status: 'Busy' });
      expect(res.status).toBe(403);
      expect(res.body.detail).toMatch(/Agent or Supervisor role is required/);
      expect((await t.control.stats()).routes.userStatus.calls).toBe(0);
    });

    it('422s a user outside the shift window, naming it', async () => {
      const res = await put(users.offShift, { status: 'Busy' });
      expect(res.status).toBe(422);
      expect(res.body.detail).toMatch(/only allowed during the shift window .+ – .+/);
      expect(res.body.shiftWindow).toEqual({ start: expect.any(String), end: expect.any(String) });
      expect((await t.control.stats()).routes.userStatus.calls).toBe(0);
    });

    it('409s when wrap-up is active, with a clear detail', async () => {
      const res = await put(users.wrapUp, { status: 'Available' });
      expect(res.status).toBe(409);
      expect(res.body.detail).toContain('wrap-up active or a concurrent status change');
    });

    it('404s an unknown user', async () => {
      const res = await put(users.unknown, { status: 'Busy' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('UPSTREAM_NOT_FOUND');
    });

    it('passes an upstream 400 on with its message', async () => {
      // A tenant list wider than CXone's: the gateway accepts it, CXone refuses it.
      const wide = await startTestGateway({
        env: { VALID_PAUSE_REASONS: 'IT Issue,Coffee' },
        sharedSandbox: t.sandbox,
      });
      try {
        const res = await request(wide.url)
          .put(`/v1/agents/${users.agent}/status`)
          .set(wide.auth())
          .send({ status: 'Break', pauseReason: 'Coffee' });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('UPSTREAM_BAD_REQUEST');
        expect(res.body.detail).toMatch(/CXone: Invalid pause reason: "?Coffee/);
      } finally {
        await wide.close();
      }
    });

    it('needs the status:write scope', async () => {
      const res = await put(users.agent, { status: 'Busy' }, TEST_KEYS.reporting);
      expect(res.status).toBe(403);
      expect((await t.control.stats()).routes.userGet.calls).toBe(0);
    });
  });

  it('audits every attempt with actor, user, requested status and outcome', async () => {
    const ok = await put(users.agent, { status: 'Break', pauseReason: 'IT Issue' });
    const refused = await put(users.offShift, { status: 'Training' });
    const invalid = await put(users.agent, { status: 'Nope' });
    const ids = [ok, refused, invalid].map((r) => r.headers['x-request-id']);
    let records: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(t.url)
        .get('/v1/audit?action=status.update&limit=1000')
        .set(t.auth());
      records = res.body.records.filter((r: { requestId: string }) => ids.includes(r.requestId));
      if (records.length === 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const byId = (id: string) => records.find((r) => r.requestId === id);
    expect(byId(ids[0])).toMatchObject({
      actor: 'tester',
      action: 'status.update',
      targets: { userId: users.agent },
      detail: { status: 'Break', pauseReason: 'IT Issue' },
      status: 200,
      outcome: 'success',
    });
    expect(byId(ids[1])).toMatchObject({
      actor: 'tester',
      targets: { userId: users.offShift },
      detail: { status: 'Training' },
      status: 422,
      outcome: 'client_error',
    });
    expect(byId(ids[2])).toMatchObject({ status: 400, detail: { status: 'Nope' } });
  });
});
