import { FakeClock } from '../common/clock/fake-clock.fake';
import { parseConfig } from '../config/app-config';
import type { WebhookDeliveryRequest, WebhookSender } from '../webhooks/webhook-sender';
import { WfmStatusNotifier } from './wfm-status.notifier';

/** A sender that holds every delivery until told to finish it (or until it is aborted). */
class HeldSender {
  readonly calls: WebhookDeliveryRequest[] = [];
  private finishers: (() => void)[] = [];
  signingConfigured = true;

  deliver(req: WebhookDeliveryRequest) {
    this.calls.push(req);
    return new Promise((resolve) => {
      const done = () =>
        resolve({ delivered: true, attempts: 1, lastStatus: 204, lastError: null });
      this.finishers.push(done);
      req.signal?.addEventListener('abort', done);
    });
  }

  finishAll(): void {
    this.finishers.forEach((f) => f());
  }
}

function makeSut(env: Record<string, string>, sender: HeldSender, clock = new FakeClock()) {
  const config = parseConfig({ WEBHOOK_SIGNING_SECRET: 'notifier-secret', ...env });
  const sut = new WfmStatusNotifier(config, clock, sender as unknown as WebhookSender);
  sut.onModuleInit();
  return sut;
}

describe('WfmStatusNotifier', () => {
  const env = {
    WFM_WEBHOOK_URL: 'https://wfm.example.com/sync',
    WEBHOOK_ALLOWED_HOSTS: 'wfm.example.com',
  };

  it('queues the v2 §status event and returns at once', () => {
    const sender = new HeldSender();
    const sut = makeSut(env, sender);
    expect(sut.notify({ userId: 'u1', status: 'Busy', latencyMs: 42 })).toBeUndefined();
    expect(sender.calls).toHaveLength(1);
    expect(sender.calls[0]).toMatchObject({
      kind: 'wfm_status',
      url: 'https://wfm.example.com/sync',
      body: {
        event: 'agent_status_updated',
        userId: 'u1',
        status: 'Busy',
        timestamp: '2026-01-15T12:00:00.000Z',
        latencyMs: 42,
        source: 'cxone_gateway',
      },
    });
  });

  it.each([
    ['no URL is set', { WEBHOOK_ALLOWED_HOSTS: 'wfm.example.com' }, true],
    [
      'the URL is not on the allow-list',
      { ...env, WEBHOOK_ALLOWED_HOSTS: 'other.example.com' },
      true,
    ],
    ['no signing secret is set', env, false],
  ])('is disabled when %s', (_name, extra, signing) => {
    const sender = new HeldSender();
    sender.signingConfigured = signing;
    const sut = makeSut(extra, sender);
    sut.notify({ userId: 'u1', status: 'Busy', latencyMs: 1 });
    expect(sut.enabled).toBe(false);
    expect(sender.calls).toHaveLength(0);
  });

  it('drain resolves when deliveries finish', async () => {
    const sender = new HeldSender();
    const sut = makeSut(env, sender);
    sut.notify({ userId: 'u1', status: 'Busy', latencyMs: 1 });
    const drained = sut.drain(60_000);
    sender.finishAll();
    expect(await drained).toBe(true);
  });

  it('shutdown waits for the grace period, then cancels what is left', async () => {
    const sender = new HeldSender();
    const clock = new FakeClock();
    const sut = makeSut(env, sender, clock);
    sut.notify({ userId: 'u1', status: 'Busy', latencyMs: 1 });
    const shutdown = sut.beforeApplicationShutdown();
    await clock.advance(2000);
    await shutdown;
    expect(sender.calls[0].signal?.aborted).toBe(true);
    sut.notify({ userId: 'u1', status: 'Busy', latencyMs: 1 });
    expect(sender.calls).toHaveLength(1);
  });
});
