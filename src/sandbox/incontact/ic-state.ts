import { TokenStore } from '../token.store';
import { JwtIssuer } from './auth/jwt';
import { SummaryWorld } from './history/summary-world';
import type { IncontactQuirks } from './quirks';

/** Lifetime of refresh tokens (not documented for CXone; a day, as the legacy answer suggests). */
export const REFRESH_TOKEN_TTL_S = 86_400;

/** A state set through `POST /agents/{id}/state` (or logout), replacing the simulated one. */
export interface SetAgentState {
  name: 'Available' | 'Unavailable' | 'LoggedOut';
  outStateId: number;
  atMs: number;
}

/** What the inContact surface holds besides the shared world: quirks, tokens, its signing key. */
export class IncontactState {
  /** The quirks in force; the control API changes them, reset returns to the configured ones. */
  quirks: IncontactQuirks;
  readonly accessTokens: TokenStore;
  readonly refreshTokens: TokenStore;
  readonly jwt = new JwtIssuer();
  /** States set by callers since the last reset, by agentId. */
  readonly setStates = new Map<number, SetAgentState>();
  /** When the simulated fixed states began (the sandbox's start). */
  readonly startedAtMs: number;
  /** Per-day skill and agent figures behind the historical summaries. */
  readonly history: SummaryWorld;

  constructor(
    private readonly configured: IncontactQuirks,
    now: () => number,
    seed: number,
  ) {
    this.history = new SummaryWorld(seed);
    this.quirks = { ...configured };
    this.accessTokens = new TokenStore(now);
    this.refreshTokens = new TokenStore(now);
    this.startedAtMs = now();
  }

  resetQuirks(): void {
    this.quirks = { ...this.configured };
  }

  expireTokens(): void {
    this.accessTokens.expireAll();
    this.refreshTokens.expireAll();
  }

  reset(): void {
    this.resetQuirks();
    this.expireTokens();
    this.accessTokens.resetCount();
    this.setStates.clear();
  }
}
