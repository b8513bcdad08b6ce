/**
 * @lago-effect/testing: an in-memory Lago for tests. Needs no `@effect/platform-node`; the
 * loopback server is in `@lago-effect/testing/node`.
 *
 * @since 0.1.0
 */

/**
 * One-line builders of valid data, and arbitraries.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Builders from "./Builders.js"

/**
 * Faults the fake can inject.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Fault from "./Fault.js"

/**
 * A `LagoClient` over the in-memory store, without HTTP.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoClientTest from "./LagoClientTest.js"

/**
 * Lago's HTTP API served from the store, with faults and a request log.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoFake from "./LagoFake.js"

/**
 * The in-memory store of customers.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoStore from "./LagoStore.js"
