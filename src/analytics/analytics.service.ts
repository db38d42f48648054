import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import type { ErrorCode } from '../common/errors/error-codes';
import { Clock } from '../common/clock/clock';
import { APP_CONFIG } from '../config/config.constants';
import type { AppConfig } from '../config/app-config.types';
import { CallerGoneError, OperationBudget } from '../cxone/operation-budget';
import type { NormalizedQuery } from './analytics-query';
import {
  AnalyticsQueryInput,
  AnalyticsQueryValidator,
  DateFieldNames,
} from './analytics-query.validator';
import { etagMatches } from './analytics-response';
import { AnalyticsCacheService } from './cache/analytics-cache.service';
import { BoundedMap } from '../common/concurrency/bounded-map';
import type { AnalyticsPayload, CachedEntry } from './cache/analytics-cache.types';
import { SingleFlight } from '../common/concurrency/single-flight';
import type { CacheStatus } from './dto/analytics-response.dto';
import { dropSortKey, fetchSummaryRows, planQueryBuckets } from './buckets/bucketed-query';
import { transformRows } from './kpi/kpi-engine';
import {
  ANALYTICS_SOURCE,
  type AnalyticsCapabilities,
  type AnalyticsSource,
} from './analytics.source';

/** Upstream failures after which a stored (even expired) result is served as STALE. */
const STALE_IF_ERROR: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'CIRCUIT_OPEN',
  'RATE_LIMITED',
  'UPSTREAM_ERROR',
]);
/** How a replica that lost the fetch lock waits for the winner's result before querying itself. */
const PEER_POLL_MS = 50;
const PEER_WAIT_MS = 10_000;
/** Tolerated clock difference between replicas when judging whether a peer's entry is new. */
const CLOCK_SKEW_MS = 1000;
/** Distinct request bodies whose normalized query and key are remembered (see `prepare`). */
const PREPARED_MAX = 1000;
/** What a caller can shrink when a summary costs too much. */
const SHRINK_SUMMARY =
  'shorten the range (start/end), choose a coarser granularity, or ask for fewer dimensions';

export interface SummaryOptions {
  /** `Cache-Control: no-cache`: skip the cache read and query CXone. */
  noCache: boolean;
  ifNoneMatch?: string;
  /** Oldest cached result the caller accepts, in seconds (the seed route's cache_ttl). */
  maxAgeS?: number;
  /** Names of the date fields in the caller's API, for error messages. */
  dateFields?: DateFieldNames;
  /**
   * The caller's connection: when it closes the caller stops waiting; the upstream fetch it
   * shares with identical concurrent queries stops once none of their callers is left.
   */
  signal?: AbortSignal;
}

export interface SummaryOutcome {
  payload: AnalyticsPayload;
  /** The cache key and entry version behind this answer (for the cache-hit fast path). */
  key: string;
  version: string;
  etag: string;
  status: CacheStatus;
  ageSeconds: number;
  notModified: boolean;
}

interface Loaded {
  entry: CachedEntry;
  status: CacheStatus;
}

/**
 * Runs analytics summary queries: validate → cache (fresh hit) → one upstream chain per
 * distinct query (single-flight in process, a Redis lock across replicas) → KPIs → cache.
 * When CXone fails, a stored result is served STALE rather than an error.
 */
@Injectable()
export class AnalyticsService {
  private readonly logger = new Logger('Analytics');
  private readonly flights = new SingleFlight<Loaded>();
  private readonly prepared = new BoundedMap<string, { query: NormalizedQuery; key: string }>(
    PREPARED_MAX,
  );

