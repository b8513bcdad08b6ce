/**
 * The current usage of a customer's subscription with its projection to the end of the
 * period, from `GET /customers/{id}/projected_usage` (Lago v1.32.4 and later; the
 * organization must have projected usage enabled, otherwise Lago answers 403
 * `projected_usage_not_enabled`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { PresentationBreakdown, UsageBillableMetric, UsageCharge } from "./CustomerUsage.js"
import {
  DecimalString,
  IsoDate,
  Nullable,
  NullableString,
  optionalKey,
  StringRecord,
  Timestamp
} from "./internal/schemas.js"

const ProjectedPricingUnitDetails_ = Schema.Struct({
  amount_cents: Schema.Int,
  /** What the amount in the pricing unit is projected to reach. */
  projected_amount_cents: optionalKey(Schema.Int),
  short_name: Schema.String,
  conversion_rate: DecimalString
})

/**
 * The amount in a custom pricing unit, and its projection.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedPricingUnitDetails extends Schema.Schema.Type<typeof ProjectedPricingUnitDetails_> {}
/**
 * The wire form of `ProjectedPricingUnitDetails`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedPricingUnitDetailsEncoded
  extends Schema.Schema.Encoded<typeof ProjectedPricingUnitDetails_>
{}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedPricingUnitDetails: Schema.Schema<
  ProjectedPricingUnitDetails,
  ProjectedPricingUnitDetailsEncoded
> = ProjectedPricingUnitDetails_.annotations({ identifier: "ProjectedPricingUnitDetails" })

const projectedFigures = {
  units: DecimalString,
  /** The units the period is projected to reach. */
  projected_units: DecimalString,
  events_count: Schema.Int,
  amount_cents: Schema.Int,
  /** The amount the period is projected to reach, in cents, taxes excluded. */
  projected_amount_cents: Schema.Int,
  /** Null when the charge has no pricing unit. */
  pricing_unit_details: optionalKey(Nullable(ProjectedPricingUnitDetails)),
  /** Absent before Lago v1.46.0. */
  presentation_breakdowns: optionalKey(Schema.Array(PresentationBreakdown)),
  /** Absent before Lago v1.48.0. */
  projected_presentation_breakdowns: optionalKey(Schema.Array(PresentationBreakdown))
}

const ProjectedFilterUsage_ = Schema.Struct({
  ...projectedFigures,
  /** Null for the bucket of events that match no filter. */
  invoice_display_name: optionalKey(NullableString),
  values: optionalKey(Nullable(StringRecord(Schema.Array(Schema.String))))
})

/**
 * Projected usage of one charge filter.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedFilterUsage extends Schema.Schema.Type<typeof ProjectedFilterUsage_> {}
/**
 * The wire form of `ProjectedFilterUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedFilterUsageEncoded extends Schema.Schema.Encoded<typeof ProjectedFilterUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedFilterUsage: Schema.Schema<ProjectedFilterUsage, ProjectedFilterUsageEncoded> =
  ProjectedFilterUsage_.annotations({ identifier: "ProjectedFilterUsage" })

const ProjectedGroupedUsage_ = Schema.Struct({
  ...projectedFigures,
  grouped_by: StringRecord(NullableString),
  filters: optionalKey(Schema.Array(ProjectedFilterUsage))
})

/**
 * Projected usage of one group of a charge grouped by event properties.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedGroupedUsage extends Schema.Schema.Type<typeof ProjectedGroupedUsage_> {}
/**
 * The wire form of `ProjectedGroupedUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedGroupedUsageEncoded extends Schema.Schema.Encoded<typeof ProjectedGroupedUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedGroupedUsage: Schema.Schema<ProjectedGroupedUsage, ProjectedGroupedUsageEncoded> =
  ProjectedGroupedUsage_.annotations({ identifier: "ProjectedGroupedUsage" })

const ProjectedChargeUsage_ = Schema.Struct({
  ...projectedFigures,
  amount_currency: Schema.String,
  /** No `code` here, unlike current usage. */
  charge: UsageCharge,
  billable_metric: UsageBillableMetric,
  filters: optionalKey(Schema.Array(ProjectedFilterUsage)),
  grouped_usage: optionalKey(Schema.Array(ProjectedGroupedUsage))
})

/**
 * Projected usage of one charge.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedChargeUsage extends Schema.Schema.Type<typeof ProjectedChargeUsage_> {}
/**
 * The wire form of `ProjectedChargeUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedChargeUsageEncoded extends Schema.Schema.Encoded<typeof ProjectedChargeUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedChargeUsage: Schema.Schema<ProjectedChargeUsage, ProjectedChargeUsageEncoded> =
  ProjectedChargeUsage_.annotations({ identifier: "ProjectedChargeUsage" })

const ProjectedUsage_ = Schema.Struct({
  from_datetime: Timestamp,
  to_datetime: Timestamp,
  issuing_date: IsoDate,
  currency: optionalKey(Schema.String),
  amount_cents: Schema.Int,
  /** What the amount of the period is projected to reach, taxes excluded. */
  projected_amount_cents: Schema.Int,
  total_amount_cents: Schema.Int,
  taxes_amount_cents: Schema.Int,
  /** Always null. */
  lago_invoice_id: optionalKey(NullableString),
  charges_usage: Schema.Array(ProjectedChargeUsage)
})

/**
 * The current period's usage with its projection, charge by charge.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedUsage extends Schema.Schema.Type<typeof ProjectedUsage_> {}
/**
 * The wire form of `ProjectedUsage`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ProjectedUsageEncoded extends Schema.Schema.Encoded<typeof ProjectedUsage_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedUsage: Schema.Schema<ProjectedUsage, ProjectedUsageEncoded> = ProjectedUsage_.annotations({
  identifier: "ProjectedUsage"
})

/**
 * The envelope: `{"customer_projected_usage": {...}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProjectedUsageResponse = Schema.Struct({ customer_projected_usage: ProjectedUsage }).annotations({
  identifier: "ProjectedUsageResponse"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type ProjectedUsageResponse = typeof ProjectedUsageResponse.Type
