import { Injectable } from '@nestjs/common';
import { CxoneClient } from '../../../cxone/cxone.client';
import type { AgentStatusSource } from '../../../status/agent-status.source';
import type { StatusPayload, StatusUser, StatusWriteResult } from '../../../status/status.types';
import { rewordUpstreamError, type UpstreamRewording } from '../../../cxone/upstream-error';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks GET /api/v2/users/{id}: `roles[{name}]`, optional `shiftSchedule{start,end}`. */
export function parseUpstreamUser(data: unknown): StatusUser {
  if (!isRecord(data)) throw new Error('user is not an object');
  const { roles, shiftSchedule } = data;
  if (!Array.isArray(roles)) throw new Error('roles is not an array');
  const names = roles.map((r: unknown) => {
    if (!isRecord(r) || typeof r.name !== 'string') throw new Error('a role has no name');
    return r.name;
  });
  if (shiftSchedule === undefined || shiftSchedule === null) return { roles: names };
  if (!isRecord(shiftSchedule)) throw new Error('shiftSchedule is not an object');
  const { start, end } = shiftSchedule;
  if (typeof start !== 'number' || typeof end !== 'number' || !isFinite(start) || !isFinite(end)) {
    throw new Error('shiftSchedule.start/end are not epoch seconds');
  }
  return { roles: names, shiftSchedule: { start, end } };
}

/** Checks the PUT answer; every field is optional but must have the right type when present. */
export function parseStatusWrite(data: unknown): StatusWriteResult {
  if (data === undefined || data === null || data === '') return {};
  if (!isRecord(data)) throw new Error('status answer is not an object');
  const { status, pauseReason, updatedAt } = data;
  if (status !== undefined && typeof status !== 'string') throw new Error('status is not a string');
  if (pauseReason !== undefined && pauseReason !== null && typeof pauseReason !== 'string') {
    throw new Error('pauseReason is not a string');
  }
  if (updatedAt !== undefined && (typeof updatedAt !== 'string' || isNaN(Date.parse(updatedAt)))) {
    throw new Error('updatedAt is not a date-time');
  }
  return { status, pauseReason, updatedAt };
}

/** Seed-dialect implementation: `/api/v2/users/{userId}` and `/api/v2/users/{userId}/status`. */
@Injectable()
export class V2AgentStatusSource implements AgentStatusSource {
  constructor(private readonly cxone: CxoneClient) {}

  async getUser(userId: string): Promise<StatusUser> {
    try {
      const res = await this.cxone.request(
        {
          operation: 'userGet',
          method: 'GET',
          path: `/api/v2/users/${encodeURIComponent(userId)}`,
        },
        parseUpstreamUser,
      );
      return res.data;
    } catch (err) {
      throw rewordUpstreamError(err, REWORDED, userId);
    }
  }

  async putStatus(
    userId: string,
    payload: StatusPayload,
    options: { idempotent: boolean },
  ): Promise<StatusWriteResult> {
    try {
      const res = await this.cxone.request(
        {
          operation: 'userStatus',
          method: 'PUT',
          path: `/api/v2/users/${encodeURIComponent(userId)}/status`,
          body: payload,
          idempotent: options.idempotent,
        },
        parseStatusWrite,
      );
      return res.data;
    } catch (err) {
      throw rewordUpstreamError(err, REWORDED, userId);
    }
  }
}

const REWORDED: UpstreamRewording = {
  UPSTREAM_NOT_FOUND: (userId) => `User ${userId} was not found in CXone`,
  UPSTREAM_CONFLICT: (userId) =>
    `CXone refused the status change for user ${userId}: wrap-up active or a concurrent status change`,
  UPSTREAM_BAD_REQUEST: (userId) => `CXone rejected the status change for user ${userId}`,
};
