import { applyDecorators } from '@nestjs/common';
import {
  ApiBasicAuth,
  ApiBearerAuth,
  ApiExtraModels,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import { ProblemDto } from './problem.dto';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input; `errors` names every bad field',
  401: 'Missing or unknown API key',
  403: 'The API key lacks the required scope',
  404: 'Not found',
  406: 'Not acceptable',
  409: 'Conflict',
  410: 'Gone: it existed but has been removed',
  412: 'Precondition failed',
  413: 'Request body too large',
  422: 'Unprocessable request',
  429: 'Rate limited; see Retry-After',
  502: 'CXone answered with an error',
  503: 'CXone unavailable or circuit open; see Retry-After',
  504: 'CXone timed out',
};

/** Documents the listed error statuses as application/problem+json responses. */
export function ApiProblemResponses(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/**
 * Marks a route as needing an API key, as `Authorization: Bearer`, `X-API-Key` or HTTP Basic
 * with the key as the password (extractApiKey reads all three on every route).
 */
export function ApiKeyAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth('bearer'), ApiSecurity('apiKey'), ApiBasicAuth('basic'));
}
