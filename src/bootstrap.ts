import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { MAX_PATH_PARAM_LENGTH, sendProblem, toAppError } from './common/errors/problem.filter';
import { problemClientErrorHandler } from './common/http/client-error-handler';
import { installJsonBodyParser } from './common/http/json-body-parser';
import { genRequestId } from './common/request-id';
import { withSandboxUpstream } from './config/app-config';
import { ODataFeedService } from './odata/odata-feed.service';
import { addODataPaths } from './odata/openapi/odata-openapi';
import { ReplayHooks } from './replay/replay.hooks';
import type { Clock } from './common/clock/clock';
import type { AppConfig } from './config/app-config.types';
import { APP_CONFIG } from './config/config.constants';
import type { SandboxHandle } from './sandbox';

/** How long in-flight requests may take to finish after SIGTERM before sockets are cut. */
const SHUTDOWN_GRACE_MS = 25_000;

export interface GatewayOptions {
  config: AppConfig;
  logDestination?: DestinationStream;
  /** Replaces the system clock everywhere in the app (e2e specs that step time). */
  clock?: Clock;
  /** Skip the embedded sandbox even in sandbox mode (tests that bring their own). */
  embeddedSandbox?: boolean;
}

export interface Gateway {
  app: NestFastifyApplication;
  url: string;
  config: AppConfig;
  sandbox?: SandboxHandle;
  close(): Promise<void>;
}

/**
 * Builds and starts the gateway: the embedded sandbox first when no CXone is configured, then
 * the Nest app on Fastify, OpenAPI at /docs, listening on config.port (0 = any free port).
 */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  let config = options.config;
  let sandbox: SandboxHandle | undefined;
  if (config.mode === 'sandbox' && !config.cxone.baseUrl && options.embeddedSandbox !== false) {
    // Loaded only in sandbox mode: a production process never loads the simulator.
    const { startSandboxFromEnv } = await import('./sandbox');
    const clock = options.clock;
    sandbox = await startSandboxFromEnv(
      config.sandboxEnv,
      { port: 0 },
      clock ? () => clock.now() : undefined,
    );
    const incontact = sandbox.fixtures.incontact.credentials;
    config = withSandboxUpstream(config, {
      url: sandbox.url,
      clientId: sandbox.fixtures.credentials.clientId,
      clientSecret: sandbox.fixtures.credentials.clientSecret,
      accessKey: { id: incontact.accessKeyId, secret: incontact.accessKeySecret },
    });
  }

  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    genReqId: genRequestId,
    requestIdHeader: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
    trustProxy: config.trustProxy,
    // Slow clients (headers or body trickled a byte at a time) are cut off after these.
    requestTimeout: config.http.requestTimeoutMs,
    connectionTimeout: config.http.idleTimeoutMs,
    http: {
      requestTimeout: config.http.requestTimeoutMs,
      headersTimeout: config.http.headersTimeoutMs,
      connectionsCheckingInterval: config.http.checkIntervalMs,
    },
    logger: false,
    // Bad percent-encoding, over-long path parameters: answered as problem+json too.
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendProblem(reply, request, toAppError(error)),
    // What Node's HTTP parser refuses (431 headers, CL + TE, NUL in a header): problem+json too.
    clientErrorHandler: problemClientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({
      config,
      logDestination: options.logDestination,
      sandboxFixtures: sandbox?.publicFixtures,
      clock: options.clock,
    }),
    adapter,
    // Module-init and route-mapping chatter stays out of the logs; warnings and errors still show.
    // Our own JSON parser (depth-checked) replaces Nest's; no form bodies are accepted.
    { bufferLogs: true, abortOnError: false, logger: ['error', 'warn'], bodyParser: false },
  );
  app.useLogger(app.get(Logger));
  const draining = { active: false };
  installFastifyHooks(app.getHttpAdapter().getInstance(), draining);
  installJsonBodyParser(app.getHttpAdapter().getInstance());
  setupOpenApi(app);
  // After init, when the features have declared their replayable routes.
  await app.init();
  app.get(ReplayHooks).answerBeforeRouter(app.getHttpServer(), () => !draining.active);

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://127.0.0.1:${port}`;

  return {
    app,
    url,
    config: { ...config, port },
    sandbox,
    async close() {
      draining.active = true;
      // In-flight requests get SHUTDOWN_GRACE_MS to finish; then remaining sockets are cut so a
      // stuck client cannot hold the process (and a rolling deploy) forever.
      const server = app.getHttpServer();
      const deadline = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      deadline.unref();
      try {
        // Stop listening and let in-flight requests finish BEFORE Nest's shutdown hooks run:
        // those flush the audit and close Redis, and must see the last requests' records.
        await app.getHttpAdapter().getInstance().close();
        await app.close();
      } finally {
        clearTimeout(deadline);
        await sandbox?.close();
      }
    },
  };
}

