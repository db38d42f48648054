import { randomBytes } from 'node:crypto';

/** Issued tokens and their expiry: opaque random strings (v2), or JWTs registered with add(). */
export class TokenStore {
  private readonly tokens = new Map<string, number>();
  private issuedCount = 0;

  constructor(private readonly now: () => number) {}

  issue(ttlS: number): string {
    return this.add(randomBytes(32).toString('base64url'), ttlS);
  }

  /** Registers a token minted elsewhere (the inContact surface's JWTs) as issued now. */
  add(token: string, ttlS: number): string {
    this.pruneExpired();
    this.tokens.set(token, this.now() + ttlS * 1000);
    this.issuedCount += 1;
    return token;
  }

  /** Invalidates one token (a refresh token is single-use). */
  revoke(token: string): void {
    this.tokens.delete(token);
  }

  isValid(token: string | undefined): boolean {
    if (token === undefined) return false;
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && this.now() < expiresAt;
  }

  /** Invalidates every token issued so far (the control API's "expire now"). */
  expireAll(): void {
    this.tokens.clear();
  }

  get issued(): number {
    return this.issuedCount;
  }

  resetCount(): void {
    this.issuedCount = 0;
  }

  private pruneExpired(): void {
    // Keeps a long-running sandbox from growing without bound; cheap because it is rare.
    if (this.tokens.size < 10_000) return;
    const now = this.now();
    for (const [token, expiresAt] of this.tokens) if (expiresAt <= now) this.tokens.delete(token);
  }
}
