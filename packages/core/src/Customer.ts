/**
 * The customer object Lago returns from `POST /customers`, `GET /customers/{id}`,
 * `DELETE /customers/{id}` and, item by item, `GET /customers`.
 *
 * Keys keep Lago's wire names. A key is required when every Lago release since v1.7.0
 * (2024-07-15) sends it; it is optional when the server leaves it out of some responses,
 * when older releases do not send it yet (documented "absent before Lago vX.Y"), and for
 * server-only keys the spec does not document (so a server that follows the spec decodes
 * too). Nullable wherever the server can send null, even where the spec says otherwise.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  Json,
  Nullable,
  NullableBoolean,
  NullableInt,
  NullableOpenEnum,
  NullableString,
  OpenEnum,
  optionalKey,
  StringRecord,
  Timestamp
} from "./internal/schemas.js"

/**
 * Payment providers. The server knows more than the spec's `stripe`, `adyen`, `gocardless`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PaymentProvider = OpenEnum("stripe", "gocardless", "cashfree", "adyen", "flutterwave", "moneyhash")
/**
 * @category schemas
 * @since 0.1.0
 */
export type PaymentProvider = typeof PaymentProvider.Type

/**
 * Locales Lago renders documents in.
 *
 * @category schemas
 * @since 0.1.0
 */
export const DocumentLocale = OpenEnum("en", "fr", "nb", "de", "it", "es", "sv", "pt-BR", "zh-TW")
/**
 * @category schemas
 * @since 0.1.0
 */
export type DocumentLocale = typeof DocumentLocale.Type

/**
 * When subscription invoices are issued.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InvoiceIssuingDateAnchor = OpenEnum("current_period_end", "next_period_start")
/**
 * @category schemas
 * @since 0.1.0
 */
export type InvoiceIssuingDateAnchor = typeof InvoiceIssuingDateAnchor.Type

/**
 * How the issuing date follows the anchor.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InvoiceIssuingDateAdjustment = OpenEnum("align_with_finalization_date", "keep_anchor")
/**
 * @category schemas
 * @since 0.1.0
 */
export type InvoiceIssuingDateAdjustment = typeof InvoiceIssuingDateAdjustment.Type

/**
 * Stripe payment methods.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ProviderPaymentMethod = OpenEnum(
  "card",
  "sepa_debit",
  "us_bank_account",
  "bacs_debit",
  "link",
  "boleto",
  "crypto",
  "customer_balance"
)
/**
 * @category schemas
 * @since 0.1.0
 */
export type ProviderPaymentMethod = typeof ProviderPaymentMethod.Type

/**
 * `customer` or `partner` (revenue share).
 *
 * @category schemas
 * @since 0.1.0
 */
export const AccountType = OpenEnum("customer", "partner")
/**
 * @category schemas
 * @since 0.1.0
 */
export type AccountType = typeof AccountType.Type

/**
 * `company` or `individual`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CustomerType = OpenEnum("company", "individual")
/**
 * @category schemas
 * @since 0.1.0
 */
export type CustomerType = typeof CustomerType.Type

/**
 * Whether invoices of zero amount are finalized.
 *
 * @category schemas
 * @since 0.1.0
 */
export const FinalizeZeroAmountInvoice = OpenEnum("inherit", "skip", "finalize")
/**
 * @category schemas
 * @since 0.1.0
 */
export type FinalizeZeroAmountInvoice = typeof FinalizeZeroAmountInvoice.Type

/**
 * Integration types. The server also knows `avalara` and `okta`, beyond the spec.
 *
 * @category schemas
 * @since 0.1.0
 */
export const IntegrationType = OpenEnum("netsuite", "anrok", "xero", "hubspot", "salesforce", "avalara", "okta")
/**
 * @category schemas
 * @since 0.1.0
 */
export type IntegrationType = typeof IntegrationType.Type

const BillingConfiguration_ = Schema.Struct({
  invoice_grace_period: optionalKey(NullableInt),
  payment_provider: optionalKey(NullableOpenEnum(PaymentProvider)),
  payment_provider_code: optionalKey(NullableString),
  document_locale: optionalKey(NullableOpenEnum(DocumentLocale)),
  /** Absent before Lago v1.36.0. */
  subscription_invoice_issuing_date_anchor: optionalKey(NullableOpenEnum(InvoiceIssuingDateAnchor)),
  /** Absent before Lago v1.36.0. */
  subscription_invoice_issuing_date_adjustment: optionalKey(NullableOpenEnum(InvoiceIssuingDateAdjustment)),
  // Only for stripe, gocardless, cashfree, adyen and moneyhash; the key is absent otherwise.
  provider_customer_id: optionalKey(NullableString),
  // Only for stripe.
  provider_payment_methods: optionalKey(Nullable(Schema.Array(ProviderPaymentMethod))),
  // The provider customer's settings are merged in: these appear only when stored there.
  sync_with_provider: optionalKey(NullableBoolean),
  payment_method_id: optionalKey(NullableString),
  provider_mandate_id: optionalKey(NullableString)
})

