import { Logger } from '@nestjs/common';
import { createGateway } from './bootstrap';
import { loadConfigFromEnv } from './config/app-config';
import { ConfigError } from './config/env-parsers';
import { logSandboxBanner } from './sandbox-banner';

/** Process entry: parse config (fail fast naming the variable), start, drain on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigFromEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const gateway = await createGateway({ config });
  const logger = new Logger('Bootstrap');
  logger.log(`CXone Gateway listening on ${gateway.url} (mode: ${gateway.config.mode})`);
  if (gateway.sandbox) logSandboxBanner(logger, gateway);
  if (gateway.config.demoKeyActive) {
    logger.warn('No API_KEYS configured: the demo key "sandbox-demo-key" holds every scope');
  }

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.log(`${signal} received: draining requests, stopping workers, flushing audit`);
    gateway.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
