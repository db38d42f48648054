import type { IncomingMessage } from 'node:http';
import type { AuditedReply, AuditedRequest } from '../audit/audit.hooks';
import type { RequestAuthContext } from '../auth/principal';
import type { LimitedRequest } from '../auth/rate-limit/rate-limiter';
import type { AuthorizedRequest } from '../auth/route-authorizer';
import { genRequestId } from '../common/request-id';
import type { ParsedBody } from './parsed-body-memo';
import type { ReplayRequest } from './replay.types';

/** A static path has no route parameters: one empty object for every early request. */
const NO_PARAMS: Readonly<Record<string, never>> = Object.freeze({});

/**
 * A raw request as the replay before the router sees it: the few facts of Fastify's request
 * that authorising, rate limiting, the route's signature and the audit record read, taken from
 * Node's request the way Fastify takes them (the id from the same genRequestId, the address of
 * the socket; built only when TRUST_PROXY is off, so no proxy header decides it).
 */
export class EarlyRequest
  implements ReplayRequest, AuthorizedRequest, LimitedRequest, AuditedRequest
{
  readonly id: string;
  readonly url: string;
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly ip: string;
  readonly params = NO_PARAMS;
  /** The parsed JSON body of a POST (read by the replay), undefined for a GET. */
  readonly body: unknown;
  readonly bodyJson: string | undefined;
  cxgw?: RequestAuthContext;

  constructor(
    readonly raw: IncomingMessage,
    ip: string,
    body?: ParsedBody,
  ) {
    this.body = body?.value;
    this.bodyJson = body?.json;
    this.id = genRequestId(raw);
    this.url = raw.url ?? '/';
    this.method = raw.method ?? 'GET';
    this.headers = raw.headers;
    this.ip = ip;
  }
}

/** What the audit reads of the reply to a request whose client left before it was answered. */
export const UNANSWERED_REPLY: AuditedReply = {
  statusCode: 200,
  getHeader: () => undefined,
};

/** What the audit reads of a replayed answer's reply: a 200 marked `X-Cache: HIT`. */
export const REPLAYED_REPLY: AuditedReply = {
  statusCode: 200,
  getHeader: (name: string) => (name === 'x-cache' ? 'HIT' : undefined),
};
