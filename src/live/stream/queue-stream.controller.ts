import { Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { NoFieldsPipe } from '../../common/validation/no-fields.pipe';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../auth/principal';
import { CurrentPrincipal } from '../../auth/current-principal.decorator';
import { RouteAccess } from '../../auth/route-access.decorator';
import { AuditAction, Public } from '../../auth/scopes.decorator';
import { ApiKeyAuth, ApiProblemResponses } from '../../common/openapi/problem-responses.decorator';
import type { IssuedTicket } from '../tickets/stream-ticket.store';
import { StreamTicketStore } from '../tickets/stream-ticket.store';
import {
  QueueStreamEventDto,
  QueueStreamStatusDto,
  StreamQueuesQueryDto,
  StreamTicketDto,
} from './queue-stream.dto';
import { QueueStreamService } from './queue-stream.service';
import { StreamAuth } from './stream-auth';

const STREAM_EXAMPLE = `retry: 2000

id: 1768478400120
event: snapshot
data: {"asOf":"2026-01-15T12:00:00.120Z","queues":[{"queueId":"c0000000-0000-4000-8000-000000000001","queueName":"Sales Support","timestamp":"2026-01-15T12:00:00.000Z","waitTime":42.5,"agentCount":12,"conversationCount":37,"abandonCount":3,"serviceLevel":87.4}]}

: heartbeat

id: 1768478405135
event: update
data: {"asOf":"2026-01-15T12:00:05.135Z","queues":[{"queueId":"c0000000-0000-4000-8000-000000000001","queueName":"Sales Support","timestamp":"2026-01-15T12:00:05.000Z","waitTime":61,"agentCount":11,"conversationCount":37,"abandonCount":3,"serviceLevel":86.9}]}

event: status
data: {"upstream":"degraded","since":"2026-01-15T12:00:10.140Z","detail":"CXone is unavailable"}
`;

@ApiTags('live')
@Controller('v1/queues')
export class QueueStreamController {
  constructor(
    private readonly streams: QueueStreamService,
    private readonly auth: StreamAuth,
    private readonly tickets: StreamTicketStore,
  ) {}

  // Public for the global guard only: StreamAuth takes a key header or a ticket instead.
  @Get('stream')
  @Public()
  @AuditAction('live.queue-stream')
  @ApiKeyAuth()
  @ApiExtraModels(QueueStreamEventDto, QueueStreamStatusDto)
  @ApiOperation({
    summary: 'Live queue figures as server-sent events (scope reporting:read)',
    description:
      'A `snapshot` event on connect (every queue, or the `queueIds` asked for), then `update` ' +
      'events carrying only the queues whose figures changed, as full `GET /v1/queues/stats` ' +
      'rows (data schema: QueueStreamEventDto). Ids grow; reconnecting with `Last-Event-ID` ' +
      '(or `?lastEventId=`) replays what was missed from the last 10 minutes or more, else ' +
      'sends a fresh snapshot. `status` events (no id; data schema: QueueStreamStatusDto) say ' +
      'when CXone is degraded and when it is back. A `: heartbeat` comment every 15 s. One ' +
      'poll of CXone per QUEUE_STATS_TTL_S serves every subscriber of every replica. ' +
      'Authenticate with an API key header, or (browsers) `?ticket=` from ' +
      '`POST /v1/queues/stream-tickets`. At most STREAM_MAX_PER_KEY streams per key (429).',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this id' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: 'An endless event stream',
    content: {
      'text/event-stream': {
        schema: { type: 'string', example: STREAM_EXAMPLE },
        examples: { stream: { value: STREAM_EXAMPLE } },
      },
    },
  })
  @ApiProblemResponses(400, 401, 403, 404, 429, 503)
  async stream(
    @Query() query: StreamQueuesQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const principal = await this.auth.principalFor(request.headers, query.ticket);
    recordCaller(request, principal);
    const header = request.headers['last-event-id'];
    await this.streams.open({
      principal,
      queueIds: query.queueIds,
      lastEventId: typeof header === 'string' ? header : query.lastEventId,
      reply,
    });
  }

  @Post('stream-tickets')
  @HttpCode(201)
  @RouteAccess({ scopes: ['reporting:read'], audit: 'live.stream-ticket', problems: [503] })
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'A short-lived ticket that opens the queue stream (scope reporting:read)',
    description:
      'For pages whose EventSource cannot send an API key header: pass the ticket as ' +
      '`GET /v1/queues/stream?ticket=`. It expires after STREAM_TICKET_TTL_S (default 300 s), ' +
      'is valid on every replica, opens only the stream and is refused as an API key. Get a ' +
      'new one before `expiresAt` to be able to reconnect.',
  })
  @ApiCreatedResponse({ type: StreamTicketDto })
  issueTicket(
    @CurrentPrincipal() principal: Principal,
    @Query(NoFieldsPipe) _query: unknown,
    @Body(NoFieldsPipe) _body: unknown,
  ): Promise<IssuedTicket> {
    return this.tickets.issue(principal);
  }
}

/** The audit names who opened the stream (the global guard saw a public route). */
function recordCaller(request: FastifyRequest, principal: Principal): void {
  request.cxgw = { ...request.cxgw, principal };
}
