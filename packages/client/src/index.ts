/**
 * @lago-effect/client: an Effect-native client of the Lago billing API.
 *
 * @since 0.1.0
 */

/**
 * The `LagoClient` service, with its layers and per-call overrides as static members.
 *
 * @since 0.1.0
 */
export { LagoClient } from "./LagoClient.js"

/**
 * The client module: options, layers, combinators and the pagination helper.
 *
 * @since 0.1.0
 */
export * as Lago from "./LagoClient.js"

/**
 * Query strings of the list and current usage calls.
 *
 * @since 0.1.0
 */
export * as CustomersQuery from "./CustomersQuery.js"

/**
 * When and how calls are retried.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * The models and errors of `@lago-effect/core`, re-exported.
 *
 * @since 0.1.0
 */
export {
  AppliedCoupon,
  Customer,
  CustomerInput,
  CustomersPage,
  CustomerUsage,
  ExternalId,
  LagoError,
  PortalUrl,
  RetryAfter
} from "@lago-effect/core"
