/**
 * Older Lago servers: self-hosted Lago lags Cloud. For every release from v1.7.0 (2024-07-15,
 * the first without legacy keys) to the newest, build the customers payloads as that release
 * sends them (keys not yet added dropped, keys since removed added, the nulls of the time) and
 * decode them. Source: lago-api's history, key by key (the release that first sends each key).
 */
import { describe, expect, it } from "@effect/vitest"
import { AppliedCoupon, Customer, CustomersPage, CustomerUsage } from "@lago-effect/core"
import { Either, Schema } from "effect"
import { appliedCouponResponse, customerResponse, customersPageResponse, customerUsageResponse } from "./fixtures.js"

/** Tags from v1.7.0 on, with the release whose content each has (patch branches fork from one). */
const releases: ReadonlyArray<readonly [tag: string, content: string]> = [
  ...[
    "1.7.0",
    "1.8.0",
    "1.8.1",
    "1.8.2",
    "1.9.0",
    "1.10.0",
    "1.11.0",
    "1.11.1",
    "1.11.2",
    "1.12.0",
    "1.12.1",
    "1.12.2",
    "1.13.1",
    "1.14.0",
    "1.15.0",
    "1.15.1",
    "1.15.2",
    "1.16.0",
    "1.17.0",
    "1.17.1",
    "1.17.2",
    "1.17.3",
    "1.17.4",
    "1.17.5",
    "1.18.0",
    "1.19.0",
    "1.19.1",
    "1.20.0",
    "1.20.1",
    "1.20.2",
    "1.21.0",
    "1.22.0",
    "1.22.1",
    "1.23.0",
    "1.24.0",
    "1.24.1",
    "1.25.0",
    "1.26.0",
    "1.26.1",
    "1.27.0",
    "1.27.1",
    "1.28.0",
    "1.28.1",
    "1.29.0",
    "1.30.0",
    "1.31.0",
    "1.32.0",
    "1.32.1",
    "1.32.2",
    "1.32.3",
    "1.32.4",
    "1.33.0",
    "1.33.1",
    "1.33.2",
    "1.33.3",
    "1.33.4",
    "1.34.0",
    "1.34.1",
    "1.34.2",
    "1.35.0",
    "1.36.0",
    "1.37.0",
    "1.38.0",
    "1.39.0",
    "1.40.0",
    "1.41.0",
    "1.42.0",
    "1.43.0",
    "1.44.0",
    "1.45.0",
    "1.45.1",
    "1.45.2",
    "1.46.0",
    "1.47.0",
    "1.48.0",
    "1.48.1",
    "1.49.0",
    "1.50.0",
    "1.51.0"
  ].map((version) => [`v${version}`, version] as const),
  ["v1.12.3", "1.12.2"],
  ["v1.40.1", "1.40.0"],
  ["v1.41.1", "1.41.0"],
  ["v1.41.2", "1.41.0"],
  ["v1.41.3", "1.41.0"],
  ["v1.47.1", "1.47.0"],
  ["v1.47.2", "1.47.0"],
  ["main (unreleased)", "9999.0.0"]
]

const parse = (version: string) => version.split(".").map(Number)

/** Whether release `release` predates `since`. */
const before = (release: string, since: string) => {
  const [a, b] = [parse(release), parse(since)]
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i]
  return false
}
const within = (release: string, from: string, to: string) => !before(release, from) && !before(to, release)

type Json = Record<string, unknown>
const clone = (value: unknown): Json => JSON.parse(JSON.stringify(value))
const items = (value: unknown): Array<Json> => Array.isArray(value) ? value : []

const integrationCustomers = (release: string): Array<Json> => {
  const unreleased = !before(release, "9999.0.0")
  const netsuite: Json = {
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90",
    external_customer_id: "cus_12345",
    type: "netsuite",
    integration_code: "netsuite-eu-1",
    sync_with_provider: true,
    subsidiary_id: "2",
    // On the newest server, an integration customer older than the category column: null.
    ...(unreleased ? { code: "netsuite-eu-1", is_default: true, category: null } : {})
  }
  const hubspot: Json = {
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a94",
    external_customer_id: null,
    type: "hubspot",
    integration_code: "hubspot-1",
    targeted_object: "companies",
    email: "crm@example.com",
    ...(unreleased ? { code: "hubspot-1", is_default: true, category: "crm" } : {})
  }
  // Avalara customers exist since v1.26.0; until v1.51.0 the serializer cannot name their type.
  const avalara: Json = {
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a95",
    external_customer_id: "ava_1",
    type: unreleased ? "avalara" : null,
    integration_code: "avalara-1",
    ...(unreleased ? { code: "avalara-1", is_default: true, category: "tax" } : {})
  }
  return [
    netsuite,
    ...(before(release, "1.14.0") ? [] : [hubspot]),
    ...(before(release, "1.26.0") ? [] : [avalara])
  ]
}

