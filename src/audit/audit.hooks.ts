import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isoTime } from '../common/clock/iso-time';
import { MetricsService } from '../observability/metrics.service';
import { AuditService } from './audit.service';
import { AuditLineTemplate } from './audit-lines';
import type { AuditRecord } from './audit.types';

/** Routes that are infrastructure, not "who did what": not audited (they are still measured). */
const UNAUDITED_PREFIXES = ['/health', '/metrics', '/docs'];
/** Path parameters that name the object acted on. */
const TARGET_PARAMS = ['agentId', 'userId', 'id', 'queueId'];
const MAX_DETAIL_LENGTH = 100;
/** Requests already recorded as aborted (a late 'error' on their response must not add one). */
const aborted = new WeakSet<FastifyRequest>();

/**
 * Records one audit fact per call from a Fastify onResponse hook instead of a Nest interceptor:
 * on Nest 11 any interceptor costs ≈ 80 µs per request (measured; docs/bench.md), the hook almost nothing.
 * The action name still comes from route decorators (the guard puts it on the request).
 * The same hook feeds the HTTP latency histogram.
 */
@Injectable()
export class AuditHooks implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly audit: AuditService,
    private readonly metrics: MetricsService,
  ) {}

  /** The last answer's audit line, reused while one caller polls one route (see LastLine). */
  private readonly lastLine = new LastLine();

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      this.onResponse(request, reply);
      done();
    });
    // A client that leaves before its answer ends the response without 'finish', so onResponse
    // never runs: record it here, as aborted (499, nginx's "client closed request").
    fastify.addHook('onRequest', (request, reply, done) => {
      const startedAt = performance.now();
      reply.raw.once('close', () => {
        if (reply.raw.writableFinished) return;
        aborted.add(request);
        const route = request.routeOptions.url ?? 'unmatched';
        this.recordAborted(request, reply, route, performance.now() - startedAt);
      });
      done();
    });
  }

  private onResponse(request: FastifyRequest, reply: FastifyReply): void {
    if (aborted.has(request)) return;
    this.recordAnswer(request, reply, request.routeOptions.url ?? 'unmatched', reply.elapsedTime);
  }

  /**
   * A finished answer's latency sample and audit record: from the onResponse hook, and from the
   * replay before the router (which answers without Fastify's request and reply).
   */
  recordAnswer(
    request: AuditedRequest,
    reply: AuditedReply,
    route: string,
    latencyMs: number,
  ): void {
    this.metrics.httpDuration.observe(request.method, route, reply.statusCode, latencyMs / 1000);
    if (UNAUDITED_PREFIXES.some((p) => route.startsWith(p))) return;
    const repeated = this.lastLine.repeats(request, reply, route);
    const template = repeated ? this.lastLine.template : undefined;
    if (template) {
      const { time, requestId, latency } = changingFacts(request, latencyMs);
      this.audit.recordFrom(template, time, requestId, latency);
      return;
    }
    const record = buildRecord(request, reply, route, latencyMs);
    // Made on the second answer in a row with the same facts: callers taking turns cost nothing.
    if (repeated) this.lastLine.template = new AuditLineTemplate(record);
    else this.lastLine.remember(request, reply, route);
    this.audit.record(record);
  }

  /** A request whose client left before its answer was sent (status 499, outcome aborted). */
  recordAborted(
    request: AuditedRequest,
    reply: AuditedReply,
    route: string,
    latencyMs: number,
  ): void {
    if (UNAUDITED_PREFIXES.some((p) => route.startsWith(p))) return;
    const record = buildRecord(request, reply, route, latencyMs);
    this.audit.record({ ...record, status: 499, outcome: 'aborted' });
  }
}

/** What an audit record is built from: Fastify's request, or the replay's view of a raw one. */
export type AuditedRequest = Pick<
  FastifyRequest,
  'id' | 'ip' | 'method' | 'params' | 'body' | 'cxgw'
>;
export type AuditedReply = Pick<FastifyReply, 'statusCode' | 'getHeader'>;

