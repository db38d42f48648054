import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../../config/config.constants';
import type { AppConfig } from '../../../config/app-config.types';
import type { AuthProbeCall } from '../../../cxone/readiness/auth-probe-call';
import { acdRoot } from '../reporting/acd-paging';

/**
 * The business unit's unavailable codes, one row: a small admin read of the ACD API that every
 * tenant has and that needs no agent, skill or team id. Same bearer check as the reporting calls.
 */
@Injectable()
export class IncontactAuthProbeCall implements AuthProbeCall {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  request(): ReturnType<AuthProbeCall['request']> {
    return {
      operation: 'readinessProbe',
      method: 'GET',
      path: `${acdRoot(this.config.cxone.incontact, 'unavailable-codes')}/unavailable-codes`,
      query: { top: 1 },
    };
  }
}
