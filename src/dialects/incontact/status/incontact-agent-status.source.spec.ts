import type { TtlCacheFactory } from '../../../common/cache/app-cache.module';
import { TtlCache, type TtlCacheSpec } from '../../../common/cache/ttl-cache';
import { FakeClock } from '../../../common/clock/fake-clock.fake';
import { AppError } from '../../../common/errors/app-error';
import { parseConfig } from '../../../config/app-config';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import { buildStatusPayload } from '../../../status/status-rules';
import type { StatusChangeRequest } from '../../../status/status.types';
import { FakeAcdClient, queryOf } from '../reporting/acd-client.fake';
import { IncontactAgentStatusSource, TEAM_CODES_TTL_MS } from './incontact-agent-status.source';

const ROOT = '/inContactAPI/services/v30.0';
const USER_UUID = 'e0000000-0000-4000-8000-000000000001';

/** A small business unit: agent 1000101 (Support), 1000105 in ACW, 1000107 inactive. */
const AGENTS: Record<string, Record<string, unknown>> = {
  '1000101': { agentId: 1000101, userID: USER_UUID, isActive: true, teamId: 2472301 },
  [USER_UUID]: { agentId: 1000101, userID: USER_UUID, isActive: true, teamId: 2472301 },
  // The v21 style: every value a string, booleans in Python case.
  '1000105': { agentId: '1000105', isActive: 'True', teamId: '2472301' },
  '1000107': { agentId: 1000107, isActive: false, teamId: 2472302 },
};
const SUPPORT_CODES = {
  teamId: 2472301,
  teamName: 'Support',
  unavailableCodes: [
    { outstateId: 17, outstateName: 'Break', isActive: true, isAcw: false, agentTimeoutMins: '0' },
    { outstateId: 22, outstateName: 'Busy', isActive: true, isAcw: false },
    { outstateId: 34, outstateName: 'Manager Meeting', isActive: true, isAcw: false },
    { outstateId: 90, outstateName: 'Smoke Break', isActive: false, isAcw: false },
  ],
};

function upstream(req: UpstreamRequest): unknown {
  const path = req.path.replace(ROOT, '');
  const agent = /^\/agents\/([^/]+)$/.exec(path);
  if (agent && agent[1] !== 'states') {
    const record = AGENTS[decodeURIComponent(agent[1])];
    if (!record) throw new AppError('UPSTREAM_NOT_FOUND', 'CXone answered 404');
    return { agents: [record] };
  }
  if (path === '/agents/states') {
    return {
      totalRecords: 2,
      _links: { next: null },
      agentStates: [
        { agentId: 1000101, agentStateName: 'Available', isACW: false },
        { agentId: '1000105', agentStateName: 'Unavailable', outStateId: 58, isAcw: 'True' },
      ],
    };
  }
  if (path === '/teams/2472301/unavailable-codes') return SUPPORT_CODES;
  if (path.endsWith('/state') || path.endsWith('/logout')) return undefined;
  throw new Error(`unexpected ${req.method} ${req.path}`);
}

function setup() {
  const clock = new FakeClock();
  const client = new FakeAcdClient(upstream);
  const caches = {
    create: <T>(spec: TtlCacheSpec<T>) => new TtlCache<T>(spec, clock, undefined),
  } as unknown as TtlCacheFactory;
  const sut = new IncontactAgentStatusSource(client.asClient(), parseConfig({}), caches);
  const paths = () => client.requests.map((r) => `${r.method} ${r.path.replace(ROOT, '')}`);
  /** getUser then putStatus, as the service runs them. */
  const change = async (userId: string, req: StatusChangeRequest, idempotent = false) => {
    const payload = buildStatusPayload(req);
    const user = await sut.getUser(userId, payload);
    return { user, written: await sut.putStatus(userId, payload, { idempotent, user }) };
  };
  return { clock, client, sut, paths, change };
}

