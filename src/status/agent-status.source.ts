import type { StatusPayload, StatusUser, StatusWriteResult } from './status.types';

/**
 * The upstream capability the status feature needs, independent of the CXone API dialect (the
 * seeds' `/api/v2` today; inContactAPI later). Implementations throw AppError only; a missing
 * user is UPSTREAM_NOT_FOUND, a refused change UPSTREAM_CONFLICT.
 */
export interface AgentStatusSource {
  getUser(userId: string): Promise<StatusUser>;
  /** `idempotent`: the write may be retried on 5xx/429 (the caller sent an Idempotency-Key). */
  putStatus(
    userId: string,
    payload: StatusPayload,
    options: { idempotent: boolean },
  ): Promise<StatusWriteResult>;
}

export const AGENT_STATUS_SOURCE = Symbol('AGENT_STATUS_SOURCE');
