/** Set by test/setup-env.js from the Redis that CI (or the suite's global setup) provides. */
const suite = globalThis as { __CXGW_TEST_REDIS_URL__?: string };

/**
 * For specs: the suite's Redis URL pointed at database `db`, so spec files do not share keys;
 * undefined when running without Redis (CI always has one, so Redis specs run there).
 */
export function testRedisUrl(db: number): string | undefined {
  const base = suite.__CXGW_TEST_REDIS_URL__;
  if (!base) return undefined;
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
