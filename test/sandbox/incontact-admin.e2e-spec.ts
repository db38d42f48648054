import type { Json } from './sandbox-http.helpers';
import { startIncontactUnderTest, type IncontactUnderTest } from './incontact.helpers';

describe('inContact sandbox: agents, unavailable codes, state changes and user lookup', () => {
  let sut: IncontactUnderTest;
  let S: { active: number; supervisor: number; acw: number; inactive: number };
  const [SUPPORT, SALES] = [2472301, 2472302];

  beforeAll(async () => {
    sut = await startIncontactUnderTest();
    S = sut.sandbox.fixtures.incontact.statusAgents;
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  const post = async (path: string, body?: unknown, version = '30.0'): Promise<Response> =>
    fetch(`${sut.sandbox.url}/inContactAPI/services/v${version}${path}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await sut.token()}`,
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const stateOf = async (agentId: number): Promise<Json> => {
    const body: Json = await (await sut.acd('/agents/states')).json();
    return body.agentStates.find((a: Json) => a.agentId === agentId);
  };

  it('returns an agent by ACD id or by user id, always as an array, with the team and the flags', async () => {
    const byId: Json = await (await sut.acd(`/agents/${S.active}`, {}, '34.0')).json();
    expect(byId.agents).toHaveLength(1);
    const [agent] = byId.agents;
    expect(agent).toMatchObject({
      agentId: S.active,
      isActive: true,
      teamId: SUPPORT,
      teamName: 'Support',
    });
    expect(agent.userID).toBe(sut.sandbox.fixtures.users.agent);
    const byUser: Json = await (await sut.acd(`/agents/${agent.userID}`)).json();
    expect(byUser.agents[0].agentId).toBe(S.active);
    const inactive: Json = await (await sut.acd(`/agents/${S.inactive}`)).json();
    expect(inactive.agents[0]).toMatchObject({ isActive: false, teamId: SALES });
    const supervisor: Json = await (await sut.acd(`/agents/${S.supervisor}`)).json();
    expect(supervisor.agents[0].isSupervisor).toBe(true);
    expect((await sut.acd('/agents/1000255')).status).toBe(404);
  });

  it('lists a team’s codes under the team-list names (timeout as a string), active ones on request', async () => {
    const sales: Json = await (
      await sut.acd(`/teams/${SALES}/unavailable-codes`, {}, '23.0')
    ).json();
    expect(sales).toMatchObject({ teamId: SALES, teamName: 'Sales', divisionNo: 0 });
    expect(sales.unavailableCodes.length).toBeGreaterThan(3);
    expect(sales.unavailableCodes[0]).toEqual({
      outstateId: 17,
      outstateName: 'Break',
      isActive: true,
      isAcw: false,
      agentTimeoutMins: '0',
    });
    expect(sales.unavailableCodes.some((c: Json) => !c.isActive)).toBe(true);
    const active: Json = await (
      await sut.acd(`/teams/${SALES}/unavailable-codes`, { activeOnly: 'true' })
    ).json();
    expect(active.unavailableCodes.every((c: Json) => c.isActive)).toBe(true);
    expect(active.unavailableCodes.find((c: Json) => c.isAcw)?.outstateName).toBe('ACW');
    expect((await sut.acd('/teams/2472399/unavailable-codes')).status).toBe(404);
  });

  it('pages the business unit’s codes like admin lists (50 by default) under the spec names', async () => {
    const body: Json = await (await sut.acd('/unavailable-codes', { top: 5 })).json();
    expect(body.totalRecords).toBe(13);
    expect(body.unavailableCodes[0]).toEqual({
      id: 17,
      name: 'Break',
      isActive: true,
      isACW: false,
      agentTimeout: 0,
    });
    expect(body._links.next).toContain('skip=5');
    const inactive: Json = await (
      await sut.acd('/unavailable-codes', { isActive: 'false' })
    ).json();
    expect(inactive.unavailableCodes.map((c: Json) => c.name)).toEqual(['Smoke Break']);
    await sut.control.setQuirks({ codeFieldNames: 'alternate' });
    const alt: Json = await (await sut.acd('/unavailable-codes', { top: 1 })).json();
    expect(alt.unavailableCodes[0]).toEqual({
      unavailableCodeId: 17,
      unavailableCode: 'Break',
      isActive: true,
      isAcw: false,
      agentTimeout: 0,
    });
    const team: Json = await (await sut.acd(`/teams/${SUPPORT}/unavailable-codes`)).json();
    expect(team.unavailableCodes[0]).toMatchObject({
      outStateId: 17,
      outStateName: 'Break',
      agentTimeoutMins: 0,
    });
  });

  it('sets a state from the query (the spec) and from a JSON body (the v12 QA suite)', async () => {
    const unavailable = await post(`/agents/${S.active}/state?state=Unavailable&outStateId=34`);
    expect(unavailable.status).toBe(200);
    expect(await stateOf(S.active)).toMatchObject({
      agentStateName: 'Unavailable',
      outStateId: 34,
      outStateDescription: 'Manager Meeting',
      lastUpdateTime: new Date(sut.clock.now).toISOString(),
    });
    const viaBody = await post(
      `/agents/${S.active}/state`,
      { state: 'Available', outStateId: '' },
      '12.0',
    );
    expect(viaBody.status).toBe(200);
    expect((await stateOf(S.active)).agentStateName).toBe('Available');
  });

  it.each([
    ['a state that is not Available or Unavailable', '?state=Break', 400, 'state'],
    ['a code of another team', '?state=Unavailable&outStateId=31', 400, 'outStateId 31'],
    ['an inactive code', '?state=Unavailable&outStateId=90', 400, 'outStateId 90'],
  ])('refuses %s, naming it', async (_, query, status, name) => {
    const agent = name === 'state' ? S.active : 1000104; // a Sales agent for the code cases
    const response = await post(`/agents/${agent}/state${query}`);
    expect(response.status).toBe(status);
    expect(response.headers.get('icstatusdescription')).toContain(name);
  });

  it('refuses an inactive or unknown agent, and a logged-out one when switched', async () => {
    expect((await post(`/agents/${S.inactive}/state?state=Available`)).status).toBe(409);
    expect((await post('/agents/1000255/state?state=Available')).status).toBe(404);
    expect((await post(`/agents/${S.active}/logout`)).status).toBe(202);
    expect((await stateOf(S.active)).agentStateName).toBe('LoggedOut');
    await sut.control.setQuirks({ stateChangeLoggedOut: 'reject', stateChangeStatus: 204 });
    expect((await post(`/agents/${S.active}/state?state=Available`)).status).toBe(409);
    const ok = await post(`/agents/${S.supervisor}/state?state=Available`);
    expect(ok.status).toBe(204);
    expect(await ok.text()).toBe('');
  });

  it('shows the ACW fixture in after-call work until someone changes its state', async () => {
    expect(await stateOf(S.acw)).toMatchObject({ isACW: true, outStateId: 58 });
    await post(`/agents/${S.acw}/state?state=Available`);
    expect((await stateOf(S.acw)).isACW).toBe(false);
    await sut.reset();
    expect((await stateOf(S.acw)).isACW).toBe(true);
  });

  it('looks users up on the user-management API by UserHub id, with the ACD login id', async () => {
    const token = await sut.token();
    const get = (id: string) =>
      fetch(`${sut.sandbox.url}/user-management/v3/users/${id}`, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
      });
    const response = await get(sut.sandbox.fixtures.users.wrapUp);
    expect(response.status).toBe(200);
    const { user }: Json = await response.json();
    expect(user).toMatchObject({
      id: sut.sandbox.fixtures.users.wrapUp,
      status: 'ACTIVE',
      acdInfos: [{ loginId: String(S.acw) }],
      teamId: sut.sandbox.fixtures.incontact.teams[0].teamUuid,
    });
    const missing = await get('00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      status: 404,
      error: 'Not Found',
      path: expect.any(String),
    });
    const anonymous = await fetch(`${sut.sandbox.url}/user-management/v3/users/${user.id}`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as Json).error).toBe('Unauthorized');
  });
});
