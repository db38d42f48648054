import request from 'supertest';
import type { LoggedRequest } from '../../src/sandbox/sandbox-stats';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/webhooks/webhook-receiver.fake';
import { incontactEnv } from '../reporting/incontact-helpers';
import { startTestGateway, type TestGateway } from '../utils/test-gateway';

type Route =
  'icAgentGet' | 'icAgentSetState' | 'icAgentLogout' | 'icTeamUnavailableCodes' | 'icAgentStates';

/** The Sales team's codes, in the business unit's order: every active one valid for its agents. */
const SALES_VALID = 'Break, Lunch, Training, Busy, ACW';

describe('PUT /v1/agents/{userId}/status, incontact dialect (e2e against the sandbox)', () => {
  let sandbox: SandboxHandle;
  let control: SandboxControlClient;
  let receiver: WebhookReceiver;
  let t: TestGateway;
  let agents: SandboxHandle['fixtures']['incontact']['statusAgents'];

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
    control = new SandboxControlClient(sandbox.url);
    receiver = await startWebhookReceiver();
    t = await startTestGateway({
      sharedSandbox: sandbox,
      env: {
        ...incontactEnv(sandbox),
        WFM_WEBHOOK_URL: `${receiver.url}/wfm/status-sync`,
        WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      },
    });
    agents = sandbox.fixtures.incontact.statusAgents;
  });

  afterAll(async () => {
    await t.close();
    await receiver.close();
    await sandbox.close();
  });

  beforeEach(async () => {
    await control.clearFaults();
    await control.resetStats();
    receiver.requests.length = 0;
  });

  const put = (userId: string | number, body: object, headers: Record<string, string> = {}) =>
    request(t.url)
      .put(`/v1/agents/${userId}/status`)
      .set({ ...t.auth(), ...headers })
      .send(body);
  const calls = async (route: Route) => (await control.stats()).routes[route].calls;
  const lastRequest = async (route: Route): Promise<LoggedRequest | undefined> =>
    (await control.requests(route)).at(-1);
  /** The agent's current state as CXone's real-time feed shows it. */
  const stateOf = async (agentId: number) => {
    const token = await fetch(`${sandbox.url}/auth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${sandbox.fixtures.incontact.credentials.clientId}:${sandbox.fixtures.incontact.credentials.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: sandbox.fixtures.incontact.credentials.accessKeyId,
        password: sandbox.fixtures.incontact.credentials.accessKeySecret,
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const res = await fetch(`${sandbox.url}/inContactAPI/services/v30.0/agents/states`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const body = (await res.json()) as { agentStates: Record<string, unknown>[] };
    return body.agentStates.find((s) => s.agentId === agentId);
  };

  it('Break with a reason: Unavailable with the team code, the shift check said to be skipped', async () => {
    const res = await put(agents.active, {
      status: 'Break',
      pauseReason: 'Manager Meeting',
    }).expect(200);
    expect(res.body).toEqual({
      userId: String(agents.active),
      status: 'Break',
      pauseReason: 'Manager Meeting',
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      latencyMs: expect.any(Number),
      checks: { shift: 'not-available-in-dialect' },
    });
    const post = await lastRequest('icAgentSetState');
    expect(post?.path).toBe(`/inContactAPI/services/v30.0/agents/${agents.active}/state`);
    expect(post?.query).toEqual({ state: 'Unavailable', outStateId: '34' });
    // The agent record, its team's codes and the real-time states were read first.
    expect(await calls('icAgentGet')).toBe(1);
    expect(await calls('icAgentStates')).toBe(1);
    expect(await calls('icTeamUnavailableCodes')).toBe(1);
    expect(await stateOf(agents.active)).toMatchObject({
      agentStateName: 'Unavailable',
      outStateId: 34,
    });
  });

  it('Busy and Training without a reason take the code of that name; Available, then Offline logs out', async () => {
    await put(agents.supervisor, { status: 'Busy' }).expect(200);
    expect((await lastRequest('icAgentSetState'))?.query).toEqual({
      state: 'Unavailable',
      outStateId: '22',
    });
    const training = await put(agents.supervisor, { status: 'Training' }).expect(200);
    expect(training.body.pauseReason).toBe('Training');
    expect((await lastRequest('icAgentSetState'))?.query).toEqual({
      state: 'Unavailable',
      outStateId: '20',
    });
    const available = await put(agents.supervisor, { status: 'Available' }).expect(200);
    expect(available.body.pauseReason).toBeNull();
    expect((await lastRequest('icAgentSetState'))?.query).toEqual({ state: 'Available' });
    await put(agents.supervisor, { status: 'Offline' }).expect(200);
    expect(await calls('icAgentLogout')).toBe(1);
    expect(await stateOf(agents.supervisor)).toMatchObject({ agentStateName: 'LoggedOut' });
    // The team's codes were read once for the three changes that needed them (cached).
    expect(await calls('icTeamUnavailableCodes')).toBeLessThanOrEqual(1);
  });

  it('an unknown or inactive code is a 400 listing the codes valid for that agent', async () => {
    const sales = sandbox.fixtures.incontact.agentRoster.find(
      (a) => a.teamId === 2_472_302 && a.isActive,
    );
    expect(sales).toBeDefined();
    const id = sales?.agentId ?? 0;
    const unknown = await put(id, { status: 'Break', pauseReason: 'Manager Meeting' }).expect(400);
    expect(unknown.body.errors).toEqual([
      {
        field: 'pauseReason',
        message: `pauseReason Manager Meeting is not an unavailable code of the team of agent ${id}. Valid for this agent: ${SALES_VALID}`,
      },
    ]);
    const inactive = await put(id, { status: 'Break', pauseReason: 'Smoke Break' }).expect(400);
    expect(inactive.body.errors[0].message).toBe(
      `pauseReason Smoke Break is an inactive unavailable code. Valid for this agent: ${SALES_VALID}`,
    );
    expect(await calls('icAgentSetState')).toBe(0);
  });

  it('the agent must exist (404) and be active (403)', async () => {
    const missing = await put(sandbox.fixtures.incontact.agents.unknown, {
      status: 'Available',
    }).expect(404);
    expect(missing.body.detail).toMatch(
      new RegExp(`^Agent ${sandbox.fixtures.incontact.agents.unknown} was not found in CXone`),
    );
    const inactive = await put(agents.inactive, { status: 'Available' }).expect(403);
    expect(inactive.body.detail).toBe(
      `Agent ${agents.inactive} is inactive in CXone: an inactive agent cannot hold a desktop status`,
    );
    expect(inactive.body.rule).toBe('active');
    expect(await calls('icAgentSetState')).toBe(0);
  });

  it('an agent in after-contact work gets 409 (the change respects wrap-up)', async () => {
    const res = await put(agents.acw, { status: 'Break' }).expect(409);
    expect(res.body.rule).toBe('wrapUp');
    expect(res.body.detail).toContain(`Agent ${agents.acw} is in after-contact work`);
    expect(await calls('icAgentSetState')).toBe(0);
  });

  it('refuses what the real API cannot take, naming the field, before any call', async () => {
    const bad = await put('agent-seven', { status: 'Available' }).expect(400);
    expect(bad.body.errors).toEqual([
      {
        field: 'userId',
        message: 'userId must be a CXone agent id (a positive integer) or user id (a UUID)',
      },
    ]);
    const wrap = await put(agents.active, {
      status: 'Available',
      wrapUpCode: 'FU-1',
      forceAvailability: true,
    }).expect(400);
    expect(wrap.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'wrapUpCode',
      'forceAvailability',
    ]);
    const reasonOnAvailable = await put(agents.active, {
      status: 'Available',
      pauseReason: 'Break',
    }).expect(400);
    expect(reasonOnAvailable.body.errors[0]).toEqual({
      field: 'pauseReason',
      message: 'pauseReason goes with Break, Busy or Training only; Available takes none',
    });
    expect(await calls('icAgentGet')).toBe(1);
    expect(await calls('icAgentSetState')).toBe(0);
  });

  it('takes the CXone user id too and writes to the agent id it resolves to', async () => {
    const userId = sandbox.fixtures.users.agent;
    const res = await put(userId, { status: 'Available' }).expect(200);
    expect(res.body.userId).toBe(userId);
    expect((await lastRequest('icAgentSetState'))?.path).toBe(
      `/inContactAPI/services/v30.0/agents/${agents.active}/state`,
    );
  });

  it('idempotency keys, the WFM webhook and the audit work as in v2', async () => {
    const body = { status: 'Break', pauseReason: 'Lunch' };
    const key = { 'idempotency-key': `ic-e2e-${Date.now()}` };
    const first = await put(agents.active, body, key).expect(200);
    const again = await put(agents.active, body, key).expect(200);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await calls('icAgentSetState')).toBe(1);
    const [hook] = await receiver.waitFor(1);
    expect(JSON.parse(hook.body)).toMatchObject({
      event: 'agent_status_updated',
      userId: String(agents.active),
      status: 'Break',
      source: 'cxone_gateway',
    });
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !record; i++) {
      const audit = await request(t.url)
        .get('/v1/audit?action=status.update&limit=1000')
        .set(t.auth());
      record = (audit.body.records as Record<string, unknown>[]).find(
        (r) => r.requestId === first.headers['x-request-id'],
      );
      if (!record) await new Promise((r) => setTimeout(r, 50));
    }
    expect(record).toMatchObject({
      actor: 'tester',
      action: 'status.update',
      targets: { userId: String(agents.active) },
      detail: { status: 'Break', pauseReason: 'Lunch' },
      status: 200,
      outcome: 'success',
    });
  });

  it('documents the checks member in OpenAPI', async () => {
    const doc = await request(t.url).get('/docs-json').expect(200);
    const schema = doc.body.components.schemas.AgentStatusResponseDto;
    expect(schema.properties.checks.description).toContain('not-available-in-dialect');
    expect(schema.required).not.toContain('checks');
  });
});
