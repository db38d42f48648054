import request from 'supertest';
import type { IncontactQuirks } from '../../src/sandbox/incontact/quirks';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import {
  startSandbox,
  type SandboxHandle,
  type SandboxStartOptions,
} from '../../src/sandbox/sandbox.server';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';

export const DAY_MS = 86_400_000;

/**
 * One sandbox (one simulated world, both surfaces) with a v2 gateway and an incontact gateway
 * in front of it, so a spec can ask both the same question and compare the answers.
 */
export interface DialectPair {
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  v2: TestGateway;
  ic: TestGateway;
  /** The sandbox's time, frozen unless a spec moves it (live figures never drift between asks). */
  clock: { now: number };
  close(): Promise<void>;
}

export interface DialectPairOptions {
  sandbox?: SandboxStartOptions;
  /** Extra environment for the incontact gateway (e.g. CXONE_API_VERSION, CXONE_TOKEN_AUTH). */
  env?: Record<string, string | undefined>;
  /** Start the v2 gateway too (default true). */
  withV2?: boolean;
}

/** The incontact gateway's environment: discovery from the sandbox as issuer, no pinned host. */
export function incontactEnv(sandbox: SandboxHandle): Record<string, string | undefined> {
  const creds = sandbox.fixtures.incontact.credentials;
  return {
    CXONE_DIALECT: 'incontact',
    CXONE_API_BASE_URL: undefined,
    CXONE_ISSUER: sandbox.url,
    CXONE_CLIENT_ID: creds.clientId,
    CXONE_CLIENT_SECRET: creds.clientSecret,
    CXONE_ACCESS_KEY_ID: creds.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: creds.accessKeySecret,
  };
}

export async function startDialectPair(options: DialectPairOptions = {}): Promise<DialectPair> {
  const clock = { now: Date.now() };
  const sandbox = await startSandbox({ port: 0, ...options.sandbox }, () => clock.now);
  const ic = await startTestGateway({
    sharedSandbox: sandbox,
    env: { ...incontactEnv(sandbox), QUEUE_STATS_TTL_S: '0', ...options.env },
  });
  const v2 =
    options.withV2 === false
      ? ic
      : await startTestGateway({ sharedSandbox: sandbox, env: { QUEUE_STATS_TTL_S: '0' } });
  return {
    sandbox,
    control: new SandboxControlClient(sandbox.url),
    v2,
    ic,
    clock,
    async close() {
      await ic.close();
      if (v2 !== ic) await v2.close();
      await sandbox.close();
    },
  };
}

/** GET a gateway path with the reporting key, never from the gateway's cache. */
export function gatewayGet(t: TestGateway, path: string, query: Record<string, string> = {}) {
  return request(t.url)
    .get(path)
    .query(query)
    .set({ ...t.auth(TEST_KEYS.reporting), 'cache-control': 'no-cache' });
}

/** A whole UTC day a few days back (inside the simulated history, far from "now"). */
export function pastDay(daysBack = 2): { start: string; end: string } {
  const midnight = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  return {
    start: new Date(midnight - daysBack * DAY_MS).toISOString(),
    end: new Date(midnight - (daysBack - 1) * DAY_MS).toISOString(),
  };
}

/**
 * The quirk styles the incontact dialect must read alike. `apiVersion` is the gateway's
 * CXONE_API_VERSION; at v21.0 and older the sandbox answers every value as a string.
 */
export interface QuirkStyle {
  name: string;
  quirks: Partial<IncontactQuirks>;
  apiVersion?: string;
}

export const QUIRK_STYLES: readonly QuirkStyle[] = [
  { name: 'the published spec (typed, v30.0)', quirks: {} },
  { name: 'v21.0: every value a string, "True"/"False"', quirks: {}, apiVersion: '21.0' },
  {
    name: 'resultSet wrapper, PascalCase keys, durations in seconds',
    quirks: { wrapper: 'resultSet', keyCase: 'pascal', durations: 'seconds' },
  },
  {
    name: 'lower-case resultset, empty arrays for empty windows, offset paging without totals, 100-row pages',
    quirks: {
      wrapper: 'resultset',
      emptyAs: 'empty-array',
      paging: 'offset-no-total',
      pageCap: 100,
    },
  },
  {
    name: 'links only with an absent last next, strings with lower-case booleans, no Accept → text',
    quirks: {
      paging: 'links',
      lastPageNext: 'absent',
      valueStyle: 'strings',
      booleans: 'lowercase',
      noAccept: 'not-json',
    },
  },
  {
    name: 'extended state names, states straddling the window start',
    quirks: { stateNames: 'extended', historyStraddle: 'include', lastPageNext: 'empty' },
  },
];
