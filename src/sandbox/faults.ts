import { createPrng } from './hash';
import { DATA_EXTRACTION_ROUTE_NAMES } from './incontact/data-extraction/de-route-names';
import { INCONTACT_ROUTE_NAMES } from './incontact/route-names';

/** Names of the upstream routes; stats, request logs and faults are keyed by them. */
export const ROUTE_NAMES = [
  'token',
  'agentHistory',
  'queueStats',
  'analyticsQuery',
  'exportCreate',
  'exportList',
  'exportGet',
  'exportDownload',
  'userGet',
  'userStatus',
  ...INCONTACT_ROUTE_NAMES,
  ...DATA_EXTRACTION_ROUTE_NAMES,
] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

export const FAULT_KINDS = [
  'status',
  'rateLimit',
  'latency',
  'hang',
  'truncatedGzip',
  'malformedJson',
  'failJob',
  'reset',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One scripted misbehaviour. See docs/sandbox.md for what each kind does. */
export interface FaultSpec {
  route: RouteName | '*';
  kind: FaultKind;
  /** For `status`; default 503. */
  status?: number;
  /** For `rateLimit` (default 1) and optionally `status`: the Retry-After value in seconds. */
  retryAfterS?: number;
  /** Send Retry-After as an HTTP date instead of seconds. */
  retryAfterDate?: boolean;
  /** For `latency`: extra delay before answering. */
  latencyMs?: number;
  /** Apply to the next N matching calls only; default unlimited. */
  times?: number;
  /** 0..1; drawn from a PRNG seeded with the sandbox seed, so a run is reproducible. */
  probability?: number;
}

/** Faults decided before the handler runs; the first one that fires answers the call. */
export type TerminalFault = FaultSpec & { kind: 'status' | 'rateLimit' | 'hang' | 'reset' };

export interface PreHandlerFaults {
  latencyMs: number;
  terminal?: TerminalFault;
}

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

const TERMINAL_KINDS: ReadonlySet<FaultKind> = new Set(['status', 'rateLimit', 'hang', 'reset']);

function isTerminal(spec: FaultSpec): spec is TerminalFault {
  return TERMINAL_KINDS.has(spec.kind);
}

/**
 * Holds the active faults and decides, per call, which of them fire. `times` is consumed only
 * when a fault actually fires; a probability miss leaves it untouched.
 */
export class FaultEngine {
  private active: ActiveFault[] = [];
  private random: () => number;

  constructor(
    private readonly seed: number,
    private readonly baseline: FaultSpec[],
  ) {
    this.random = createPrng(seed);
    this.add(baseline);
  }

  add(faults: FaultSpec[]): void {
    for (const spec of faults) this.active.push({ spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.active = [];
  }

  /** Back to the configured faults with fresh `times` budgets and PRNG. */
  reset(): void {
    this.active = [];
    this.random = createPrng(this.seed);
    this.add(this.baseline);
  }

  list(): (FaultSpec & { remaining: number | null })[] {
    return this.active.map(({ spec, remaining }) => ({
      ...spec,
      remaining: Number.isFinite(remaining) ? remaining : null,
    }));
  }

  /** Latency faults add up; the first terminal fault that fires wins and the scan stops. */
  beforeHandler(route: RouteName): PreHandlerFaults {
    let latencyMs = 0;
    for (const fault of this.active) {
      const { spec } = fault;
      if (spec.kind === 'latency' && this.fires(fault, route)) latencyMs += spec.latencyMs ?? 0;
      else if (isTerminal(spec) && this.fires(fault, route)) return { latencyMs, terminal: spec };
    }
    return { latencyMs };
  }

  /** Response-shaping faults (`malformedJson`, `truncatedGzip`), applied to successful answers. */
  take(route: RouteName, kind: 'malformedJson' | 'truncatedGzip' | 'failJob'): boolean {
    const fault = this.active.find((f) => f.spec.kind === kind && this.fires(f, route));
    return fault !== undefined;
  }

  private fires(fault: ActiveFault, route: RouteName): boolean {
    if (fault.remaining <= 0) return false;
    if (fault.spec.route !== '*' && fault.spec.route !== route) return false;
    const p = fault.spec.probability;
    if (p !== undefined && this.random() >= p) return false;
    fault.remaining -= 1;
    return true;
  }
}

const FAULT_KEYS: ReadonlySet<string> = new Set([
  'route',
  'kind',
  'status',
  'retryAfterS',
  'retryAfterDate',
  'latencyMs',
  'times',
  'probability',
]);

function isNonNegativeInt(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function faultProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object'];
  const f = value as Record<string, unknown>;
  const problems = Object.keys(f)
    .filter((k) => !FAULT_KEYS.has(k))
    .map((k) => `unknown field "${k}"`);
  const route = f.route;
  if (route !== '*' && !ROUTE_NAMES.includes(route as RouteName))
    problems.push(`route must be "*" or one of ${ROUTE_NAMES.join(', ')}`);
  if (!FAULT_KINDS.includes(f.kind as FaultKind))
    problems.push(`kind must be one of ${FAULT_KINDS.join(', ')}`);
  if (f.status !== undefined && !(isNonNegativeInt(f.status) && Number(f.status) >= 100))
    problems.push('status must be an HTTP status code');
  if (f.status !== undefined && Number(f.status) > 599) problems.push('status must be <= 599');
  for (const key of ['retryAfterS', 'latencyMs', 'times'] as const)
    if (f[key] !== undefined && !isNonNegativeInt(f[key]))
      problems.push(`${key} must be a non-negative integer`);
  if (f.retryAfterDate !== undefined && typeof f.retryAfterDate !== 'boolean')
    problems.push('retryAfterDate must be a boolean');
  const p = f.probability;
  if (p !== undefined && !(typeof p === 'number' && p >= 0 && p <= 1))
    problems.push('probability must be a number in 0..1');
  if (f.kind === 'latency' && f.latencyMs === undefined) problems.push('latency needs latencyMs');
  return problems;
}

/** Checks an untrusted fault list (env or control API); returns the typed list or the problems. */
export function parseFaultSpecs(
  value: unknown,
): { ok: true; faults: FaultSpec[] } | { ok: false; message: string } {
  if (!Array.isArray(value)) return { ok: false, message: 'expected a JSON array of fault specs' };
  const messages = value.flatMap((item, i) => faultProblems(item).map((p) => `[${i}] ${p}`));
  if (messages.length > 0) return { ok: false, message: messages.join('; ') };
  return { ok: true, faults: value as FaultSpec[] };
}
