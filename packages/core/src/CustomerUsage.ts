/**
 * The usage of a customer's subscription: current (`GET /customers/{id}/current_usage`) and
 * past periods (`GET /customers/{id}/past_usage`). Quantities (`units`, `total_aggregated_units`,
 * `conversion_rate`) are `BigDecimal`; amounts are integer cents. Keys added to Lago after
 * v1.7.0 are optional, documented "absent before Lago vX.Y".
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  DecimalString,
  IsoDate,
  Nullable,
  NullableString,
  OpenEnum,
  optionalKey,
  StringRecord,
  Timestamp
} from "./internal/schemas.js"
import { PaginationMeta } from "./PaginationMeta.js"

/**
 * Charge models. Lago knows more than the spec lists (`graduated_percentage`, ...).
 *
 * @category schemas
 * @since 0.1.0
 */
export const ChargeModel = OpenEnum("standard", "graduated", "graduated_percentage", "package", "percentage", "volume")
/**
 * @category schemas
 * @since 0.1.0
 */
export type ChargeModel = typeof ChargeModel.Type

/**
 * Aggregation types of billable metrics.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AggregationType = OpenEnum(
  "count_agg",
  "sum_agg",
  "max_agg",
  "unique_count_agg",
  "weighted_sum_agg",
  "latest_agg",
  "custom_agg"
)
/**
 * @category schemas
 * @since 0.1.0
 */
export type AggregationType = typeof AggregationType.Type

const PricingUnitDetails_ = Schema.Struct({
  amount_cents: Schema.Int,
  short_name: Schema.String,
  conversion_rate: DecimalString
})

/**
 * The amount in a custom pricing unit, when the charge uses one.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PricingUnitDetails extends Schema.Schema.Type<typeof PricingUnitDetails_> {}
/**
 * The wire form of `PricingUnitDetails`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PricingUnitDetailsEncoded extends Schema.Schema.Encoded<typeof PricingUnitDetails_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const PricingUnitDetails: Schema.Schema<PricingUnitDetails, PricingUnitDetailsEncoded> = PricingUnitDetails_
  .annotations({ identifier: "PricingUnitDetails" })

const PresentationBreakdown_ = Schema.Struct({
  presentation_by: StringRecord(NullableString),
  units: DecimalString
})

/**
 * Units broken down by presentation properties.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PresentationBreakdown extends Schema.Schema.Type<typeof PresentationBreakdown_> {}
/**
 * The wire form of `PresentationBreakdown`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PresentationBreakdownEncoded extends Schema.Schema.Encoded<typeof PresentationBreakdown_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const PresentationBreakdown: Schema.Schema<PresentationBreakdown, PresentationBreakdownEncoded> =
  PresentationBreakdown_.annotations({ identifier: "PresentationBreakdown" })

const usageFigures = {
  units: DecimalString,
  /** Absent before Lago v1.35.0. */
  total_aggregated_units: optionalKey(DecimalString),
  events_count: Schema.Int,
  amount_cents: Schema.Int,
  /** Absent before Lago v1.32.0; null when the charge has no pricing unit. */
  pricing_unit_details: optionalKey(Nullable(PricingUnitDetails)),
  /** Absent before Lago v1.46.0 (v1.48.0 in charge filters). */
  presentation_breakdowns: optionalKey(Schema.Array(PresentationBreakdown))
}

const ChargeFilterUsage_ = Schema.Struct({
  ...usageFigures,
  // null for the bucket of events that match no filter.
  invoice_display_name: optionalKey(NullableString),
  values: optionalKey(Nullable(StringRecord(Schema.Array(Schema.String))))
})

/**
 * Usage of one charge filter, e.g. `{"cloud": ["aws"]}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ChargeFilterUsage extends Schema.Schema.Type<typeof ChargeFilterUsage_> {}
/**
 * The wire form of `ChargeFilterUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ChargeFilterUsageEncoded extends Schema.Schema.Encoded<typeof ChargeFilterUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ChargeFilterUsage: Schema.Schema<ChargeFilterUsage, ChargeFilterUsageEncoded> = ChargeFilterUsage_
  .annotations({ identifier: "ChargeFilterUsage" })

const GroupedUsage_ = Schema.Struct({
  ...usageFigures,
  grouped_by: StringRecord(NullableString),
  filters: optionalKey(Schema.Array(ChargeFilterUsage))
})

/**
 * Usage of one group of a charge grouped by event properties.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface GroupedUsage extends Schema.Schema.Type<typeof GroupedUsage_> {}
/**
 * The wire form of `GroupedUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface GroupedUsageEncoded extends Schema.Schema.Encoded<typeof GroupedUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const GroupedUsage: Schema.Schema<GroupedUsage, GroupedUsageEncoded> = GroupedUsage_.annotations({
  identifier: "GroupedUsage"
})

const UsageCharge_ = Schema.Struct({
  lago_id: Schema.String,
  /** Not in the spec. Absent before Lago v1.50.0. */
  code: optionalKey(Schema.String),
  charge_model: ChargeModel,
  invoice_display_name: optionalKey(NullableString)
})

