import { FakeClock } from '../common/clock/fake-clock.fake';
import { parseConfig } from '../config/app-config';
import type { AppConfig } from '../config/app-config.types';
import { MetricsService } from '../observability/metrics.service';
import { startWebhookReceiver, WebhookReceiver } from './webhook-receiver.fake';
import { WebhookSender } from './webhook-sender';
import { verifyWebhookSignature } from './webhook-signer';

/** A fake clock whose sleeps return at once, recording the requested delays. */
class InstantClock extends FakeClock {
  override sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return Promise.resolve();
  }
}

describe('WebhookSender', () => {
  let receiver: WebhookReceiver;
  let clock: InstantClock;
  let metrics: MetricsService;

  function makeSut(env: Record<string, string> = {}, attemptTimeoutMs = 5000): WebhookSender {
    const config: AppConfig = parseConfig({
      WEBHOOK_SIGNING_SECRET: 'sender-spec-secret',
      WEBHOOK_ALLOWED_HOSTS: receiver.hostPort,
      WEBHOOK_MAX_ATTEMPTS: '3',
      ...env,
    });
    return new WebhookSender(config, clock, metrics, { attemptTimeoutMs, random: () => 0.5 });
  }

  const delivery = (extra: object = {}) => ({
    kind: 'test',
    url: `${receiver.url}/hook?token=abc`,
    body: { event: 'ping', n: 1 },
    webhookId: 'wh-1',
    ...extra,
  });

  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    clock = new InstantClock();
    metrics = new MetricsService();
  });
  afterEach(() => receiver.close());

  it('POSTs the JSON body signed, with its id, and reports delivery', async () => {
    const sut = makeSut();
    const result = await sut.deliver(delivery());
    expect(result).toEqual({ delivered: true, attempts: 1, lastStatus: 204, lastError: null });
    const [req] = receiver.requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hook?token=abc');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-webhook-id']).toBe('wh-1');
    expect(JSON.parse(req.body)).toEqual({ event: 'ping', n: 1 });
    const ok = verifyWebhookSignature({
      secret: 'sender-spec-secret',
      body: req.body,
      header: req.headers['x-signature'] as string,
      nowS: clock.now() / 1000,
    });
    expect(ok).toBe(true);
  });

  it('retries 5xx with growing backoff and succeeds', async () => {
    receiver.configure({ failFirst: 2, failStatus: 503 });
    const sut = makeSut();
    const result = await sut.deliver(delivery());
    expect(result).toMatchObject({ delivered: true, attempts: 3, lastStatus: 204 });
    expect(clock.sleeps).toEqual([250, 500]);
    expect(new Set(receiver.requests.map((r) => r.headers['x-webhook-id']))).toEqual(
      new Set(['wh-1']),
    );
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS and reports the last status', async () => {
    receiver.configure({ failFirst: 10, failStatus: 500 });
    const attempts: number[] = [];
    const result = await makeSut().deliver(
      delivery({ onAttempt: (a: { attempt: number }) => attempts.push(a.attempt) }),
    );
    expect(result).toEqual({
      delivered: false,
      attempts: 3,
      lastStatus: 500,
      lastError: 'HTTP 500',
    });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('honours Retry-After on 429 (capped by the backoff maximum)', async () => {
    receiver.configure({ failFirst: 1, failStatus: 429, headers: { 'retry-after': '2' } });
    const result = await makeSut().deliver(delivery());
    expect(result.delivered).toBe(true);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('does not follow redirects and does not retry them', async () => {
    receiver.configure({ okStatus: 302, headers: { location: 'http://169.254.169.254/' } });
    const result = await makeSut().deliver(delivery());
    expect(result).toMatchObject({ delivered: false, attempts: 1, lastStatus: 302 });
    expect(result.lastError).toMatch(/redirects are not followed/);
  });

  it('does not retry a 4xx answer', async () => {
    receiver.configure({ okStatus: 400 });
    const result = await makeSut().deliver(delivery());
    expect(result).toMatchObject({ delivered: false, attempts: 1, lastStatus: 400 });
  });

  it('times out a slow receiver and retries', async () => {
    // The receiver answers nothing; each attempt's 100 ms pass on the fake clock.
    receiver.configure({ holdUntil: new Promise(() => undefined) });
    const delivering = makeSut({ WEBHOOK_MAX_ATTEMPTS: '2' }, 100).deliver(delivery());
    await receiver.waitFor(1);
    await clock.advance(99);
    expect(receiver.requests).toHaveLength(1);
    await clock.advance(1);
    await receiver.waitFor(2);
    await clock.advance(100);
    const result = await delivering;
    expect(result).toMatchObject({ delivered: false, attempts: 2, lastStatus: null });
    expect(result.lastError).toMatch(/no answer within 100 ms/);
  });

  it('retries network errors', async () => {
    await receiver.close();
    const result = await makeSut().deliver(delivery());
    expect(result).toMatchObject({ delivered: false, attempts: 3, lastStatus: null });
    expect(result.lastError).toBe('ECONNREFUSED');
  });

  it('refuses a target outside the allow-list without sending', async () => {
    const sut = makeSut({ WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com' });
    const result = await sut.deliver(delivery());
    expect(result).toMatchObject({ delivered: false, attempts: 0 });
    expect(result.lastError).toMatch(/target refused/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses to send unsigned webhooks', async () => {
    const sut = makeSut({ WEBHOOK_SIGNING_SECRET: '' });
    expect(sut.signingConfigured).toBe(false);
    const result = await sut.deliver(delivery());
    expect(result).toMatchObject({ delivered: false, attempts: 0 });
    expect(receiver.requests).toHaveLength(0);
  });

  it('stops when the caller aborts', async () => {
    receiver.configure({ failFirst: 10 });
    const controller = new AbortController();
    const result = await makeSut().deliver(
      delivery({ signal: controller.signal, onAttempt: () => controller.abort() }),
    );
    expect(result).toMatchObject({ delivered: false, attempts: 1 });
  });

  it('counts attempts by kind and outcome', async () => {
    receiver.configure({ failFirst: 1 });
    await makeSut().deliver(delivery());
    const text = await metrics.registry.getSingleMetricAsString('gateway_webhook_deliveries_total');
    expect(text).toContain('kind="test",outcome="http_5xx"} 1');
    expect(text).toContain('kind="test",outcome="delivered"} 1');
  });
});
