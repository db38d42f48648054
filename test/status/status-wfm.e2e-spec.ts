import request from 'supertest';
import { WfmStatusNotifier } from '../../src/status/wfm-status.notifier';
import { verifyWebhookSignature } from '../../src/webhooks/webhook-signer';
import { startTestGateway, TestGateway } from '../utils/test-gateway';
import { startWebhookReceiver, WebhookReceiver } from '../../src/webhooks/webhook-receiver.fake';

const SECRET = 'test-webhook-signing-secret';

describe('WFM status sync webhook (e2e)', () => {
  let receiver: WebhookReceiver;
  let t: TestGateway;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestGateway({
      env: {
        WFM_WEBHOOK_URL: `${receiver.url}/wfm/status-sync`,
        WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
        WEBHOOK_MAX_ATTEMPTS: '3',
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.configure({});
  });

  const put = (body: object) =>
    request(t.url)
      .put(`/v1/agents/${t.sandbox.fixtures.users.agent}/status`)
      .set(t.auth())
      .send(body);

  it('posts the signed seed event after a successful update', async () => {
    const res = await put({ status: 'Break', pauseReason: 'Manager Meeting' });
    expect(res.status).toBe(200);
    const [hook] = await receiver.waitFor(1);
    expect(hook.method).toBe('POST');
    expect(hook.path).toBe('/wfm/status-sync');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.headers['x-webhook-id']).toEqual(expect.any(String));
    expect(JSON.parse(hook.body)).toEqual({
      event: 'agent_status_updated',
      userId: t.sandbox.fixtures.users.agent,
      status: 'Break',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      latencyMs: res.body.latencyMs,
      source: 'cxone_gateway',
    });
    const verified = verifyWebhookSignature({
      secret: SECRET,
      body: hook.body,
      header: hook.headers['x-signature'] as string,
      nowS: Date.now() / 1000,
    });
    expect(verified).toBe(true);
    expect(
      verifyWebhookSignature({
        secret: 'wrong',
        body: hook.body,
        header: hook.headers['x-signature'] as string,
        nowS: Date.now() / 1000,
      }),
    ).toBe(false);
  });

  it('sends nothing when the update fails', async () => {
    const res = await request(t.url)
      .put(`/v1/agents/${t.sandbox.fixtures.users.wrapUp}/status`)
      .set(t.auth())
      .send({ status: 'Available' });
    expect(res.status).toBe(409);
    // Whatever the notifier had started is finished now: nothing was sent.
    expect(await t.gateway.app.get(WfmStatusNotifier).drain(10_000)).toBe(true);
    expect(receiver.requests).toHaveLength(0);
  });

  it('a failing, slow WFM endpoint neither fails nor delays the update, and is retried', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    receiver.configure({ failFirst: 100, failStatus: 500, holdUntil: held });
    // The WFM endpoint answers nothing until released: the update is answered regardless.
    const res = await put({ status: 'Busy' });
    expect(res.status).toBe(200);
    release();
    const hooks = await receiver.waitFor(2, 10_000);
    expect(hooks[0].headers['x-webhook-id']).toBe(hooks[1].headers['x-webhook-id']);
    expect(hooks[0].answeredWith).toBe(500);
    // Let the last attempt finish so it cannot reach the next test's receiver.
    expect(await t.gateway.app.get(WfmStatusNotifier).drain(10_000)).toBe(true);
    expect(receiver.requests).toHaveLength(3);
  }, 20_000);

  it('retries a 503 and delivers on a later attempt', async () => {
    receiver.configure({ failFirst: 1, failStatus: 503 });
    expect((await put({ status: 'Available' })).status).toBe(200);
    const hooks = await receiver.waitFor(2, 10_000);
    expect(hooks.map((h) => h.answeredWith)).toEqual([503, 204]);
  });
});
