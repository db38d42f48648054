import type { Logger } from '@nestjs/common';
import type { Gateway } from './bootstrap';

/** First lines a newcomer sees in sandbox mode: what this is, fixture ids, a curl to paste. */
export function logSandboxBanner(logger: Logger, gateway: Gateway): void {
  const sandbox = gateway.sandbox;
  if (!sandbox) return;
  const key = gateway.config.demoKeyActive ? 'sandbox-demo-key' : '<your API key>';
  logger.log(
    `SANDBOX MODE: no CXONE_API_BASE_URL set, so the embedded CXone simulator is serving at ${sandbox.url}`,
  );
  logger.log(
    { fixtures: sandbox.fixtures.agents, queues: sandbox.fixtures.queues },
    'Sandbox fixtures',
  );
  logger.log(
    `Try: curl -H "X-API-Key: ${key}" "${gateway.url}/v1/agents/${sandbox.fixtures.agents.busy}/state-history?format=csv" | head`,
  );
}
