import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { ExportModule } from '../export/export.module';
import { ReportingModule } from '../reporting/reporting.module';
import { ODataController } from './odata.controller';
import { ODataFeedService } from './odata-feed.service';
import { ODataSetsService } from './odata-sets.service';

/**
 * The OData v4 feed at /odata/v1/. It owns no cache and no upstream access: every entity set is
 * read through the /v1 services (their caches, single-flight and rate budget), so a Power BI
 * refresh costs what the equivalent /v1 calls cost.
 */
@Module({
  imports: [AnalyticsModule, ReportingModule, ExportModule],
  controllers: [ODataController],
  providers: [ODataFeedService, ODataSetsService],
})
export class ODataModule {}
