/**
 * Coupons applied to a customer: as `DELETE /customers/{id}/applied_coupons/{applied_coupon_id}`
 * returns one after terminating it, and as `GET /customers/{id}/applied_coupons` lists them
 * (with their credits).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  DecimalString,
  Nullable,
  NullableInt,
  NullableString,
  OpenEnum,
  optionalKey,
  Timestamp
} from "./internal/schemas.js"
import { PaginationMeta } from "./PaginationMeta.js"

/**
 * `active` or `terminated`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AppliedCouponStatus = OpenEnum("active", "terminated")
/**
 * @category schemas
 * @since 0.1.0
 */
export type AppliedCouponStatus = typeof AppliedCouponStatus.Type

/**
 * How often a coupon applies.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CouponFrequency = OpenEnum("once", "recurring", "forever")
/**
 * @category schemas
 * @since 0.1.0
 */
export type CouponFrequency = typeof CouponFrequency.Type

/**
 * What a credit was made from: a coupon, a credit note, or a progressive billing invoice.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditItemType = OpenEnum("coupon", "credit_note", "invoice")
/**
 * @category schemas
 * @since 0.1.0
 */
export type CreditItemType = typeof CreditItemType.Type

/**
 * The payment status of the invoice a credit was applied to.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InvoicePaymentStatus = OpenEnum("pending", "succeeded", "failed")
/**
 * @category schemas
 * @since 0.1.0
 */
export type InvoicePaymentStatus = typeof InvoicePaymentStatus.Type

const Credit_ = Schema.Struct({
  lago_id: Schema.String,
  amount_cents: Schema.Int,
  amount_currency: Schema.String,
  /** True for coupons (applied before taxes), false for credit notes. */
  before_taxes: Schema.Boolean,
  item: Schema.Struct({
    lago_item_id: Schema.String,
    type: CreditItemType,
    code: NullableString,
    name: NullableString,
    /** Absent before Lago v1.22.1. */
    description: optionalKey(NullableString)
  }),
  invoice: Schema.Struct({
    lago_id: Schema.String,
    payment_status: InvoicePaymentStatus
  })
})

/**
 * An amount a coupon took off an invoice.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface Credit extends Schema.Schema.Type<typeof Credit_> {}
/**
 * The wire form of `Credit`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CreditEncoded extends Schema.Schema.Encoded<typeof Credit_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const Credit: Schema.Schema<Credit, CreditEncoded> = Credit_.annotations({ identifier: "Credit" })

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
  terminated_at: optionalKey(Nullable(Timestamp)),
  /** The credits the coupon gave: in lists (`GET /customers/{id}/applied_coupons`) only. */
  credits: optionalKey(Schema.Array(Credit))
})

/**
 * A coupon applied to a customer.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AppliedCoupon extends Schema.Schema.Type<typeof AppliedCoupon_> {}
/**
 * The wire form of `AppliedCoupon`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AppliedCouponEncoded extends Schema.Schema.Encoded<typeof AppliedCoupon_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const AppliedCoupon: Schema.Schema<AppliedCoupon, AppliedCouponEncoded> = AppliedCoupon_.annotations({
  identifier: "AppliedCoupon"
})

/**
 * The envelope: `{"applied_coupon": {...}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AppliedCouponResponse = Schema.Struct({ applied_coupon: AppliedCoupon }).annotations({
  identifier: "AppliedCouponResponse"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type AppliedCouponResponse = typeof AppliedCouponResponse.Type

const AppliedCouponsPage_ = Schema.Struct({
  applied_coupons: Schema.Array(AppliedCoupon),
  meta: PaginationMeta
})

/**
 * `{"applied_coupons": [...], "meta": {...}}`: a customer's applied coupons, newest first,
 * each with its `credits`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AppliedCouponsPage extends Schema.Schema.Type<typeof AppliedCouponsPage_> {}
/**
 * The wire form of `AppliedCouponsPage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AppliedCouponsPageEncoded extends Schema.Schema.Encoded<typeof AppliedCouponsPage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const AppliedCouponsPage: Schema.Schema<AppliedCouponsPage, AppliedCouponsPageEncoded> = AppliedCouponsPage_
  .annotations({ identifier: "AppliedCouponsPage" })
