import { DynamicModule, Module } from '@nestjs/common';
import { SandboxInfoController } from './sandbox-info.controller';
import { SANDBOX_INFO_FIXTURES } from './sandbox-info.constants';

/**
 * Registered by AppModule only when the gateway runs against the embedded sandbox. The fixtures
 * arrive as a value from bootstrap (which started the sandbox), so nothing here loads the simulator.
 */
@Module({})
export class SandboxInfoModule {
  static forRoot(fixtures: object): DynamicModule {
    return {
      module: SandboxInfoModule,
      controllers: [SandboxInfoController],
      providers: [{ provide: SANDBOX_INFO_FIXTURES, useValue: fixtures }],
    };
  }
}
