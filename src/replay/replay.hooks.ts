import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRegistry } from '../auth/api-key.registry';
import { RateLimiter } from '../auth/rate-limit/rate-limiter';
import { authorizeRequest } from '../auth/route-authorizer';
import { BoundedMap } from '../common/concurrency/bounded-map';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import type { RecordedAnswer, ReplayableRoute } from './replay.types';

/** Recorded answers kept at most, and their total body bytes. */
const MAX_RECORDED = 1000;
const MAX_RECORDED_BYTES = 64 * 1024 * 1024;
/** Headers of a recorded answer that describe its body; per-request headers are never kept. */
const BODY_HEADERS = ['content-type', 'content-disposition', 'vary', 'etag'];

/**
 * A cache hit answered the way an HTTP cache in front of the application would: before Nest's
 * router, guard, pipes and interceptors. The first answer of a replayable route is recorded
 * (its exact bytes and body headers) together with the cache entry version it was built from;
 * an identical request while that entry is current is authorised by the same code as the guard
 * and answered with the recorded bytes, `X-Cache: HIT`, and the same audit and metrics (the
 * onResponse hooks see the same request facts). Anything else — a new request, a changed entry,
 * a bad key, a missing scope, a key over its rate limit, `no-cache` — takes the normal route,
 * which answers it.
 */
@Injectable()
export class ReplayHooks implements OnModuleInit {
  /** By route URL pattern (each replayable URL has one method). */
  private readonly routes = new Map<string, ReplayableRoute>();
  private readonly recorded = new BoundedMap<string, RecordedAnswer>(
    MAX_RECORDED,
    MAX_RECORDED_BYTES,
    (answer) => answer.body.length,
  );

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly registry: ApiKeyRegistry,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsService,
  ) {}

  /** Declares a replayable route (called by the owning feature at startup). */
  register(route: ReplayableRoute): void {
    if (!this.config.reporting.fastPath) return;
    if (this.routes.has(route.url)) throw new Error(`${route.url} is already replayable`);
    this.routes.set(route.url, route);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // A callback hook, synchronous unless Redis has to be asked: an async hook would cost two
    // promises on every request of every route. Answered requests never call `done`.
    fastify.addHook('preHandler', (request, reply, done) => {
      const route = this.routeOf(request);
      const answered = route ? this.replay(route, request, reply) : false;
      if (answered === false) done();
      else if (answered !== true) {
        // Anything unexpected while deciding (Redis gone mid-check) is the normal route's to answer.
        answered.then(
          (yes) => yes || done(),
          () => done(),
        );
      }
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const route = this.routeOf(request);
      if (route) this.record(route, request, reply, payload);
      done(null, payload);
    });
  }

  /** Runs twice on every request of every route: one map lookup, no string built. */
  private routeOf(request: FastifyRequest): ReplayableRoute | undefined {
    const url = request.routeOptions.url;
    const route = url === undefined ? undefined : this.routes.get(url);
    return route?.method === request.method ? route : undefined;
  }

  /** True when answered from the recording, false to take the normal route (or a promise of either). */
  private replay(
    route: ReplayableRoute,
    request: FastifyRequest,
    reply: FastifyReply,
  ): boolean | Promise<boolean> {
    const signature = route.signature(request);
    const answer = signature === undefined ? undefined : this.recorded.get(signature);
    if (!answer) return false;
    let limited: void | Promise<void>;
    try {
      const principal = authorizeRequest(request, route.access, this.registry);
      // Decided once per request: the guard reuses this decision if the normal route answers.
      limited = principal && this.limiter.enforce(request, route.access, principal);
    } catch {
      return this.declined(request);
    }
    const current = (): boolean | Promise<boolean> =>
      this.answerIfCurrent(route, signature as string, answer, reply);
    return limited ? limited.then(current, () => this.declined(request)) : current();
  }

  /** The guard will decide again and the problem filter will answer: one way to say no. */
  private declined(request: FastifyRequest): false {
    request.cxgw = undefined;
    return false;
  }

  private answerIfCurrent(
    route: ReplayableRoute,
    signature: string,
    answer: RecordedAnswer,
    reply: FastifyReply,
  ): boolean | Promise<boolean> {
    const current = route.isCurrent(answer);
    return typeof current === 'boolean'
      ? this.answer(route, signature, answer, reply, current)
      : current.then((yes) => this.answer(route, signature, answer, reply, yes));
  }

  /** Sends the recorded answer when its entry is current; forgets it when not. */
  private answer(
    route: ReplayableRoute,
    signature: string,
    answer: RecordedAnswer,
    reply: FastifyReply,
    current: boolean,
  ): boolean {
    if (!current) {
      this.recorded.delete(signature);
      return false;
    }
    reply.code(200);
    for (const [name, value] of answer.headerList) reply.header(name, value);
    reply.header('x-cache', 'HIT');
    this.metrics.fastPathAnswers.inc();
    void reply.send(route.bodyOf ? route.bodyOf(answer) : answer.body);
    return true;
  }

  private record(
    route: ReplayableRoute,
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ): void {
    const token = request.replayToken;
    if (!token || reply.statusCode !== 200) return;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return;
    const signature = route.signature(request);
    if (signature === undefined) return;
    const headers: Record<string, string> = {};
    for (const name of BODY_HEADERS) {
      const value = reply.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    const headerList = Object.entries(headers);
    this.recorded.set(signature, {
      key: token.key,
      version: token.version,
      headers,
      headerList,
      body,
    });
  }
}
