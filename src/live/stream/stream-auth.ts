import type { IncomingHttpHeaders } from 'node:http';
import { ApiKeyRegistry, extractApiKey } from '../../auth/api-key.registry';
import type { Principal } from '../../auth/principal';
import { AppError } from '../../common/errors/app-error';
import type { ApiScope } from '../../config/app-config.types';
import type { StreamTicketStore } from '../tickets/stream-ticket.store';

export const STREAM_SCOPE: ApiScope = 'reporting:read';

/**
 * Who opens a stream: an API key in a header (as on every route), or a stream ticket in
 * `?ticket=` for browsers, whose EventSource cannot send headers. A ticket is not a key and a
 * key is not a ticket: each is only looked up where it belongs.
 */
export class StreamAuth {
  constructor(
    private readonly keys: ApiKeyRegistry,
    private readonly tickets: StreamTicketStore,
  ) {}

  async principalFor(headers: IncomingHttpHeaders, ticket: string | undefined): Promise<Principal> {
    const principal = ticket !== undefined ? await this.fromTicket(ticket) : this.fromKey(headers);
    if (!principal.scopes.includes(STREAM_SCOPE)) {
      throw new AppError(
        'FORBIDDEN',
        `The API key "${principal.name}" lacks the scope ${STREAM_SCOPE} required here`,
        { extensions: { requiredScopes: [STREAM_SCOPE] } },
      );
    }
    return principal;
  }

  private async fromTicket(ticket: string): Promise<Principal> {
    const principal = await this.tickets.verify(ticket);
    if (!principal) {
      throw new AppError(
        'UNAUTHENTICATED',
        'The stream ticket is not valid or has expired: get a new one from POST /v1/queues/stream-tickets',
      );
    }
    return principal;
  }

  private fromKey(headers: IncomingHttpHeaders): Principal {
    const key = extractApiKey(headers);
    if (!key) {
      throw new AppError(
        'UNAUTHENTICATED',
        'An API key is required (Authorization: Bearer <key> or X-API-Key: <key>), or ?ticket= ' +
          'from POST /v1/queues/stream-tickets',
      );
    }
    const principal = this.keys.resolve(key);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'The API key is not valid');
    return principal;
  }
}
