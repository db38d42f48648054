import { Module } from '@nestjs/common';
import { SandboxInfoController } from './sandbox-info.controller';

/** Registered by AppModule only when the gateway runs against the embedded sandbox. */
@Module({ controllers: [SandboxInfoController] })
export class SandboxInfoModule {}
