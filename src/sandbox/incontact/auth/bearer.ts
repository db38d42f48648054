import type { SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { BUSINESS_UNIT_ID, TENANT_ID } from '../ic-fixtures';

/** Who a valid inContact bearer token acts for. */
export interface IncontactPrincipal {
  tenantId: string;
  businessUnitId: number;
}

function bearer(req: Pick<SandboxRequest, 'headers'>): string | undefined {
  const header = req.headers.authorization;
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Checks the request's `Authorization: Bearer` against the tokens the inContact surface issued
 * (by `/auth/token` or the legacy access-key endpoint) and that have not expired or been expired
 * through the control API. Undefined means the call must be refused with 401. For every route of
 * the inContact family, Data Extraction included.
 */
export function verifyIncontactBearer(
  state: SandboxState,
  req: Pick<SandboxRequest, 'headers'>,
): IncontactPrincipal | undefined {
  if (!state.incontact.accessTokens.isValid(bearer(req))) return undefined;
  return { tenantId: TENANT_ID, businessUnitId: BUSINESS_UNIT_ID };
}
