/**
 * @lago-effect/core: Effect Schemas of the Lago customers API and the typed error ADT.
 *
 * @since 0.1.0
 */

/**
 * Coupons applied to a customer, their credits and their pages.
 *
 * @category modules
 * @since 0.1.0
 */
export * as AppliedCoupon from "./AppliedCoupon.js"

/**
 * A payment provider checkout URL.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CheckoutUrl from "./CheckoutUrl.js"

/**
 * The customer object and its parts.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Customer from "./Customer.js"

/**
 * The body of `POST /customers`.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CustomerInput from "./CustomerInput.js"

/**
 * A page of `GET /customers` with its pagination metadata.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CustomersPage from "./CustomersPage.js"

/**
 * Current and past usage of a customer's subscription.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CustomerUsage from "./CustomerUsage.js"

/**
 * Decoders compiled from a schema: the fast path of every decode.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Decoder from "./Decoder.js"

/**
 * The check of ids put into URL paths.
 *
 * @category modules
 * @since 0.1.0
 */
export * as ExternalId from "./ExternalId.js"

/**
 * The typed error ADT and the mapping of error responses.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoError from "./LagoError.js"

/**
 * Lago's pagination metadata, the same on every list.
 *
 * @category modules
 * @since 0.1.0
 */
export * as PaginationMeta from "./PaginationMeta.js"

/**
 * The customer portal URL.
 *
 * @category modules
 * @since 0.1.0
 */
export * as PortalUrl from "./PortalUrl.js"

/**
 * Current usage with its projection to the end of the period.
 *
 * @category modules
 * @since 0.1.0
 */
export * as ProjectedUsage from "./ProjectedUsage.js"

/**
 * Retry-After and rate limit headers.
 *
 * @category modules
 * @since 0.1.0
 */
export * as RetryAfter from "./RetryAfter.js"
