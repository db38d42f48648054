import type { Json } from './sandbox-http.helpers';
import {
  MAY_1,
  MAY_2,
  rawGet,
  startIncontactUnderTest,
  type IncontactUnderTest,
} from './incontact.helpers';

describe('inContact sandbox: quirks, faults and the control API', () => {
  let sut: IncontactUnderTest;
  let agentStates: string;

  beforeAll(async () => {
    // Configured at start like SANDBOX_INCONTACT_WRAPPER=resultSet would be.
    sut = await startIncontactUnderTest({ incontactQuirks: { wrapper: 'resultSet' } });
    agentStates = `${sut.sandbox.url}/inContactAPI/services/v30.0/agents/states`;
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  it('lists the numeric ids and the accepted credentials at /_sandbox/fixtures', async () => {
    const fixtures: Json = await (await fetch(`${sut.sandbox.url}/_sandbox/fixtures`)).json();
    expect(fixtures.incontact).toMatchObject({
      agents: { busy: 1000001, moderate: 1000002, quiet: 1000003, unknown: 1000255 },
      credentials: {
        clientId: 'sandbox-client',
        clientSecret: 'sandbox-secret',
        accessKeyId: expect.any(String),
        accessKeySecret: expect.any(String),
      },
    });
    expect(fixtures.incontact.skills[0]).toMatchObject({
      skillId: 8400001,
      queueId: fixtures.queues[0].id,
      skillName: fixtures.queues[0].name,
    });
  });

  it('starts with the configured quirks, changes them at run time, and resets to them', async () => {
    expect((await sut.control.quirks()).wrapper).toBe('resultSet');
    const wrapped: Json = await (await sut.acd('/agents/states')).json();
    expect(wrapped.resultSet.agentStates.length).toBeGreaterThan(0);
    await sut.control.setQuirks({ wrapper: 'resultset', keyCase: 'pascal' });
    const pascal: Json = await (await sut.acd('/agents/states')).json();
    expect(pascal.resultset.AgentStates[0]).toHaveProperty('AgentStateName');
    expect(pascal.resultset).toHaveProperty('TotalRecords');
    await sut.control.resetQuirks();
    expect((await sut.control.quirks()).wrapper).toBe('resultSet');
    const bad = await fetch(`${sut.sandbox.url}/_sandbox/quirks`, {
      method: 'POST',
      body: JSON.stringify({ emptyAs: 'nothing', pageCap: 0 }),
    });
    expect(bad.status).toBe(400);
    const message = String(((await bad.json()) as Json).message);
    expect(message).toContain('emptyAs');
    expect(message).toContain('pageCap');
  });

  describe('a request without Accept: application/json', () => {
    const headers = async () => ({ Authorization: `Bearer ${await sut.token()}` });

    it('gets 200 with the text "No known way to render data" when it sends no Accept at all', async () => {
      const response = await rawGet(agentStates, await headers());
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/html');
      expect(response.text).toBe('No known way to render data');
      const withAny = await rawGet(agentStates, { ...(await headers()), Accept: '*/*' });
      expect(JSON.parse(withAny.text)).toHaveProperty('resultSet.agentStates');
    });

    it('can get the quoted form, another status, or the text for */* too', async () => {
      await sut.control.setQuirks({
        noAccept: 'not-json',
        noAcceptBody: 'quoted',
        noAcceptStatus: 406,
      });
      const response = await rawGet(agentStates, { ...(await headers()), Accept: '*/*' });
      expect(response.status).toBe(406);
      expect(response.text).toBe('"No known way to render data"');
      await sut.control.setQuirks({ noAccept: 'off' });
      expect((await rawGet(agentStates, await headers())).text).toContain('agentStates');
    });
  });

  describe('errors', () => {
    it('carry their message only in icStatusDescription when switched', async () => {
      await sut.control.setQuirks({ errors: 'header-only' });
      const response = await sut.acd('/agents/1000255/state-history', {
        startDate: MAY_1,
        endDate: MAY_2,
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('');
      expect(response.headers.get('icstatusdescription')).toBe('Agent 1000255 not found');
    });
  });

  describe('faults on the new routes', () => {
    it('answers an injected 429 without Retry-After, unless switched on or scripted', async () => {
      await sut.token();
      await sut.control.addFaults([{ route: 'icSkillActivity', kind: 'rateLimit', times: 3 }]);
      const plain = await sut.acd('/skills/activity');
      expect(plain.status).toBe(429);
      expect(plain.headers.get('retry-after')).toBeNull();
      expect(await plain.json()).toEqual({
        error: 'TooManyRequests',
        errorDescription: 'Injected fault: HTTP 429',
      });
      await sut.control.setQuirks({ retryAfterOn429: true });
      expect((await sut.acd('/skills/activity')).headers.get('retry-after')).toBe('1');
      await sut.control.setQuirks({ retryAfterOn429: false });
      await sut.control.clearFaults();
      await sut.control.addFaults([
        { route: 'icSkillActivity', kind: 'rateLimit', retryAfterS: 4 },
      ]);
      expect((await sut.acd('/skills/activity')).headers.get('retry-after')).toBe('4');
    });

    it('writes injected 5xx in each family’s error dialect', async () => {
      await sut.token();
      await sut.control.addFaults([
        { route: 'icAgentStates', kind: 'status', status: 503, times: 1 },
        { route: 'icToken', kind: 'status', status: 500, times: 1 },
      ]);
      const acd = await sut.acd('/agents/states');
      expect(acd.status).toBe(503);
      expect(acd.headers.get('icstatusdescription')).toBe('Injected fault: HTTP 503');
      expect((await acd.json()).errorDescription).toBe('Injected fault: HTTP 503');
      await expect(sut.grant()).rejects.toThrow('grant failed: 500');
    });

    it('counts hangs and resets as status 0 and everything else by status, on every new route', async () => {
      await sut.token();
      await sut.control.resetStats();
      await sut.control.addFaults([{ route: 'icSkillActivityOne', kind: 'reset', times: 1 }]);
      await expect(sut.acd('/skills/8400001/activity')).rejects.toThrow();
      await sut.acd('/skills/8400001/activity');
      await sut.acd('/agents/state-history', { startDate: MAY_1, endDate: MAY_2, top: 1 });
      await sut.acd('/agents/1000003/state-history', { startDate: MAY_1, endDate: MAY_2 });
      const { routes } = await sut.control.stats();
      expect(routes.icSkillActivityOne).toEqual({ calls: 2, byStatus: { '0': 1, '200': 1 } });
      expect(routes.icStateHistory).toEqual({ calls: 1, byStatus: { '200': 1 } });
      expect(routes.icAgentStateHistory).toEqual({ calls: 1, byStatus: { '204': 1 } });
    });

    it('adds latency to the new routes too', async () => {
      await sut.token();
      await sut.control.addFaults([{ route: 'icAgentStates', kind: 'latency', latencyMs: 150 }]);
      const t0 = performance.now();
      expect((await sut.acd('/agents/states')).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    });
  });

  it('lets POST /_sandbox/queues/{id} refuse bad figures naming them', async () => {
    const response = await fetch(`${sut.sandbox.url}/_sandbox/queues/8400001`, {
      method: 'POST',
      body: JSON.stringify({ waitTime: 'long', agentz: 1 }),
    });
    expect(response.status).toBe(400);
    const message = String(((await response.json()) as Json).message);
    expect(message).toContain('waitTime must be a non-negative number');
    expect(message).toContain('unknown figure "agentz"');
    expect(
      (await fetch(`${sut.sandbox.url}/_sandbox/queues/42`, { method: 'POST', body: '{}' })).status,
    ).toBe(404);
    const views = await sut.control.queues();
    expect(views.map((q) => q.skillId)).toEqual(
      sut.sandbox.fixtures.incontact.skills.map((s) => s.skillId),
    );
  });
});
