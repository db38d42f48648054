import { Injectable } from '@nestjs/common';
import type { AuthProbeCall } from '../../../cxone/readiness/auth-probe-call';

/**
 * v2 §exports: the list of active export jobs. It needs no ids, is read-only and small (at most
 * the tenant's three active jobs), so it proves the token without a tenant-specific fixture.
 */
@Injectable()
export class V2AuthProbeCall implements AuthProbeCall {
  request(): ReturnType<AuthProbeCall['request']> {
    return {
      operation: 'readinessProbe',
      method: 'GET',
      path: '/api/v2/analytics/exports',
      query: { status: 'queued,running' },
    };
  }
}
