/**
 * The V8 flags the gateway's process runs with: `npm start`, `npm run start:prod` and the
 * Dockerfile's CMD pass them to node (node-flags.spec keeps those three in step with this list),
 * and the bench starts the gateway with them.
 *
 * `--max-semi-space-size=4` (MiB): V8's default lets the young generation grow to two 16 MiB
 * semi-spaces, which Nest's start-up fills once and which then stay resident while almost empty
 * (0.4 of 32 MiB in use at idle). 4 MiB keeps ≈ 21 MiB off the idle RSS and off an export's peak;
 * the bench showed no loss on the cached routes and a faster export (the young generation stays
 * in the CPU's cache). It cannot be set from inside the process: V8 sizes the heap at start.
 *
 * `--no-allocation-site-pretenuring`: V8 watches where objects are allocated and, once the
 * objects of one allocation site all survive a young-generation collection, allocates that
 * site's objects straight in the old generation. Under load on the cached routes it made that
 * call for per-request objects (seen with `--trace-pretenuring-statistics`: sites found at a
 * survival ratio of 1.0 and tenured); they then died in the old generation, which grew by
 * ≈ 17 MB/s between full collections and made each young collection 3–4× dearer. Without it
 * a cache hit took ≈ 24 % less CPU (docs/bench.md, row 1) and the export was no slower.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=4',
  '--no-allocation-site-pretenuring',
];
