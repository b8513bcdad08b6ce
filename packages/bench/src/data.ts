/**
 * The customers the benchmark server serves: populated as a real organization's are (one
 * metadata pair, one tax, one integration, a Stripe billing configuration, a shipping
 * address), each distinct (its own ids, names and instants; the tax is the organization's,
 * shared), written as JSON text straight from a template.
 */

/** Customer n's own instant, one minute apart: real customers were not all created at once. */
const instant = (n: number, offsetSeconds = 0) =>
  new Date(Date.UTC(2022, 3, 29, 8, 59, 51) + n * 60_000 + offsetSeconds * 1000).toISOString().replace(".000Z", "Z")

const customer = (n: number) => ({
  lago_id: `1a901a90-1a90-1a90-1a90-${String(n).padStart(12, "0")}`,
  billing_entity_code: "acme_corp",
  external_id: `customer_${n}`,
  account_type: "customer",
  name: `Customer ${n}`,
  firstname: "Gavin",
  lastname: "Belson",
  customer_type: "company",
  sequential_id: n,
  slug: `LAG-1234-${String(n).padStart(6, "0")}`,
  created_at: instant(n),
  updated_at: instant(n, 3_600),
  country: "US",
  address_line1: "5230 Penfield Ave",
  address_line2: null,
  state: "CA",
  zipcode: "91364",
  email: `billing+${n}@piedpiper.test`,
  city: "Woodland Hills",
  url: "http://hooli.com",
  phone: "1-171-883-3711 x245",
  logo_url: "http://hooli.com/logo.png",
  legal_name: "Coleman-Blair",
  legal_number: "49-008-2965",
  currency: "USD",
  tax_identification_number: "EU123456789",
  timezone: "America/Los_Angeles",
  applicable_timezone: "America/Los_Angeles",
  net_payment_term: 30,
  external_salesforce_id: null,
  finalize_zero_amount_invoice: "inherit",
  billing_configuration: {
    invoice_grace_period: 3,
    payment_provider: "stripe",
    payment_provider_code: "stripe-eu-1",
    document_locale: "fr",
    subscription_invoice_issuing_date_anchor: null,
    subscription_invoice_issuing_date_adjustment: null,
    provider_customer_id: `cus_${n}`,
    provider_payment_methods: ["card", "sepa_debit"]
  },
  shipping_address: {
    address_line1: "5230 Penfield Ave",
    address_line2: null,
    city: "Woodland Hills",
    zipcode: "91364",
    state: "CA",
    country: "US"
  },
  skip_invoice_custom_sections: false,
  metadata: [{
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90",
    key: "Purchase Order",
    value: String(123456789 + n),
    display_in_invoice: true,
    created_at: instant(n, 5)
  }],
  taxes: [{
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90",
    name: "TVA",
    code: "french_standard_vat",
    rate: 20.0,
    description: "French standard VAT",
    applied_to_organization: true,
    add_ons_count: 0,
    customers_count: 0,
    plans_count: 0,
    charges_count: 0,
    commitments_count: 0,
    created_at: "2023-07-06T14:35:58Z"
  }],
  integration_customers: [{
    lago_id: "1a901a90-1a90-1a90-1a90-1a901a901a90",
    external_customer_id: `ns_${n}`,
    type: "netsuite",
    integration_code: "netsuite-eu-1",
    code: "netsuite-eu-1",
    is_default: true,
    category: "accounting",
    sync_with_provider: true,
    subsidiary_id: "2"
  }]
})

/** The JSON text of customer `n` (1-based). */
export const customerJson = (n: number): string => JSON.stringify(customer(n))

/** The JSON text of a page of `perPage` customers out of `total`, newest first, with Lago's meta. */
export const pageJson = (page: number, perPage: number, total: number): string => {
  const totalPages = Math.ceil(total / perPage)
  const from = (page - 1) * perPage
  const items: Array<string> = []
  for (let i = from; i < Math.min(total, from + perPage); i++) items.push(customerJson(total - i))
  const meta = {
    current_page: total === 0 ? 0 : page,
    next_page: page < totalPages ? page + 1 : null,
    prev_page: page > 1 ? page - 1 : null,
    total_pages: totalPages,
    total_count: total
  }
  return `{"customers":[${items.join(",")}],"meta":${JSON.stringify(meta)}}`
}
