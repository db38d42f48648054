import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { responseMetaOf } from './analytics-response';

/**
 * Applies analytics response metadata (X-Cache, ETag, 304 Not Modified). Fastify hooks, not an
 * interceptor (DESIGN §2: an interceptor costs ≈ 80 µs per request on every route). A Nest
 * handler cannot answer 304 itself: its @HttpCode status is applied after the handler returns.
 */
@Injectable()
export class AnalyticsResponseHooks implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preSerialization', (_request, reply, payload, done) => {
      const meta = responseMetaOf(payload);
      if (meta) {
        for (const [name, value] of Object.entries(meta.headers)) reply.header(name, value);
        if (meta.notModified) reply.code(304);
      }
      done(null, payload);
    });
    fastify.addHook('onSend', (_request, reply, payload, done) => {
      // A 304 never has a body (RFC 9110 §15.4.5), whatever was serialized for it.
      if (reply.statusCode !== 304) return done(null, payload);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      done(null, null);
    });
  }
}
