import type { FactoryProvider } from '@nestjs/common';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { CxoneClient } from '../cxone/cxone.client';
import { AUTH_PROBE_CALL, type AuthProbeCall } from '../cxone/readiness/auth-probe-call';
import { ReadinessProbe } from '../cxone/readiness/readiness-probe';
import { CxoneTokenProvider } from '../cxone/token/cxone-token.provider';

/** One ReadinessProbe per process, on the dialect's probe call and the health settings. */
export const READINESS_PROBE_PROVIDER: FactoryProvider<ReadinessProbe> = {
  provide: ReadinessProbe,
  inject: [APP_CONFIG, CxoneClient, CxoneTokenProvider, AUTH_PROBE_CALL, Clock],
  useFactory: (
    config: AppConfig,
    client: CxoneClient,
    tokens: CxoneTokenProvider,
    call: AuthProbeCall,
    clock: Clock,
  ) =>
    new ReadinessProbe({
      client,
      tokens,
      call,
      clock,
      intervalMs: config.health.readinessProbeIntervalS * 1000,
      timeoutMs: config.health.readinessProbeTimeoutMs,
    }),
};
