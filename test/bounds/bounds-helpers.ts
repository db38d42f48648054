import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { CxoneClient } from '../../src/cxone/cxone.client';
import type { RouteName } from '../../src/sandbox/faults';
import { TEST_KEYS, type TestGateway } from '../utils/test-gateway';

/** Polls `probe` until it returns a value (not undefined); fails after `tries` rounds. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  tries = 400,
  everyMs = 25,
): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Upstream calls the sandbox answered on one route since the last reset. */
export async function upstreamCalls(t: TestGateway, route: RouteName): Promise<number> {
  return (await t.control.stats()).routes[route].calls;
}

/**
 * Resolves once the gateway has no upstream call in flight or queued: an aborted operation's
 * workers stop at their next call, so once nothing is in flight none of them is left.
 */
export function upstreamIdle(t: TestGateway): Promise<true> {
  const client = t.gateway.app.get(CxoneClient);
  return waitFor(() => {
    const { inFlight, queued } = client.budget();
    return inFlight === 0 && queued === 0 ? true : undefined;
  }, 'the gateway to have no upstream call in flight');
}

/**
 * A GET from a client that hangs up: the request is sent, and destroyed once `hangUpWhen`
 * resolves. Resolves when the socket is closed; the answer is never read.
 */
export async function getAndHangUp(
  t: TestGateway,
  path: string,
  hangUpWhen: () => Promise<unknown>,
  key: string = TEST_KEYS.reporting,
): Promise<void> {
  const url = new URL(path, t.url);
  const req = httpRequest(url, { method: 'GET', headers: t.auth(key) });
  const closed = new Promise<void>((resolve) => req.once('close', () => resolve()));
  req.on('error', () => undefined);
  req.end();
  await hangUpWhen();
  req.destroy();
  await closed;
}

export interface AuditEntry {
  requestId: string;
  actor: string | null;
  action: string;
  route: string;
  targets: Record<string, string>;
  status: number;
  outcome: string;
}

/** The audit records of an actor, newest first. */
export async function auditOf(t: TestGateway, actor: string): Promise<AuditEntry[]> {
  const res = await request(t.url).get('/v1/audit').query({ actor, limit: 100 }).set(t.auth());
  if (res.status !== 200) throw new Error(`GET /v1/audit answered ${res.status}`);
  return (res.body as { records: AuditEntry[] }).records;
}
