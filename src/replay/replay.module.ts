import { Global, Module } from '@nestjs/common';
import { ReplayHooks } from './replay.hooks';

/** The cache-hit fast path (see ReplayHooks); features register their replayable routes. */
@Global()
@Module({
  providers: [ReplayHooks],
  exports: [ReplayHooks],
})
export class ReplayModule {}
