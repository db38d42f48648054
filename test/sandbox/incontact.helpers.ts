import { request as httpRequest } from 'node:http';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import {
  startSandbox,
  type SandboxHandle,
  type SandboxStartOptions,
} from '../../src/sandbox/sandbox.server';
import type { Json, JsonResponse } from './sandbox-http.helpers';

/** A sandbox plus the calls real inContact clients make, in the order they make them. */
export interface IncontactUnderTest {
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  /** The fake clock the sandbox runs on (tokens expire against it). */
  clock: { now: number };
  /** Discovery → password grant with Basic client auth (the recommended back-end flow). */
  grant(): Promise<Json>;
  /** A cached access token from grant(). */
  token(): Promise<string>;
  /** GET `{acd}/path` at `version` with Bearer and `Accept: application/json`. */
  acd(
    path: string,
    query?: Record<string, string | number>,
    version?: string,
  ): Promise<JsonResponse>;
  /** GET a full URL (e.g. `_links.next`) as-is, with the same headers. */
  follow(url: string): Promise<JsonResponse>;
  reset(): Promise<void>;
}

export const DAY_MS = 86_400_000;
/** A fixed UTC day inside the simulated history. */
export const MAY_1 = '2024-05-01T00:00:00.000Z';
export const MAY_2 = '2024-05-02T00:00:00.000Z';

export async function startIncontactUnderTest(
  options: SandboxStartOptions = {},
): Promise<IncontactUnderTest> {
  const clock = { now: Date.parse('2026-03-02T10:00:00.000Z') };
  const sandbox = await startSandbox({ port: 0, ...options }, () => clock.now);
  const control = new SandboxControlClient(sandbox.url);
  const creds = sandbox.fixtures.incontact.credentials;
  const grant = async (): Promise<Json> => {
    const discovery = (await (
      await fetch(`${sandbox.url}/.well-known/openid-configuration`)
    ).json()) as { token_endpoint: string };
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString('base64');
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: creds.accessKeyId,
        password: creds.accessKeySecret,
      }),
    });
    if (response.status !== 200) throw new Error(`grant failed: ${response.status}`);
    return response.json();
  };
  let cached: string | undefined;
  const token = async (): Promise<string> =>
    (cached ??= ((await grant()) as { access_token: string }).access_token);
  const headers = async (): Promise<Record<string, string>> => ({
    Authorization: `Bearer ${await token()}`,
    Accept: 'application/json',
  });
  return {
    sandbox,
    control,
    clock,
    grant,
    token,
    acd: async (path, query = {}, version = '30.0') => {
      const qs = new URLSearchParams(
        Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
      );
      const suffix = qs.size > 0 ? `?${qs.toString()}` : '';
      const url = `${sandbox.url}/inContactAPI/services/v${version}${path}${suffix}`;
      return fetch(url, { headers: await headers() });
    },
    follow: async (url) => fetch(url, { headers: await headers() }),
    reset: async () => {
      await control.reset();
      cached = undefined;
    },
  };
}

/** A GET with exactly these headers: fetch always adds an Accept of any type, node:http none. */
export function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The claims of a JWT (no verification: what a back-end adapter reads). */
export function claimsOf(jwt: string): Json {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}
