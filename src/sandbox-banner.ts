import type { Logger } from '@nestjs/common';
import type { Gateway } from './bootstrap';

/** First lines a newcomer sees in sandbox mode: what this is, fixture ids, a curl to paste. */
export function logSandboxBanner(logger: Logger, gateway: Gateway): void {
  const sandbox = gateway.sandbox;
  if (!sandbox) return;
  const key = gateway.config.demoKeyActive ? 'sandbox-demo-key' : '<your API key>';
  const incontact = gateway.config.cxone.dialect === 'incontact';
  logger.log(
    `SANDBOX MODE: no real CXone configured, so the embedded CXone simulator is serving at ${sandbox.url}`,
  );
  logger.log(
    incontact
      ? 'Dialect incontact: the real CXone API (access-key login, discovery, /inContactAPI/services), as the simulator plays it'
      : "Dialect v2: the tutorials' /api/v2 surface (CXONE_DIALECT=incontact speaks the real CXone API)",
  );
  const ic = sandbox.fixtures.incontact;
  logger.log(
    incontact
      ? { agents: ic.agents, skills: ic.skills.map((s) => ({ id: s.skillId, name: s.skillName })) }
      : { fixtures: sandbox.fixtures.agents, queues: sandbox.fixtures.queues },
    'Sandbox fixtures',
  );
  const busy = incontact ? ic.agents.busy : sandbox.fixtures.agents.busy;
  logger.log(
    `Try: curl -H "X-API-Key: ${key}" "${gateway.url}/v1/agents/${busy}/state-history?format=csv" | head`,
  );
}
