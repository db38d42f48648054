import request from 'supertest';
import { DataExtractionControlClient } from '../../src/sandbox/incontact/data-extraction/de-control.client';
import type { DataExtractionOptions } from '../../src/sandbox/incontact/data-extraction/de-options';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import type { ExportBody } from './export-helpers';
import { WarpClock } from './warp-clock';

export const FINISHED = ['completed', 'partial', 'failed', 'cancelled'];

/** The gateway environment that speaks the sandbox's incontact surface (discovery, access key). */
export function incontactEnv(sandbox: SandboxHandle): Record<string, string | undefined> {
  const { credentials } = sandbox.fixtures.incontact;
  return {
    CXONE_DIALECT: 'incontact',
    CXONE_ISSUER: sandbox.url,
    CXONE_API_BASE_URL: undefined,
    CXONE_CLIENT_ID: credentials.clientId,
    CXONE_CLIENT_SECRET: credentials.clientSecret,
    CXONE_ACCESS_KEY_ID: credentials.accessKeyId,
    CXONE_ACCESS_KEY_SECRET: credentials.accessKeySecret,
    CXONE_DEADLINE_MS: '60000',
    EXPORT_POLL_INTERVAL_MS: '100',
  };
}

export interface IncontactStack {
  clock: WarpClock;
  sandbox: SandboxHandle;
  de: DataExtractionControlClient;
  gateways: TestGateway[];
  close(): Promise<void>;
}

/** A sandbox and `replicas` gateways in the incontact dialect, all on one WarpClock. */
export async function startIncontactStack(options: {
  dataExtraction?: Partial<DataExtractionOptions>;
  env?: Record<string, string | undefined>;
  replicas?: number;
}): Promise<IncontactStack> {
  const clock = new WarpClock();
  const sandbox = await startSandbox({ port: 0, dataExtraction: options.dataExtraction }, () =>
    clock.now(),
  );
  const gateways: TestGateway[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i += 1) {
    gateways.push(
      await startTestGateway({
        sharedSandbox: sandbox,
        clock,
        env: { ...incontactEnv(sandbox), ...options.env },
      }),
    );
  }
  return {
    clock,
    sandbox,
    de: new DataExtractionControlClient(sandbox.url),
    gateways,
    close: async () => {
      for (const g of gateways) await g.close();
      await sandbox.close();
    },
  };
}

/**
 * Polls the export's status until `done` holds, skipping the gateway's long waits (31 s pacing
 * and throttle backoffs) on the shared clock whenever it is idle in one.
 */
export async function waitForIncontactExport(
  stack: IncontactStack,
  t: TestGateway,
  id: string,
  done: (body: ExportBody) => boolean = (b) => FINISHED.includes(b.status),
  timeoutMs = 60_000,
): Promise<ExportBody> {
  const deadline = Date.now() + timeoutMs;
  let last: ExportBody | undefined;
  while (Date.now() < deadline) {
    const res = await request(t.url).get(`/v1/exports/${id}`).set(t.auth()).expect(200);
    last = res.body as ExportBody;
    if (done(last)) return last;
    stack.clock.skipLongSleep();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`export ${id} did not reach the expected state: ${JSON.stringify(last)}`);
}

export async function createIncontactExport(t: TestGateway, body: object): Promise<string> {
  const res = await request(t.url).post('/v1/exports').set(t.auth(TEST_KEYS.all)).send(body);
  if (res.status !== 202) throw new Error(`POST /v1/exports → ${res.status}: ${res.text}`);
  return res.body.id as string;
}

/** The body text of a records download in `format`. */
export async function recordsText(t: TestGateway, id: string, format: string): Promise<string> {
  const res = await request(t.url)
    .get(`/v1/exports/${id}/records?format=${format}`)
    .set(t.auth())
    .buffer(true)
    .parse((r, cb) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (text += c));
      r.on('end', () => cb(null, text));
    });
  if (res.status !== 200) throw new Error(`records → ${res.status}: ${String(res.body)}`);
  return res.body as string;
}
