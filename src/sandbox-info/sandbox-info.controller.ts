import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyAuth, ApiProblemResponses } from '../common/openapi/problem-responses.decorator';
import { SANDBOX_FIXTURES } from '../sandbox/fixtures';

/** Sandbox mode only: the simulator's well-known ids, so a newcomer can try every endpoint. */
@ApiTags('sandbox')
@ApiKeyAuth()
@Controller('v1/sandbox')
export class SandboxInfoController {
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
  fixtures(): Omit<typeof SANDBOX_FIXTURES, 'credentials'> {
    // The simulator's client secret is fake, but responses never carry credentials on principle.
    const { credentials: _credentials, ...publicFixtures } = SANDBOX_FIXTURES;
    return publicFixtures;
  }
}
