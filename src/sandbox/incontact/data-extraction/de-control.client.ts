import type { DataExtractionOptions } from './de-options';
import type { DataExtractionTruth } from './de-truth';

/** `GET /_sandbox/data-extraction`: options, entities and counters of the simulator. */
export interface DataExtractionSnapshot {
  options: DataExtractionOptions;
  entities: Record<string, string[]>;
  jobs: { created: number; runningHighWater: number; createsWhileRunning: number };
  throttled: { create: number; list: number; get: number };
  storage: {
    served: number;
    prerendered: number;
    refusedAuthorization: number;
    expired: number;
    badSignature: number;
    notFound: number;
    truncated: number;
  };
}

export interface TruthQuery {
  startDate: string;
  endDate: string;
  windowDays?: number;
  entityName?: string;
  version?: string;
}

/** Typed client of the Data Extraction control routes, for tests and the benchmark. */
export class DataExtractionControlClient {
  constructor(private readonly baseUrl: string) {}

  snapshot(): Promise<DataExtractionSnapshot> {
    return this.call('GET', '/data-extraction');
  }

  configure(patch: Partial<DataExtractionOptions>): Promise<DataExtractionSnapshot> {
    return this.call('POST', '/data-extraction', patch);
  }

  truth(query: TruthQuery): Promise<DataExtractionTruth> {
    const params = new URLSearchParams(
      Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
    );
    return this.call('GET', `/truth/data-extraction?${params.toString()}`);
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
