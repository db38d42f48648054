import type { ExportTruth } from './export-truth';
import type { FaultSpec, RouteName } from './faults';
import type { IncontactQuirks } from './incontact/quirks';
import type { QueueLiveFigures } from './queue-live.store';
import type { SandboxFixtures } from './sandbox-fixtures';
import type { LoggedRequest, RouteStats } from './sandbox-stats';

export interface SandboxStatsSnapshot {
  routes: Record<RouteName, RouteStats>;
  /** analyticsQuery calls answered 200 that carried no paging.next: first pages of query chains. */
  analyticsChains: number;
  /** Highest number of queued|running export jobs at once. */
  activeExportsMax: number;
  tokensIssued: number;
  /** Access tokens the inContact surface issued (password grant, legacy login, refreshes). */
  incontactTokensIssued: number;
}

/** One queue's live figures as `GET /_sandbox/queues` and `POST /_sandbox/queues/{id}` show them. */
export interface SandboxQueueView {
  skillId: number;
  queueId: string | null;
  name: string;
  changedAt: string;
  figures: QueueLiveFigures;
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

  async quirks(): Promise<IncontactQuirks> {
    return (await this.call<{ quirks: IncontactQuirks }>('GET', '/quirks')).quirks;
  }

  /** Changes any subset of the inContact quirks until the next reset. */
  async setQuirks(quirks: Partial<IncontactQuirks>): Promise<IncontactQuirks> {
    return (await this.call<{ quirks: IncontactQuirks }>('POST', '/quirks', quirks)).quirks;
  }

  async resetQuirks(): Promise<void> {
    await this.call('DELETE', '/quirks');
  }

  async queues(): Promise<SandboxQueueView[]> {
    return (await this.call<{ queues: SandboxQueueView[] }>('GET', '/queues')).queues;
  }

  /** Sets live figures of one queue (v2 UUID or numeric skill id); both surfaces answer them. */
  setQueue(
    queueId: string | number,
    figures: Partial<QueueLiveFigures> & { agentCount?: number; conversationCount?: number },
  ): Promise<SandboxQueueView> {
    return this.call('POST', `/queues/${encodeURIComponent(String(queueId))}`, figures);
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