describe('IncontactAgentStatusSource', () => {
  it('declares its checks: active, team pause reasons, wrap-up; the shift is skipped', () => {
    expect(setup().sut.rules).toEqual({
      pauseReasons: 'user',
      checks: ['active', 'pauseReason', 'wrapUp'],
      skipped: ['shift'],
      unsupportedFields: ['wrapUpCode', 'forceAvailability'],
    });
  });

  it('Break with a reason: agent, team codes and states, then Unavailable with its outStateId', async () => {
    const { client, paths, change } = setup();
    const { user, written } = await change(
      '1000101',
      {
        status: 'Break',
        pauseReason: 'Manager Meeting',
      },
      true,
    );
    expect(user).toMatchObject({ upstreamId: '1000101', active: true, inWrapUp: false });
    expect(user.pauseReasons).toContainEqual({ id: '90', name: 'Smoke Break', active: false });
    expect(paths().slice(0, 1)).toEqual(['GET /agents/1000101']);
    expect(paths().slice(1, 3).sort()).toEqual([
      'GET /agents/states',
      'GET /teams/2472301/unavailable-codes',
    ]);
    const post = client.requests[3];
    expect(`${post.method} ${post.path.replace(ROOT, '')}`).toBe('POST /agents/1000101/state');
    expect(queryOf(post).toString()).toBe('state=Unavailable&outStateId=34');
    expect(post.body).toBeUndefined();
    expect(post.idempotent).toBe(true);
    expect(written).toEqual({ status: 'Break', pauseReason: 'Manager Meeting' });
  });

  it('Busy and Training without a reason use the team code named like the status', async () => {
    const { client, change } = setup();
    const { written } = await change('1000101', { status: 'Busy' });
    expect(queryOf(client.requests.at(-1) as UpstreamRequest).get('outStateId')).toBe('22');
    expect(written.pauseReason).toBe('Busy');
    // Matching is exact first, then ignoring case and blanks.
    await change('1000101', { status: 'Break', pauseReason: ' break ' });
    expect(queryOf(client.requests.at(-1) as UpstreamRequest).get('outStateId')).toBe('17');
  });

  it('Available and Offline need no codes: state=Available, and the logout call', async () => {
    const { paths, client, change } = setup();
    expect((await change('1000101', { status: 'Available' })).written).toEqual({
      status: 'Available',
      pauseReason: null,
    });
    expect(paths()).toEqual([
      'GET /agents/1000101',
      'GET /agents/states',
      'POST /agents/1000101/state',
    ]);
    expect(queryOf(client.requests[2]).toString()).toBe('state=Available');
    await change('1000101', { status: 'Offline' });
    expect(paths().at(-1)).toBe('POST /agents/1000101/logout');
    expect(client.requests.at(-1)?.query).toBeUndefined();
  });

  it('takes a CXone user id too, and writes to the agent id it resolves to', async () => {
    const { paths, change } = setup();
    await change(USER_UUID, { status: 'Available' });
    expect(paths()[0]).toBe(`GET /agents/${USER_UUID}`);
    expect(paths().at(-1)).toBe('POST /agents/1000101/state');
  });

  it('reads the v21 style: string ids and "True" for the ACW flag', async () => {
    const { sut } = setup();
    const user = await sut.getUser('1000105', buildStatusPayload({ status: 'Available' }));
    expect(user).toMatchObject({ upstreamId: '1000105', active: true, inWrapUp: true });
  });

  it('asks nothing more about an inactive agent', async () => {
    const { sut, paths } = setup();
    const user = await sut.getUser('1000107', buildStatusPayload({ status: 'Break' }));
    expect(user).toEqual({ roles: [], upstreamId: '1000107', active: false });
    expect(paths()).toEqual(['GET /agents/1000107']);
  });

  it('an unknown agent is a 404 naming it; an id of the wrong shape a 400 before any call', async () => {
    const { sut, client } = setup();
    const missing = await sut.getUser('1000255').catch((e: unknown) => e as AppError);
    expect(missing).toMatchObject({
      code: 'UPSTREAM_NOT_FOUND',
      message: 'Agent 1000255 was not found in CXone',
    });
    const calls = client.requests.length;
    const bad = await sut.getUser('agent-7').catch((e: unknown) => e as AppError);
    expect(bad).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((bad as AppError).errors?.[0].field).toBe('userId');
    expect(client.requests.length).toBe(calls);
  });

  it('caches a team’s codes on the clock for TEAM_CODES_TTL_MS', async () => {
    const { clock, paths, sut } = setup();
    const payload = buildStatusPayload({ status: 'Break' });
    const codeCalls = () => paths().filter((p) => p.endsWith('/unavailable-codes')).length;
    await sut.getUser('1000101', payload);
    await sut.getUser('1000101', payload);
    expect(codeCalls()).toBe(1);
    clock.set(clock.now() + TEAM_CODES_TTL_MS - 1);
    await sut.getUser('1000101', payload);
    expect(codeCalls()).toBe(1);
    clock.set(clock.now() + 1);
    await sut.getUser('1000101', payload);
    expect(codeCalls()).toBe(2);
  });

  it('reads the alternate code field names clients hedge for', async () => {
    const client = new FakeAcdClient((req) =>
      req.path.endsWith('/unavailable-codes')
        ? {
            resultSet: {
              unavailableCodes: [
                { unavailableCodeId: '31', unavailableCode: 'IT Issue', isActive: 'True' },
              ],
            },
          }
        : upstream(req),
    );
    const caches = {
      create: <T>(spec: TtlCacheSpec<T>) => new TtlCache<T>(spec, new FakeClock(), undefined),
    } as unknown as TtlCacheFactory;
    const sut = new IncontactAgentStatusSource(client.asClient(), parseConfig({}), caches);
    const user = await sut.getUser('1000101', buildStatusPayload({ status: 'Break' }));
    expect(user.pauseReasons).toEqual([{ id: '31', name: 'IT Issue', active: true }]);
  });
});
