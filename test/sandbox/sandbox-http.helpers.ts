import { gunzipSync } from 'node:zlib';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import type { SandboxOptions } from '../../src/sandbox/sandbox.options';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed HTTP bodies are asserted on, never trusted
export type Json = any;

/** fetch's Response with a body typed for assertions. */
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<Json> };

/** A sandbox on port 0 plus helpers that call it the way the seed tutorials' Python code does. */
export interface SandboxUnderTest {
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  token(): Promise<string>;
  /** POST /_sandbox/reset (which also expires tokens) and forget the cached token. */
  reset(): Promise<void>;
  get(path: string, query?: Record<string, string | number>): Promise<JsonResponse>;
  send(method: 'POST' | 'PUT', path: string, body: unknown): Promise<JsonResponse>;
}

export async function startSandboxUnderTest(
  options: Partial<SandboxOptions> = {},
  /** The sandbox's time (a spec's fake clock); the system clock by default. */
  now?: () => number,
): Promise<SandboxUnderTest> {
  const sandbox = await startSandbox({ port: 0, ...options }, now);
  const control = new SandboxControlClient(sandbox.url);
  const { clientId, clientSecret } = sandbox.fixtures.credentials;
  const token = async (): Promise<string> => {
    const response = await fetch(`${sandbox.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
      }),
    });
    const body = (await response.json()) as { access_token: string };
    return body.access_token;
  };
  let cached: string | undefined;
  const auth = async (): Promise<Record<string, string>> => ({
    Authorization: `Bearer ${(cached ??= await token())}`,
    Accept: 'application/json',
  });
  return {
    sandbox,
    control,
    token,
    reset: async () => {
      await control.reset();
      cached = undefined;
    },
    get: async (path, query = {}) => {
      const qs = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      );
      const suffix = qs.size > 0 ? `?${qs.toString()}` : '';
      return fetch(`${sandbox.url}${path}${suffix}`, { headers: await auth() });
    },
    send: async (method, path, body) =>
      fetch(`${sandbox.url}${path}`, {
        method,
        headers: { ...(await auth()), 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

/**
 * The v2 §exports check, as its tutorial wrote it: gunzip when announced, parse, validate, dedupe by id.
 * fetch already undoes Content-Encoding, so only a gzip Content-Type is left for us to gunzip.
 */
export function validateDownload(
  body: Buffer,
  headers: Headers,
): {
  records: unknown[];
  valid: Record<string, unknown>[];
  schemaErrors: number;
  duplicates: number;
} {
  const gzip = (headers.get('content-type') ?? '').includes('gzip');
  const records = JSON.parse((gzip ? gunzipSync(body) : body).toString('utf8')) as unknown[];
  const required = ['id', 'type', 'dateFrom', 'dateTo', 'botId', 'agentId', 'duration'];
  const seen = new Set<unknown>();
  const valid: Record<string, unknown>[] = [];
  let schemaErrors = 0;
  let duplicates = 0;
  for (const record of records as Record<string, unknown>[]) {
    const ok =
      required.every((f) => f in record) &&
      typeof record.duration === 'number' &&
      typeof record.dateFrom === 'string';
    if (!ok) schemaErrors += 1;
    else if (seen.has(record.id)) duplicates += 1;
    else {
      seen.add(record.id);
      valid.push(record);
    }
  }
  return { records, valid, schemaErrors, duplicates };
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));
