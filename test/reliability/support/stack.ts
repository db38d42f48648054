import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../../src/config/api-keys';
import { API_SCOPES } from '../../../src/config/app-config.types';
import { SandboxControlClient } from '../../../src/sandbox/sandbox-control.client';
import { baseEnv, freePort, spawnProc, waitForHttp, type Proc } from './processes';

const ROOT = resolve(__dirname, '..', '..', '..');
/** ts-node with SWC: seconds faster to start than tsc transpilation, same code as `npm start`. */
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];
const TS_NODE_ENV = { TS_NODE_SWC: 'true' };

/**
 * Secrets planted for the whole suite; none of them may ever show up in a log line or a
 * response body (tokens issued by the sandbox are collected at run time and checked too).
 */
export const CANARY = {
  clientSecret: 'canary-client-secret-6f1d0c9e',
  apiKey: 'canary-api-key-all-scopes-2b7e4a51',
  reportingKey: 'canary-api-key-reporting-93c4d2e0',
  noScopeKey: 'canary-api-key-no-scopes-58af17b3',
  webhookSecret: 'canary-webhook-secret-0d4c8b72',
} as const;

export const AUTH = { authorization: `Bearer ${CANARY.apiKey}` };

export function apiKeysEnv(): string {
  return JSON.stringify([
    { name: 'reliability', sha256: sha256Hex(CANARY.apiKey), scopes: API_SCOPES },
    { name: 'reporter', sha256: sha256Hex(CANARY.reportingKey), scopes: ['reporting:read'] },
    { name: 'nobody', sha256: sha256Hex(CANARY.noScopeKey), scopes: [] },
  ]);
}

export interface SandboxProc {
  proc: Proc;
  url: string;
  control: SandboxControlClient;
}

/** `npm run sandbox` as its own process, configured through SANDBOX_*. */
export async function startSandboxProc(env: Record<string, string> = {}): Promise<SandboxProc> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawnProc('sandbox', process.execPath, [...TS_NODE, 'src/sandbox/main.ts'], {
    cwd: ROOT,
    env: {
      ...baseEnv(),
      ...TS_NODE_ENV,
      SANDBOX_HOST: '127.0.0.1',
      SANDBOX_PORT: String(port),
      SANDBOX_CLIENT_SECRET: CANARY.clientSecret,
      ...env,
    },
  });
  await waitForHttp(`${url}/_sandbox/health`, { proc, timeoutMs: 30000 });
  return { proc, url, control: new SandboxControlClient(url) };
}

export interface GatewayProc {
  proc: Proc;
  url: string;
  port: number;
  dataDir: string;
  env: Record<string, string>;
}

export interface GatewaySpec {
  sandboxUrl: string;
  env?: Record<string, string>;
  /** Reuse across restarts (same DATA_DIR, same port). */
  dataDir?: string;
  port?: number;
}

const dataDirs: string[] = [];

export function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cxgw-rel-'));
  dataDirs.push(dir);
  return dir;
}

/** Removes the DATA_DIRs this spec created (call after the gateways have stopped). */
export function removeDataDirs(): void {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** `npm start` (ts-node) against a sandbox; resolves once /health/live answers. */
export async function startGatewayProc(spec: GatewaySpec): Promise<GatewayProc> {
  const port = spec.port ?? (await freePort());
  const dataDir = spec.dataDir ?? newDataDir();
  const env = {
    ...baseEnv(),
    ...TS_NODE_ENV,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'info',
    CXONE_DIALECT: 'v2',
    CXONE_API_BASE_URL: spec.sandboxUrl,
    CXONE_CLIENT_ID: 'sandbox-client',
    CXONE_CLIENT_SECRET: CANARY.clientSecret,
    API_KEYS: apiKeysEnv(),
    WEBHOOK_SIGNING_SECRET: CANARY.webhookSecret,
    DATA_DIR: dataDir,
    // The load and outage specs send hundreds of one key's requests a second; test/limits
    // proves the limits.
    RATE_LIMIT_RPS: '100000',
    RATE_LIMIT_BYPASS_RPS: '100000',
    ...spec.env,
  };
  const proc = spawnProc('gateway', process.execPath, [...TS_NODE, 'src/main.ts'], {
    cwd: ROOT,
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health/live`, { proc, timeoutMs: 60000 });
  return { proc, url, port, dataDir, env };
}

export interface RedisProc {
  proc: Proc;
  port: number;
  url: string;
}

/** A throwaway redis-server on a loopback port (no persistence: a restart starts empty). */
export async function startRedis(port?: number): Promise<RedisProc> {
  const p = port ?? (await freePort());
  const proc = spawnProc(
    'redis',
    'redis-server',
    ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { env: baseEnv() },
  );
  const deadline = Date.now() + 10000;
  while (!proc.lines.some((l) => l.includes('Ready to accept connections'))) {
    if (Date.now() > deadline)
      throw new Error(`redis-server did not start:\n${proc.lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, port: p, url: `redis://127.0.0.1:${p}` };
}
