import { durationSeconds } from '../../src/sandbox/incontact/values';
import type { Json } from './sandbox-http.helpers';
import {
  DAY_MS,
  MAY_1,
  MAY_2,
  startIncontactUnderTest,
  type IncontactUnderTest,
} from './incontact.helpers';

const window = { startDate: MAY_1, endDate: MAY_2 };
const sum = (rows: Json[], key: string): number => rows.reduce((s, r) => s + Number(r[key]), 0);

describe('inContact sandbox: historical summaries over the one world', () => {
  let sut: IncontactUnderTest;

  beforeAll(async () => {
    sut = await startIncontactUnderTest();
  });
  afterAll(() => sut.sandbox.close());
  beforeEach(() => sut.reset());

  it('answers the tap (v21.0) with every value a string and durations as integer seconds', async () => {
    const response = await sut.acd('/skills/summary', window, '21.0');
    expect(response.status).toBe(200);
    const { skillSummaries }: Json = await response.json();
    expect(skillSummaries.map((s: Json) => s.skillName)).toEqual(
      sut.sandbox.fixtures.queues.map((q) => q.name),
    );
    for (const row of skillSummaries) {
      for (const value of Object.values(row)) expect(typeof value).toBe('string');
      expect(row.averageHandleTime).toMatch(/^\d+$/);
      expect(['True', 'False']).toContain(row.isOutbound);
      expect(Number(row.contactsOffered)).toBe(
        Number(row.contactsHandled) + Number(row.abandonCount),
      );
    }
    expect(skillSummaries.find((s: Json) => s.skillName === 'Retention').isOutbound).toBe('True');
  });

  it('answers newer versions typed, durations still strings, and ISO-8601 when switched', async () => {
    const typed: Json = await (await sut.acd('/skills/summary', window)).json();
    expect(typeof typed.skillSummaries[0].contactsHandled).toBe('number');
    expect(typeof typed.skillSummaries[0].averageHandleTime).toBe('string');
    await sut.control.setQuirks({ summaryDurations: 'iso' });
    const iso: Json = await (await sut.acd('/skills/summary', window)).json();
    expect(iso.skillSummaries[0].averageHandleTime).toMatch(/^PT/);
    expect(durationSeconds(iso.skillSummaries[0].averageHandleTime)).toBeCloseTo(
      Number(typed.skillSummaries[0].averageHandleTime),
      -1,
    );
  });

  it('pages the SLA summary like the tap (follow _links.next), with the skill summary’s counts', async () => {
    await sut.control.setQuirks({ pageCap: 3 });
    const rows: Json[] = [];
    let response = await sut.acd('/skills/sla-summary', window, '21.0');
    for (;;) {
      const body: Json = await response.json();
      rows.push(...body.serviceLevelSummaries);
      if (!body._links.next) break;
      response = await sut.follow(body._links.next);
    }
    expect(rows).toHaveLength(4);
    const skills: Json = await (await sut.acd('/skills/summary', window)).json();
    for (const row of rows) {
      const skill = skills.skillSummaries.find((s: Json) => String(s.skillId) === row.skillId);
      expect(Number(row.contactsWithinSLA)).toBe(skill.contactsWithinSLA);
      expect(Number(row.totalContacts)).toBe(skill.contactsWithinSLA + skill.contactsOutOfSLA);
    }
    await sut.control.setQuirks({ keyCase: 'pascal-sla', pageCap: 1000 });
    const pascal: Json = await (await sut.acd('/skills/sla-summary', window)).json();
    expect(pascal.ServiceLevelSummaries[0]).toHaveProperty('ContactsWithinSLA');
    const camel: Json = await (await sut.acd('/skills/summary', window)).json();
    expect(camel.skillSummaries[0]).toHaveProperty('contactsWithinSLA');
  });

  it('keeps agents, teams and skills consistent: the same contacts seen three ways', async () => {
    const agents: Json = await (await sut.acd('/agents/performance', window)).json();
    const teams: Json = await (await sut.acd('/teams/performance-total', window, '21.0')).json();
    const skills: Json = await (await sut.acd('/skills/summary', window)).json();
    const handled = sum(agents.agentPerformance, 'totalHandled');
    expect(handled).toBe(sum(skills.skillSummaries, 'contactsHandled'));
    expect(sum(teams.teamPerformanceTotal, 'totalHandled')).toBe(handled);
    for (const team of teams.teamPerformanceTotal) {
      const members = agents.agentPerformance.filter((a: Json) => String(a.teamId) === team.teamId);
      expect(Number(team.agentOffered)).toBe(sum(members, 'agentOffered'));
      const login = members.reduce((s: number, a: Json) => s + durationSeconds(a.loginTime), 0);
      expect(durationSeconds(team.loginTime)).toBeCloseTo(login, 3);
    }
    for (const agent of agents.agentPerformance) {
      expect(durationSeconds(agent.loginTime)).toBeLessThan(86_400);
      expect(agent.totalHandled).toBe(agent.inboundHandled + agent.outboundHandled);
    }
  });

  it('types inboundTime and consultTime as numbers on the single-agent form only (v23.0, the SDK)', async () => {
    const busy = sut.sandbox.fixtures.incontact.agents.busy;
    const one: Json = await (await sut.acd(`/agents/${busy}/performance`, window, '23.0')).json();
    expect(one).toMatchObject({ businessUnitId: 4599570, lastPollTime: expect.any(String) });
    const [row] = one.agentPerformance;
    expect(typeof row.inboundTime).toBe('number');
    expect(row.consultTime).toBe(0);
    const all: Json = await (await sut.acd('/agents/performance', window, '23.0')).json();
    const listed = all.agentPerformance.find((a: Json) => a.agentId === busy);
    expect(durationSeconds(listed.inboundTime)).toBeCloseTo(row.inboundTime, 3);
    expect(typeof listed.consultTime).toBe('string');
  });

  it('serves one skill, one team, and 404s for unknown ones', async () => {
    const [skill] = sut.sandbox.fixtures.incontact.skills;
    const one: Json = await (await sut.acd(`/skills/${skill.skillId}/summary`, window)).json();
    expect(one.skillSummaries).toHaveLength(1);
    const team = sut.sandbox.fixtures.incontact.teams[1];
    const teamRow: Json = await (
      await sut.acd(`/teams/${team.teamId}/performance-total`, window, '27.0')
    ).json();
    expect(teamRow.teamPerformanceTotal.map((t: Json) => t.teamId)).toEqual([team.teamId]);
    const { unknownSkill, unknownTeam, agents } = sut.sandbox.fixtures.incontact;
    expect((await sut.acd(`/skills/${unknownSkill}/summary`, window)).status).toBe(404);
    expect((await sut.acd(`/teams/${unknownTeam}/performance-total`, window)).status).toBe(404);
    expect((await sut.acd(`/agents/${agents.unknown}/performance`, window)).status).toBe(404);
  });

  it('answers a window without matching rows 204, and refuses bad windows naming the field', async () => {
    expect((await sut.acd('/skills/summary', { ...window, mediaTypeId: 9 })).status).toBe(204);
    const noStart = await sut.acd('/agents/performance', { endDate: MAY_2 });
    expect(noStart.status).toBe(400);
    expect(noStart.headers.get('icstatusdescription')).toContain('startDate');
    const tooLong = await sut.acd('/teams/performance-total', {
      startDate: '2023-01-01T00:00:00.000Z',
      endDate: '2024-06-01T00:00:00.000Z',
    });
    expect(tooLong.status).toBe(400);
  });

  it('gives the ground truth a client must reach by rolling up one call per day (channel × date)', async () => {
    const days = 5;
    const start = Date.parse(MAY_1);
    const rolled = new Map<
      string,
      { handled: number; offered: number; abandoned: number; handle: number }
    >();
    for (let d = 0; d < days; d += 1) {
      const body: Json = await (
        await sut.acd('/skills/summary', {
          startDate: new Date(start + d * DAY_MS).toISOString(),
          endDate: new Date(start + (d + 1) * DAY_MS).toISOString(),
        })
      ).json();
      const date = new Date(start + d * DAY_MS).toISOString().slice(0, 10);
      for (const row of body.skillSummaries) {
        const key = `${row.mediaTypeName}|${date}`;
        const acc = rolled.get(key) ?? { handled: 0, offered: 0, abandoned: 0, handle: 0 };
        acc.handled += row.contactsHandled;
        acc.offered += row.contactsOffered;
        acc.abandoned += row.abandonCount;
        acc.handle += durationSeconds(row.averageHandleTime) * row.contactsHandled;
        rolled.set(key, acc);
      }
    }
    const q = new URLSearchParams({
      startDate: MAY_1,
      endDate: new Date(start + days * DAY_MS).toISOString(),
      dimensions: 'channel,date',
    });
    const truth: Json = await (
      await fetch(`${sut.sandbox.url}/_sandbox/truth/summaries?${q.toString()}`)
    ).json();
    expect(truth).toMatchObject({ family: 'skills', upstreamCalls: days });
    expect(truth.groups).toHaveLength(rolled.size);
    for (const group of truth.groups) {
      const acc = rolled.get(`${group.key.channel}|${group.key.date}`);
      if (!acc) throw new Error(`no rolled-up row for ${JSON.stringify(group.key)}`);
      expect(group.metrics.contacts_handled).toBe(acc.handled);
      expect(group.metrics.abandon_rate).toBeCloseTo((acc.abandoned / acc.offered) * 100, 9);
      expect(group.metrics.handle_time).toBeCloseTo(acc.handle / acc.handled, 9);
    }
  });

  it('refuses a truth query mixing dimensions no single summary answers', async () => {
    const q = new URLSearchParams({ ...window, dimensions: 'agent,channel' });
    const response = await fetch(`${sut.sandbox.url}/_sandbox/truth/summaries?${q.toString()}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as Json).message).toContain('cannot be combined');
  });
});
