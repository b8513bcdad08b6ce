/**
 * An applied coupon, as `DELETE /customers/{id}/applied_coupons/{applied_coupon_id}`
 * returns it after terminating it (contract §3.6).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  DecimalString,
  Nullable,
  NullableInt,
  NullableString,
  OpenEnum,
  optionalKey,
  Timestamp
} from "./internal/schemas.js"

/**
 * `active` or `terminated`.
 *
 * @since 0.1.0
 */
export const AppliedCouponStatus = OpenEnum("active", "terminated")
/** @since 0.1.0 */
export type AppliedCouponStatus = typeof AppliedCouponStatus.Type

/**
 * How often a coupon applies.
 *
 * @since 0.1.0
 */
export const CouponFrequency = OpenEnum("once", "recurring", "forever")
/** @since 0.1.0 */
export type CouponFrequency = typeof CouponFrequency.Type

const AppliedCoupon_ = Schema.Struct({
  lago_id: Schema.String,
  lago_coupon_id: Schema.String,
  coupon_code: Schema.String,
  coupon_name: Schema.String,
  /** Not in the spec. Absent before Lago v1.45.0. */
  coupon_description: optionalKey(NullableString),
  /** The coupon's own status. Absent before Lago v1.45.0. */
  coupon_status: optionalKey(AppliedCouponStatus),
  /** Absent before Lago v1.45.0. */
  coupon_deleted_at: optionalKey(Nullable(Timestamp)),
  lago_customer_id: Schema.String,
  external_customer_id: Schema.String,
  status: AppliedCouponStatus,
  amount_cents: optionalKey(NullableInt),
  amount_cents_remaining: optionalKey(NullableInt),
  amount_currency: optionalKey(NullableString),
  /** A decimal string on the wire, e.g. `"12.50000"`. */
  percentage_rate: optionalKey(Nullable(DecimalString)),
  frequency: CouponFrequency,
  frequency_duration: optionalKey(NullableInt),
  frequency_duration_remaining: optionalKey(NullableInt),
  expiration_at: optionalKey(Nullable(Timestamp)),
  created_at: Timestamp,
  terminated_at: optionalKey(Nullable(Timestamp))
})

/**
 * A coupon applied to a customer.
 *
 * @since 0.1.0
 */
export interface AppliedCoupon extends Schema.Schema.Type<typeof AppliedCoupon_> {}
/** @since 0.1.0 */
export interface AppliedCouponEncoded extends Schema.Schema.Encoded<typeof AppliedCoupon_> {}
/** @since 0.1.0 */
export const AppliedCoupon: Schema.Schema<AppliedCoupon, AppliedCouponEncoded> = AppliedCoupon_.annotations({
  identifier: "AppliedCoupon"
})

/**
 * The envelope: `{"applied_coupon": {...}}`.
 *
 * @since 0.1.0
 */
export const AppliedCouponResponse = Schema.Struct({ applied_coupon: AppliedCoupon }).annotations({
  identifier: "AppliedCouponResponse"
})
/** @since 0.1.0 */
export type AppliedCouponResponse = typeof AppliedCouponResponse.Type
