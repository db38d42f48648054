/**
 * The benchmark's reference: a bare Fastify 5 process answering the same routes with the exact
 * bytes the gateway served (recorded by the bench into BENCH_REFERENCE_FILE). POST routes go
 * through Fastify's JSON body parser, as the gateway's do; nothing else runs per request.
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

export interface ReferenceRoute {
  method: 'GET' | 'POST';
  path: string;
  contentType: string;
  /** Base64 of the recorded response body. */
  body: string;
}

async function main(): Promise<void> {
  const file = process.env.BENCH_REFERENCE_FILE;
  const port = Number(process.env.PORT);
  if (!file || !Number.isInteger(port)) throw new Error('BENCH_REFERENCE_FILE and PORT needed');
  const routes = JSON.parse(readFileSync(file, 'utf8')) as ReferenceRoute[];
  const app = Fastify({ logger: false });
  for (const route of routes) {
    const bytes = Buffer.from(route.body, 'base64');
    app.route({
      method: route.method,
      url: route.path,
      handler: (_request, reply) => {
        void reply.type(route.contentType).send(bytes);
      },
    });
  }
  app.get('/ready', () => ({ status: 'ok' }));
  await app.listen({ port, host: '127.0.0.1' });
  const close = (): void => void app.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

main().catch((err: unknown) => {
  process.stderr.write(`reference server failed: ${String(err)}\n`);
  process.exit(1);
});
