import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { baseEnv, freePort, spawnNode, tempDir, type Managed } from './processes';
import { GATEWAY_NODE_FLAGS } from '../../src/node-flags';

export const ROOT = resolve(__dirname, '..', '..');
export const DIST_GATEWAY = join(ROOT, 'dist', 'main.js');
export const DIST_SANDBOX = join(ROOT, 'dist', 'sandbox', 'main.js');

/** The benchmark's API key (clear text here; the gateway only sees its SHA-256). */
export const BENCH_KEY = 'bench-key-all-scopes';
export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_KEY}` };
const ALL_SCOPES = [
  'reporting:read',
  'analytics:read',
  'export:read',
  'export:write',
  'status:write',
  'audit:read',
];

export interface Sandbox extends Managed {
  url: string;
}

export interface GatewayProcess extends Managed {
  url: string;
  dataDir: string;
}

/** The sandbox alone (`node dist/sandbox/main.js`), configured through SANDBOX_*. */
export async function startSandbox(env: Record<string, string> = {}): Promise<Sandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = await spawnNode({
    name: 'sandbox',
    args: [DIST_SANDBOX],
    cwd: ROOT,
    env: { ...baseEnv(), SANDBOX_HOST: '127.0.0.1', SANDBOX_PORT: String(port), ...env },
    readyUrl: `${url}/_sandbox/health`,
  });
  return { ...managed, url };
}

export interface GatewayOptions {
  sandbox: Sandbox;
  env?: Record<string, string>;
  /** Extra node flags before the entry point, e.g. `['-r', preload]`. */
  nodeArgs?: string[];
  name?: string;
}

/** The gateway (`node dist/main.js`) against a sandbox, memory mode, LOG_LEVEL=warn. */
export async function startGateway(options: GatewayOptions): Promise<GatewayProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = tempDir('data');
  const managed = await spawnNode({
    name: options.name ?? 'gateway',
    // As production starts it (npm run start:prod, the Dockerfile): with the gateway's V8 flags.
    args: [...GATEWAY_NODE_FLAGS, ...(options.nodeArgs ?? []), DIST_GATEWAY],
    cwd: ROOT,
    env: { ...baseEnv(), ...gatewayEnv(options.sandbox.url, port, dataDir), ...options.env },
    readyUrl: `${url}/health/ready`,
  });
  return { ...managed, url, dataDir };
}

export function gatewayEnv(sandboxUrl: string, port: number, dataDir: string) {
  return {
    HOST: '127.0.0.1',
    PORT: String(port),
    CXONE_DIALECT: 'v2',
    CXONE_API_BASE_URL: sandboxUrl,
    CXONE_CLIENT_ID: 'sandbox-client',
    CXONE_CLIENT_SECRET: 'sandbox-secret',
    API_KEYS: JSON.stringify([
      {
        name: 'bench',
        sha256: createHash('sha256').update(BENCH_KEY).digest('hex'),
        scopes: ALL_SCOPES,
        // The bench key measures throughput: limits far above it (they still run per request).
        rateLimit: { rps: 1_000_000, bypassRps: 1_000_000 },
      },
    ]),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  };
}

/** The bare Fastify process serving recorded bytes (see bench/reference-server.ts). */
export async function startReference(fixtureFile: string): Promise<Sandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = await spawnNode({
    name: 'reference',
    args: ['-r', 'ts-node/register/transpile-only', join(ROOT, 'bench', 'reference-server.ts')],
    cwd: ROOT,
    env: { ...baseEnv(), BENCH_REFERENCE_FILE: fixtureFile, PORT: String(port) },
    readyUrl: `${url}/ready`,
  });
  return { ...managed, url };
}