const UsageBillableMetric_ = Schema.Struct({
  lago_id: Schema.String,
  name: Schema.String,
  code: Schema.String,
  aggregation_type: AggregationType
})

/**
 * The charge a usage line is for.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface UsageCharge extends Schema.Schema.Type<typeof UsageCharge_> {}
/**
 * The wire form of `UsageCharge`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface UsageChargeEncoded extends Schema.Schema.Encoded<typeof UsageCharge_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const UsageCharge: Schema.Schema<UsageCharge, UsageChargeEncoded> = UsageCharge_.annotations({
  identifier: "UsageCharge"
})

/**
 * The billable metric a usage line measures.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface UsageBillableMetric extends Schema.Schema.Type<typeof UsageBillableMetric_> {}
/**
 * The wire form of `UsageBillableMetric`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface UsageBillableMetricEncoded extends Schema.Schema.Encoded<typeof UsageBillableMetric_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const UsageBillableMetric: Schema.Schema<UsageBillableMetric, UsageBillableMetricEncoded> = UsageBillableMetric_
  .annotations({ identifier: "UsageBillableMetric" })

const ChargeUsage_ = Schema.Struct({
  units: DecimalString,
  /** Absent before Lago v1.35.0. */
  total_aggregated_units: optionalKey(DecimalString),
  events_count: Schema.Int,
  amount_cents: Schema.Int,
  amount_currency: Schema.String,
  /** Absent before Lago v1.32.0; null when the charge has no pricing unit. */
  pricing_unit_details: optionalKey(Nullable(PricingUnitDetails)),
  charge: UsageCharge,
  billable_metric: UsageBillableMetric,
  filters: optionalKey(Schema.Array(ChargeFilterUsage)),
  grouped_usage: optionalKey(Schema.Array(GroupedUsage)),
  /** Absent before Lago v1.46.0. */
  presentation_breakdowns: optionalKey(Schema.Array(PresentationBreakdown))
})

/**
 * Usage of one charge. The server always sends `filters`, `grouped_usage` and
 * `presentation_breakdowns` (possibly empty); the spec makes them optional.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ChargeUsage extends Schema.Schema.Type<typeof ChargeUsage_> {}
/**
 * The wire form of `ChargeUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ChargeUsageEncoded extends Schema.Schema.Encoded<typeof ChargeUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ChargeUsage: Schema.Schema<ChargeUsage, ChargeUsageEncoded> = ChargeUsage_.annotations({
  identifier: "ChargeUsage"
})

const CustomerUsage_ = Schema.Struct({
  from_datetime: Timestamp,
  to_datetime: Timestamp,
  issuing_date: IsoDate,
  currency: optionalKey(Schema.String),
  amount_cents: Schema.Int,
  total_amount_cents: Schema.Int,
  taxes_amount_cents: Schema.Int,
  /** Null for current usage; the invoice's id for a past period. */
  lago_invoice_id: optionalKey(NullableString),
  charges_usage: Schema.Array(ChargeUsage)
})

/**
 * The usage of a billing period, charge by charge: the current one, or a past one.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerUsage extends Schema.Schema.Type<typeof CustomerUsage_> {}
/**
 * The wire form of `CustomerUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerUsageEncoded extends Schema.Schema.Encoded<typeof CustomerUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const CustomerUsage: Schema.Schema<CustomerUsage, CustomerUsageEncoded> = CustomerUsage_.annotations({
  identifier: "CustomerUsage"
})

/**
 * The envelope: `{"customer_usage": {...}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CustomerUsageResponse = Schema.Struct({ customer_usage: CustomerUsage }).annotations({
  identifier: "CustomerUsageResponse"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type CustomerUsageResponse = typeof CustomerUsageResponse.Type

const PastUsagePage_ = Schema.Struct({
  usage_periods: Schema.Array(CustomerUsage),
  meta: PaginationMeta
})

/**
 * `{"usage_periods": [...], "meta": {...}}`: the usage of past billing periods of one
 * subscription, newest first (`GET /customers/{id}/past_usage`).
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PastUsagePage extends Schema.Schema.Type<typeof PastUsagePage_> {}
/**
 * The wire form of `PastUsagePage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface PastUsagePageEncoded extends Schema.Schema.Encoded<typeof PastUsagePage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const PastUsagePage: Schema.Schema<PastUsagePage, PastUsagePageEncoded> = PastUsagePage_.annotations({
  identifier: "PastUsagePage"
})
