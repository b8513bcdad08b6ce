/**
 * The filters of `GET /customers` and `GET /customers/{id}/applied_coupons`, as Lago's query
 * objects apply them.
 */
import type { CustomersQuery } from "@lago-effect/client"
import type { AppliedCoupon, Customer } from "@lago-effect/core"

const searchable = ["name", "firstname", "lastname", "legal_name", "external_id", "email"] as const

const within = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
  values === undefined || values.length === 0 || values.includes(value)

/** Whether a customer is in the list a query asks for. */
export const customerMatches = (customer: Customer.Customer, query: CustomersQuery.CustomersFilters): boolean => {
  if (query.external_id !== undefined) {
    // An exact external_id makes Lago ignore the search term.
    if (customer.external_id !== query.external_id) return false
  } else if (query.search_term !== undefined && query.search_term !== "") {
    const term = query.search_term.toLowerCase()
    if (!searchable.some((field) => (customer[field] ?? "").toLowerCase().includes(term))) return false
  }
  if (!within(query.account_type, customer.account_type ?? "customer")) return false
  if (!within(query.billing_entity_codes, customer.billing_entity_code)) return false
  if (!within(query.countries, customer.country)) return false
  if (!within(query.states, customer.state)) return false
  if (!within(query.zipcodes, customer.zipcode)) return false
  if (!within(query.currencies, customer.currency)) return false
  const hasTin = query.has_tax_identification_number
  if (hasTin !== undefined && hasTin !== (customer.tax_identification_number !== null)) return false
  if (query.customer_type !== undefined && customer.customer_type !== query.customer_type) return false
  const hasType = query.has_customer_type
  if (hasType !== undefined && hasType !== (customer.customer_type != null)) return false
  for (const [key, value] of Object.entries(query.metadata ?? {})) {
    const item = customer.metadata.find((m) => m.key === key)
    if (value === "" ? item !== undefined : item?.value !== value) return false
  }
  return true
}

/** Whether an applied coupon is in the list a query asks for (an unknown status is ignored). */
export const appliedCouponMatches = (
  coupon: AppliedCoupon.AppliedCoupon,
  query: CustomersQuery.AppliedCouponsFilters
): boolean => {
  if (query.status !== undefined && (query.status === "active" || query.status === "terminated")) {
    if (coupon.status !== query.status) return false
  }
  return within(query.coupon_code, coupon.coupon_code)
}
