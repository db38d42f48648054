import type { Provider, Type } from '@nestjs/common';
import type { TokenGrant } from '../cxone/token/token-grant';

/**
 * What a dialect must supply: one adapter class per feature port. The ports (interfaces and
 * injection tokens) belong to the features; a dialect only implements them.
 */
export interface DialectBindings {
  agentHistory: Type<unknown>;
  queueStats: Type<unknown>;
  analytics: Type<unknown>;
  agentStatus: Type<unknown>;
  export: Type<unknown>;
  /** How this dialect obtains CXone access tokens (the token provider takes it). */
  tokenGrant: Type<TokenGrant>;
  /** The cheapest authenticated call, readiness's probe of the token (an AuthProbeCall). */
  authProbe: Type<unknown>;
  /** Helpers the adapters share inside the dialect (e.g. a token grant, a code cache). */
  extraProviders?: Provider[];
}
