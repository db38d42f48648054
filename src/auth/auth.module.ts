import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRegistry } from './api-key.registry';
import { RateLimiter } from './rate-limit/rate-limiter';

/**
 * The inbound side: API keys, scopes, per-key rate limits and the guard. Global because the
 * guard runs on every route (registered once as APP_GUARD in app.module.ts) and other rooms
 * check keys too (the cache-hit fast path authorises and limits with the same code).
 */
@Global()
@Module({
  providers: [ApiKeyRegistry, ApiKeyGuard, RateLimiter],
  exports: [ApiKeyRegistry, ApiKeyGuard, RateLimiter],
})
export class AuthModule {}