export function buildRecord(
  request: AuditedRequest,
  reply: AuditedReply,
  route: string,
  latencyMs: number,
): AuditRecord {
  const status = reply.statusCode;
  const ctx = request.cxgw;
  const cache = reply.getHeader('x-cache');
  const { time, requestId, latency } = changingFacts(request, latencyMs);
  const record: AuditRecord = {
    time,
    requestId,
    actor: ctx?.principal?.name ?? null,
    ip: request.ip,
    method: request.method,
    route,
    action: ctx?.auditAction ?? `${request.method} ${route}`,
    targets: pickTargets(request.params),
    status,
    outcome: outcomeOf(status),
    latencyMs: latency,
  };
  if (typeof cache === 'string') record.cache = cache;
  if (ctx?.auditBodyFields) record.detail = pickDetail(request.body, ctx.auditBodyFields);
  return record;
}

/** The facts of a record that differ on every request: when, which request, how long. */
function changingFacts(request: AuditedRequest, latencyMs: number) {
  return {
    time: isoTime(Date.now() - latencyMs),
    requestId: String(request.id),
    latency: Math.round(latencyMs * 100) / 100,
  };
}

/**
 * The facts of the last answer recorded and, once they came twice in a row, its audit line as a
 * template. A dashboard polling a cached route sends the same request again and again: the same
 * key (principal object), address, route, body and answer. While those stay the same objects
 * and values, only the time, request id and latency differ, and the line is written from the
 * template's bytes: building and serialising the record was ≈ 15 % of a queue-stats hit's CPU
 * (docs/bench.md). Parameters and bodies are compared by identity, so only frozen ones are
 * remembered (the replay's: a frozen object cannot have changed since); Fastify's per-request
 * objects never match, and its answers take buildRecord as before. Anonymous records are not
 * templated (they go to their own store as objects).
 */
class LastLine {
  /** Made once the same facts came twice in a row (see recordAnswer). */
  template: AuditLineTemplate | undefined;
  private principal: object | undefined;
  private ip = '';
  private method = '';
  private route = '';
  private action: string | undefined;
  private bodyFields: readonly string[] | undefined;
  private params: unknown;
  private body: unknown;
  private status = 0;
  private cache: unknown;

  /** Whether this answer's record has the remembered one's facts (all but time, id, latency). */
  repeats(request: AuditedRequest, reply: AuditedReply, route: string): boolean {
    const ctx = request.cxgw;
    return (
      this.principal !== undefined &&
      ctx !== undefined &&
      ctx.principal === this.principal &&
      ctx.auditAction === this.action &&
      ctx.auditBodyFields === this.bodyFields &&
      request.params === this.params &&
      request.body === this.body &&
      request.ip === this.ip &&
      request.method === this.method &&
      route === this.route &&
      reply.statusCode === this.status &&
      reply.getHeader('x-cache') === this.cache
    );
  }

  /** Remembers this answer's facts (when they can be compared by identity), no template yet. */
  remember(request: AuditedRequest, reply: AuditedReply, route: string): void {
    const ctx = request.cxgw;
    this.template = undefined;
    this.principal = undefined;
    if (
      ctx?.principal === undefined ||
      !isFrozenOrAbsent(request.params) ||
      !isFrozenOrAbsent(request.body)
    ) {
      return;
    }
    this.principal = ctx.principal;
    this.action = ctx.auditAction;
    this.bodyFields = ctx.auditBodyFields;
    this.params = request.params;
    this.body = request.body;
    this.ip = request.ip;
    this.method = request.method;
    this.route = route;
    this.status = reply.statusCode;
    this.cache = reply.getHeader('x-cache');
  }
}

function isFrozenOrAbsent(value: unknown): boolean {
  return (
    value === undefined || value === null || typeof value !== 'object' || Object.isFrozen(value)
  );
}

function outcomeOf(status: number): AuditRecord['outcome'] {
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'denied';
  if (status >= 400) return 'client_error';
  return 'success';
}

function pickTargets(params: unknown): Record<string, string> {
  const targets: Record<string, string> = {};
  if (!params || typeof params !== 'object') return targets;
  for (const name of TARGET_PARAMS) {
    const value = (params as Record<string, unknown>)[name];
    if (typeof value === 'string') targets[name] = value.slice(0, MAX_DETAIL_LENGTH);
  }
  return targets;
}

function pickDetail(
  body: unknown,
  fields: string[],
): Record<string, string | number | boolean | null> {
  const detail: Record<string, string | number | boolean | null> = {};
  if (!body || typeof body !== 'object') return detail;
  for (const field of fields) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') detail[field] = value.slice(0, MAX_DETAIL_LENGTH);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
      detail[field] = value;
    }
  }
  return detail;
}
