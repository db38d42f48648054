import autocannon, { type AutocannonResult } from 'autocannon';
import { cpuMicros, machineTicks, stealPercentSince } from './proc-stats';

/** One HTTP load: a target process and the request autocannon repeats. */
export interface LoadTarget {
  name: string;
  url: string;
  /** Process whose CPU time is charged to the requests. */
  pid: number;
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadFigures {
  requests: number;
  seconds: number;
  reqPerS: number;
  /** Worst p99 over the rounds, ms. */
  p99Ms: number;
  /** Each round's p99, ms, in the order they ran. */
  roundP99Ms: number[];
  non2xx: number;
  errors: number;
  /** Target process CPU (user + system) per completed request, µs. */
  cpuUsPerReq: number;
  statusCodes: Record<string, number>;
  /** CPU steal on the machine over all the rounds (every target alike), percent. */
  stealPercent: number;
}

export async function runLoad(
  target: LoadTarget,
  connections: number,
  durationS: number,
): Promise<{ result: AutocannonResult; cpuUs: number }> {
  const cpuBefore = cpuMicros(target.pid);
  const result = await autocannon({
    url: `${target.url}${target.path}`,
    connections,
    duration: durationS,
    method: target.method ?? 'GET',
    headers: { ...(target.body ? { 'content-type': 'application/json' } : {}), ...target.headers },
    body: target.body,
    timeout: 10,
  });
  return { result, cpuUs: cpuMicros(target.pid) - cpuBefore };
}

function emptyFigures(): LoadFigures {
  return {
    requests: 0,
    seconds: 0,
    reqPerS: 0,
    p99Ms: 0,
    roundP99Ms: [],
    non2xx: 0,
    errors: 0,
    cpuUsPerReq: 0,
    statusCodes: {},
    stealPercent: 0,
  };
}

function accumulate(acc: LoadFigures & { cpuUs: number }, result: AutocannonResult, cpuUs: number) {
  acc.requests += result.requests.total;
  acc.seconds += result.duration;
  acc.p99Ms = Math.max(acc.p99Ms, result.latency.p99);
  acc.roundP99Ms.push(result.latency.p99);
  acc.non2xx += result.non2xx;
  acc.errors += result.errors;
  acc.cpuUs += cpuUs;
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) {
    acc.statusCodes[code] = (acc.statusCodes[code] ?? 0) + Number(count);
  }
}

/**
 * Runs the targets one after another, `rounds` times, rotating the order each round, so a
 * noisy neighbour or thermal drift hits every target alike (the comparisons are same-run ratios).
 */
export async function interleaved(
  targets: LoadTarget[],
  options: { rounds: number; durationS: number; connections: number; warmupS: number },
): Promise<Map<string, LoadFigures>> {
  for (const target of targets) await runLoad(target, options.connections, options.warmupS);
  const acc = new Map(targets.map((t) => [t.name, { ...emptyFigures(), cpuUs: 0 }]));
  const ticks = machineTicks();
  for (let round = 0; round < options.rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length]);
    for (const target of order) {
      const { result, cpuUs } = await runLoad(target, options.connections, options.durationS);
      accumulate(acc.get(target.name)!, result, cpuUs);
    }
  }
  const stealPercent = stealPercentSince(ticks);
  const figures = new Map<string, LoadFigures>();
  for (const [name, a] of acc) {
    const { cpuUs, ...rest } = a;
    figures.set(name, {
      ...rest,
      reqPerS: a.seconds > 0 ? a.requests / a.seconds : 0,
      cpuUsPerReq: a.requests > 0 ? cpuUs / a.requests : 0,
      stealPercent,
    });
  }
  return figures;
}
