/**
 * Usage as Lago serves it: current usage per active subscription (405 otherwise), its
 * projection, and past billing periods.
 */
import type { CustomersQuery } from "@lago-effect/client"
import type { CustomerUsage, ProjectedUsage } from "@lago-effect/core"
import * as DateTime from "effect/DateTime"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import type { LagoStoreFailure } from "./failures.js"
import { notAllowed, notFound } from "./failures.js"
import type { State } from "./state.js"
import { usageKey } from "./state.js"

/** Sets (or with `null` ends) the current usage of a subscription. */
export const setCurrent = (
  state: State,
  customerId: string,
  subscriptionId: string,
  usage: CustomerUsage.CustomerUsage | null
): State => ({
  ...state,
  usage: usage === null
    ? HashMap.remove(state.usage, usageKey(customerId, subscriptionId))
    : HashMap.set(state.usage, usageKey(customerId, subscriptionId), usage)
})

/** Sets the past periods of a subscription. */
export const setPast = (
  state: State,
  customerId: string,
  subscriptionId: string,
  periods: ReadonlyArray<CustomerUsage.CustomerUsage>
): State => ({ ...state, pastUsage: HashMap.set(state.pastUsage, usageKey(customerId, subscriptionId), periods) })

/**
 * The current usage of an active subscription. An unknown customer is a 404 (Lago's
 * class-level rescue answers `resource_not_found`); no active subscription a 405.
 */
const active = (state: State, externalId: string, subscriptionId: string) => {
  if (!HashMap.has(state.customers, externalId)) return Either.left(notFound("resource"))
  return Either.fromOption(
    HashMap.get(state.usage, usageKey(externalId, subscriptionId)),
    () => notAllowed("no_active_subscription")
  )
}

/**
 * The current usage, as set; a charge filter keeps the matching charges (404 when none), and
 * then, or without taxes, the amounts are recomputed from the charges kept.
 */
export const current = (
  state: State,
  externalId: string,
  query: CustomersQuery.CurrentUsageQuery
): Either.Either<CustomerUsage.CustomerUsage, LagoStoreFailure> =>
  Either.flatMap(active(state, externalId, query.external_subscription_id), (found) => {
    if (query.full_usage === true) return Either.left(notAllowed("full_usage_not_allowed"))
    const filtering = query.charge_id !== undefined || query.charge_code !== undefined ||
      query.billable_metric_code !== undefined
    if (!filtering && query.apply_taxes !== false) return Either.right(found)
    const charges = found.charges_usage.filter((charge) =>
      (query.charge_id === undefined || charge.charge.lago_id === query.charge_id) &&
      (query.charge_code === undefined || charge.charge.code === query.charge_code) &&
      (query.billable_metric_code === undefined || charge.billable_metric.code === query.billable_metric_code)
    )
    if (filtering && charges.length === 0) return Either.left(notFound("charge"))
    const amount = filtering ? charges.reduce((sum, c) => sum + c.amount_cents, 0) : found.amount_cents
    const taxes = query.apply_taxes === false
      ? 0
      : Math.round(amount * found.taxes_amount_cents / Math.max(1, found.amount_cents))
    return Either.right({
      ...found,
      amount_cents: amount,
      taxes_amount_cents: taxes,
      total_amount_cents: amount + taxes,
      charges_usage: charges
    })
  })

/** A projection with nothing to project from: the current figures, as they are. */
const flatProjection = (usage: CustomerUsage.CustomerUsage): ProjectedUsage.ProjectedUsage => ({
  from_datetime: usage.from_datetime,
  to_datetime: usage.to_datetime,
  issuing_date: usage.issuing_date,
  ...(usage.currency === undefined ? {} : { currency: usage.currency }),
  amount_cents: usage.amount_cents,
  projected_amount_cents: usage.amount_cents,
  total_amount_cents: usage.total_amount_cents,
  taxes_amount_cents: usage.taxes_amount_cents,
  lago_invoice_id: null,
  charges_usage: usage.charges_usage.map((charge) => ({
    units: charge.units,
    projected_units: charge.units,
    events_count: charge.events_count,
    amount_cents: charge.amount_cents,
    projected_amount_cents: charge.amount_cents,
    amount_currency: charge.amount_currency,
    pricing_unit_details: charge.pricing_unit_details ?? null,
    charge: {
      lago_id: charge.charge.lago_id,
      charge_model: charge.charge.charge_model,
      invoice_display_name: charge.charge.invoice_display_name ?? null
    },
    billable_metric: charge.billable_metric,
    filters: [],
    grouped_usage: [],
    presentation_breakdowns: charge.presentation_breakdowns ?? [],
    projected_presentation_breakdowns: charge.presentation_breakdowns ?? []
  }))
})

/** The projected usage of an active subscription: as set, else derived from the current usage. */
export const projected = (
  state: State,
  externalId: string,
  query: CustomersQuery.ProjectedUsageQuery
): Either.Either<ProjectedUsage.ProjectedUsage, LagoStoreFailure> =>
  Either.map(active(state, externalId, query.external_subscription_id), (found) => {
    const usage = Option.getOrElse(
      HashMap.get(state.projectedUsage, usageKey(externalId, query.external_subscription_id)),
      () => flatProjection(found)
    )
    return query.apply_taxes === false
      ? { ...usage, taxes_amount_cents: 0, total_amount_cents: usage.amount_cents }
      : usage
  })

/**
 * The past periods of a subscription, newest first. Lago looks them up as a filter: an
 * unknown customer or subscription has none (no 404); an unknown billable metric is a 404.
 */
export const pastPeriods = (
  state: State,
  externalId: string,
  query: CustomersQuery.PastUsageFilters
): Either.Either<ReadonlyArray<CustomerUsage.CustomerUsage>, LagoStoreFailure> => {
  const metric = query.billable_metric_code
  if (metric !== undefined && !knownMetric(state, metric)) return Either.left(notFound("billable_metric"))
  const periods = Option.getOrElse(
    HashMap.get(state.pastUsage, usageKey(externalId, query.external_subscription_id)),
    () => []
  )
  return Either.right(
    [...periods]
      .sort((a, b) => DateTime.toEpochMillis(b.from_datetime) - DateTime.toEpochMillis(a.from_datetime))
      .map((period) =>
        metric === undefined
          ? period
          : { ...period, charges_usage: period.charges_usage.filter((c) => c.billable_metric.code === metric) }
      )
  )
}

/** The organization's billable metrics: those any usage in the store measures. */
const knownMetric = (state: State, code: string) => {
  const measures = (usage: CustomerUsage.CustomerUsage) =>
    usage.charges_usage.some((c) => c.billable_metric.code === code)
  for (const usage of HashMap.values(state.usage)) if (measures(usage)) return true
  for (const periods of HashMap.values(state.pastUsage)) if (periods.some(measures)) return true
  return false
}
