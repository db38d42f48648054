import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../common/clock/clock';
import { AppError } from '../../common/errors/app-error';
import type { Principal } from '../../auth/principal';
import { API_SCOPES, type ApiScope } from '../../config/app-config.types';

/** What a ticket opens; nothing else accepts one. */
export const STREAM_TICKET_PURPOSE = 'queue-stream';
const TICKET_PREFIX = 'cxst_';
const KEY_PREFIX = 'cxgw:live:ticket:';
/** Memory mode: at most this many live tickets (the oldest go first beyond it). */
const MAX_MEMORY_TICKETS = 10_000;

export interface IssuedTicket {
  ticket: string;
  expiresAt: string;
}

interface StoredTicket {
  purpose: string;
  name: string;
  scopes: ApiScope[];
  expiresAtMs: number;
}

/**
 * Short-lived, single-purpose stream tickets. Only the SHA-256 of a ticket is stored (a Redis
 * dump gives nothing usable); with Redis every replica accepts every ticket. Expiry is checked
 * on the injected clock in both modes, Redis' own TTL only cleans up.
 */
export class StreamTicketStore {
  private readonly logger = new Logger('StreamTickets');
  private readonly memory = new Map<string, StoredTicket>();

  constructor(
    private readonly clock: Clock,
    private readonly redis: Redis | null,
    private readonly ttlMs: number,
  ) {}

  async issue(principal: Principal): Promise<IssuedTicket> {
    const ticket = `${TICKET_PREFIX}${randomBytes(32).toString('base64url')}`;
    const expiresAtMs = this.clock.now() + this.ttlMs;
    const stored: StoredTicket = {
      purpose: STREAM_TICKET_PURPOSE,
      name: principal.name,
      scopes: [...principal.scopes],
      expiresAtMs,
    };
    const digest = digestOf(ticket);
    if (this.redis) {
      try {
        await this.redis.set(KEY_PREFIX + digest, JSON.stringify(stored), 'PX', this.ttlMs);
      } catch (err) {
        throw this.unavailable(err);
      }
    } else {
      this.remember(digest, stored);
    }
    return { ticket, expiresAt: new Date(expiresAtMs).toISOString() };
  }

  /** The principal a valid, unexpired stream ticket stands for; undefined for anything else. */
  async verify(ticket: string): Promise<Principal | undefined> {
    if (!ticket.startsWith(TICKET_PREFIX) || ticket.length > 100) return undefined;
    const digest = digestOf(ticket);
    let stored: StoredTicket | undefined;
    if (this.redis) {
      let text: string | null;
      try {
        text = await this.redis.get(KEY_PREFIX + digest);
      } catch (err) {
        throw this.unavailable(err);
      }
      stored = text === null ? undefined : parseStored(text);
    } else {
      stored = this.memory.get(digest);
    }
    if (!stored || stored.purpose !== STREAM_TICKET_PURPOSE) return undefined;
    if (stored.expiresAtMs <= this.clock.now()) return undefined;
    return { name: stored.name, scopes: stored.scopes };
  }

  private remember(digest: string, stored: StoredTicket): void {
    const now = this.clock.now();
    // Same TTL for all, so insertion order is expiry order: expired ones sit at the front.
    for (const [key, value] of this.memory) {
      if (value.expiresAtMs > now && this.memory.size < MAX_MEMORY_TICKETS) break;
      this.memory.delete(key);
    }
    this.memory.set(digest, stored);
  }

  /** Tickets cannot be checked without Redis: fail closed, with a retry hint. */
  private unavailable(err: unknown): AppError {
    this.logger.warn(`Stream tickets unavailable: ${(err as Error).message}`);
    return new AppError('SERVICE_UNAVAILABLE', 'Stream tickets are unavailable right now', {
      retryAfterS: 2,
      cause: err,
    });
  }
}

function digestOf(ticket: string): string {
  return createHash('sha256').update(ticket).digest('hex');
}

function parseStored(text: string): StoredTicket | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredTicket> | null;
    if (
      !value ||
      typeof value.purpose !== 'string' ||
      typeof value.name !== 'string' ||
      typeof value.expiresAtMs !== 'number' ||
      !Array.isArray(value.scopes)
    ) {
      return undefined;
    }
    const scopes = value.scopes.filter((s): s is ApiScope =>
      (API_SCOPES as readonly unknown[]).includes(s),
    );
    return { ...(value as StoredTicket), scopes };
  } catch {
    return undefined;
  }
}
