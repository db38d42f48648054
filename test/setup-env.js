// Tests run in UTC so date arithmetic and CSV output are stable on every machine.
process.env.TZ = 'UTC';

// The Redis that Redis-backed specs use (CI's, or the one global-setup.js started), handed to
// them here so that no code under src/ reads the environment outside src/config.
globalThis.__CXGW_TEST_REDIS_URL__ = process.env.REDIS_URL || undefined;
