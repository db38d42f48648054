import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { AppConfig } from '../config/app-config.types';
import { createRedactor } from './redact';

/**
 * pino options for nestjs-pino: JSON lines, the request id on every line logged in a request,
 * and the redactor on the final serialized line. Per-request access lines come from the audit
 * hook (one line per call), so pino-http's own auto-logging is off.
 */
export function buildLoggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const redact = createRedactor(config.secrets);
  const options: NonNullable<Params['pinoHttp']> = {
    level: config.logLevel,
    autoLogging: false,
    quietReqLogger: true,
    genReqId: (req) => String((req as { id?: string | number }).id ?? ''),
    customProps: () => ({}),
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
    },
    hooks: { streamWrite: redact },
    base: { service: 'cxone-gateway' },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}
