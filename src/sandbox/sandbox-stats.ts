import { ROUTE_NAMES, type RouteName } from './faults';

export interface RouteStats {
  calls: number;
  byStatus: Record<string, number>;
}

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const MAX_LOGGED_PER_ROUTE = 100;

/** Exact per-route call counters and a short request log, read by tests through the control API. */
export class SandboxStats {
  private routes = SandboxStats.emptyRoutes();
  private logs = new Map<RouteName, LoggedRequest[]>();
  analyticsChains = 0;

  /** Counts one answered (or deliberately unanswered: status 0) upstream call. */
  record(route: RouteName, status: number): void {
    const stats = this.routes[route];
    stats.calls += 1;
    stats.byStatus[String(status)] = (stats.byStatus[String(status)] ?? 0) + 1;
  }

  log(route: RouteName, request: LoggedRequest): void {
    const list = this.logs.get(route) ?? [];
    list.push(request);
    if (list.length > MAX_LOGGED_PER_ROUTE) list.shift();
    this.logs.set(route, list);
  }

  requests(route: RouteName): LoggedRequest[] {
    return this.logs.get(route) ?? [];
  }

  snapshot(): { routes: Record<RouteName, RouteStats>; analyticsChains: number } {
    return { routes: structuredClone(this.routes), analyticsChains: this.analyticsChains };
  }

  reset(): void {
    this.routes = SandboxStats.emptyRoutes();
    this.logs = new Map();
    this.analyticsChains = 0;
  }

  private static emptyRoutes(): Record<RouteName, RouteStats> {
    return Object.fromEntries(ROUTE_NAMES.map((r) => [r, { calls: 0, byStatus: {} }])) as Record<
      RouteName,
      RouteStats
    >;
  }
}
