import { DynamicModule, Global, Module } from '@nestjs/common';
import type { CxoneDialect } from '../config/app-config.types';
import { ANALYTICS_SOURCE } from '../analytics/analytics.source';
import { AUTH_PROBE_CALL } from '../cxone/readiness/auth-probe-call';
import { TOKEN_GRANT } from '../cxone/token/token-grant';
import { EXPORT_SOURCE } from '../export/export.source';
import { AGENT_HISTORY_SOURCE } from '../reporting/agent-history/agent-history.source';
import { QUEUE_STATS_SOURCE } from '../reporting/queue-stats/queue-stats.source';
import { AGENT_STATUS_SOURCE } from '../status/agent-status.source';
import type { DialectBindings } from './dialect-bindings';
import { INCONTACT_ANALYTICS } from './incontact/analytics/incontact-analytics.binding';
import { AccessKeyGrant } from './incontact/auth/access-key.grant';
import {
  INCONTACT_EXPORT,
  INCONTACT_EXPORT_PROVIDERS,
} from './incontact/export/incontact-export.binding';
import {
  INCONTACT_AGENT_HISTORY,
  INCONTACT_QUEUE_STATS,
} from './incontact/reporting/incontact-reporting.binding';
import { INCONTACT_AGENT_STATUS } from './incontact/status/incontact-status.binding';
import { IncontactAuthProbeCall } from './incontact/health/incontact-auth-probe.call';
import { V2_DIALECT } from './v2/v2.dialect';

const DIALECTS: Partial<Record<CxoneDialect, DialectBindings>> = {
  v2: V2_DIALECT,
  incontact: {
    tokenGrant: AccessKeyGrant,
    authProbe: IncontactAuthProbeCall,
    agentHistory: INCONTACT_AGENT_HISTORY,
    queueStats: INCONTACT_QUEUE_STATS,
    analytics: INCONTACT_ANALYTICS,
    agentStatus: INCONTACT_AGENT_STATUS,
    export: INCONTACT_EXPORT,
    extraProviders: INCONTACT_EXPORT_PROVIDERS,
  },
};

/**
 * The one place where an upstream dialect is bound to the features' ports, chosen by config
 * (CXONE_DIALECT). Global, so each feature module injects its port token without knowing
 * which dialect answers it.
 */
@Global()
@Module({})
export class DialectModule {
  static forRoot(dialect: CxoneDialect): DynamicModule {
    const bindings = DIALECTS[dialect];
    if (!bindings) throw new Error(`CXONE_DIALECT=${dialect} has no adapters bound in this build`);
    const tokens = [
      { provide: AGENT_HISTORY_SOURCE, useClass: bindings.agentHistory },
      { provide: QUEUE_STATS_SOURCE, useClass: bindings.queueStats },
      { provide: ANALYTICS_SOURCE, useClass: bindings.analytics },
      { provide: AGENT_STATUS_SOURCE, useClass: bindings.agentStatus },
      { provide: EXPORT_SOURCE, useClass: bindings.export },
      { provide: TOKEN_GRANT, useClass: bindings.tokenGrant },
      { provide: AUTH_PROBE_CALL, useClass: bindings.authProbe },
    ];
    return {
      module: DialectModule,
      providers: [...tokens, ...(bindings.extraProviders ?? [])],
      exports: tokens.map((t) => t.provide),
    };
  }
}
