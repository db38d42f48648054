import type { RouteName } from './faults';
import type { HandlerResult, SandboxRequest } from './sandbox-http';
import type { SandboxState } from './sandbox-state';

export type UpstreamHandler = (
  state: SandboxState,
  req: SandboxRequest,
) => HandlerResult | Promise<HandlerResult>;

/**
 * Which family a route belongs to, which decides its credentials and its error dialect:
 * `v2` the seed API (its own bearer tokens, `{error, message}`); `oidc` the CXone issuer (no
 * bearer, OAuth errors); `acd` `/inContactAPI/services/vNN.0` (inContact bearer, ACD errors and
 * quirks); `platform` the other inContact APIs (inContact bearer); `own` routes that check their
 * credentials themselves (Data Extraction and its storage URLs).
 */
export type Surface = 'v2' | 'oidc' | 'acd' | 'platform' | 'own';

export interface UpstreamRoute {
  name: RouteName;
  method: string;
  pattern: RegExp;
  /** Names of the pattern's capture groups, in order. */
  paramNames: string[];
  handler: UpstreamHandler;
  surface: Surface;
}

const SEGMENT = '([^/]+)';

/** `:name` segments match one path segment each and become `params.name`. */
export function route(
  name: RouteName,
  method: string,
  path: string,
  handler: UpstreamHandler,
  surface: Surface = 'v2',
): UpstreamRoute {
  const paramNames = [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const source = path.replace(/:[A-Za-z]+/g, SEGMENT);
  return { name, method, pattern: new RegExp(`^${source}$`), paramNames, handler, surface };
}

/** Each letter as `[xX]`: a path prefix the server matches without regard to case. */
function anyCase(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

/**
 * A route under `/inContactAPI/services/v{NN}.0`: the prefix in any casing (clients spell it
 * three ways), any whole version, which becomes `params.apiVersion`.
 */
export function acdRoute(
  name: RouteName,
  method: string,
  resource: string,
  handler: UpstreamHandler,
): UpstreamRoute {
  const inner = route(name, method, resource, handler, 'acd');
  const prefix = `${anyCase('/inContactAPI/services/')}v(\\d{1,3})\\.0`;
  return {
    ...inner,
    pattern: new RegExp(`^${prefix}${inner.pattern.source.slice(1)}`),
    paramNames: ['apiVersion', ...inner.paramNames],
  };
}

export type RouteMatch =
  | {
      kind: 'route';
      name: RouteName;
      handler: UpstreamHandler;
      params: Record<string, string>;
      surface: Surface;
    }
  | { kind: 'methodNotAllowed'; allowed: string[] }
  | { kind: 'notFound' };

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function matchIn(
  routes: readonly UpstreamRoute[],
  method: string,
  path: string,
): RouteMatch {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const params = Object.fromEntries(r.paramNames.map((p, i) => [p, decodeSegment(m[i + 1])]));
    return { kind: 'route', name: r.name, handler: r.handler, params, surface: r.surface };
  }
  return allowed.length > 0 ? { kind: 'methodNotAllowed', allowed } : { kind: 'notFound' };
}
