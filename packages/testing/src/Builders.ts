/**
 * One-line builders of valid Lago data for tests: `customer({ name: "Acme" })`,
 * `customerUsage({ amount_cents: 100 })`, `appliedCoupon({ ... })`, and arbitraries for
 * property tests.
 *
 * @since 0.1.0
 */
import type { AppliedCoupon, Customer, CustomerInput, CustomerUsage, ProjectedUsage } from "@lago-effect/core"
import * as BigDecimal from "effect/BigDecimal"
import * as DateTime from "effect/DateTime"
import * as FastCheck from "effect/FastCheck"

const epoch = DateTime.unsafeMake("2024-01-01T00:00:00Z")

/**
 * A deterministic UUID made from a number: `00000000-0000-4000-8000-00000000002a` for 42.
 *
 * @category builders
 * @since 0.1.0
 */
export const uuid = (n: number, namespace = 0): string =>
  `${namespace.toString(16).padStart(8, "0")}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

/**
 * The billing configuration of a customer without a payment provider.
 *
 * @category builders
 * @since 0.1.0
 */
export const emptyBillingConfiguration: Customer.BillingConfiguration = {
  invoice_grace_period: null,
  payment_provider: null,
  payment_provider_code: null,
  document_locale: null,
  subscription_invoice_issuing_date_anchor: null,
  subscription_invoice_issuing_date_adjustment: null
}

/**
 * An address with the six keys set to null, as Lago sends an empty one.
 *
 * @category builders
 * @since 0.1.0
 */
export const emptyAddress: Customer.Address = {
  address_line1: null,
  address_line2: null,
  city: null,
  zipcode: null,
  state: null,
  country: null
}

/**
 * A valid customer, as Lago would return it; every key can be overridden.
 *
 * @category builders
 * @since 0.1.0
 */
export const customer = (overrides: Partial<Customer.Customer> = {}): Customer.Customer => {
  const sequential = overrides.sequential_id ?? 1
  return {
    lago_id: uuid(sequential, 1),
    billing_entity_code: "default",
    external_id: `customer_${sequential}`,
    account_type: "customer",
    name: `Customer ${sequential}`,
    firstname: null,
    lastname: null,
    customer_type: null,
    sequential_id: sequential,
    slug: `LAG-0001-${String(sequential).padStart(3, "0")}`,
    created_at: epoch,
    updated_at: epoch,
    country: null,
    address_line1: null,
    address_line2: null,
    state: null,
    zipcode: null,
    email: null,
    city: null,
    url: null,
    phone: null,
    logo_url: null,
    legal_name: null,
    legal_number: null,
    currency: null,
    tax_identification_number: null,
    timezone: null,
    applicable_timezone: "UTC",
    net_payment_term: null,
    external_salesforce_id: null,
    finalize_zero_amount_invoice: "inherit",
    billing_configuration: emptyBillingConfiguration,
    shipping_address: emptyAddress,
    skip_invoice_custom_sections: false,
    metadata: [],
    taxes: [],
    integration_customers: [],
    applicable_invoice_custom_sections: [],
    error_details: [],
    ...overrides
  }
}

/**
 * A valid create input; `external_id` defaults to `customer_1`.
 *
 * @category builders
 * @since 0.1.0
 */
export const customerInput = (overrides: Partial<CustomerInput.CustomerInput> = {}): CustomerInput.CustomerInput => ({
  external_id: "customer_1",
  name: "Customer 1",
  currency: "EUR",
  ...overrides
})

/**
 * One charge's usage: 4 API calls for 5 cents.
 *
 * @category builders
 * @since 0.1.0
 */
export const chargeUsage = (overrides: Partial<CustomerUsage.ChargeUsage> = {}): CustomerUsage.ChargeUsage => ({
  units: BigDecimal.unsafeFromString("4.0"),
  total_aggregated_units: BigDecimal.unsafeFromString("4.0"),
  events_count: 4,
  amount_cents: 5,
  amount_currency: "EUR",
  pricing_unit_details: null,
  charge: { lago_id: uuid(1, 2), code: "api_calls", charge_model: "graduated", invoice_display_name: null },
  billable_metric: { lago_id: uuid(1, 3), name: "API calls", code: "api_calls", aggregation_type: "count_agg" },
  filters: [],
  grouped_usage: [],
  presentation_breakdowns: [],
  ...overrides
})

/**
 * The usage of a billing period with one charge.
 *
 * @category builders
 * @since 0.1.0
 */
export const customerUsage = (overrides: Partial<CustomerUsage.CustomerUsage> = {}): CustomerUsage.CustomerUsage => ({
  from_datetime: DateTime.unsafeMake("2024-01-01T00:00:00Z"),
  to_datetime: DateTime.unsafeMake("2024-01-31T23:59:59Z"),
  issuing_date: DateTime.unsafeMake("2024-01-31T00:00:00Z"),
  currency: "EUR",
  amount_cents: 5,
  total_amount_cents: 6,
  taxes_amount_cents: 1,
  lago_invoice_id: null,
  charges_usage: [chargeUsage()],
  ...overrides
})

/**
 * A past billing period: January 2024 of a subscription, invoiced.
 *
 * @category builders
 * @since 0.1.0
 */
export const pastUsagePeriod = (
  overrides: Partial<CustomerUsage.CustomerUsage> = {}
): CustomerUsage.CustomerUsage =>
  customerUsage({
    lago_invoice_id: uuid(1, 8),
    ...overrides
  })

/**
 * A projected usage: the builder's usage, projected to twice its units and amounts.
 *
 * @category builders
 * @since 0.1.0
 */
export const projectedUsage = (
  overrides: Partial<ProjectedUsage.ProjectedUsage> = {}
): ProjectedUsage.ProjectedUsage => ({
  from_datetime: DateTime.unsafeMake("2024-01-01T00:00:00Z"),
  to_datetime: DateTime.unsafeMake("2024-01-31T23:59:59Z"),
  issuing_date: DateTime.unsafeMake("2024-01-31T00:00:00Z"),
  currency: "EUR",
  amount_cents: 5,
  projected_amount_cents: 10,
  total_amount_cents: 6,
  taxes_amount_cents: 1,
  lago_invoice_id: null,
  charges_usage: [{
    units: BigDecimal.unsafeFromString("4.0"),
    projected_units: BigDecimal.unsafeFromString("8.0"),
    events_count: 4,
    amount_cents: 5,
    projected_amount_cents: 10,
    amount_currency: "EUR",
    pricing_unit_details: null,
    charge: { lago_id: uuid(1, 2), charge_model: "graduated", invoice_display_name: null },
    billable_metric: { lago_id: uuid(1, 3), name: "API calls", code: "api_calls", aggregation_type: "count_agg" },
    filters: [],
    grouped_usage: [],
    presentation_breakdowns: [],
    projected_presentation_breakdowns: []
  }],
  ...overrides
})

/**
 * A credit a coupon gave on an invoice.
 *
 * @category builders
 * @since 0.1.0
 */
export const credit = (overrides: Partial<AppliedCoupon.Credit> = {}): AppliedCoupon.Credit => ({
  lago_id: uuid(1, 9),
  amount_cents: 500,
  amount_currency: "EUR",
  before_taxes: true,
  item: { lago_item_id: uuid(1, 5), type: "coupon", code: "startup_deal", name: "Startup Deal", description: null },
  invoice: { lago_id: uuid(1, 8), payment_status: "succeeded" },
  ...overrides
})

/**
 * An active applied coupon of `customer_1`.
 *
 * @category builders
 * @since 0.1.0
 */
export const appliedCoupon = (overrides: Partial<AppliedCoupon.AppliedCoupon> = {}): AppliedCoupon.AppliedCoupon => ({
  lago_id: uuid(1, 4),
  lago_coupon_id: uuid(1, 5),
  coupon_code: "startup_deal",
  coupon_name: "Startup Deal",
  coupon_description: null,
  coupon_status: "active",
  coupon_deleted_at: null,
  lago_customer_id: uuid(1, 1),
  external_customer_id: "customer_1",
  status: "active",
  amount_cents: 2000,
  amount_cents_remaining: null,
  amount_currency: "EUR",
  percentage_rate: null,
  frequency: "recurring",
  frequency_duration: 3,
  frequency_duration_remaining: 3,
  expiration_at: null,
  created_at: epoch,
  terminated_at: null,
  ...overrides
})

const idCharacters = FastCheck.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_-")

/**
 * External ids Lago accepts: letters, digits, `_` and `-`.
 *
 * @category builders
 * @since 0.1.0
 */
export const arbitraryExternalId: FastCheck.Arbitrary<string> = FastCheck.string({
  unit: idCharacters,
  minLength: 1,
  maxLength: 24
})

/**
 * Create inputs that Lago accepts: valid currencies, countries, emails and locales.
 *
 * @category builders
 * @since 0.1.0
 */
export const arbitraryCustomerInput: FastCheck.Arbitrary<CustomerInput.CustomerInput> = FastCheck.record({
  external_id: arbitraryExternalId,
  name: FastCheck.option(FastCheck.string({ maxLength: 40 }), { nil: null }),
  email: FastCheck.option(
    FastCheck.tuple(arbitraryExternalId, arbitraryExternalId).map(([user, host]) => `${user}@${host}.test`),
    { nil: null }
  ),
  currency: FastCheck.option(FastCheck.constantFrom("EUR", "USD", "GBP", "JPY"), { nil: null }),
  country: FastCheck.option(FastCheck.constantFrom("FR", "US", "DE", "GB"), { nil: null }),
  customer_type: FastCheck.option(FastCheck.constantFrom("company" as const, "individual" as const), { nil: null }),
  net_payment_term: FastCheck.option(FastCheck.integer({ min: 0, max: 90 }), { nil: null }),
  metadata: FastCheck.uniqueArray(
    FastCheck.record({
      key: FastCheck.string({ unit: idCharacters, minLength: 1, maxLength: 20 }),
      value: FastCheck.string({ maxLength: 100 }),
      display_in_invoice: FastCheck.boolean()
    }),
    { maxLength: 5, selector: (item) => item.key }
  )
}, { requiredKeys: ["external_id"] })
