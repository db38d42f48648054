import type { FastifyReply } from 'fastify';

/**
 * What a controller wants on the response besides its body: headers and, for a conditional
 * request that matched, 304 Not Modified. Carried inside the returned value (TabularResult or
 * WithResponseMeta), so controllers never touch the reply and one hook applies it.
 */
export interface ResponseMeta {
  headers?: Readonly<Record<string, string>>;
  /** The caller's If-None-Match matched: answer 304 with no body. */
  notModified?: boolean;
  /**
   * The cache entry this answer was built from, when it may be replayed byte for byte to the
   * next identical request while the entry stays unchanged (see src/replay/).
   */
  replay?: ReplayToken;
}

/** Names one version of one cache entry: `version` changes whenever the entry is rewritten. */
export interface ReplayToken {
  cache: string;
  key: string;
  version: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by applyResponseMeta for a replayable answer; read by the replay recorder. */
    replayToken?: ReplayToken;
  }
}

/** A non-tabular body with response metadata; the hook unwraps it to `body`. */
export class WithResponseMeta<T> {
  constructor(
    readonly body: T,
    readonly meta: ResponseMeta,
  ) {}
}

/** Applies `meta` to the reply (headers, 304). */
export function applyResponseMeta(reply: FastifyReply, meta: ResponseMeta | undefined): void {
  if (!meta) return;
  if (meta.headers)
    for (const [name, value] of Object.entries(meta.headers)) reply.header(name, value);
  if (meta.notModified) reply.code(304);
  if (meta.replay) reply.request.replayToken = meta.replay;
}
