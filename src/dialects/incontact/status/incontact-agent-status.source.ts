import { Inject, Injectable } from '@nestjs/common';
import { TtlCacheFactory } from '../../../common/cache/app-cache.module';
import type { TtlCache } from '../../../common/cache/ttl-cache';
import { AppError } from '../../../common/errors/app-error';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import { CxoneClient } from '../../../cxone/cxone.client';
import type { UpstreamRequest } from '../../../cxone/cxone.types';
import type { AgentStatusSource } from '../../../status/agent-status.source';
import {
  findPauseReason,
  wantedPauseReason,
  type StatusPayload,
  type StatusRuleSet,
  type StatusUser,
  type StatusWriteResult,
  type UserPauseReason,
} from '../../../status/status.types';
import type { AcdEndpoint } from '../../../config/acd-endpoints';
import { acdRoot, fetchAcdPages } from '../reporting/acd-paging';
import {
  acceptAnyBody,
  parseAgentRecord,
  parseAgentStatesPage,
  parseTeamCodes,
} from './agent-status.parse';
import { rewordUpstreamError, type UpstreamRewording } from '../../../cxone/upstream-error';
import { UUID_TEXT } from '../../../common/validation/uuid';

/** How long a team's unavailable codes are reused (they change when an admin edits them). */
export const TEAM_CODES_TTL_MS = 5 * 60_000;
const STATES_PAGE_SIZE = 1000;
const STATES_MAX_PAGES = 100;

/** An ACD agent id, or a UserHub user id (`GET /agents/{id}` takes either). */
const AGENT_OR_USER_ID = new RegExp(`^(?:[1-9]\\d{0,14}|${UUID_TEXT})$`, 'i');

/**
 * Agent status over the real CXone API. The checks: the agent exists (`GET /agents/{id}`, 404)
 * and is active (403); a pause reason is an active unavailable code of the agent's team
 * (`GET /teams/{teamId}/unavailable-codes`, cached; 400 listing them); the agent is not in
 * after-contact work (`isACW` on `GET /agents/states`, 409). CXone has no schedule to check a
 * shift against: that check is skipped and the answer says so. The write: `POST
 * /agents/{agentId}/state?state=Available`, `…?state=Unavailable&outStateId=` for Break, Busy
 * and Training, `POST /agents/{agentId}/logout` for Offline.
 */
@Injectable()
export class IncontactAgentStatusSource implements AgentStatusSource {
  readonly rules: StatusRuleSet = {
    pauseReasons: 'user',
    checks: ['active', 'pauseReason', 'wrapUp'],
    skipped: ['shift'],
    unsupportedFields: ['wrapUpCode', 'forceAvailability'],
  };
  private readonly codes: TtlCache<UserPauseReason[]>;

  constructor(
    private readonly cxone: CxoneClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    caches: TtlCacheFactory,
  ) {
    this.codes = caches.create<UserPauseReason[]>({
      name: 'incontactTeamCodes',
      ttlMs: TEAM_CODES_TTL_MS,
      codec: { encode: JSON.stringify, decode: decodeCodes },
    });
  }

  async getUser(userId: string, payload?: StatusPayload): Promise<StatusUser> {
    if (!AGENT_OR_USER_ID.test(userId)) {
      throw AppError.field(
        'userId',
        'userId must be a CXone agent id (a positive integer) or user id (a UUID)',
      );
    }
    const agent = await this.call(
      userId,
      this.get('agents', `/agents/${encodeURIComponent(userId)}`),
      (b) => parseAgentRecord(b),
    );
    if (!agent) throw notFound(userId);
    const user: StatusUser = { roles: [], upstreamId: agent.agentId, active: agent.isActive };
    // An inactive agent is refused whatever else holds: nothing more to ask CXone.
    if (!agent.isActive) return user;
    const needsCodes = payload === undefined || wantedPauseReason(payload) !== undefined;
    const [pauseReasons, inWrapUp] = await Promise.all([
      needsCodes ? this.teamCodes(agent.teamId) : Promise.resolve(undefined),
      this.inWrapUp(agent.agentId),
    ]);
    return { ...user, inWrapUp, ...(pauseReasons ? { pauseReasons } : {}) };
  }

