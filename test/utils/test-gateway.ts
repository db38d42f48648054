import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGateway, Gateway } from '../../src/bootstrap';
import type { Clock } from '../../src/common/clock/clock';
import { parseConfig } from '../../src/config/app-config';
import { sha256Hex } from '../../src/config/api-keys';
import { API_SCOPES, ApiScope } from '../../src/config/app-config.types';
import { SandboxControlClient } from '../../src/sandbox/sandbox-control.client';
import { startSandbox, SandboxHandle } from '../../src/sandbox/sandbox.server';
import type { SandboxOptions } from '../../src/sandbox/sandbox.options';

/** Well-known test API keys (clear text here; the gateway only ever sees their SHA-256). */
export const TEST_KEYS = {
  /** Every scope, name "tester". */
  all: 'test-key-all-scopes',
  /** Every scope, a different caller ("other") — for ownership checks. */
  other: 'test-key-other-caller',
  /** Only reporting:read. */
  reporting: 'test-key-reporting-only',
  /** No scopes at all. */
  none: 'test-key-no-scopes',
} as const;

export function testApiKeysEnv(): string {
  const entry = (name: string, key: string, scopes: readonly ApiScope[]) => ({
    name,
    sha256: sha256Hex(key),
    scopes,
  });
  return JSON.stringify([
    entry('tester', TEST_KEYS.all, API_SCOPES),
    entry('other', TEST_KEYS.other, API_SCOPES),
    entry('reporter', TEST_KEYS.reporting, ['reporting:read']),
    entry('nobody', TEST_KEYS.none, []),
  ]);
}

/** Collects every log line the gateway writes, for redaction and audit assertions. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestGatewayOptions {
  /** Extra environment for the gateway (e.g. REDIS_URL, QUEUE_STATS_TTL_S). */
  env?: Record<string, string | undefined>;
  sandbox?: Partial<SandboxOptions>;
  /** Reuse a sandbox started elsewhere (e.g. shared by two gateways). */
  sharedSandbox?: SandboxHandle;
  /** Replaces the gateway's system clock; its own sandbox reads it too (a shared one does not). */
  clock?: Clock;
}

export interface TestGateway {
  gateway: Gateway;
  url: string;
  sandbox: SandboxHandle;
  control: SandboxControlClient;
  logs: LogCapture;
  dataDir: string;
  /** Authorization header for a test key. */
  auth(key?: string): { authorization: string };
  close(): Promise<void>;
}

/**
 * The whole gateway, in process, on port 0, against a real sandbox over HTTP: what e2e specs use.
 * Each call gets its own sandbox (unless shared) and its own DATA_DIR.
 */
export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const { clock } = options;
  // The sandbox reads the gateway's clock, so token lifetimes and Retry-After dates agree.
  const sandbox =
    options.sharedSandbox ??
    (await startSandbox({ port: 0, ...options.sandbox }, clock && (() => clock.now())));
  const dataDir = mkdtempSync(join(tmpdir(), 'cxgw-test-'));
  const config = parseConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    CXONE_DIALECT: 'v2',
    CXONE_API_BASE_URL: sandbox.url,
    CXONE_CLIENT_ID: sandbox.fixtures.credentials.clientId,
    CXONE_CLIENT_SECRET: sandbox.fixtures.credentials.clientSecret,
    CXONE_TIMEOUT_MS: '2000',
    CXONE_DEADLINE_MS: '8000',
    CXONE_MAX_RPS: '500',
    CXONE_MAX_CONCURRENCY: '16',
    API_KEYS: testApiKeysEnv(),
    DATA_DIR: dataDir,
    WEBHOOK_SIGNING_SECRET: 'test-webhook-signing-secret',
    // Specs of other features send bursts of one key's requests; test/limits sets real limits.
    RATE_LIMIT_RPS: '100000',
    RATE_LIMIT_BYPASS_RPS: '100000',
    ...options.env,
  });
  const logs = new LogCapture();
  const gateway = await createGateway({ config, logDestination: logs, clock: options.clock });
  return {
    gateway,
    url: gateway.url,
    sandbox,
    control: new SandboxControlClient(sandbox.url),
    logs,
    dataDir,
    auth: (key: string = TEST_KEYS.all) => ({ authorization: `Bearer ${key}` }),
    async close() {
      await gateway.close();
      if (!options.sharedSandbox) await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export { testRedisUrl } from '../../src/common/redis/test-redis-url.fake';
