import { startSandbox, type SandboxHandle } from '../../src/sandbox/sandbox.server';
import { SANDBOX_FIXTURES } from '../../src/sandbox/fixtures';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';
import {
  startWebhookReceiver,
  type WebhookReceiver,
} from '../../src/webhooks/webhook-receiver.fake';
import {
  leaks,
  ResponseLog,
  secrets,
  send,
  startTokenSniffer,
  type Answer,
  type TokenSniffer,
} from './support/capture';
import { fillPath, loadOperations, type Operation } from './support/openapi';
import { sleep } from './support/processes';

/** The only routes that may answer without a key (the /v1 contract in README.md); /docs* are not in the document. */
// The wallboard is a static page: it holds no data and gets everything it shows with a key.
const PUBLIC = ['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /wallboard'];
const SAMPLE_IDS: Record<string, string> = {
  agentId: SANDBOX_FIXTURES.agents.moderate,
  userId: SANDBOX_FIXTURES.users.agent,
  id: '00000000-0000-4000-8000-000000000000',
};
const ALLOWED_HOST = 'hooks.example.com';

/** The OData feed's errors: `{ error: { code, message } }` as application/json. */
function isODataError(answer: Answer, status: number): boolean {
  const body = answer.json as { error?: { code?: unknown } } | undefined;
  return (
    answer.status === status &&
    (answer.headers.get('content-type') ?? '').startsWith('application/json') &&
    typeof body?.error?.code === 'string'
  );
}

