import { SetMetadata } from '@nestjs/common';
import type { ApiScope } from '../config/app-config.types';

export const SCOPES_KEY = 'cxgw:scopes';
export const PUBLIC_KEY = 'cxgw:public';
export const AUDIT_ACTION_KEY = 'cxgw:audit-action';

/** The scopes a caller's API key must hold for this route (all of them). */
export const Scopes = (...scopes: ApiScope[]): MethodDecorator & ClassDecorator =>
  SetMetadata(SCOPES_KEY, scopes);

/** Opts a route out of API-key authentication. Only health, metrics and docs use it. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);

export interface AuditActionMeta {
  action: string;
  /** Top-level body fields worth recording (small primitives only, e.g. a requested status). */
  bodyFields?: string[];
}

/** Names the action in audit records, e.g. `status.update`; defaults to Controller.method. */
export const AuditAction = (action: string, bodyFields?: string[]): MethodDecorator =>
  SetMetadata(AUDIT_ACTION_KEY, { action, bodyFields } satisfies AuditActionMeta);
