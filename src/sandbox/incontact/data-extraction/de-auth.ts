import type { SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { verifyIncontactBearer } from '../auth/bearer';

/**
 * The tenant a Data Extraction call acts for, from its bearer token (one the inContact token
 * endpoints issued); undefined means 401.
 */
export function dataExtractionTenant(state: SandboxState, req: SandboxRequest): string | undefined {
  return verifyIncontactBearer(state, req)?.tenantId;
}
