import type { Row } from './report';

export interface BenchContext {
  quick: boolean;
  /** Progress to stderr (stdout is reserved for the table or --json). */
  log(message: string): void;
}

export interface Scenario {
  id: number;
  title: string;
  run(ctx: BenchContext): Promise<Row[]>;
}

/** A row for a figure that could not be taken; `pass: null` renders as n/a. */
export function unavailable(scenario: string, figure: string, target: string, why: string): Row {
  return { scenario, figure, value: null, unit: '', target, pass: null, note: why };
}
