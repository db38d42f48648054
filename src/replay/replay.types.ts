import type { FastifyRequest } from 'fastify';
import type { RouteAccessMeta } from '../auth/route-authorizer';

/** What a route's signature reads of a request (Fastify's, or the early replay's view). */
export type ReplayRequest = Pick<FastifyRequest, 'url' | 'headers' | 'body'> & {
  /** `JSON.stringify(body)`, when the replay before the router has it already. */
  readonly bodyJson?: string;
};

/**
 * A route whose cached answers may be replayed before Nest's pipeline. The feature that owns the
 * route declares it: which requests are eligible and how to tell that the cache entry behind a
 * recorded answer is still the one it was built from.
 */
export interface ReplayableRoute {
  method: 'GET' | 'POST';
  /** The route's URL pattern as Fastify knows it, e.g. `/v1/queues/stats`. */
  url: string;
  /** The route's access (read from its decorators), checked exactly as the guard checks it. */
  access: RouteAccessMeta;
  /**
   * What makes two requests the same answer (URL with query, Accept, body…), or undefined
   * when this request must take the normal route (e.g. `Cache-Control: no-cache`).
   */
  signature(request: ReplayRequest): string | undefined;
  /**
   * Whether the entry named by a recorded token is still current; called once per replay, it
   * counts as that cache's hit (as the normal route would count it).
   */
  isCurrent(token: { key: string; version: string }): boolean | Promise<boolean>;
  /**
   * The body to send for a current recorded answer, when part of it changes with time (e.g. an
   * age in seconds); the recorded bytes unchanged when absent.
   */
  bodyOf?(answer: RecordedAnswer): Buffer;
}

/** A recorded 200 answer, ready to be sent again byte for byte. */
export interface RecordedAnswer {
  version: string;
  key: string;
  /** Headers that describe the body (content type, disposition, vary, ETag…). */
  headers: Record<string, string>;
  /** The same headers as pairs, made once: a replay sets them without building an array. */
  headerList: readonly (readonly [string, string])[];
  body: Buffer;
}
