import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT } from './stack';

/** The compiled modules the gateway runs (dist/), loaded into the bench process. */
interface Compiled {
  pipe: { transform(value: unknown, meta: object): Promise<unknown> };
  reference: { transform(value: unknown, meta: object): Promise<unknown> };
  metatype: object;
}

function load(): Compiled {
  /* eslint-disable @typescript-eslint/no-require-imports -- dist/ is built at bench time */
  require('reflect-metadata');
  const factory = require(join(ROOT, 'dist', 'common', 'validation', 'validation-pipe.factory.js'));
  const dto = require(join(ROOT, 'dist', 'analytics', 'dto', 'query-analytics-summary.dto.js'));
  const { ValidationPipe } = require('@nestjs/common');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    pipe: factory.createValidationPipe(),
    reference: new ValidationPipe(factory.validationPipeOptions()),
    metatype: dto.QueryAnalyticsSummaryDto,
  };
}

async function microsPerCall(
  pipe: Compiled['pipe'],
  meta: object,
  body: object,
  calls: number,
): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) await pipe.transform(JSON.parse(JSON.stringify(body)), meta);
  return ((performance.now() - started) * 1000) / calls;
}

/**
 * µs to validate one analytics summary body (what a cache miss or a first request pays) with the
 * global pipe, whose hot DTOs have precompiled schemas, and with class-validator alone. Measured
 * in the bench process, rounds interleaved; the body's JSON copy is in both figures.
 */
export async function validationCost(
  body: object,
  rounds: number,
): Promise<{ precompiled: number; classValidator: number }> {
  const { pipe, reference, metatype } = load();
  const meta = { type: 'body', metatype };
  const calls = 2000;
  let precompiled = Infinity;
  let classValidator = Infinity;
  for (let round = 0; round < rounds + 1; round++) {
    // The first round warms both up and is not counted.
    const fast = await microsPerCall(pipe, meta, body, calls);
    const slow = await microsPerCall(reference, meta, body, calls);
    if (round === 0) continue;
    precompiled = Math.min(precompiled, fast);
    classValidator = Math.min(classValidator, slow);
  }
  return { precompiled, classValidator };
}
