import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditHooks } from './audit.hooks';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditHooks],
  exports: [AuditService, AuditHooks],
})
export class AuditModule {}
