import { connect, type Socket } from 'node:net';
import request from 'supertest';
import { startTestGateway, TEST_KEYS, type TestGateway } from '../utils/test-gateway';

const SLOW_CLIENTS = 300;
/** The body each slow client announces; trickled at one byte every 2 s it would take 2 000 s. */
const ANNOUNCED_BYTES = 1000;

interface SlowClient {
  socket: Socket;
  sent: number;
  answer: string;
  closed: Promise<void>;
}

/** Opens a connection, sends complete headers, then one body byte every 2 s (slowloris). */
function slowClient(url: string, key: string): SlowClient {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  const client: SlowClient = { socket, sent: 0, answer: '', closed: Promise.resolve() };
  let timer: NodeJS.Timeout | undefined;
  client.closed = new Promise((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      resolve();
    });
  });
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    client.answer += chunk.toString('latin1');
  });
  socket.once('connect', () => {
    socket.write(
      'POST /v1/analytics/summary HTTP/1.1\r\n' +
        `Host: ${hostname}:${port}\r\n` +
        `Authorization: Bearer ${key}\r\n` +
        'Content-Type: application/json\r\n' +
        `Content-Length: ${ANNOUNCED_BYTES}\r\n\r\n{`,
    );
    client.sent = 1;
    timer = setInterval(() => {
      if (socket.destroyed) return;
      socket.write(' ');
      client.sent += 1;
    }, 2000);
  });
  return client;
}

describe('slow request bodies (slowloris) are dropped (e2e)', () => {
  let t: TestGateway;
  const clients: SlowClient[] = [];

  beforeAll(async () => {
    t = await startTestGateway({
      env: {
        HTTP_REQUEST_TIMEOUT_MS: '3000',
        HTTP_HEADERS_TIMEOUT_MS: '3000',
        HTTP_TIMEOUT_CHECK_MS: '250',
      },
    });
  });
  afterAll(async () => {
    for (const c of clients) c.socket.destroy();
    await t.close();
  });

  it(`drops ${SLOW_CLIENTS} trickling bodies with a 408 while normal requests are answered`, async () => {
    for (let i = 0; i < SLOW_CLIENTS; i++) clients.push(slowClient(t.url, TEST_KEYS.all));
    // While every slow client holds its socket, others are served as usual.
    await request(t.url).get('/health/live').expect(200);
    await request(t.url)
      .get('/v1/queues/stats')
      .set({ ...t.auth(TEST_KEYS.reporting), 'cache-control': 'no-cache' })
      .expect(200);
    await request(t.url)
      .post('/v1/analytics/summary')
      .set(t.auth())
      .send({
        metrics: ['handle_time'],
        dimensions: ['channel'],
        start: '2026-01-01T00:00:00Z',
        end: '2026-01-02T00:00:00Z',
      })
      .expect(200);
    const stillOpen = clients.filter((c) => !c.socket.destroyed).length;
    expect(stillOpen).toBeGreaterThan(0);

    await Promise.all(clients.map((c) => c.closed));
    for (const c of clients) {
      // The server ended it long before its body was complete, and said why.
      expect(c.sent).toBeLessThan(ANNOUNCED_BYTES);
      expect(c.answer).toMatch(/^HTTP\/1\.1 408 /);
    }
    // And the gateway still serves afterwards.
    await request(t.url).get('/health/live').expect(200);
  }, 60_000);
});
