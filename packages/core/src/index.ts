/**
 * @lago-effect/core: Effect Schemas of the Lago customers API and the typed error ADT.
 *
 * @since 0.1.0
 */

/**
 * An applied coupon (`DELETE /customers/{id}/applied_coupons/{applied_coupon_id}`).
 *
 * @since 0.1.0
 */
export * as AppliedCoupon from "./AppliedCoupon.js"

/**
 * The customer object and its parts.
 *
 * @since 0.1.0
 */
export * as Customer from "./Customer.js"

/**
 * The body of `POST /customers`.
 *
 * @since 0.1.0
 */
export * as CustomerInput from "./CustomerInput.js"

/**
 * A page of `GET /customers` with its pagination metadata.
 *
 * @since 0.1.0
 */
export * as CustomersPage from "./CustomersPage.js"

/**
 * Current usage of a customer's subscription.
 *
 * @since 0.1.0
 */
export * as CustomerUsage from "./CustomerUsage.js"

/**
 * The check of ids put into URL paths.
 *
 * @since 0.1.0
 */
export * as ExternalId from "./ExternalId.js"

/**
 * The typed error ADT and the mapping of error responses.
 *
 * @since 0.1.0
 */
export * as LagoError from "./LagoError.js"

/**
 * The customer portal URL.
 *
 * @since 0.1.0
 */
export * as PortalUrl from "./PortalUrl.js"

/**
 * Retry-After and rate limit headers.
 *
 * @since 0.1.0
 */
export * as RetryAfter from "./RetryAfter.js"
