module.exports = async function globalTeardown() {
  const child = globalThis.__CXGW_REDIS__;
  if (child) child.kill('SIGTERM');
};
