import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { AuditHooks } from '../audit/audit.hooks';
import { ApiKeyRegistry } from '../auth/api-key.registry';
import { RateLimiter, type LimitedRequest } from '../auth/rate-limit/rate-limiter';
import { authorizeRequest, type AuthorizedRequest } from '../auth/route-authorizer';
import { BoundedMap } from '../common/concurrency/bounded-map';
import { jsonBodyParserOf } from '../common/http/json-body-parser';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import { readSmallJsonBody, smallJsonBodyLength } from './early-body';
import { EarlyRequest, REPLAYED_REPLY, UNANSWERED_REPLY } from './early-request';
import { ParsedBodyMemo } from './parsed-body-memo';
import type { RecordedAnswer, ReplayableRoute, ReplayRequest } from './replay.types';

/** Recorded answers kept at most, and their total body bytes. */
const MAX_RECORDED = 1000;
const MAX_RECORDED_BYTES = 64 * 1024 * 1024;
/** Headers of a recorded answer that describe its body; per-request headers are never kept. */
const BODY_HEADERS = ['content-type', 'content-disposition', 'vary', 'etag'];
/**
 * Largest POST body read before the router; longer ones take Fastify's way in. Dashboards
 * repeat queries of a few hundred bytes; anything near the body limit is not a replay's.
 */
const MAX_EARLY_BODY_BYTES = 16 * 1024;

/** A decision: the recorded answer to send, or undefined to take the normal route. */
type Decision = RecordedAnswer | undefined;
type ReplayableRequest = ReplayRequest & AuthorizedRequest & LimitedRequest;

/**
 * A cache hit answered the way an HTTP cache in front of the application would: before Nest's
 * router, guard, pipes and interceptors. The first answer of a replayable route is recorded
 * (its exact bytes and body headers) together with the cache entry version it was built from;
 * an identical request while that entry is current is authorised by the same code as the guard
 * and answered with the recorded bytes, `X-Cache: HIT`, and the same audit and metrics. Anything
 * else — a new request, a changed entry, a bad key, a missing scope, a key over its rate limit,
 * `no-cache` — takes the normal route, which answers it.
 *
 * Two ways in, one decision (`decide`): a request to a static replayable path is answered from
 * the server's request listener, before Fastify routes it (`answerBeforeRouter`): Fastify's and
 * Nest's per-request hooks were most of a hit's cost. A POST's body is read and parsed there
 * first (a small JSON body of known length; its bytes are handed back to the stream when the
 * normal route is to answer). Anything else replayable — a chunked or large body, or a gateway
 * with TRUST_PROXY, whose client address Fastify works out — is answered in a preHandler hook.
 */
