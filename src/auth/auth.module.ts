import { Global, Module } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyRegistry } from './api-key.registry';

/**
 * The inbound side: API keys, scopes and the guard. Global because the guard runs on every
 * route (registered once as APP_GUARD in app.module.ts) and other rooms check keys too.
 */
@Global()
@Module({
  providers: [ApiKeyRegistry, ApiKeyGuard],
  exports: [ApiKeyRegistry, ApiKeyGuard],
})
export class AuthModule {}
