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
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { AuditAction, Scopes } from '../auth/scopes.decorator';
import { AppError } from '../common/errors/app-error';
import { resolveCsvOptions } from '../common/format/csv-options';
import { attachmentHeader, downloadFileName } from '../common/format/download-name';
import { CONTENT_TYPES, resolveFormat } from '../common/format/output-format';
import { ApiKeyAuth, ApiProblemResponses } from '../common/openapi/problem-responses.decorator';
import {
  CreateExportDto,
  ExportCreatedResponseDto,
  ExportIdParamDto,
  ExportRecordsQueryDto,
  ExportStatusResponseDto,
} from './export.dto';
import { ExportsService } from './exports.service';

function principalOf(req: FastifyRequest): Principal {
  const principal = req.cxgw?.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'An API key is required');
  return principal;
}

@ApiTags('exports')
@ApiKeyAuth()
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @HttpCode(202)
  @Scopes('export:write')
  @AuditAction('export.create', ['start', 'end'])
  @ApiOperation({ summary: 'Start a bot-event export (split into ≤30-day upstream jobs)' })
  @ApiResponse({
    status: 202,
    type: ExportCreatedResponseDto,
    description: 'Accepted; see Location',
  })
  @ApiProblemResponses(400, 401, 403)
  async create(
    @Body() dto: CreateExportDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ExportCreatedResponseDto> {
    const created = await this.exports.create(dto, principalOf(req));
    reply.header('location', created.links.self);
    return created;
  }

  @Get(':id')
  @Scopes('export:read')
  @ApiOperation({ summary: 'Status, progress and counts of an export' })
  @ApiOkResponse({ type: ExportStatusResponseDto })
  @ApiProblemResponses(400, 401, 403, 404)
  status(
    @Param() params: ExportIdParamDto,
    @Req() req: FastifyRequest,
  ): Promise<ExportStatusResponseDto> {
    return this.exports.status(params.id, principalOf(req));
  }

  @Get(':id/records')
  @Scopes('export:read')
  @ApiOperation({
    summary: 'The validated, de-duplicated records, streamed as JSON, NDJSON or CSV',
    description:
      'Available once the export is `completed` or `partial`; for `partial`, the header ' +
      '`X-Export-Missing-Windows` lists the windows (`dateFrom/dateTo`, comma-separated) not ' +
      'included. CSV takes `?delimiter=` and `?bom=true` and is spreadsheet-safe.',
  })
  @ApiProduces(CONTENT_TYPES.json, CONTENT_TYPES.ndjson, CONTENT_TYPES.csv)
  @ApiOkResponse({
    description: 'Records',
    schema: {
      example: [
        {
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
        },
      ],
    },
  })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  async records(
    @Param() params: ExportIdParamDto,
    @Query() query: ExportRecordsQueryDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const format = resolveFormat(query.format, req.headers.accept);
    const csv = format === 'csv' ? resolveCsvOptions({ ...query }) : undefined;
    const result = await this.exports.records(params.id, principalOf(req), format, csv);
    reply.headers({ ...result.headers, vary: 'Accept' });
    if (format !== 'json') {
      const name = downloadFileName(req.routeOptions.url, { ...params }, format);
      reply.header('content-disposition', attachmentHeader(name));
    }
    return new StreamableFile(result.stream, { type: CONTENT_TYPES[format] });
  }

  @Delete(':id')
  @Scopes('export:write')
  @AuditAction('export.cancel')
  @ApiOperation({ summary: 'Cancel a queued or running export' })
  @ApiOkResponse({ type: ExportStatusResponseDto })
  @ApiProblemResponses(400, 401, 403, 404, 409)
  cancel(
    @Param() params: ExportIdParamDto,
    @Req() req: FastifyRequest,
  ): Promise<ExportStatusResponseDto> {
    return this.exports.cancel(params.id, principalOf(req));
  }
}