function isProblem(answer: Answer, status: number): boolean {
  const problem = answer.json as { status?: number } | undefined;
  return (
    answer.status === status &&
    (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    problem?.status === status
  );
}

describe('security', () => {
  let sandbox: SandboxHandle;
  let sniffer: TokenSniffer;
  let t: TestGateway;
  let allowed: WebhookReceiver;
  let forbidden: WebhookReceiver;
  const log = new ResponseLog();

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, exportQueuedMs: 50, exportRunningMs: 100 });
    sniffer = await startTokenSniffer(sandbox.url);
    forbidden = await startWebhookReceiver();
    allowed = await startWebhookReceiver({
      okStatus: 302,
      headers: { location: `${forbidden.url}/stolen` },
    });
    t = await startTestGateway({
      sharedSandbox: sandbox,
      env: {
        CXONE_API_BASE_URL: sniffer.url,
        LOG_LEVEL: 'trace',
        WEBHOOK_ALLOWED_HOSTS: `${ALLOWED_HOST},${allowed.hostPort}`,
        WEBHOOK_MAX_ATTEMPTS: '2',
        EXPORT_POLL_INTERVAL_MS: '50',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
    await sniffer?.close();
    await allowed?.close();
    await forbidden?.close();
  });

  const call = (op: Operation, headers: Record<string, string>) =>
    send(log, `${t.url}${fillPath(op.template, SAMPLE_IDS)}`, {
      method: op.method,
      headers: op.hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
      body: op.hasBody ? '{}' : undefined,
    });

  it('refuses a missing key, a wrong key and a missing scope on every non-public route', async () => {
    const ops = await loadOperations(t.url);
    const publicOps = ops.filter((o) => o.isPublic).map((o) => `${o.method} ${o.template}`);
    expect(publicOps.sort()).toEqual([...PUBLIC].sort());
    const failures: string[] = [];
    let tried = 0;
    for (const op of ops) {
      const name = `${op.method} ${op.template}`;
      const open = await call(op, {});
      tried += 1;
      if (PUBLIC.includes(name)) {
        if (open.status === 401 || open.status === 403)
          failures.push(`${name}: public route refused`);
        continue;
      }
      const attempts: [string, Record<string, string>, number][] = [
        ['no key', {}, 401],
        ['unknown bearer key', { authorization: 'Bearer not-a-key' }, 401],
        ['unknown X-API-Key', { 'x-api-key': 'not-a-key' }, 401],
      ];
      if (op.needsScope)
        attempts.push(['key without scopes', { authorization: `Bearer ${TEST_KEYS.none}` }, 403]);
      // Routes a reporting:read key may use: the reporting reads, and the stream's tickets.
      const reportingOnly =
        (/\/(queues|agents\/\{agentId\})/.test(op.template) && op.method === 'GET') ||
        name === 'POST /v1/queues/stream-tickets' ||
        /^\/odata\/v1\/(Queues|AgentStateChanges)$/.test(op.template);
      if (!reportingOnly && op.needsScope)
        attempts.push(['reporting-only key', { 'x-api-key': TEST_KEYS.reporting }, 403]);
      for (const [what, headers, status] of attempts) {
        const answer = what === 'no key' ? open : await call(op, headers);
        tried += what === 'no key' ? 0 : 1;
        const refused = op.errorMedia.startsWith('application/problem+json')
          ? isProblem(answer, status)
          : isODataError(answer, status);
        if (!refused) failures.push(`${name} with ${what}: ${answer.status} (want ${status})`);
      }
    }
    console.log(`[security] auth sweep: ${tried} requests over ${ops.length} operations`);
    expect(failures).toEqual([]);
  });

  it('refuses webhook targets outside the allow-list (POST /v1/exports → 400)', async () => {
    const port = allowed.port;
    const refused = [
      `http://127.0.0.1/hook`,
      `http://localhost:${port}/hook`,
      `http://[::1]:${port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fe80::1]/hook',
      'http://2130706433/',
      `http://2130706433:${port}/`,
      `http://0x7f.0.0.1:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://127.1:${port}/`,
      `http://${ALLOWED_HOST}.evil.example/`,
      `http://${ALLOWED_HOST}@evil.example/`,
      `http://user:pw@${ALLOWED_HOST}/`,
      `http://evil.example#@${ALLOWED_HOST}/`,
      `http://${ALLOWED_HOST}:8080/`,
      `ftp://${ALLOWED_HOST}/`,
      'file:///etc/passwd',
      'javascript:alert(1)',
      `${ALLOWED_HOST}/relative`,
      `http://${'a'.repeat(3000)}.example/`,
    ];
    const body = (webhookUrl: string) =>
      JSON.stringify({ start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z', webhookUrl });
    const accepted: string[] = [];
    for (const url of refused) {
      const answer = await send(log, `${t.url}/v1/exports`, {
        method: 'POST',
        headers: { ...t.auth(), 'content-type': 'application/json' },
        body: body(url),
      });
      const fields = ((answer.json as { errors?: { field: string }[] })?.errors ?? []).map(
        (e) => e.field,
      );
      if (!isProblem(answer, 400) || !fields.includes('webhookUrl'))
        accepted.push(`${url} → ${answer.status}`);
    }
    const control = await send(log, `${t.url}/v1/exports`, {
      method: 'POST',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      body: body(`https://${ALLOWED_HOST}/hooks/export`),
    });
    console.log(
      `[security] webhook allow-list: ${refused.length} bad targets tried, ${accepted.length} accepted`,
    );
    expect(accepted).toEqual([]);
    expect(control.status).toBe(202);
    await send(log, `${t.url}/v1/exports/${(control.json as { id: string }).id}`, {
      method: 'DELETE',
      headers: t.auth(),
    });
  });

  it('does not follow a redirect from an allowed webhook target', async () => {
    const created = await send(log, `${t.url}/v1/exports`, {
      method: 'POST',
      headers: { ...t.auth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        start: '2024-05-01T00:00:00Z',
        end: '2024-05-02T00:00:00Z',
        webhookUrl: `${allowed.url}/hooks/export`,
      }),
    });
    expect(created.status).toBe(202);
    const { id } = created.json as { id: string };
    await allowed.waitFor(1, 30000);
    // The attempt is recorded once its answer (the redirect) is handled: any redirect the
    // gateway followed would have reached the forbidden target by then.
    let webhook: { delivered?: boolean; attempts?: number } | undefined;
    const deadline = Date.now() + 30000;
    while (!(webhook?.attempts && webhook.attempts >= 1) && Date.now() < deadline) {
      const view = await send(log, `${t.url}/v1/exports/${id}`, { headers: t.auth() });
      webhook = (view.json as { webhook?: typeof webhook }).webhook;
      if (!webhook?.attempts) await sleep(50);
    }
    expect(webhook?.attempts).toBeGreaterThanOrEqual(1);
    console.log(
      `[security] redirect: allowed target hit ${allowed.requests.length}×, redirect target ${forbidden.requests.length}×`,
    );
    expect(forbidden.requests).toHaveLength(0);
    expect(webhook?.delivered).toBe(false);
  }, 60_000);

  it('never logs or returns a secret: client secret, API keys, signing secret, CXone tokens', async () => {
    // Exercise the token paths too: an expired token is refreshed (a 401 upstream, a new token).
    await send(log, `${t.url}/v1/queues/stats`, { headers: t.auth() });
    await t.control.expireTokens();
    await send(log, `${t.url}/v1/agents/${SAMPLE_IDS.agentId}/state-history`, {
      headers: t.auth(),
    });
    for (const path of [
      '/v1/upstream/status',
      '/metrics',
      '/docs-json',
      '/health/ready',
      '/v1/audit',
    ]) {
      await send(log, `${t.url}${path}`, { headers: t.auth() });
    }
    const tokens = [...sniffer.tokens];
    const all = secrets([
      ...tokens,
      ...Object.values(TEST_KEYS),
      'test-webhook-signing-secret',
      'sandbox-secret',
    ]);
    const webhookTexts = allowed.requests.map((r) => `${JSON.stringify(r.headers)}\n${r.body}`);
    const found = leaks([...t.logs.lines, ...log.texts, ...webhookTexts], all);
    console.log(
      `[security] secrets: ${all.length} (${tokens.length} CXone tokens) searched in ${t.logs.lines.length} log lines and ${log.texts.length} responses`,
    );
    expect(tokens.length).toBeGreaterThanOrEqual(2);
    expect(found).toEqual([]);
  });
});