  async putStatus(
    userId: string,
    payload: StatusPayload,
    options: { idempotent: boolean; user?: StatusUser },
  ): Promise<StatusWriteResult> {
    const agentId = encodeURIComponent(options.user?.upstreamId ?? userId);
    const write = (
      endpoint: 'agents/logout' | 'agents/state',
      query?: UpstreamRequest['query'],
    ): UpstreamRequest => ({
      operation: 'userStatus',
      method: 'POST',
      path: `${this.root(endpoint)}/agents/${agentId}/${endpoint.slice('agents/'.length)}`,
      query,
      idempotent: options.idempotent,
    });
    if (payload.status === 'Offline') {
      await this.call(userId, write('agents/logout'), acceptAnyBody);
      return { status: payload.status, pauseReason: null };
    }
    const wanted = wantedPauseReason(payload);
    if (wanted === undefined) {
      await this.call(userId, write('agents/state', { state: 'Available' }), acceptAnyBody);
      return { status: payload.status, pauseReason: null };
    }
    // The rules checked the reason against these very codes before the write.
    const code = findPauseReason(options.user?.pauseReasons ?? [], wanted);
    if (!code?.active) throw AppError.field('pauseReason', `no active unavailable code ${wanted}`);
    const query = { state: 'Unavailable', outStateId: code.id };
    await this.call(userId, write('agents/state', query), acceptAnyBody);
    return { status: payload.status, pauseReason: code.name };
  }

  /** The codes valid for the agent's team; an agent without a (known) team has none. */
  private async teamCodes(teamId: string | null): Promise<UserPauseReason[]> {
    if (teamId === null) return [];
    const path = `/teams/${encodeURIComponent(teamId)}/unavailable-codes`;
    const { value } = await this.codes.get(teamId, async () => {
      try {
        return (await this.cxone.request(this.get('teams/unavailable-codes', path), parseTeamCodes))
          .data;
      } catch (err) {
        if (err instanceof AppError && err.code === 'UPSTREAM_NOT_FOUND') return [];
        throw err;
      }
    });
    return value;
  }

  /** Whether the agent's current state is after-contact work; an agent not listed is not. */
  private async inWrapUp(agentId: string): Promise<boolean> {
    const { rows } = await fetchAcdPages({
      client: this.cxone,
      request: this.get('agents/states', '/agents/states'),
      pageSize: STATES_PAGE_SIZE,
      parse: parseAgentStatesPage,
      maxPages: STATES_MAX_PAGES,
    });
    return rows.some((r) => r.agentId === agentId && r.isAcw);
  }

  private get(endpoint: AcdEndpoint, path: string): UpstreamRequest {
    return { operation: 'userGet', method: 'GET', path: `${this.root(endpoint)}${path}` };
  }

  private async call<T>(
    userId: string,
    request: UpstreamRequest,
    parse: (body: unknown) => T,
  ): Promise<T> {
    try {
      return (await this.cxone.request(request, parse)).data;
    } catch (err) {
      throw rewordUpstreamError(err, REWORDED, userId);
    }
  }

  private root(endpoint: AcdEndpoint): string {
    return acdRoot(this.config.cxone.incontact, endpoint);
  }
}

function notFound(userId: string): AppError {
  return new AppError('UPSTREAM_NOT_FOUND', `Agent ${userId} was not found in CXone`);
}

function decodeCodes(text: string): UserPauseReason[] {
  const value = JSON.parse(text) as unknown;
  if (!Array.isArray(value)) throw new Error('cached team codes are not a list');
  return value.map((c: unknown) => {
    const { id, name, active } = (c ?? {}) as Partial<UserPauseReason>;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof active !== 'boolean') {
      throw new Error('a cached team code is malformed');
    }
    return { id, name, active };
  });
}

const REWORDED: UpstreamRewording = {
  UPSTREAM_NOT_FOUND: (userId) => `Agent ${userId} was not found in CXone`,
  UPSTREAM_CONFLICT: (userId) =>
    `CXone refused the state change for agent ${userId}: not logged in, or a concurrent change`,
  UPSTREAM_BAD_REQUEST: (userId) => `CXone rejected the state change for agent ${userId}`,
};
