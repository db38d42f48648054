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
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
