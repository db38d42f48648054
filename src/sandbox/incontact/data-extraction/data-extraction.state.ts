import type { SandboxState } from '../../sandbox-state';
import { sandboxEntities, type SandboxEntity } from './de-entities';
import { DeCallThrottle, DeJobStore } from './de-jobs.store';
import { DEFAULT_DATA_EXTRACTION_OPTIONS, type DataExtractionOptions } from './de-options';
import { SegmentRowGenerator } from './segment-rows.generator';
import { UrlSigner } from './url-signer';

/** What happened at the storage route, for the control API. */
export interface StorageCounters {
  served: number;
  /** Of those served, sent from the file rendered while the job ran (SANDBOX_DE_PRERENDER). */
  prerendered: number;
  /** Refused because the request also carried an Authorization header. */
  refusedAuthorization: number;
  expired: number;
  badSignature: number;
  notFound: number;
  /** Cut off halfway by a scripted fault. */
  truncated: number;
}

const zeroStorage = (): StorageCounters => ({
  served: 0,
  prerendered: 0,
  refusedAuthorization: 0,
  expired: 0,
  badSignature: 0,
  notFound: 0,
  truncated: 0,
});

/** Everything the simulated Data Extraction API holds for one sandbox instance. */
export class DataExtractionState {
  readonly jobs: DeJobStore;
  readonly throttle: DeCallThrottle;
  readonly signer = new UrlSigner();
  storage = zeroStorage();
  private current: DataExtractionOptions;
  private generator: SegmentRowGenerator;
  private readonly entities: Map<string, Map<string, SandboxEntity>>;

  constructor(
    private readonly seed: number,
    private readonly initial: DataExtractionOptions,
    readonly now: () => number,
  ) {
    this.current = { ...initial };
    this.jobs = new DeJobStore(now);
    this.throttle = new DeCallThrottle(now);
    this.entities = sandboxEntities(seed);
    this.generator = new SegmentRowGenerator(seed, initial.rowsPerDay);
  }

  get options(): DataExtractionOptions {
    return this.current;
  }

  setOptions(next: DataExtractionOptions): void {
    this.current = { ...next };
    if (next.rowsPerDay !== this.generator.rowsPerDay)
      this.generator = new SegmentRowGenerator(this.seed, next.rowsPerDay);
  }

  /** The rows of the data world at the current size (a job keeps the one it was created with). */
  get rows(): SegmentRowGenerator {
    return this.generator;
  }

  entity(entityName: string, version: string): SandboxEntity | undefined {
    return this.entities.get(entityName)?.get(version);
  }

  /** `entityName → versions`, for error messages and the fixtures. */
  catalogue(): Record<string, string[]> {
    return Object.fromEntries([...this.entities].map(([name, v]) => [name, [...v.keys()]]));
  }

  /** Zero counters; jobs, options and the throttle's history stay. */
  resetCounters(): void {
    this.jobs.resetCounters();
    this.throttle.resetCounters();
    this.storage = zeroStorage();
  }

  /** Back to the configured options, no jobs, no throttle history, zero counters. */
  reset(): void {
    this.setOptions(this.initial);
    this.jobs.clear();
    this.throttle.reset();
    this.storage = zeroStorage();
  }
}

const STATES = new WeakMap<SandboxState, DataExtractionState>();

/** The Data Extraction part of a sandbox instance, made on first use. */
export function dataExtractionOf(state: SandboxState): DataExtractionState {
  let de = STATES.get(state);
  if (!de) {
    const options = state.options.dataExtraction ?? DEFAULT_DATA_EXTRACTION_OPTIONS;
    de = new DataExtractionState(state.options.seed, options, state.now);
    STATES.set(state, de);
  }
  return de;
}