/**
 * A customer's billing configuration as Lago returns it. Every key is optional: the
 * server adds provider keys only for some providers and merges provider settings in.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface BillingConfiguration extends Schema.Schema.Type<typeof BillingConfiguration_> {}
/**
 * The wire form of `BillingConfiguration`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface BillingConfigurationEncoded extends Schema.Schema.Encoded<typeof BillingConfiguration_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const BillingConfiguration: Schema.Schema<BillingConfiguration, BillingConfigurationEncoded> =
  BillingConfiguration_.annotations({ identifier: "BillingConfiguration" })

const Address_ = Schema.Struct({
  address_line1: optionalKey(NullableString),
  address_line2: optionalKey(NullableString),
  city: optionalKey(NullableString),
  zipcode: optionalKey(NullableString),
  state: optionalKey(NullableString),
  country: optionalKey(NullableString)
})

/**
 * A postal address (`shipping_address`). The server always sends the six keys,
 * possibly null; none is required by the spec.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface Address extends Schema.Schema.Type<typeof Address_> {}
/**
 * The wire form of `Address`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AddressEncoded extends Schema.Schema.Encoded<typeof Address_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const Address: Schema.Schema<Address, AddressEncoded> = Address_.annotations({ identifier: "Address" })

const CustomerMetadata_ = Schema.Struct({
  lago_id: Schema.String,
  key: Schema.String,
  value: Schema.String,
  display_in_invoice: Schema.Boolean,
  created_at: Timestamp
})

/**
 * One metadata pair of a customer.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerMetadata extends Schema.Schema.Type<typeof CustomerMetadata_> {}
/**
 * The wire form of `CustomerMetadata`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerMetadataEncoded extends Schema.Schema.Encoded<typeof CustomerMetadata_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const CustomerMetadata: Schema.Schema<CustomerMetadata, CustomerMetadataEncoded> = CustomerMetadata_
  .annotations({ identifier: "CustomerMetadata" })

/**
 * What an integration is for. Lago derives it from the type (`tax` for anrok and avalara,
 * `crm` for hubspot and salesforce, ...).
 *
 * @category schemas
 * @since 0.1.0
 */
export const IntegrationCategory = OpenEnum("payment", "tax", "accounting", "crm")
/**
 * @category schemas
 * @since 0.1.0
 */
export type IntegrationCategory = typeof IntegrationCategory.Type

const IntegrationCustomer_ = Schema.Struct({
  lago_id: Schema.String,
  /** Null for integrations the server cannot name: Avalara on Lago v1.26.0 to v1.51.0. */
  type: NullableOpenEnum(IntegrationType),
  integration_code: NullableString,
  external_customer_id: NullableString,
  /** Present only when stored in the integration's settings. */
  sync_with_provider: optionalKey(NullableBoolean),
  /** NetSuite only. */
  subsidiary_id: optionalKey(NullableString),
  /** HubSpot only. */
  targeted_object: optionalKey(NullableString),
  /** HubSpot only. */
  email: optionalKey(NullableString),
  /** Not in the spec. Absent before Lago's release after v1.51.0. */
  code: optionalKey(NullableString),
  /** Not in the spec. Absent before Lago's release after v1.51.0. */
  is_default: optionalKey(Schema.Boolean),
  /**
   * Not in the spec. Absent before Lago's release after v1.51.0, and null for integration
   * customers created before it (unless the server's operator backfilled them).
   */
  category: optionalKey(NullableOpenEnum(IntegrationCategory))
})

/**
 * A link between a customer and an integration (NetSuite, Anrok, ...).
 *
 * @category schemas
 * @since 0.1.0
 */
export interface IntegrationCustomer extends Schema.Schema.Type<typeof IntegrationCustomer_> {}
/**
 * The wire form of `IntegrationCustomer`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface IntegrationCustomerEncoded extends Schema.Schema.Encoded<typeof IntegrationCustomer_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const IntegrationCustomer: Schema.Schema<IntegrationCustomer, IntegrationCustomerEncoded> = IntegrationCustomer_
  .annotations({ identifier: "IntegrationCustomer" })

const Tax_ = Schema.Struct({
  lago_id: Schema.String,
  name: Schema.String,
  code: Schema.String,
  rate: Schema.Finite,
  description: optionalKey(NullableString),
  /** @deprecated Lago deprecated this flag. */
  applied_to_organization: Schema.Boolean,
  created_at: Timestamp,
  // Server-only counters, always 0 in this payload.
  add_ons_count: optionalKey(Schema.Int),
  customers_count: optionalKey(Schema.Int),
  plans_count: optionalKey(Schema.Int),
  charges_count: optionalKey(Schema.Int),
  commitments_count: optionalKey(Schema.Int)
})

