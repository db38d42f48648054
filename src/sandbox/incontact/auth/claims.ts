import { randomUUID } from 'node:crypto';
import type { SandboxRequest } from '../../sandbox-http';
import type { SandboxState } from '../../sandbox-state';
import { SANDBOX_FIXTURES } from '../../fixtures';
import {
  AREA,
  BUSINESS_UNIT_ID,
  CLUSTER_ID,
  icAgent,
  INCONTACT_FIXTURES,
  TENANT_ID,
  TENANT_NAME,
} from '../ic-fixtures';
import { REFRESH_TOKEN_TTL_S } from '../ic-state';

/** The issuer as the caller reached it: discovery URLs and `iss` use the same host. */
export function issuerOf(req: SandboxRequest): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

/** The employee who owns the access key: the supervisor (their permissions are the token's). */
const OWNER_AGENT_ID = INCONTACT_FIXTURES.statusAgents.supervisor;
const OWNER_USER_ID = SANDBOX_FIXTURES.users.supervisor;

/** The claims CXone puts in its tokens, as public clients read them. */
function claims(req: SandboxRequest, nowS: number, ttlS: number): Record<string, unknown> {
  const owner = icAgent(OWNER_AGENT_ID);
  return {
    iss: issuerOf(req),
    sub: `user:${OWNER_USER_ID}`,
    aud: 'sandbox',
    tenantId: TENANT_ID,
    tenant: TENANT_NAME,
    icBUId: BUSINESS_UNIT_ID,
    icClusterId: CLUSTER_ID,
    area: AREA,
    icAgentId: OWNER_AGENT_ID,
    userId: OWNER_USER_ID,
    teamId: owner?.teamId,
    given_name: owner?.firstName,
    family_name: owner?.lastName,
    name: owner ? `${owner.firstName} ${owner.lastName}` : undefined,
    role: { legacyId: 'Administrator' },
    iat: nowS,
    exp: nowS + ttlS,
  };
}

export interface TokenSet {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** Mints the three tokens of a successful grant and registers them with their lifetimes. */
export async function issueTokenSet(state: SandboxState, req: SandboxRequest): Promise<TokenSet> {
  const ic = state.incontact;
  const ttlS = state.options.tokenTtlS;
  const nowS = Math.floor(state.now() / 1000);
  const base = claims(req, nowS, ttlS);
  const alg = ic.quirks.jwtAlg;
  // jti keeps two tokens minted in the same second distinct (tests expire and re-grant quickly).
  const accessToken = await ic.jwt.sign({ ...base, jti: randomUUID() }, alg);
  const idToken = await ic.jwt.sign({ ...base, jti: randomUUID() }, alg);
  ic.accessTokens.add(accessToken, ttlS);
  const refreshToken = ic.refreshTokens.issue(REFRESH_TOKEN_TTL_S);
  return { accessToken, idToken, refreshToken, expiresIn: ttlS };
}
