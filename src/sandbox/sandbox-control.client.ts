import type { ExportTruth } from './export-truth';
import type { FaultSpec, RouteName } from './faults';
import type { SandboxFixtures } from './fixtures';
import type { LoggedRequest, RouteStats } from './sandbox-stats';

export interface SandboxStatsSnapshot {
  routes: Record<RouteName, RouteStats>;
  /** analyticsQuery calls answered 200 that carried no paging.next: first pages of query chains. */
  analyticsChains: number;
  /** Highest number of queued|running export jobs at once. */
  activeExportsMax: number;
  tokensIssued: number;
}

/** Typed client of the sandbox control API (`/_sandbox/*`) for tests and the benchmark. */
export class SandboxControlClient {
  constructor(private readonly baseUrl: string) {}

  fixtures(): Promise<SandboxFixtures> {
    return this.call('GET', '/fixtures');
  }

  stats(): Promise<SandboxStatsSnapshot> {
    return this.call('GET', '/stats');
  }

  async resetStats(): Promise<void> {
    await this.call('POST', '/stats/reset');
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }

  async addFaults(faults: FaultSpec[]): Promise<void> {
    await this.call('POST', '/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  async expireTokens(): Promise<void> {
    await this.call('POST', '/tokens/expire');
  }

  async requests(route: RouteName): Promise<LoggedRequest[]> {
    const body = await this.call<{ requests: LoggedRequest[] }>('GET', `/requests?route=${route}`);
    return body.requests;
  }

  exportTruth(dateFrom: string, dateTo: string, windowDays = 30): Promise<ExportTruth> {
    const query = new URLSearchParams({ dateFrom, dateTo, windowDays: String(windowDays) });
    return this.call('GET', `/truth/exports?${query.toString()}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`sandbox control ${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
