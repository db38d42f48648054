import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';

/** Sets one header on the current response. */
export type HeaderSetter = (name: string, value: string) => void;

/**
 * Injects a setter for response headers, leaving Nest in charge of sending the body (filters and
 * the format hook still apply, unlike `@Res()`). It hands out a function rather than the reply:
 * a Fastify reply is thenable, so Nest's `await` on a piped parameter value would wait for the
 * response to finish — forever.
 */
export const ResponseHeaders = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): HeaderSetter => {
    const reply = ctx.switchToHttp().getResponse<FastifyReply>();
    return (name, value) => {
      void reply.header(name, value);
    };
  },
);
