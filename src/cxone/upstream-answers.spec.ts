import { Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { RedisService } from '../common/redis/redis.service';
import type { CxoneConfig } from '../config/app-config.types';
import { ClientCredentialsGrant } from '../dialects/v2/auth/client-credentials.grant';
import { MetricsService } from '../observability/metrics.service';
import { CxoneClient } from './cxone.client';
import { CxoneHttp } from './cxone-http';
import type { UpstreamRequest } from './cxone.types';
import { StubUpstream, stubConfig } from './stub-upstream.fake';
import { CxoneTokenProvider } from './token/cxone-token.provider';
import { extractUpstreamCode, extractUpstreamMessage } from './upstream-error';
import type { CxoneResilienceOptions } from './upstream-operation';

const same = (text: string): string => text;

describe('extractUpstreamMessage', () => {
  it('takes the fields in the documented order', () => {
    const all = {
      error: 'invalid_grant',
      Message: 'pascal message',
      message: 'message',
      error_Description: 'admin put description',
      errorDescription: 'spec description',
      error_description: 'oauth description',
    };
    const order = [
      'error_description',
      'errorDescription',
      'error_Description',
      'message',
      'Message',
      'error',
    ] as const;
    let body: Record<string, string> = { ...all };
    for (const key of order) {
      expect(extractUpstreamMessage(body, same)).toBe(all[key]);
      const { [key]: _, ...rest } = body;
      body = rest;
    }
  });

  it('falls back to the icStatusDescription header, then to a text body', () => {
    const headers = { icstatusdescription: 'Invalid Agent Id' };
    expect(extractUpstreamMessage(undefined, same, headers)).toBe('Invalid Agent Id');
    expect(extractUpstreamMessage({}, same, headers)).toBe('Invalid Agent Id');
    expect(extractUpstreamMessage({ message: 'body wins' }, same, headers)).toBe('body wins');
    expect(extractUpstreamMessage('Service Unavailable', same)).toBe('Service Unavailable');
    expect(extractUpstreamMessage({ message: '  ' }, same)).toBeUndefined();
  });

  it('redacts, collapses whitespace and shortens', () => {
    const redact = (t: string) => t.replace('s3cr3t', '[REDACTED]');
    expect(extractUpstreamMessage({ message: 'bad\n  s3cr3t' }, redact)).toBe('bad [REDACTED]');
    expect(extractUpstreamMessage({ message: 'x'.repeat(500) }, same)).toHaveLength(201);
  });

  it('keeps the OAuth error as a machine code only when it looks like one', () => {
    expect(extractUpstreamCode({ error: 'invalid_grant' })).toBe('invalid_grant');
    expect(extractUpstreamCode({ error: 'The access key is wrong.' })).toBeUndefined();
    expect(extractUpstreamCode('text')).toBeUndefined();
  });
});

describe('CxoneClient and the inContact answer quirks', () => {
  let stub: StubUpstream;
  const http = new CxoneHttp();
  const PATH = '/inContactAPI/services/v30.0/skills/activity';
  const get: UpstreamRequest = { operation: 'queueStats', method: 'GET', path: PATH };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    stub = await StubUpstream.start();
  });
  afterAll(async () => {
    http.onApplicationShutdown();
    await stub.close();
  });
  beforeEach(() => stub.reset());

  function client(
    cxone: Partial<CxoneConfig> = {},
    options: Partial<CxoneResilienceOptions> = {},
  ): { sut: CxoneClient; clock: FakeClock } {
    const config = stubConfig(stub.url, cxone);
    const clock = new FakeClock();
    const redis = { client: null } as unknown as RedisService;
    const metrics = new MetricsService();
    const grant = new ClientCredentialsGrant(config);
    const tokens = new CxoneTokenProvider(config, clock, redis, http, metrics, grant);
    const sut = new CxoneClient(config, clock, redis, metrics, tokens, http, {
      backoffBaseMs: 100,
      backoffMaxMs: 10_000,
      ...options,
    });
    return { sut, clock };
  }

  async function failure(p: Promise<unknown>): Promise<AppError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }

  it('sends Accept: application/json on every call', async () => {
    stub.script(PATH, { body: { skillActivity: [] } });
    const { sut, clock } = client();
    await clock.settle(sut.request(get));
    const call = stub.requests.find((r) => r.path === PATH);
    expect(call?.headers.accept).toBe('application/json');
  });

  it.each([
    ['bare', 'No known way to render data'],
    ['quoted', '"No known way to render data"'],
  ])('treats a 200 carrying text (%s) as a bad upstream answer, not data', async (_, raw) => {
    stub.script(PATH, { raw, headers: { 'content-type': 'application/html' } });
    const { sut, clock } = client();
    const err = await failure(clock.settle(sut.request(get, (d) => d)));
    expect(err.code).toBe('UPSTREAM_ERROR');
    expect(err.message).toBe(
      'CXone answered queueStats with text instead of JSON: No known way to render data',
    );
  });

  it('still calls truncated JSON malformed', async () => {
    stub.script(PATH, { raw: '{"skillActivity": [' });
    const { sut, clock } = client();
    const err = await failure(clock.settle(sut.request(get)));
    expect(err.message).toBe('malformed JSON from CXone for queueStats');
  });

  it('takes the message from icStatusDescription and keeps the CorrelationId', async () => {
    stub.script(PATH, {
      status: 400,
      raw: '',
      headers: { icStatusDescription: 'Invalid skill id', CorrelationId: 'c0ffee-42' },
    });
    const { sut, clock } = client();
    const err = await failure(clock.settle(sut.request(get)));
    expect(err).toMatchObject({ code: 'UPSTREAM_BAD_REQUEST' });
    expect(err.message).toBe('CXone answered queueStats with HTTP 400: Invalid skill id');
    expect(err.extensions).toEqual({
      upstream: { status: 400, message: 'Invalid skill id', correlationId: 'c0ffee-42' },
    });
    expect(sut.lastError()).toMatchObject({ operation: 'queueStats', correlationId: 'c0ffee-42' });
  });

  it('backs off exponentially with jitter on a 429 without Retry-After', async () => {
    stub.script(PATH, { status: 429 }, { status: 429 }, { status: 429 }, { body: {} });
    const { sut, clock } = client({ maxAttempts: 4 }, { random: () => 0.5 });
    const res = await clock.settle(sut.request(get));
    expect(res.attempts).toBe(4);
    // Full jitter at 0.5 of a ceiling that doubles per retry: 100, 200, 400 ms ceilings.
    const backoffs = clock.sleeps.filter((ms) => [50, 100, 200].includes(ms));
    expect(backoffs).toEqual([50, 100, 200]);
  });

  it('draws each 429 wait from the jitter source (no two replicas in lockstep)', async () => {
    const draws: number[] = [];
    const random = (): number => {
      draws.push(draws.length);
      return [0.1, 0.9][draws.length - 1] ?? 0;
    };
    stub.script(PATH, { status: 429 }, { status: 429 }, { body: {} });
    const { sut, clock } = client({ maxAttempts: 3 }, { random });
    await clock.settle(sut.request(get));
    expect(draws).toHaveLength(2);
    expect(clock.sleeps).toEqual(expect.arrayContaining([10, 180]));
  });
});
