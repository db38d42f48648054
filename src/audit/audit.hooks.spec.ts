import { Logger } from '@nestjs/common';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpAdapterHost } from '@nestjs/core';
import { FakeClock } from '../common/clock/fake-clock.fake';
import { RedisService } from '../common/redis/redis.service';
import { parseConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';
import { MetricsService } from '../observability/metrics.service';
import { auditLine } from './audit-lines';
import { AuditHooks, buildRecord, type AuditedReply, type AuditedRequest } from './audit.hooks';
import { AuditService } from './audit.service';

const ROUTE = '/v1/analytics/summary';
const NOW = Date.UTC(2026, 11, 2, 6, 0, 0, 123);
const reader: Principal = Object.freeze({ name: 'dashboard', scopes: ['analytics:read'] as const });
const other: Principal = Object.freeze({
  name: 'Zoë "BI" 日本',
  scopes: ['analytics:read'] as const,
});
const week = Object.freeze({ start: '2024-05-01T00:00:00Z', end: '2024-05-08T00:00:00Z' });
const NO_PARAMS = Object.freeze({});
const BODY_FIELDS = ['start', 'end'];

const hit: AuditedReply = {
  statusCode: 200,
  getHeader: (n) => (n === 'x-cache' ? 'HIT' : undefined),
};
const miss: AuditedReply = { statusCode: 200, getHeader: () => undefined };
/** Differs from `hit` in its status alone. */
const notModified: AuditedReply = { ...hit, statusCode: 304 };

/** A request as the replay before the router builds it: frozen parameters and body. */
function request(id: string, overrides: Partial<AuditedRequest> = {}): AuditedRequest {
  return {
    id,
    ip: '10.0.0.7',
    method: 'POST',
    params: NO_PARAMS,
    body: week,
    cxgw: { auditAction: 'analytics.summary', auditBodyFields: BODY_FIELDS, principal: reader },
    ...overrides,
  };
}
describe('AuditHooks.recordAnswer', () => {
  let dir: string;
  let redis: RedisService;
  let audit: AuditService;
  let hooks: AuditHooks;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-hooks-'));
    jest.spyOn(Date, 'now').mockReturnValue(NOW);
  });
  afterEach(async () => {
    await audit.beforeApplicationShutdown();
    await redis.onApplicationShutdown();
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (env: Record<string, string> = {}): void => {
    const config = parseConfig({ DATA_DIR: dir, ...env });
    redis = new RedisService(config);
    const metrics = new MetricsService();
    audit = new AuditService(config, redis, new FakeClock(), metrics);
    hooks = new AuditHooks({} as HttpAdapterHost, audit, metrics);
  };

  /** Records each answer, then returns the trail file's lines and the lines buildRecord gives. */
  async function recorded(answers: [AuditedRequest, AuditedReply, number][]) {
    for (const [req, reply, latencyMs] of answers) hooks.recordAnswer(req, reply, ROUTE, latencyMs);
    await audit.flush();
    const written = readFileSync(join(dir, 'audit', 'audit.jsonl'), 'utf8').split('\n');
    const expected = answers.map(([req, reply, ms]) =>
      auditLine(buildRecord(req, reply, ROUTE, ms)),
    );
    return { written: written.slice(0, -1), expected };
  }

  it('writes a polling caller’s lines byte for byte as buildRecord and auditLine would', async () => {
    start();
    const { written, expected } = await recorded([
      [request('r1'), hit, 1.234],
      [request('r2'), hit, 0.5],
      [request('r3'), hit, 0],
      [request('b7e3c2a0-0d6f-4c55-9a43-1f0e2d3c4b5a'), hit, 12.3456],
    ]);
    expect(written).toEqual(expected);
    expect(JSON.parse(written[1])).toMatchObject({ requestId: 'r2', latencyMs: 0.5, cache: 'HIT' });
    expect(JSON.parse(written[1]).detail).toEqual(week);
  });

  it('writes every fact that changed between two answers, whichever it is', async () => {
    start();
    const otherWeek = Object.freeze({ start: '2024-06-01T00:00:00Z', end: '2024-06-08T00:00:00Z' });
    // Each variant follows three polls (the line is reused from the third) and differs in one fact.
    const variants: [AuditedRequest, AuditedReply, number][] = [
      [request('ip', { ip: '10.0.0.8' }), hit, 1],
      [request('body', { body: otherWeek }), hit, 1],
      [request('cache'), miss, 1],
      [request('status'), notModified, 1],
      [request('key', { cxgw: { ...request('').cxgw!, principal: other } }), hit, 1],
      [request('target', { params: Object.freeze({ agentId: '42' }) }), hit, 1],
      [request('method', { method: 'GET' }), hit, 1],
      [request('action', { cxgw: { ...request('').cxgw!, auditAction: 'other.action' } }), hit, 1],
      [request('fields', { cxgw: { ...request('').cxgw!, auditBodyFields: ['start'] } }), hit, 1],
    ];
    const poll: [AuditedRequest, AuditedReply, number] = [request('poll'), hit, 1];
    const answers = variants.flatMap((variant) => [poll, poll, poll, variant]);
    const { written, expected } = await recorded(answers);
    expect(written).toEqual(expected);
    const records = written
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((_, i) => i % 4 === 3);
    expect(records[0].ip).toBe('10.0.0.8');
    expect(records[1].detail).toEqual(otherWeek);
    expect(records[2].cache).toBeUndefined();
    expect(records[3]).toMatchObject({ status: 304, cache: 'HIT' });
    expect(records[4]).toMatchObject({ actor: 'Zoë "BI" 日本' });
    expect(records[5].targets).toEqual({ agentId: '42' });
    expect(records[6]).toMatchObject({ method: 'GET' });
    expect(records[7]).toMatchObject({ action: 'other.action' });
    expect(records[8].detail).toEqual({ start: week.start });
  });

  it('never reuses a line for a body that can change (Fastify’s, not frozen)', async () => {
    start();
    const body: Record<string, string> = { start: '2024-05-01T00:00:00Z', end: 'x' };
    hooks.recordAnswer(request('m1', { body }), hit, ROUTE, 1);
    hooks.recordAnswer(request('m2', { body }), hit, ROUTE, 1);
    body.end = '2024-05-09T00:00:00Z';
    const { written } = await recorded([[request('m3', { body }), hit, 1]]);
    expect(written.map((line) => (JSON.parse(line) as { detail: unknown }).detail)).toEqual([
      { start: '2024-05-01T00:00:00Z', end: 'x' },
      { start: '2024-05-01T00:00:00Z', end: 'x' },
      { start: '2024-05-01T00:00:00Z', end: '2024-05-09T00:00:00Z' },
    ]);
  });

  it('logs each record in full at LOG_LEVEL=info, reused line or not', async () => {
    start({ LOG_LEVEL: 'info' });
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    // The third is written from the template the second made.
    await recorded([
      [request('l1'), hit, 1],
      [request('l2'), hit, 2],
      [request('l3'), hit, 3],
    ]);
    const logged = log.mock.calls
      .map(([message]) => message as { audit?: unknown })
      .filter((m) => typeof m === 'object' && m !== null && 'audit' in m)
      .map((m) => m.audit);
    expect(logged).toEqual([
      buildRecord(request('l1'), hit, ROUTE, 1),
      buildRecord(request('l2'), hit, ROUTE, 2),
      buildRecord(request('l3'), hit, ROUTE, 3),
    ]);
  });
});