  constructor(
    private readonly validator: AnalyticsQueryValidator,
    private readonly cache: AnalyticsCacheService,
    @Inject(ANALYTICS_SOURCE) private readonly source: AnalyticsSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** What the bound dialect answers (the lists the validator applies). */
  get capabilities(): AnalyticsCapabilities {
    return this.validator.capabilities;
  }

  async summary(input: AnalyticsQueryInput, opts: SummaryOptions): Promise<SummaryOutcome> {
    const { query, key } = this.prepare(input, opts.dateFields);
    const known = opts.noCache ? undefined : await this.cache.read(key);
    if (known && this.cache.isFresh(known, opts.maxAgeS)) {
      this.cache.record('hit');
      return this.outcome(key, { entry: known, status: 'HIT' }, opts);
    }
    const loaded = await this.load(key, query, known, opts);
    this.cache.record(loaded.status === 'STALE' ? 'stale' : 'miss');
    return this.outcome(key, loaded, opts);
  }

  /**
   * One upstream fetch per key, shared by every concurrent caller of the same query. The fetch
   * runs with its own signal, which aborts only when all of those callers have gone; a caller
   * that leaves gets CallerGoneError (nobody reads it: the audit records the request as
   * aborted). A fetch that completes although its last caller has just left is still cached:
   * the upstream calls are spent and the next identical query is answered from it.
   */
  private async load(
    key: string,
    query: NormalizedQuery,
    known: CachedEntry | undefined,
    opts: SummaryOptions,
  ): Promise<Loaded> {
    try {
      return await this.flights.run(
        key,
        (shared) => this.refresh(key, query, known, opts, shared),
        opts.signal,
      );
    } catch (err) {
      if (opts.signal?.aborted) throw new CallerGoneError();
      throw err;
    }
  }

  /**
   * For the cache-hit fast path: whether the entry version behind a recorded answer is still
   * the fresh entry of its key — a hit, counted as one, exactly when `summary` would answer HIT.
   */
  isCurrent(token: { key: string; version: string }): boolean | Promise<boolean> {
    const entry = this.cache.readNow(token.key);
    return entry instanceof Promise
      ? entry.then((read) => this.isCurrentEntry(read, token.version))
      : this.isCurrentEntry(entry, token.version);
  }

  private isCurrentEntry(entry: CachedEntry | undefined, version: string): boolean {
    const current =
      entry !== undefined && this.cache.isFresh(entry) && versionOf(entry) === version;
    if (current) this.cache.record('hit');
    return current;
  }

  /** Whole seconds since an entry was stored (the answer's `cache.ageSeconds`). */
  ageSecondsOf(storedAt: number): number {
    return Math.max(0, Math.floor((this.clock.now() - storedAt) / 1000));
  }

  /**
   * Normalized query and cache key of a body. Both depend only on the body and static config,
   * so repeated bodies (dashboards) skip the validation rules and the hashing on the hit path.
   */
  private prepare(
    input: AnalyticsQueryInput,
    fields?: DateFieldNames,
  ): { query: NormalizedQuery; key: string } {
    const memoKey = JSON.stringify([input, fields]);
    const known = this.prepared.get(memoKey);
    if (known) return known;
    const query = this.validator.normalize(input, fields);
    // Refuses an unanswerable granularity / zone or too many buckets before any cache or upstream work.
    planQueryBuckets(query, this.source.bucketing ?? 'utc-days', this.validator.maxBuckets);
    const prepared = { query, key: this.cache.keyFor(query) };
    this.prepared.set(memoKey, prepared);
    return prepared;
  }

  private async refresh(
    key: string,
    query: NormalizedQuery,
    known: CachedEntry | undefined,
    opts: SummaryOptions,
    signal: AbortSignal,
  ): Promise<Loaded> {
    const startedAt = this.clock.now();
    const lock = await this.cache.tryLock(key);
    try {
      // Double-checked: another replica may have stored the result between our miss and our
      // lock. (In process, single-flight already rules that out; no-cache wants a new fetch.)
      const peer = !lock.acquired
        ? await this.awaitPeer(key, startedAt, opts, signal)
        : lock.shared && !opts.noCache
          ? await this.usableEntry(key, startedAt, opts)
          : undefined;
      if (peer) return { entry: peer, status: 'MISS' };
      return { entry: await this.fetchAndStore(key, query, signal), status: 'MISS' };
    } catch (err) {
      const stale = isStaleEligible(err) ? (known ?? (await this.cache.read(key))) : undefined;
      if (!stale) throw err;
      this.logger.warn(`serving a stale analytics result: ${(err as Error).message}`);
      return { entry: stale, status: 'STALE' };
    } finally {
      await lock.release();
    }
  }

  /** Polls the cache while another replica fetches; undefined when it gave up or failed. */
  private async awaitPeer(
    key: string,
    startedAt: number,
    opts: SummaryOptions,
    signal: AbortSignal,
  ): Promise<CachedEntry | undefined> {
    while (this.clock.now() - startedAt < PEER_WAIT_MS) {
      await this.clock.sleep(PEER_POLL_MS);
      // Every caller has left: stop polling for an answer nobody will read.
      if (signal.aborted) throw new CallerGoneError();
      const entry = await this.usableEntry(key, startedAt, opts);
      if (entry) return entry;
      // The peer finished (or died) between our read and this check: one last look.
      if (!(await this.cache.lockHeld(key))) return this.usableEntry(key, startedAt, opts);
    }
    return undefined;
  }

  /** A cached entry fresh enough for this request (for no-cache: stored after it began). */
  private async usableEntry(
    key: string,
    startedAt: number,
    opts: SummaryOptions,
  ): Promise<CachedEntry | undefined> {
    const entry = await this.cache.read(key);
    const usable =
      entry !== undefined &&
      this.cache.isFresh(entry, opts.maxAgeS) &&
      (!opts.noCache || entry.storedAt >= startedAt - CLOCK_SKEW_MS);
    return usable ? entry : undefined;
  }

  private async fetchAndStore(
    key: string,
    query: NormalizedQuery,
    signal: AbortSignal,
  ): Promise<CachedEntry> {
    // Every page and bucket of the query as one operation: a deadline and a call limit.
    const { analyticsDeadlineMs, analyticsMaxUpstreamCalls } = this.config.limits;
    const budget = new OperationBudget({
      clock: this.clock,
      deadlineMs: analyticsDeadlineMs,
      maxCalls: analyticsMaxUpstreamCalls,
      caller: signal,
      what: 'this summary query',
      limitName: 'ANALYTICS_MAX_UPSTREAM_CALLS',
      deadlineName: 'ANALYTICS_DEADLINE_MS',
      shrink: SHRINK_SUMMARY,
    });
    let fetched;
    try {
      fetched = await fetchSummaryRows(this.source, query, this.validator.maxBuckets, { budget });
    } finally {
      budget.dispose();
    }
    const { rows: raw, pages } = fetched;
    const shaped = transformRows(raw, { ...query, dimensions: fetched.dimensions });
    const { rows, kpis, warnings } = shaped;
    const payload: AnalyticsPayload = {
      rows,
      columns: dropSortKey(rows, shaped.columns),
      kpis,
      generatedAt: new Date(this.clock.now()).toISOString(),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    this.logger.debug(`analytics query: ${rows.length} rows from ${pages} pages`);
    return this.cache.write(key, payload);
  }

  private outcome(key: string, loaded: Loaded, opts: SummaryOptions): SummaryOutcome {
    const { entry, status } = loaded;
    return {
      payload: entry.payload,
      key,
      version: versionOf(entry),
      etag: entry.etag,
      status,
      ageSeconds: this.ageSecondsOf(entry.storedAt),
      notModified: etagMatches(opts.ifNoneMatch, entry.etag),
    };
  }
}

/** An entry's version: when it was stored and what it holds (`<storedAt>:<etag>`). */
export function versionOf(entry: CachedEntry): string {
  return `${entry.storedAt}:${entry.etag}`;
}

/** The storedAt encoded in a version. */
export function storedAtOf(version: string): number {
  return Number(version.slice(0, version.indexOf(':')));
}

function isStaleEligible(err: unknown): boolean {
  return err instanceof AppError && STALE_IF_ERROR.has(err.code);
}
