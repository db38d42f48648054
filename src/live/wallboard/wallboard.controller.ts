import { applyDecorators, Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../../auth/scopes.decorator';

/** The checked-in page: repository root `public/wallboard`, the same from src/ and dist/. */
const WALLBOARD_DIR = join(__dirname, '..', '..', '..', 'public', 'wallboard');

/**
 * Everything the page may do, and nothing more: its own script and style, its own API, no
 * framing; no referrer, so a ticket in a stream URL never travels to another site.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A public wallboard file of the given type, with the page's security headers. */
function WallboardFile(contentType: string): MethodDecorator {
  return applyDecorators(
    Public(),
    Header('content-type', contentType),
    Header('content-security-policy', CONTENT_SECURITY_POLICY),
    Header('referrer-policy', 'no-referrer'),
    Header('x-content-type-options', 'nosniff'),
    Header('cache-control', 'no-cache'),
  );
}

/** Read once at startup: the files are small and never change while the process runs. */
function load(name: string): string {
  return readFileSync(join(WALLBOARD_DIR, name), 'utf8');
}

@ApiTags('live')
@Controller('wallboard')
export class WallboardController {
  private readonly page = load('index.html');
  private readonly script = load('wallboard.js');
  private readonly style = load('wallboard.css');

  @Get()
  @WallboardFile('text/html; charset=utf-8')
  @ApiOperation({
    summary: 'Wall display of the live queue figures (public page; the data needs a key)',
    description:
      'Plain HTML/CSS/JS served by the gateway. One tile per queue; `?warn=60&alarm=180` set ' +
      'the longest-wait colour thresholds in seconds, `?queueIds=` picks queues, `#key=` logs ' +
      'a kiosk in (the fragment is read once and removed). The key is exchanged for stream ' +
      'tickets; it never goes into a URL.',
  })
  @ApiOkResponse({
    description: 'The wallboard page',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  index(): string {
    return this.page;
  }

  @Get('wallboard.js')
  @WallboardFile('text/javascript; charset=utf-8')
  @ApiExcludeEndpoint()
  js(): string {
    return this.script;
  }

  @Get('wallboard.css')
  @WallboardFile('text/css; charset=utf-8')
  @ApiExcludeEndpoint()
  css(): string {
    return this.style;
  }
}
