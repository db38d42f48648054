import type { StatusPayload, StatusRuleSet, StatusUser, StatusWriteResult } from './status.types';

/**
 * The upstream capability the status feature needs, independent of the CXone API dialect (the
 * seeds' `/api/v2` and the real inContactAPI). Implementations throw AppError only; a missing
 * user is UPSTREAM_NOT_FOUND, a refused change UPSTREAM_CONFLICT.
 */
export interface AgentStatusSource {
  /** The checks this dialect can make; absent = V2_STATUS_RULES (role and shift). */
  readonly rules?: StatusRuleSet;
  /** `payload`: the change about to be made, so a dialect fetches only what its checks need. */
  getUser(userId: string, payload?: StatusPayload): Promise<StatusUser>;
  /**
   * `idempotent`: the write may be retried on 5xx/429 (the caller sent an Idempotency-Key);
   * `user`: what getUser returned for this change.
   */
  putStatus(
    userId: string,
    payload: StatusPayload,
    options: { idempotent: boolean; user?: StatusUser },
  ): Promise<StatusWriteResult>;
}

export const AGENT_STATUS_SOURCE = Symbol('AGENT_STATUS_SOURCE');