/** A customer as `release` sends it: from create/show/delete (`show`) or in a list page. */
const customerAt = (release: string, where: "show" | "list"): Json => {
  const customer = clone(where === "show" ? customerResponse.customer : customersPageResponse.customers[0])
  const dropBefore = (since: string, ...keys: ReadonlyArray<string>) => {
    if (before(release, since)) { for (const key of keys) delete customer[key] }
  }
  dropBefore("1.25.0", "billing_entity_code")
  dropBefore("1.19.0", "account_type")
  dropBefore("1.11.0", "firstname", "lastname", "customer_type")
  dropBefore("1.10.0", "finalize_zero_amount_invoice")
  dropBefore("1.18.0", "skip_invoice_custom_sections")
  const billing = clone(customer.billing_configuration)
  if (before(release, "1.36.0")) {
    delete billing.subscription_invoice_issuing_date_anchor
    delete billing.subscription_invoice_issuing_date_adjustment
  }
  customer.billing_configuration = billing
  customer.integration_customers = integrationCustomers(release)
  if (where === "list") dropBefore("1.17.0", "integration_customers")
  if (where === "show") {
    dropBefore("1.18.0", "applicable_invoice_custom_sections")
    if (within(release, "1.18.0", "1.33.2")) {
      customer.applicable_invoice_custom_sections = items(customer.applicable_invoice_custom_sections)
        .map((section) => ({ ...section, applied_to_organization: false }))
    }
    dropBefore("1.44.0", "error_details")
  }
  // Real counts before v1.17.1, constant 0 since: the same type either way.
  if (before(release, "1.17.1")) {
    customer.taxes = items(customer.taxes).map((tax) => ({ ...tax, customers_count: 12, plans_count: 3 }))
  }
  return customer
}

const groupedUsage: Json = {
  amount_cents: 700,
  events_count: 7,
  units: "7.0",
  total_aggregated_units: "7.0",
  pricing_unit_details: { amount_cents: 70, short_name: "CR", conversion_rate: "0.1" },
  grouped_by: { region: "eu", tier: null },
  filters: [{
    units: "7.0",
    total_aggregated_units: "7.0",
    events_count: 7,
    amount_cents: 700,
    pricing_unit_details: null,
    invoice_display_name: null,
    values: null,
    presentation_breakdowns: []
  }],
  presentation_breakdowns: [{ presentation_by: { team: "core" }, units: "7.0" }]
}

/** The current usage as `release` sends it. */
const usageAt = (release: string): Json => {
  const usage = clone(customerUsageResponse.customer_usage)
  const charges = [...items(usage.charges_usage), {
    ...items(usage.charges_usage)[1],
    charge: { lago_id: "c3", code: "storage", charge_model: "graduated_percentage", invoice_display_name: "Storage" },
    grouped_usage: [groupedUsage]
  }]
  const figures = (item: Json, presentationSince: string) => {
    const out = clone(item)
    if (before(release, "1.35.0")) delete out.total_aggregated_units
    if (before(release, "1.32.0")) delete out.pricing_unit_details
    if (before(release, presentationSince)) delete out.presentation_breakdowns
    if (within(release, "1.32.1", "1.32.3")) {
      out.projected_units = "8.0"
      out.projected_amount_cents = 10
    }
    if (before(release, "1.17.0")) out.groups = []
    return out
  }
  usage.charges_usage = charges.map((charge) => {
    const out = figures(charge, "1.46.0")
    out.filters = items(out.filters).map((filter) => figures(filter, "1.48.0"))
    out.grouped_usage = items(out.grouped_usage).map((group) => {
      const grouped = figures(group, "1.46.0")
      grouped.filters = items(grouped.filters).map((filter) => figures(filter, "1.48.0"))
      return grouped
    })
    if (before(release, "1.50.0")) out.charge = { ...clone(out.charge), code: undefined }
    return JSON.parse(JSON.stringify(out))
  })
  if (within(release, "1.32.1", "1.32.3")) usage.projected_amount_cents = 6000
  return usage
}

/** The applied coupon as `release` sends it. */
const appliedCouponAt = (release: string): Json => {
  const coupon = clone(appliedCouponResponse.applied_coupon)
  if (before(release, "1.45.0")) {
    delete coupon.coupon_status
    delete coupon.coupon_deleted_at
    delete coupon.coupon_description
  }
  return coupon
}

const decodes = <A, I>(schema: Schema.Schema<A, I>, payload: unknown) => {
  const result = Schema.decodeUnknownEither(schema)(payload)
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

describe("every Lago release from v1.7.0 on decodes", () => {
  it.each(releases)("%s", (_, content) => {
    const shown = decodes(Customer.CustomerResponse, { customer: customerAt(content, "show") })
    expect(shown.customer.external_id).toBe(customerResponse.customer.external_id)
    const page = decodes(CustomersPage.CustomersPage, {
      customers: [customerAt(content, "list"), customerAt(content, "list")],
      meta: customersPageResponse.meta
    })
    expect(page.customers).toHaveLength(2)
    const usage = decodes(CustomerUsage.CustomerUsageResponse, { customer_usage: usageAt(content) })
    expect(usage.customer_usage.charges_usage).toHaveLength(3)
    decodes(AppliedCoupon.AppliedCouponResponse, { applied_coupon: appliedCouponAt(content) })
  })

  it("the shapes really differ: the oldest lacks what the newest has", () => {
    const oldest = customerAt("1.7.0", "list")
    const newest = customerAt("9999.0.0", "list")
    const missing = Object.keys(newest).filter((key) => !(key in oldest)).sort()
    expect(missing).toEqual([
      "account_type",
      "billing_entity_code",
      "customer_type",
      "finalize_zero_amount_invoice",
      "firstname",
      "integration_customers",
      "lastname",
      "skip_invoice_custom_sections"
    ])
    expect(JSON.stringify(usageAt("1.7.0"))).not.toContain("total_aggregated_units")
    expect(JSON.stringify(usageAt("1.50.0"))).toContain("\"code\":\"storage\"")
  })

  it.each([
    "lago_id",
    "external_id",
    "sequential_id",
    "slug",
    "created_at",
    "updated_at",
    "applicable_timezone",
    "billing_configuration",
    "shipping_address",
    "metadata",
    "taxes"
  ])("a key every release sends stays required: %s", (key) => {
    const customer = customerAt("1.7.0", "list")
    delete customer[key]
    expect(Either.isLeft(Schema.decodeUnknownEither(Customer.Customer)(customer))).toBe(true)
  })
})
