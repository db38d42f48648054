import type { SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';

/** The tenant every token of this sandbox belongs to until tokens carry their own tenant. */
export const SANDBOX_TENANT = 'sandbox-tenant';

function bearer(req: SandboxRequest): string | undefined {
  const header = req.headers.authorization;
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * The tenant a Data Extraction call acts for, from its bearer token; undefined means 401. The
 * one seam between this folder and the sandbox's token issuing: it accepts what the token store
 * issued.
 */
export function dataExtractionTenant(state: SandboxState, req: SandboxRequest): string | undefined {
  return state.tokens.isValid(bearer(req)) ? SANDBOX_TENANT : undefined;
}
