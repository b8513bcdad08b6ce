/**
 * The query strings of `GET /customers` (contract §2.2) and
 * `GET /customers/{id}/current_usage` (§2.5), and their encoding.
 *
 * @since 0.1.0
 */
import type { Customer } from "@lago-effect/core"
import { ExternalId, LagoError } from "@lago-effect/core"
import { Effect } from "effect"

/**
 * Filters of `GET /customers`. Arrays are sent as `countries[]=US&countries[]=FR`,
 * metadata as `metadata[key]=value` (an empty value: customers without that key).
 *
 * @since 0.1.0
 */
export interface CustomersFilters {
  /** ILIKE on name, firstname, lastname, legal_name, external_id and email. */
  readonly search_term?: string | undefined
  /** Exact match on `external_id` (server-only filter; `search_term` is then ignored). */
  readonly external_id?: string | undefined
  readonly account_type?: ReadonlyArray<Customer.AccountType> | undefined
  readonly billing_entity_codes?: ReadonlyArray<string> | undefined
  /** ISO 3166 alpha-2 codes. */
  readonly countries?: ReadonlyArray<string> | undefined
  readonly states?: ReadonlyArray<string> | undefined
  readonly zipcodes?: ReadonlyArray<string> | undefined
  /** ISO 4217 codes. */
  readonly currencies?: ReadonlyArray<string> | undefined
  readonly has_tax_identification_number?: boolean | undefined
  readonly customer_type?: Customer.CustomerType | undefined
  readonly has_customer_type?: boolean | undefined
  readonly metadata?: Readonly<Record<string, string>> | undefined
}

/**
 * `GET /customers`: one page, with filters.
 *
 * @since 0.1.0
 */
export interface FindAllQuery extends CustomersFilters {
  /** 1-based; Lago reads a missing or lower page as 1. */
  readonly page?: number | undefined
  /** Lago's default is 100. Must be at least 1 (`per_page=0` makes Lago fail with a 500). */
  readonly per_page?: number | undefined
}

/**
 * `GET /customers/{id}/current_usage`.
 *
 * @since 0.1.0
 */
export interface CurrentUsageQuery {
  /** The subscription whose usage is read; Lago answers 405 `no_active_subscription` without it. */
  readonly external_subscription_id: string
  /** Default `true`. */
  readonly apply_taxes?: boolean | undefined
  /** Only this charge (its `lago_id`). */
  readonly charge_id?: string | undefined
  readonly charge_code?: string | undefined
  readonly billable_metric_code?: string | undefined
  /** Lifetime usage; needs the premium `granular_lifetime_usage` integration and a charge or group filter. */
  readonly full_usage?: boolean | undefined
  /** `group[key]=value` filters. */
  readonly group?: Readonly<Record<string, string>> | undefined
  /** Presentation filters, sent as a JSON-encoded array. */
  readonly filter_by_presentation?: ReadonlyArray<string> | undefined
  readonly filter_by_metric_code?: string | undefined
  readonly skip_grouping?: boolean | undefined
}

/**
 * Query parameters, in order, keys already in Lago's bracket form.
 *
 * @since 0.1.0
 */
export type QueryParams = ReadonlyArray<readonly [string, string]>

const scalar = (out: Array<readonly [string, string]>, key: string, value: string | number | boolean | undefined) => {
  if (value !== undefined) out.push([key, String(value)])
}

const list = (out: Array<readonly [string, string]>, key: string, values: ReadonlyArray<string> | undefined) => {
  for (const value of values ?? []) out.push([`${key}[]`, value])
}

const record = (
  out: Array<readonly [string, string]>,
  key: string,
  values: Readonly<Record<string, string>> | undefined
) => {
  for (const [name, value] of Object.entries(values ?? {})) out.push([`${key}[${name}]`, value])
}

const positiveInt = (operation: string, field: string, value: number | undefined) =>
  value === undefined || (Number.isSafeInteger(value) && value >= 1)
    ? Effect.void
    : Effect.fail(new LagoError.LagoInvalidInputError({ operation, field, reason: "must be an integer >= 1" }))

// A lone surrogate would be replaced by U+FFFD on the way: Lago would get another value.
const wellFormed =
  (operation: string) => (params: QueryParams): Effect.Effect<QueryParams, LagoError.LagoInvalidInputError> => {
    const bad = params.find(([key, value]) => !ExternalId.isWellFormed(key) || !ExternalId.isWellFormed(value))
    return bad === undefined
      ? Effect.succeed(params)
      : Effect.fail(
        new LagoError.LagoInvalidInputError({
          operation,
          field: ExternalId.isWellFormed(bad[0]) ? bad[0] : "query",
          reason: "must be well-formed Unicode (it holds a lone surrogate)"
        })
      )
  }

/**
 * Encodes a `GET /customers` query, refusing a page or per_page below 1.
 *
 * @since 0.1.0
 */
export const findAllParams = (
  query: FindAllQuery,
  operation = "findAllCustomers"
): Effect.Effect<QueryParams, LagoError.LagoInvalidInputError> =>
  Effect.zipRight(
    Effect.zip(positiveInt(operation, "page", query.page), positiveInt(operation, "per_page", query.per_page)),
    Effect.sync(() => {
      const out: Array<readonly [string, string]> = []
      scalar(out, "page", query.page)
      scalar(out, "per_page", query.per_page)
      scalar(out, "search_term", query.search_term)
      scalar(out, "external_id", query.external_id)
      list(out, "account_type", query.account_type)
      list(out, "billing_entity_codes", query.billing_entity_codes)
      list(out, "countries", query.countries)
      list(out, "states", query.states)
      list(out, "zipcodes", query.zipcodes)
      list(out, "currencies", query.currencies)
      scalar(out, "has_tax_identification_number", query.has_tax_identification_number)
      scalar(out, "customer_type", query.customer_type)
      scalar(out, "has_customer_type", query.has_customer_type)
      record(out, "metadata", query.metadata)
      return out
    })
  ).pipe(Effect.flatMap(wellFormed(operation)))

/**
 * Encodes a current usage query.
 *
 * @since 0.1.0
 */
export const currentUsageParams = (
  query: CurrentUsageQuery,
  operation = "findCustomerCurrentUsage"
): Effect.Effect<QueryParams, LagoError.LagoInvalidInputError> => wellFormed(operation)(usageParams(query))

const usageParams = (query: CurrentUsageQuery): QueryParams => {
  const out: Array<readonly [string, string]> = []
  scalar(out, "external_subscription_id", query.external_subscription_id)
  scalar(out, "apply_taxes", query.apply_taxes)
  scalar(out, "charge_id", query.charge_id)
  scalar(out, "charge_code", query.charge_code)
  scalar(out, "billable_metric_code", query.billable_metric_code)
  scalar(out, "full_usage", query.full_usage)
  record(out, "group", query.group)
  if (query.filter_by_presentation !== undefined) {
    out.push(["filter_by_presentation", JSON.stringify(query.filter_by_presentation)])
  }
  scalar(out, "filter_by_metric_code", query.filter_by_metric_code)
  scalar(out, "skip_grouping", query.skip_grouping)
  return out
}
