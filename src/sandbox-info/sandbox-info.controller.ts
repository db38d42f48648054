import { Controller, Get, Inject, Query } from '@nestjs/common';
import { NoFieldsPipe } from '../common/validation/no-fields.pipe';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, ApiProblemResponses } from '../common/openapi/problem-responses.decorator';
import { SANDBOX_INFO_FIXTURES } from './sandbox-info.constants';

/** Sandbox mode only: the simulator's well-known ids, so a newcomer can try every endpoint. */
@ApiTags('sandbox')
@ApiKeyAuth()
@Controller('v1/sandbox')
export class SandboxInfoController {
  constructor(@Inject(SANDBOX_INFO_FIXTURES) private readonly publicFixtures: object) {}

  @Get('fixtures')
  @ApiOperation({
    summary: 'Well-known sandbox ids (agents, queues, users); only served in sandbox mode',
  })
  @ApiOkResponse({
    schema: {
      example: {
        agents: { busy: 'a0000000-0000-4000-8000-000000000001' },
        queues: [{ id: 'c0000000-0000-4000-8000-000000000001', name: 'Sales Support' }],
      },
    },
  })
  @ApiProblemResponses(401)
  fixtures(@Query(NoFieldsPipe) _query: unknown): object {
    // The sandbox handed over its fixtures without credentials; they are served as given.
    return this.publicFixtures;
  }
}
