/**
 * The query strings of the customers operations, and their encoding in Lago's (Rails') form:
 * arrays as `countries[]=US&countries[]=FR`, records as `metadata[key]=value`.
 *
 * @since 0.1.0
 */
import type { AppliedCoupon, Customer } from "@lago-effect/core"
import { ExternalId, LagoError } from "@lago-effect/core"
import * as Effect from "effect/Effect"

/**
 * Which page of a list, and how many items on it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Pagination {
  /** 1-based; Lago reads a missing or lower page as 1. */
  readonly page?: number | undefined
  /** Lago's default is 100. At least 1 (`per_page=0` makes Lago fail with a 500). */
  readonly per_page?: number | undefined
}

/**
 * Filters of `GET /customers`.
 *
 * @category models
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
  /** `metadata[key]=value`; an empty value: customers without that key. */
  readonly metadata?: Readonly<Record<string, string>> | undefined
}

/**
 * `GET /customers`: one page, with filters.
 *
 * @category models
 * @since 0.1.0
 */
export interface FindAllQuery extends CustomersFilters, Pagination {}

/**
 * `GET /customers/{id}/current_usage`.
 *
 * @category models
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
 * `GET /customers/{id}/projected_usage`.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProjectedUsageQuery {
  /** The subscription whose usage is projected; Lago answers 405 `no_active_subscription` without it. */
  readonly external_subscription_id: string
  /** Default `true`. */
  readonly apply_taxes?: boolean | undefined
}

/**
 * Filters of `GET /customers/{id}/applied_coupons`.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppliedCouponsFilters {
  /** `active` or `terminated`; Lago ignores any other value. */
  readonly status?: AppliedCoupon.AppliedCouponStatus | undefined
  /** Only coupons with these codes. */
  readonly coupon_code?: ReadonlyArray<string> | undefined
}

/**
 * `GET /customers/{id}/applied_coupons`: one page, with filters.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppliedCouponsQuery extends AppliedCouponsFilters, Pagination {}

/**
 * Filters of `GET /customers/{id}/past_usage`.
 *
 * @category models
 * @since 0.1.0
 */
export interface PastUsageFilters {
  /** Required: Lago answers 422 `value_is_mandatory` without it. */
  readonly external_subscription_id: string
  /** Only this billable metric; an unknown code answers 404 `billable_metric_not_found`. */
  readonly billable_metric_code?: string | undefined
  /** At most this many periods on a page (Lago then ignores `per_page`). */
  readonly periods_count?: number | undefined
}

/**
 * `GET /customers/{id}/past_usage`: one page of past billing periods, newest first.
 *
 * @category models
 * @since 0.1.0
 */
export interface PastUsageQuery extends PastUsageFilters, Pagination {}

/**
 * Query parameters, in order, keys already in Lago's bracket form.
 *
 * @category models
 * @since 0.1.0
 */
export type QueryParams = ReadonlyArray<readonly [string, string]>

/**
 * How a query key is written: `scalar` once, `list` as `key[]=` per item, `record` as
 * `key[name]=`, `json` as one JSON-encoded value, `count` as a scalar integer >= 1.
 *
 * @category models
 * @since 0.1.0
 */
export type FieldKind = "scalar" | "count" | "list" | "record" | "json"

const invalid = (operation: string, field: string, reason: string) =>
  new LagoError.LagoInvalidInputError({ operation, field, reason })

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Writes one key; fails when its value does not fit its kind. */
const writeField = (
  out: Array<readonly [string, string]>,
  key: string,
  kind: FieldKind,
  value: unknown
): string | undefined => {
  if (value === undefined) return undefined
  switch (kind) {
    case "count":
      if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) return "must be an integer >= 1"
      out.push([key, String(value)])
      return undefined
    case "scalar":
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        return "must be a string, a number or a boolean"
      }
      out.push([key, String(value)])
      return undefined
    case "list":
      if (!Array.isArray(value)) return "must be an array"
      for (const item of value) out.push([`${key}[]`, String(item)])
      return undefined
    case "record":
      if (!isRecord(value)) return "must be an object"
      for (const [name, item] of Object.entries(value)) out.push([`${key}[${name}]`, String(item)])
      return undefined
    case "json":
      out.push([key, JSON.stringify(value)])
      return undefined
  }
}

/**
 * An encoder of one query type: the keys in the order given, each written by its kind. A
 * value that does not fit, or that holds a lone surrogate (URLSearchParams would silently
 * replace it, so Lago would get another value), fails with `LagoInvalidInputError`.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encoder = <Q extends object>(fields: { readonly [K in keyof Q]-?: FieldKind }) => {
  const entries: ReadonlyArray<readonly [string, FieldKind]> = Object.entries<FieldKind>(fields)
  return (operation: string) => (query: Q): Effect.Effect<QueryParams, LagoError.LagoInvalidInputError> =>
    Effect.suspend(() => {
      const out: Array<readonly [string, string]> = []
      for (const [key, kind] of entries) {
        const reason = writeField(out, key, kind, Reflect.get(query, key))
        if (reason !== undefined) return Effect.fail(invalid(operation, key, reason))
      }
      const bad = out.find(([key, value]) => !ExternalId.isWellFormed(key) || !ExternalId.isWellFormed(value))
      if (bad !== undefined) {
        return Effect.fail(
          invalid(
            operation,
            ExternalId.isWellFormed(bad[0]) ? bad[0] : "query",
            "must be well-formed Unicode (it holds a lone surrogate)"
          )
        )
      }
      return Effect.succeed(out)
    })
}

const pagination = { page: "count", per_page: "count" } as const

/**
 * Encodes a `GET /customers` query.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encodeFindAll = encoder<FindAllQuery>({
  ...pagination,
  search_term: "scalar",
  external_id: "scalar",
  account_type: "list",
  billing_entity_codes: "list",
  countries: "list",
  states: "list",
  zipcodes: "list",
  currencies: "list",
  has_tax_identification_number: "scalar",
  customer_type: "scalar",
  has_customer_type: "scalar",
  metadata: "record"
})

/**
 * Encodes a current usage query.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encodeCurrentUsage = encoder<CurrentUsageQuery>({
  external_subscription_id: "scalar",
  apply_taxes: "scalar",
  charge_id: "scalar",
  charge_code: "scalar",
  billable_metric_code: "scalar",
  full_usage: "scalar",
  group: "record",
  filter_by_presentation: "json",
  filter_by_metric_code: "scalar",
  skip_grouping: "scalar"
})

/**
 * Encodes a projected usage query.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encodeProjectedUsage = encoder<ProjectedUsageQuery>({
  external_subscription_id: "scalar",
  apply_taxes: "scalar"
})

/**
 * Encodes an applied coupons query.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encodeAppliedCoupons = encoder<AppliedCouponsQuery>({
  ...pagination,
  status: "scalar",
  coupon_code: "list"
})

/**
 * Encodes a past usage query.
 *
 * @category encoders
 * @since 0.1.0
 */
export const encodePastUsage = encoder<PastUsageQuery>({
  ...pagination,
  external_subscription_id: "scalar",
  billable_metric_code: "scalar",
  periods_count: "count"
})
