// When REDIS_URL is unset (a developer's `npm test`) and redis-server is installed, start a
// throwaway one so the Redis-backed specs run everywhere, not only in CI.
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForRedis(port) {
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

module.exports = async function globalSetup() {
  process.env.TZ = 'UTC';
  if (process.env.REDIS_URL) return;
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    process.stderr.write('\n[tests] redis-server not found: Redis-backed specs will be skipped\n');
    return;
  }
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  // Unref'd so the redis-server child never keeps Jest's own process alive; teardown kills it.
  child.unref();
  await waitForRedis(port);
  process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
  globalThis.__CXGW_REDIS__ = child;
};
