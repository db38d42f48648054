import request from 'supertest';
import { WfmStatusNotifier } from '../../src/status/wfm-status.notifier';
import { startTestGateway } from '../utils/test-gateway';
import { startWebhookReceiver } from '../../src/webhooks/webhook-receiver.fake';

// Its own file: nestjs-pino keeps process-wide logger state, so a second gateway started in the
// same spec file writes its startup lines to the first one's capture.
describe('WFM status sync with a target outside the allow-list (e2e)', () => {
  it('disables the sync with a warning and still updates the status', async () => {
    const receiver = await startWebhookReceiver();
    const t = await startTestGateway({
      env: { WFM_WEBHOOK_URL: `${receiver.url}/wfm`, WEBHOOK_ALLOWED_HOSTS: 'wfm.example.com' },
    });
    try {
      for (let i = 0; i < 40 && !t.logs.text().includes('sync is disabled'); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(t.logs.text()).toContain('WFM_WEBHOOK_URL host');
      expect(t.logs.text()).toContain('WFM status sync is disabled');
      const res = await request(t.url)
        .put(`/v1/agents/${t.sandbox.fixtures.users.agent}/status`)
        .set(t.auth())
        .send({ status: 'Busy' });
      expect(res.status).toBe(200);
      // Whatever the notifier had started is finished now: nothing was sent.
      expect(await t.gateway.app.get(WfmStatusNotifier).drain(10_000)).toBe(true);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await t.close();
      await receiver.close();
    }
  });
});
