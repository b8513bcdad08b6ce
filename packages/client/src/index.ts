/**
 * @lago-effect/client: an Effect-native client of the Lago billing API.
 *
 * @since 0.1.0
 */

/**
 * Lago's `customers` operations (one row each) and the customers API built from them.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Customers from "./Customers.js"

/**
 * Query strings of the customers operations.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CustomersQuery from "./CustomersQuery.js"

/**
 * The `LagoClient` service, its layers and the per-call combinators.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoClient from "./LagoClient.js"

/**
 * `HttpClient`s over `fetch` or undici whose bodies are read once and never kept: the
 * transports for long lists.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoHttpClient from "./LagoHttpClient.js"

/**
 * Metrics the client updates (retries), for dashboards and progress reports.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoMetrics from "./LagoMetrics.js"

/**
 * One Lago API operation, as data.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoOperation from "./LagoOperation.js"

/**
 * When and how calls are retried.
 *
 * @category modules
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"
