/**
 * For specs: the Redis URL CI provides (REDIS_URL), pointed at database `db` so spec files do
 * not share keys; undefined when running without Redis (CI always sets it, so Redis specs run
 * there).
 */
export function testRedisUrl(db: number): string | undefined {
  const base = process.env.REDIS_URL;
  if (!base) return undefined;
  const url = new URL(base);
  url.pathname = `/${db}`;
  return url.toString();
}