/**
 * A tax applied to the customer. `rate` is a percentage, as a JSON number.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface Tax extends Schema.Schema.Type<typeof Tax_> {}
/**
 * The wire form of `Tax`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface TaxEncoded extends Schema.Schema.Encoded<typeof Tax_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const Tax: Schema.Schema<Tax, TaxEncoded> = Tax_.annotations({ identifier: "Tax" })

const InvoiceCustomSection_ = Schema.Struct({
  lago_id: Schema.String,
  name: Schema.String,
  code: Schema.String,
  description: optionalKey(NullableString),
  details: optionalKey(NullableString),
  display_name: optionalKey(NullableString),
  applied_to_organization: optionalKey(Schema.Boolean),
  organization_id: optionalKey(NullableString),
  created_at: optionalKey(Timestamp)
})

/**
 * An invoice custom section that applies to the customer.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface InvoiceCustomSection extends Schema.Schema.Type<typeof InvoiceCustomSection_> {}
/**
 * The wire form of `InvoiceCustomSection`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface InvoiceCustomSectionEncoded extends Schema.Schema.Encoded<typeof InvoiceCustomSection_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const InvoiceCustomSection: Schema.Schema<InvoiceCustomSection, InvoiceCustomSectionEncoded> =
  InvoiceCustomSection_.annotations({ identifier: "InvoiceCustomSection" })

const ErrorDetail_ = Schema.Struct({
  lago_id: NullableString,
  error_code: OpenEnum("not_provided", "tax_error", "tax_voiding_error", "invoice_generation_error"),
  // The spec says string values; the server sends other JSON too.
  details: StringRecord(Json)
})

/**
 * An error recorded on the customer, e.g. a failed tax sync.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ErrorDetail extends Schema.Schema.Type<typeof ErrorDetail_> {}
/**
 * The wire form of `ErrorDetail`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface ErrorDetailEncoded extends Schema.Schema.Encoded<typeof ErrorDetail_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const ErrorDetail: Schema.Schema<ErrorDetail, ErrorDetailEncoded> = ErrorDetail_.annotations({
  identifier: "ErrorDetail"
})

const Customer_ = Schema.Struct({
  lago_id: Schema.String,
  /** Absent before Lago v1.25.0. */
  billing_entity_code: optionalKey(NullableString),
  external_id: Schema.String,
  /** Absent before Lago v1.19.0. */
  account_type: optionalKey(AccountType),
  name: NullableString,
  /** Absent before Lago v1.11.0. */
  firstname: optionalKey(NullableString),
  /** Absent before Lago v1.11.0. */
  lastname: optionalKey(NullableString),
  /** Absent before Lago v1.11.0. */
  customer_type: optionalKey(NullableOpenEnum(CustomerType)),
  sequential_id: Schema.Int,
  slug: Schema.String,
  created_at: Timestamp,
  updated_at: Timestamp,
  country: NullableString,
  address_line1: NullableString,
  address_line2: NullableString,
  state: NullableString,
  zipcode: NullableString,
  email: NullableString,
  city: NullableString,
  url: NullableString,
  phone: NullableString,
  logo_url: NullableString,
  legal_name: NullableString,
  legal_number: NullableString,
  currency: NullableString,
  tax_identification_number: NullableString,
  timezone: NullableString,
  applicable_timezone: Schema.String,
  net_payment_term: NullableInt,
  /** Not in the spec; always sent by Lago. */
  external_salesforce_id: optionalKey(NullableString),
  /** Absent before Lago v1.10.0. */
  finalize_zero_amount_invoice: optionalKey(FinalizeZeroAmountInvoice),
  billing_configuration: BillingConfiguration,
  shipping_address: Address,
  /** Absent before Lago v1.18.0. */
  skip_invoice_custom_sections: optionalKey(Schema.Boolean),
  metadata: Schema.Array(CustomerMetadata),
  taxes: Schema.Array(Tax),
  /** Absent from `GET /customers` items before Lago v1.17.0. */
  integration_customers: optionalKey(Schema.Array(IntegrationCustomer)),
  /** Never in `GET /customers` items; absent before Lago v1.18.0. */
  applicable_invoice_custom_sections: optionalKey(Schema.Array(InvoiceCustomSection)),
  /** Never in `GET /customers` items; absent before Lago v1.44.0. */
  error_details: optionalKey(Schema.Array(ErrorDetail))
})

/**
 * A Lago customer (`CustomerObjectExtended` in Lago's spec). Timestamps are `DateTime.Utc`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface Customer extends Schema.Schema.Type<typeof Customer_> {}
/**
 * The wire form of `Customer`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerEncoded extends Schema.Schema.Encoded<typeof Customer_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const Customer: Schema.Schema<Customer, CustomerEncoded> = Customer_.annotations({ identifier: "Customer" })

/**
 * The envelope of a single customer: `{"customer": {...}}`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CustomerResponse = Schema.Struct({ customer: Customer }).annotations({ identifier: "CustomerResponse" })
/**
 * @category schemas
 * @since 0.1.0
 */
export type CustomerResponse = typeof CustomerResponse.Type
