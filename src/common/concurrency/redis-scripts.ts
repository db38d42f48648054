/**
 * Every Redis Lua script of the gateway, in one place, so each mechanism is written once and
 * reviewed once. Scripts run atomically on the Redis server; callers pass KEYS and ARGV.
 */

/** Deletes KEYS[1] only while it still holds exactly ARGV[1] (lock release, claim release). */
export const COMPARE_AND_DELETE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Sets KEYS[1]'s TTL to ARGV[2] ms only while it still holds ARGV[1] (lease renewal). */
export const COMPARE_AND_PEXPIRE_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/**
 * Compare-and-set of a versioned hash: KEYS[1] is a hash with a decimal `revision` field, ARGV[1]
 * the revision the caller read, ARGV[2..] field/value pairs to write. Writes them and bumps the
 * revision only while it is still ARGV[1]. Returns 1 (written), 0 (someone wrote first: re-read
 * and re-apply) or -1 (no such hash).
 */
export const COMPARE_AND_SET_HASH_SCRIPT = `
local current = redis.call('hget', KEYS[1], 'revision')
if not current then return -1 end
if current ~= ARGV[1] then return 0 end
redis.call('hset', KEYS[1], 'revision', tostring(tonumber(current) + 1), unpack(ARGV, 2))
return 1`;

/**
 * The upstream budget (src/cxone/shared-budget.ts). Writes one change of a limit (`limit` or `rate`) unless another replica moved it meanwhile:
 * a cut (lower than what is stored) always lands, a growth only on top of the value it grew from.
 * So when replicas disagree the most careful one wins. Returns 1 when written.
 */
export const PUBLISH_LIMIT_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
local to = tonumber(ARGV[2])
local from = tonumber(ARGV[3])
if stored == nil or to < stored or (from ~= nil and stored == from) then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2], ARGV[1] .. ':from', ARGV[3], ARGV[1] .. ':at', ARGV[4], ARGV[1] .. ':reason', ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[6])
  return 1
end
return 0`;

/** Moves the hold forward only (two replicas seeing two Retry-After answers keep the later end). */
export const HOLD_FORWARD_SCRIPT = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'holdUntil')) or 0
if tonumber(ARGV[1]) > stored then
  redis.call('HSET', KEYS[1], 'holdUntil', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

/**
 * A token bucket (the per-API-key request limits, src/auth/rate-limit): KEYS[1] is a hash of
 * `tokens` and `at` (ms). ARGV: rate (tokens/s), burst, tokens wanted, now (ms, the caller's
 * clock), TTL (ms). Refills by the time since `at` (never backwards: a replica whose clock lags
 * refills nothing), then grants as many whole tokens as it holds, up to the number wanted.
 * Returns {granted, ms until the next whole token when none was granted, whole tokens left}.
 * A missing bucket is a full one, so the TTL only has to outlive a full refill.
 */
export const TAKE_TOKENS_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local want = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then
  tokens = math.min(burst, tokens + (now - at) * rate / 1000)
  at = now
end
local granted = math.min(want, math.floor(tokens))
local retry = 0
if granted > 0 then
  tokens = tokens - granted
else
  retry = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {granted, retry, math.floor(tokens)}`;
