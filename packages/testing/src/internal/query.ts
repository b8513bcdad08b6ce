/**
 * Query strings as Lago (Rails, Rack) reads them: `a[]=1&a[]=2` as arrays, `m[k]=v` as records,
 * integers as `String#to_i` does, list filters validated like its dry-validation contracts.
 */
import type { CustomersQuery } from "@lago-effect/client"
import { Customer } from "@lago-effect/core"
import * as Either from "effect/Either"
import type { LagoStoreFailure } from "./failures.js"
import { validationFailure } from "./failures.js"

type Query = ReadonlyArray<readonly [string, string]>

/** Rack-style query: `a[]=1&a[]=2` → arrays, `m[k]=v` → records, the rest → scalars. */
const parse = (query: Query) => {
  const scalars = new Map<string, string>()
  const lists = new Map<string, Array<string>>()
  const records = new Map<string, Record<string, string>>()
  for (const [key, value] of query) {
    const list = /^([^[\]]+)\[\]$/.exec(key)
    const record = /^([^[\]]+)\[([^\]]*)\]$/.exec(key)
    if (list !== null) lists.set(list[1], [...(lists.get(list[1]) ?? []), value])
    else if (record !== null) records.set(record[1], { ...records.get(record[1]), [record[2]]: value })
    else scalars.set(key, value)
  }
  return { scalars, lists, records }
}

/** Rails' `to_i`: leading digits, else 0. */
const integer = (value: string | undefined) => {
  if (value === undefined) return undefined
  const match = /^\s*-?\d+/.exec(value)
  return match === null ? 0 : Number.parseInt(match[0], 10)
}

const booleanParam = (key: string, value: string | undefined) =>
  value === undefined
    ? Either.right(undefined)
    : value === "true"
    ? Either.right(true)
    : value === "false"
    ? Either.right(false)
    : Either.left({ [key]: ["must be one of: true, false"] })

const enumList = (key: string, values: ReadonlyArray<string> | undefined, valid: (value: string) => boolean) => {
  const errors: Record<string, Array<string>> = {}
  values?.forEach((value, index) => {
    if (!valid(value)) errors[String(index)] = [`must be one of the allowed values of ${key}`]
  })
  return Object.keys(errors).length === 0 ? undefined : { [key]: errors }
}

const pagination = (scalars: Map<string, string>): CustomersQuery.Pagination => ({
  page: integer(scalars.get("page")),
  per_page: integer(scalars.get("per_page"))
})

/** `GET /customers`: filters validated like Lago's contract (422 with English sentences). */
export const findAll = (query: Query): Either.Either<CustomersQuery.FindAllQuery, LagoStoreFailure> => {
  const { lists, records, scalars } = parse(query)
  const hasTin = booleanParam("has_tax_identification_number", scalars.get("has_tax_identification_number"))
  const hasType = booleanParam("has_customer_type", scalars.get("has_customer_type"))
  const customerType = scalars.get("customer_type")
  const errors = {
    ...(Either.isLeft(hasTin) ? hasTin.left : {}),
    ...(Either.isLeft(hasType) ? hasType.left : {}),
    ...(customerType !== undefined && !Customer.CustomerType.isKnown(customerType)
      ? { customer_type: [`must be one of: ${Customer.CustomerType.literals.join(", ")}`] }
      : {}),
    ...enumList("account_type", lists.get("account_type"), Customer.AccountType.isKnown),
    ...enumList("countries", lists.get("countries"), (v) => /^[A-Z]{2}$/.test(v)),
    ...enumList("currencies", lists.get("currencies"), (v) => /^[A-Z]{3}$/.test(v))
  }
  if (Object.keys(errors).length > 0) return Either.left(validationFailure(errors))
  return Either.right({
    ...pagination(scalars),
    search_term: scalars.get("search_term"),
    external_id: scalars.get("external_id"),
    account_type: lists.get("account_type")?.filter(Customer.AccountType.isKnown),
    billing_entity_codes: lists.get("billing_entity_codes"),
    countries: lists.get("countries"),
    states: lists.get("states"),
    zipcodes: lists.get("zipcodes"),
    currencies: lists.get("currencies"),
    has_tax_identification_number: Either.getOrUndefined(hasTin),
    customer_type: customerType,
    has_customer_type: Either.getOrUndefined(hasType),
    metadata: records.get("metadata")
  })
}

/** `GET /customers/{id}/current_usage`, deprecated `filter_by_*` names included. */
export const currentUsage = (query: Query): CustomersQuery.CurrentUsageQuery => {
  const { scalars } = parse(query)
  return {
    external_subscription_id: scalars.get("external_subscription_id") ?? "",
    apply_taxes: scalars.get("apply_taxes") === "false" ? false : undefined,
    full_usage: scalars.get("full_usage") === "true" ? true : undefined,
    charge_id: scalars.get("charge_id") ?? scalars.get("filter_by_charge_id"),
    charge_code: scalars.get("charge_code") ?? scalars.get("filter_by_charge_code"),
    billable_metric_code: scalars.get("billable_metric_code") ?? scalars.get("filter_by_metric_code")
  }
}

/** `GET /customers/{id}/projected_usage`. */
export const projectedUsage = (query: Query): CustomersQuery.ProjectedUsageQuery => {
  const { scalars } = parse(query)
  return {
    external_subscription_id: scalars.get("external_subscription_id") ?? "",
    apply_taxes: scalars.get("apply_taxes") === "false" ? false : undefined
  }
}

/** `GET /customers/{id}/applied_coupons`. */
export const appliedCoupons = (query: Query): CustomersQuery.AppliedCouponsQuery => {
  const { lists, scalars } = parse(query)
  return { ...pagination(scalars), status: scalars.get("status"), coupon_code: lists.get("coupon_code") }
}

/** `GET /customers/{id}/past_usage`: the subscription is mandatory (422). */
export const pastUsage = (query: Query): Either.Either<CustomersQuery.PastUsageQuery, LagoStoreFailure> => {
  const { scalars } = parse(query)
  const subscription = scalars.get("external_subscription_id") ?? ""
  if (subscription.trim() === "") {
    return Either.left(validationFailure({ external_subscription_id: ["value_is_mandatory"] }))
  }
  return Either.right({
    ...pagination(scalars),
    external_subscription_id: subscription,
    billable_metric_code: scalars.get("billable_metric_code"),
    periods_count: integer(scalars.get("periods_count"))
  })
}
