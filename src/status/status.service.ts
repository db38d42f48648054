import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { AGENT_STATUS_SOURCE, type AgentStatusSource } from './agent-status.source';
import {
  StatusIdempotency,
  fingerprintOf,
  parseIdempotencyKey,
  type IdempotentOutcome,
} from './status-idempotency.service';
import {
  assertUserRules,
  buildStatusPayload,
  requestViolations,
  skippedChecks,
} from './status-rules';
import {
  V2_STATUS_RULES,
  type AgentStatusResult,
  type StatusChangeRequest,
  type StatusPayload,
  type StatusRuleSet,
} from './status.types';
import { WfmStatusNotifier } from './wfm-status.notifier';

export interface UpdateStatusCommand {
  userId: string;
  change: StatusChangeRequest;
  /** The API key's name: idempotency keys are scoped per caller. */
  principal: string;
  /** Raw Idempotency-Key header, validated here. */
  idempotencyKey: string | string[] | undefined;
}

/**
 * Agent status updates (v2 §status): tenant rules, then the user's role and shift, then the exact
 * upstream write, then the WFM notification in the background. With an Idempotency-Key the write
 * may be retried upstream and repeats replay the first result.
 */
@Injectable()
export class StatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(AGENT_STATUS_SOURCE) private readonly source: AgentStatusSource,
    private readonly idempotency: StatusIdempotency,
    private readonly wfm: WfmStatusNotifier,
  ) {}

  /** The checks the bound dialect can make (role and shift unless it says otherwise). */
  private get rules(): StatusRuleSet {
    return this.source.rules ?? V2_STATUS_RULES;
  }

  async update(cmd: UpdateStatusCommand): Promise<IdempotentOutcome> {
    const started = this.clock.now();
    const violations = requestViolations(
      cmd.change,
      this.rules,
      this.config.status.validPauseReasons,
    );
    if (violations.length) throw AppError.validation(violations);
    const key = parseIdempotencyKey(cmd.idempotencyKey);
    const payload = buildStatusPayload(cmd.change);
    if (key === undefined) {
      return { result: await this.write(cmd.userId, payload, started, false), replayed: false };
    }
    return this.idempotency.run({
      scope: cmd.principal,
      key,
      fingerprint: fingerprintOf({ userId: cmd.userId, payload }),
      execute: () => this.write(cmd.userId, payload, started, true),
    });
  }

  private async write(
    userId: string,
    payload: StatusPayload,
    started: number,
    idempotent: boolean,
  ): Promise<AgentStatusResult> {
    const user = await this.source.getUser(userId, payload);
    assertUserRules(this.rules, { userId, user, payload, nowMs: this.clock.now() });
    const written = await this.source.putStatus(userId, payload, { idempotent, user });
    const now = this.clock.now();
    const result: AgentStatusResult = {
      userId,
      status: written.status ?? payload.status,
      pauseReason: written.pauseReason !== undefined ? written.pauseReason : payload.pauseReason,
      updatedAt: written.updatedAt ?? new Date(now).toISOString(),
      latencyMs: now - started,
      ...skippedChecks(this.rules),
    };
    this.wfm.notify({ userId, status: result.status, latencyMs: result.latencyMs });
    return result;
  }
}
