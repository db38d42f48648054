import { Global, Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ReplayHooks } from './replay.hooks';

/** The cache-hit fast path (see ReplayHooks); features register their replayable routes. */
@Global()
@Module({
  imports: [AuditModule],
  providers: [ReplayHooks],
  exports: [ReplayHooks],
})
export class ReplayModule {}