@Injectable()
export class ReplayHooks implements OnModuleInit {
  /** By route URL pattern (each replayable URL has one method). */
  private readonly routes = new Map<string, ReplayableRoute>();
  /** The routes with a static path, answered before the router: by path. */
  private readonly earlyRoutes = new Map<string, ReplayableRoute>();
  /** Small JSON bodies read before the router, parsed as Fastify's content-type parser would. */
  private bodies = new ParsedBodyMemo(() => ({ ok: false, error: new Error('not initialised') }));
  private readonly maxEarlyBodyBytes: number;
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
    private readonly auditHooks: AuditHooks,
  ) {
    this.maxEarlyBodyBytes = Math.min(MAX_EARLY_BODY_BYTES, config.bodyLimitBytes);
  }

  /** Declares a replayable route (called by the owning feature at startup). */
  register(route: ReplayableRoute): void {
    if (!this.config.reporting.fastPath) return;
    if (this.routes.has(route.url)) throw new Error(`${route.url} is already replayable`);
    this.routes.set(route.url, route);
    if (!/[:*]/.test(route.url) && !this.config.trustProxy) {
      this.earlyRoutes.set(route.url, route);
    }
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    this.bodies = new ParsedBodyMemo(jsonBodyParserOf(fastify));
    // A callback hook, synchronous unless Redis has to be asked: an async hook would cost two
    // promises on every request of every route. Answered requests never call `done`.
    fastify.addHook('preHandler', (request, reply, done) => {
      const route = this.routeOf(request);
      const decided = route ? this.decide(route, request) : undefined;
      if (decided === undefined) done();
      else if (decided instanceof Promise) {
        // Anything unexpected while deciding (Redis gone mid-check) is the normal route's to answer.
        decided.then(
          (answer) => (answer ? this.sendReply(route!, answer, reply) : done()),
          () => done(),
        );
      } else this.sendReply(route!, decided, reply);
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const route = this.routeOf(request);
      if (route) this.record(route, request, reply, payload);
      done(null, payload);
    });
  }

  /**
   * Puts the replay in front of Fastify on `server`: its request listener answers what it can
   * and hands everything else to Fastify's. `open()` false (the gateway is draining, its answers
   * say `Connection: close`) sends every request to Fastify.
   */
  answerBeforeRouter(server: Server, open: () => boolean): void {
    if (this.earlyRoutes.size === 0) return;
    const [fastifyListener] = server.listeners('request') as ((
      req: IncomingMessage,
      res: ServerResponse,
    ) => void)[];
    if (!fastifyListener) return;
    server.removeListener('request', fastifyListener);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const route = open() ? this.earlyRouteOf(req) : undefined;
      if (!route) return fastifyListener(req, res);
      this.answerEarly(route, req, res, () => fastifyListener(req, res));
    });
  }

  /** Runs twice on every request of every route: one map lookup, no string built. */
  private routeOf(request: FastifyRequest): ReplayableRoute | undefined {
    const url = request.routeOptions.url;
    const route = url === undefined ? undefined : this.routes.get(url);
    return route?.method === request.method ? route : undefined;
  }

  /**
   * The replayable route of a request to a static path, its method the route's: a GET without a
   * body, or a POST (whose body answerEarly looks at).
   */
  private earlyRouteOf(req: IncomingMessage): ReplayableRoute | undefined {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const route = this.earlyRoutes.get(query === -1 ? url : url.slice(0, query));
    if (route === undefined || route.method !== req.method) return undefined;
    if (route.method === 'POST') return route;
    const { headers } = req;
    return headers['content-length'] || headers['transfer-encoding'] ? undefined : route;
  }

  private answerEarly(
    route: ReplayableRoute,
    req: IncomingMessage,
    res: ServerResponse,
    fallThrough: () => void,
  ): void {
    const ip = req.socket.remoteAddress;
    if (ip === undefined) return fallThrough();
    const startedAt = performance.now();
    if (route.method !== 'POST') {
      return this.replayEarly(route, new EarlyRequest(req, ip), res, startedAt, fallThrough);
    }
    // Only a small JSON body of known length is read here; any other is Fastify's to read.
    const length = smallJsonBodyLength(req, this.maxEarlyBodyBytes);
    if (length === undefined) return fallThrough();
    readSmallJsonBody(req, res, length, (body) => {
      if (body === undefined) {
        // Gone before its body was in: what the audit's onRequest hook records on the normal route.
        const latencyMs = performance.now() - startedAt;
        this.auditHooks.recordAborted(
          new EarlyRequest(req, ip),
          UNANSWERED_REPLY,
          route.url,
          latencyMs,
        );
        return;
      }
      // The normal route reads the same bytes (and answers a body it refuses, as it always has).
      const handBack = (): void => {
        req.unshift(body);
        fallThrough();
      };
      const parsed = this.bodies.read(body);
      if (parsed === undefined) return handBack();
      const request = new EarlyRequest(req, ip, parsed);
      this.replayEarly(route, request, res, startedAt, handBack);
    });
  }

  /** Replays the recorded answer for `request` (its body read), or falls through. */
  private replayEarly(
    route: ReplayableRoute,
    request: EarlyRequest,
    res: ServerResponse,
    startedAt: number,
    fallThrough: () => void,
  ): void {
    // Recorded when the response is done, as Fastify's onResponse would, or as aborted when
    // the client left first (what the audit's onRequest hook does on the normal route).
    const onClose = (): void => {
      const latencyMs = performance.now() - startedAt;
      if (res.writableFinished) {
        this.auditHooks.recordAnswer(request, REPLAYED_REPLY, route.url, latencyMs);
      } else this.auditHooks.recordAborted(request, REPLAYED_REPLY, route.url, latencyMs);
    };
    const write = (answer: RecordedAnswer): void => {
      if (res.destroyed) return; // the client left while Redis was asked: recorded as aborted
      const body = bodyOf(route, answer);
      // The headers Fastify writes for the same answer (X-Request-Id from the onRequest hook).
      const headers: string[] = ['x-request-id', request.id];
      for (const [name, value] of answer.headerList) headers.push(name, value);
      headers.push('x-cache', 'HIT', 'content-length', String(body.length));
      res.writeHead(200, headers);
      res.end(body);
      // A POST's request was paused before its end (see readSmallJsonBody): let it end.
      if (route.method === 'POST') request.raw.resume();
    };
    const decided = this.decide(route, request);
    if (decided === undefined) return fallThrough();
    // 'close' comes once: a plain listener, without the wrapper `once` binds per request.
    res.on('close', onClose);
    if (!(decided instanceof Promise)) return write(decided);
    // Handed to Fastify, whose audit hook records it from here; unless the client already left.
    const handOver = (): void => {
      if (res.destroyed) return;
      res.removeListener('close', onClose);
      fallThrough();
    };
    decided.then((answer) => (answer ? write(answer) : handOver()), handOver);
  }

  /**
   * The one decision of both ways in: a recorded answer for this request's signature, the
   * request authorised and within its key's limit (decided once per request: the guard reuses
   * it if the normal route answers), and the cache entry behind the answer still current.
   */
  private decide(route: ReplayableRoute, request: ReplayableRequest): Decision | Promise<Decision> {
    const signature = route.signature(request);
    const answer = signature === undefined ? undefined : this.recorded.get(signature);
    if (!answer) return undefined;
    let limited: void | Promise<void>;
    try {
      const principal = authorizeRequest(request, route.access, this.registry);
      limited = principal && this.limiter.enforce(request, route.access, principal);
    } catch {
      return this.declined(request);
    }
    if (!limited) return this.ifCurrent(route, signature as string, answer);
    return limited.then(
      () => this.ifCurrent(route, signature as string, answer),
      () => this.declined(request),
    );
  }

  /** The guard will decide again and the problem filter will answer: one way to say no. */
  private declined(request: AuthorizedRequest): undefined {
    request.cxgw = undefined;
    return undefined;
  }

  private ifCurrent(
    route: ReplayableRoute,
    signature: string,
    answer: RecordedAnswer,
  ): Decision | Promise<Decision> {
    const current = route.isCurrent(answer);
    return typeof current === 'boolean'
      ? this.keptIf(current, signature, answer)
      : current.then((yes) => this.keptIf(yes, signature, answer));
  }

  /** The answer when its entry is current (counted as a fast-path answer); forgotten if not. */
  private keptIf(current: boolean, signature: string, answer: RecordedAnswer): Decision {
    if (!current) {
      this.recorded.delete(signature);
      return undefined;
    }
    this.metrics.fastPathAnswers.inc();
    return answer;
  }

  private sendReply(route: ReplayableRoute, answer: RecordedAnswer, reply: FastifyReply): void {
    reply.code(200);
    for (const [name, value] of answer.headerList) reply.header(name, value);
    reply.header('x-cache', 'HIT');
    void reply.send(bodyOf(route, answer));
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

/** The bytes to send for a recorded answer: as recorded, or as the route rewrites them. */
function bodyOf(route: ReplayableRoute, answer: RecordedAnswer): Buffer {
  return route.bodyOf ? route.bodyOf(answer) : answer.body;
}
