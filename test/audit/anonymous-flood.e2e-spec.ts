import { CAPACITY, floodSpec } from './anonymous-flood.spec-body';

// Memory mode: 10× the 100 records GET /v1/audit answers from.
floodSpec('memory', {}, 10 * CAPACITY);
