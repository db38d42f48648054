import type { Json } from './sandbox-http.helpers';
import { startIncontactUnderTest, type IncontactUnderTest } from './incontact.helpers';

/** The fields the NICE agent SDK asks `/skills/activity` for, verbatim. */
const SDK_FIELDS =
  'agentsAvailable,agentsUnavailable,agentsLoggedIn,agentsWorking,campaignId,earliestQueueTime,emailFromAddress,inSLA,isActive,isNaturalCalling,isOutbound,mediaTypeId,mediaTypeName,outSLA,personalQueueCount,queueCount,serviceLevel,serviceLevelGoal,skillId,skillName,skillQueueCount';
const EPOCH = '1970-01-01T00:00:00.000Z';

describe('inContact sandbox: real-time skill activity and agent states', () => {
  let sut: IncontactUnderTest;

  beforeAll(async () => {
    sut = await startIncontactUnderTest();
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  const activity = async (query: Record<string, string>, version = '23.0'): Promise<Response> =>
    sut.acd('/skills/activity', query, version);

  it('answers the SDK poll (v23.0, its field list, the epoch) with every skill and only those fields', async () => {
    const response = await activity({ fields: SDK_FIELDS, updatedSince: EPOCH });
    expect(response.status).toBe(200);
    const body: Json = await response.json();
    expect(body.lastPollTime).toBe(new Date(sut.clock.now).toISOString());
    const skills = sut.sandbox.fixtures.incontact.skills;
    expect(body.skillActivity.map((s: Json) => s.skillId)).toEqual(skills.map((s) => s.skillId));
    for (const item of body.skillActivity)
      expect(Object.keys(item).sort()).toEqual(SDK_FIELDS.split(',').sort());
    const retired = body.skillActivity.find(
      (s: Json) => s.skillId === sut.sandbox.fixtures.incontact.inactiveSkill,
    );
    expect(retired.isActive).toBe(false);
  });

  it('merges deltas like the SDK: nothing new is a 204; a changed queue comes back alone, on both surfaces', async () => {
    const first: Json = await (await activity({ updatedSince: EPOCH }, '33.0')).json();
    sut.clock.now += 5000;
    const idle = await activity({ updatedSince: first.lastPollTime }, '33.0');
    expect(idle.status).toBe(204);
    const queue = sut.sandbox.fixtures.queues[1];
    await sut.control.setQueue(queue.id, { waitTime: 42, agentCount: 7, contactsActive: 9 });
    const delta: Json = await (await activity({ updatedSince: first.lastPollTime }, '33.0')).json();
    expect(delta.skillActivity).toHaveLength(1);
    const [item] = delta.skillActivity;
    expect(item).toMatchObject({ skillName: queue.name, agentsAvailable: 7, contactsActive: 9 });
    expect(Date.parse(item.serverTime) - Date.parse(item.earliestQueueTime)).toBe(42_000);
    const again = await activity({ updatedSince: delta.lastPollTime }, '33.0');
    expect(again.status).toBe(204);

    const v2Token: Json = await (
      await fetch(`${sut.sandbox.url}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `grant_type=client_credentials&client_id=${sut.sandbox.fixtures.credentials.clientId}&client_secret=${sut.sandbox.fixtures.credentials.clientSecret}`,
      })
    ).json();
    const v2: Json = await (
      await fetch(
        `${sut.sandbox.url}/api/v2/reporting/queues/stats?granularity=REAL_TIME&queueIds=${queue.id}`,
        { headers: { Authorization: `Bearer ${v2Token.access_token}` } },
      )
    ).json();
    const metric = (name: string) =>
      v2.data[0].metrics.find((m: Json) => m.name === name).values[0].value;
    expect([metric('waitTime'), metric('agentCount'), metric('conversationCount')]).toEqual([
      42, 7, 9,
    ]);
  });

  it('reports a skill switched inactive in the next delta, so clients can drop it', async () => {
    const first: Json = await (await activity({ updatedSince: EPOCH })).json();
    const skill = sut.sandbox.fixtures.incontact.skills[0];
    await sut.control.setQueue(skill.skillId, { isActive: false });
    const delta: Json = await (await activity({ updatedSince: first.lastPollTime })).json();
    expect(delta.skillActivity).toEqual([
      expect.objectContaining({ skillId: skill.skillId, isActive: false }),
    ]);
  });

  it('answers the old Tableau connector (v8.0, a date-only updatedSince) in the string style', async () => {
    const body: Json = await (await activity({ updatedSince: '2017-03-08' }, '8.0')).json();
    expect(body.totalRecords).toBe('5');
    expect(body.skillActivity[0].skillId).toBe(
      String(sut.sandbox.fixtures.incontact.skills[0].skillId),
    );
    expect(['True', 'False']).toContain(body.skillActivity[0].isActive);
  });

  it('treats an empty `fields=` (the old C# sample) as every field', async () => {
    const body: Json = await (await activity({ fields: '', updatedSince: EPOCH }, '11.0')).json();
    expect(Object.keys(body.skillActivity[0])).toContain('agentsACW');
    expect(Object.keys(body.skillActivity[0])).toContain('divisionNo');
  });

  it('filters by mediaTypeId and IsOutbound, and refuses malformed ones naming them', async () => {
    const outbound: Json = await (await activity({ IsOutbound: 'true' }, '30.0')).json();
    expect(outbound.skillActivity.map((s: Json) => s.skillName)).toEqual(['Retention']);
    const email: Json = await (await activity({ mediaTypeId: '1' }, '30.0')).json();
    expect(email.skillActivity.map((s: Json) => s.mediaTypeName)).toEqual(['E-Mail']);
    const bad = await activity({ IsOutbound: 'yes' }, '30.0');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('icstatusdescription')).toContain('IsOutbound');
    expect((await activity({ updatedSince: 'yesterday' })).status).toBe(400);
  });

  it('serves one skill without divisionNo, and 404 for an unknown one', async () => {
    const skill = sut.sandbox.fixtures.incontact.skills[2];
    const body: Json = await (await sut.acd(`/skills/${skill.skillId}/activity`)).json();
    expect(Object.keys(body)).toEqual(['lastPollTime', 'skillActivity']);
    expect(body.skillActivity).toHaveLength(1);
    expect(body.skillActivity[0]).not.toHaveProperty('divisionNo');
    const unknown = sut.sandbox.fixtures.incontact.unknownSkill;
    expect((await sut.acd(`/skills/${unknown}/activity`)).status).toBe(404);
  });

  it('lists agent states the way the Camunda connector counts them (v31.0)', async () => {
    const body: Json = await (await sut.acd('/agents/states', {}, '31.0')).json();
    const { incontact } = sut.sandbox.fixtures;
    expect(body.totalRecords).toBe(incontact.agentRoster.length);
    const available = body.agentStates.filter((a: Json) => a.agentStateName === 'Available');
    expect(available.length).toBeGreaterThan(0);
    const byId = new Map(body.agentStates.map((a: Json) => [a.agentId, a]));
    expect(byId.get(incontact.statusAgents.acw)).toMatchObject({
      isACW: true,
      outStateDescription: 'ACW',
    });
    expect(byId.get(incontact.statusAgents.inactive)).toMatchObject({
      isActive: false,
      agentStateName: 'LoggedOut',
    });
    expect(byId.get(incontact.statusAgents.active)).toMatchObject({
      agentStateName: 'Available',
      isACW: false,
    });
  });

  it("follows the busy agent's simulated history in real time", async () => {
    const busy = sut.sandbox.fixtures.incontact.agents.busy;
    sut.clock.now += 1;
    const since = new Date(sut.clock.now).toISOString();
    const unchanged = await sut.acd('/agents/states', { updatedSince: since });
    expect(unchanged.status).toBe(204);
    sut.clock.now += 60_000;
    const later: Json = await (await sut.acd('/agents/states', { updatedSince: since })).json();
    expect(later.agentStates.map((a: Json) => a.agentId)).toContain(busy);
    const history: Json = await (
      await sut.acd(`/agents/${busy}/state-history`, {
        startDate: since,
        endDate: new Date(sut.clock.now + 1).toISOString(),
      })
    ).json();
    const last = history.agentStateHistory[history.agentStateHistory.length - 1];
    const state = later.agentStates.find((a: Json) => a.agentId === busy);
    expect(state).toMatchObject({ agentStateName: last.agentStateName, startDate: last.startDate });
  });
});
