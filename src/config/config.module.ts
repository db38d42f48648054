import { DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from './app-config.types';
import { APP_CONFIG } from './config.constants';

/** The parsed, validated configuration tree, injectable everywhere as APP_CONFIG. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
