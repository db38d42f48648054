import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';

const signals = new WeakMap<ServerResponse, AbortSignal>();

/**
 * An AbortSignal that aborts when the client goes away before its answer was sent: the
 * response closes without having finished. (The request's own 'close' is no use: it fires as
 * soon as the body has been read.) One signal per response, however often it is asked for.
 */
export function clientSignal(res: ServerResponse): AbortSignal {
  const known = signals.get(res);
  if (known) return known;
  const controller = new AbortController();
  if (res.destroyed && !res.writableFinished) controller.abort();
  else {
    res.once('close', () => {
      if (!res.writableFinished) controller.abort();
    });
  }
  signals.set(res, controller.signal);
  return controller.signal;
}

/**
 * Controller parameter: the signal of the caller's connection (see clientSignal), to hand to
 * services so all upstream work stops when nobody waits for the answer any more.
 */
export const ClientSignal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AbortSignal =>
    clientSignal(ctx.switchToHttp().getResponse<{ raw: ServerResponse }>().raw),
);