/**
 * Request id on every response. While draining, responses say `Connection: close`, so keep-alive
 * clients let go as soon as their request is answered instead of holding close() open for the
 * keep-alive timeout. (Body-parser errors such as bad JSON or 413 already reach the Nest
 * exception filter, so no Fastify error handler is needed.)
 */
function installFastifyHooks(fastify: FastifyInstance, draining: { active: boolean }): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining.active) reply.header('connection', 'close');
    done(null, payload);
  });
}

function setupOpenApi(app: NestFastifyApplication): void {
  // Built on the first request for /docs or /docs-json, not at startup: walking every route's
  // metadata is a noticeable share of the start time, and most replicas are never asked.
  const document = (): OpenAPIObject =>
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('CXone Gateway')
        .setDescription(
          'A small, stable REST API in front of NICE CXone: agent state history, queue statistics, ' +
            'analytics with KPIs, bot-event exports and agent status updates. Authenticate with an ' +
            'API key (`Authorization: Bearer <key>`, `X-API-Key: <key>`, or HTTP Basic with the ' +
            'key as the password); errors are application/problem+json (RFC 9457). Tabular ' +
            'routes answer JSON, spreadsheet-safe CSV (`?format=csv`, `?delimiter=`, `?bom=true`) ' +
            'or NDJSON.\n\n' +
            '**OData v4 feed** for Power BI, Excel and other OData clients at `/odata/v1/` ' +
            '(service document), `/odata/v1/$metadata` (CSDL XML) and the entity sets `Queues`, ' +
            "`AgentStateChanges`, `Summaries`, `Kpis`, `Exports` (+ `Exports('<id>')/Records`), " +
            '`AgentSummaries` (v2 and incontact dialects) and `TeamSummaries` (incontact only), ' +
            'with `$filter` (eq ne gt ge lt le and or not in), `$select`, `$orderby`, `$top`, ' +
            '`$skip`, `$count=true` and server-driven paging (`Prefer: odata.maxpagesize`, ' +
            '`@odata.nextLink`). Same keys and scopes as /v1 (Basic auth with the key as the ' +
            'password is what the BI dialogs offer); `date` / `timestamp` ranges in `$filter` are ' +
            'pushed into the upstream query (Power BI incremental refresh). Errors use the OData ' +
            'JSON error format; unsupported options are 400 or 501, never ignored. The `odata` ' +
            'operations below are built from the same model as `$metadata` (docs/odata.md).',
        )
        .setVersion('1')
        .addBearerAuth(
          { type: 'http', scheme: 'bearer', description: 'API key as a bearer token' },
          'bearer',
        )
        .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
        .addBasicAuth(
          {
            type: 'http',
            scheme: 'basic',
            description: 'HTTP Basic: any user name, the API key as the password',
          },
          'basic',
        )
        .build(),
    );
  SwaggerModule.setup('docs', app, () => withODataFeed(app, document()), {
    jsonDocumentUrl: 'docs-json',
  });
}

/**
 * The OData feed's paths. Its controller is excluded from the decorator scan: its errors are
 * OData JSON, not problem+json, and its row types follow the bound dialect, so the paths are
 * built from the same model as its $metadata.
 */
function withODataFeed(app: NestFastifyApplication, document: OpenAPIObject): OpenAPIObject {
  const config = app.get<AppConfig>(APP_CONFIG);
  return addODataPaths(document, app.get(ODataFeedService).model, config.cxone.dialect);
}
