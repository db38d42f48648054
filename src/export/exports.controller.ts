import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { RouteAccess } from '../auth/route-access.decorator';
import { WithResponseMeta } from '../common/http/response-meta';
import { resolveCsvOptions } from '../common/format/csv-options';
import { attachmentHeader, downloadFileName } from '../common/format/download-name';
import { CONTENT_TYPES } from '../common/format/output-format';
import { resolveFormat } from '../common/format/resolve-format';
import {
  CreateExportDto,
  ExportCreatedResponseDto,
  ExportIdParamDto,
  ExportRecordsQueryDto,
  ExportStatusResponseDto,
} from './export.dto';
import { ExportsService } from './exports.service';
import { RECORD_COLUMNS, REQUIRED_RECORD_FIELDS } from './record-validator';

const RECORD_EXAMPLE: Record<string, string | number> = {
  id: '0b9c2f4e-1d7a-4c55-9a43-7e1f2d3c4b5a',
  type: 'bot',
  dateFrom: '2024-01-01T00:03:12.000Z',
  dateTo: '2024-01-01T00:09:40.000Z',
  botId: 'bot-1',
  agentId: 'agent-1',
  duration: 388,
  conversationId: '6f1e2d3c-4b5a-4978-8c6d-5e4f3a2b1c0d',
  intent: 'order_status',
  outcome: 'resolved',
};

/**
 * A bot-event record: the CSV columns. Not `required`: a Data Extraction export's rows have
 * other columns (a bot-event record always has every REQUIRED_RECORD_FIELDS one).
 */
const RECORD_SCHEMA: SchemaObject = {
  type: 'object',
  description: `Bot-event records always carry ${REQUIRED_RECORD_FIELDS.join(', ')}`,
  properties: Object.fromEntries(
    RECORD_COLUMNS.map((c) => [
      c,
      c === 'duration'
        ? { type: 'number', minimum: 0, description: 'Seconds' }
        : c === 'dateFrom' || c === 'dateTo'
          ? { type: 'string', format: 'date-time' }
          : { type: 'string' },
    ]),
  ),
  additionalProperties: true,
};

@ApiTags('exports')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  @RouteAccess({
    scopes: ['export:write'],
    audit: 'export.create',
    auditFields: ['start', 'end'],
    problems: [400, 429],
  })
  @ApiOperation({
    summary: 'Start a bot-event export (split into ≤30-day upstream jobs)',
    description:
      'One API key may have EXPORT_MAX_PER_KEY queued or running exports at once; beyond that ' +
      'this answers 429 with `Retry-After`, naming the cap (`limit`) and the count (`active`). ' +
      'Upstream job slots go to the keys in turn, so one key’s backlog does not hold up another.',
  })
  @ApiResponse({
    status: 202,
    type: ExportCreatedResponseDto,
    description: 'Accepted; see Location',
  })
  async create(
    @Body() dto: CreateExportDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WithResponseMeta<ExportCreatedResponseDto>> {
    const created = await this.exports.create(dto, principal);
    return new WithResponseMeta(created, { headers: { location: created.links.self } });
  }

  @Get(':id')
  @RouteAccess({ scopes: ['export:read'], problems: [400, 404] })
  @ApiOperation({ summary: 'Status, progress and counts of an export' })
  @ApiOkResponse({ type: ExportStatusResponseDto })
  status(
    @Param() params: ExportIdParamDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExportStatusResponseDto> {
    return this.exports.status(params.id, principal);
  }

  @Get(':id/records')
  @RouteAccess({ scopes: ['export:read'], problems: [400, 404, 409, 410] })
  @ApiOperation({
    summary: 'The validated, de-duplicated records, streamed as JSON, NDJSON or CSV',
    description:
      'Available once the export is `completed` or `partial`; for `partial`, the header ' +
      '`X-Export-Missing-Windows` lists the windows (`dateFrom/dateTo`, comma-separated) not ' +
      'included. CSV takes `?delimiter=` and `?bom=true` and is spreadsheet-safe. Results are ' +
      'kept EXPORT_RETENTION_HOURS after the export finished (see `expiresAt`); once removed ' +
      '(expired or deleted) this answers 410 Gone.',
  })
  @ApiProduces(CONTENT_TYPES.json, CONTENT_TYPES.ndjson, CONTENT_TYPES.csv)
  @ApiOkResponse({
    description:
      'The records: a JSON array, NDJSON (one record a line) or CSV with a header row. A ' +
      'bot-event export has the columns below; other fields are kept as they came. Exports of ' +
      'the incontact dialect’s Data Extraction data sets carry that data set’s columns instead.',
    content: {
      [CONTENT_TYPES.json]: {
        schema: { type: 'array', items: RECORD_SCHEMA },
        example: [RECORD_EXAMPLE],
      },
      [CONTENT_TYPES.ndjson]: {
        schema: { type: 'string', description: 'One JSON record (as in the JSON array) a line' },
        example: `${JSON.stringify(RECORD_EXAMPLE)}\n`,
      },
      [CONTENT_TYPES.csv]: {
        schema: { type: 'string', description: `RFC 4180; header row ${RECORD_COLUMNS.join(',')}` },
        example: `${RECORD_COLUMNS.join(',')}\r\n${RECORD_COLUMNS.map((c) => RECORD_EXAMPLE[c]).join(',')}\r\n`,
      },
    },
  })
  async records(
    @Param() params: ExportIdParamDto,
    @Query() query: ExportRecordsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const format = resolveFormat(query.format, req.headers.accept);
    const csv = format === 'csv' ? resolveCsvOptions({ ...query }) : undefined;
    const result = await this.exports.records(params.id, principal, format, csv);
    reply.headers({ ...result.headers, vary: 'Accept' });
    if (format !== 'json') {
      const name = downloadFileName(req.routeOptions.url, { ...params }, format);
      reply.header('content-disposition', attachmentHeader(name));
    }
    return new StreamableFile(result.stream, { type: CONTENT_TYPES[format] });
  }

  @Delete(':id')
  @RouteAccess({ scopes: ['export:write'], audit: 'export.cancel', problems: [400, 404] })
  @ApiOperation({
    summary: 'Cancel a queued or running export, or remove a finished one’s results',
    description:
      'A queued or running export is cancelled and the windows it had written are removed. ' +
      'A finished export’s result files are removed; its status stays readable with ' +
      '`expiredAt` and `expiredReason: deleted`, and its records answer 410. Repeating the ' +
      'request changes nothing.',
  })
  @ApiOkResponse({ type: ExportStatusResponseDto })
  remove(
    @Param() params: ExportIdParamDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ExportStatusResponseDto> {
    return this.exports.remove(params.id, principal);
  }
}
