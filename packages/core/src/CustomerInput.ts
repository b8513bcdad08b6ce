/**
 * What `POST /customers` accepts. The call is an upsert keyed on
 * `external_id`, with partial-update semantics:
 *
 * - a key left out (or set to `undefined`) is not sent, and Lago leaves the field untouched;
 * - a key set to `null` is sent as `null`, and Lago clears the field;
 * - `metadata`, when sent, replaces the customer's metadata: items with `id` are updated,
 *   items without are created, and every other existing item is deleted;
 * - `tax_codes`, when sent, replaces the customer's taxes.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import {
  AccountType,
  CustomerType,
  DocumentLocale,
  FinalizeZeroAmountInvoice,
  IntegrationType,
  InvoiceIssuingDateAdjustment,
  InvoiceIssuingDateAnchor,
  PaymentProvider,
  ProviderPaymentMethod
} from "./Customer.js"
import { ExternalId, invalidReason } from "./ExternalId.js"
import { inputKey, Nullable, NullableOpenEnum, NullableString } from "./internal/schemas.js"
import { LagoInvalidInputError } from "./LagoError.js"

const BillingConfigurationInput_ = Schema.Struct({
  invoice_grace_period: inputKey(Nullable(Schema.NonNegativeInt)),
  payment_provider: inputKey(NullableOpenEnum(PaymentProvider)),
  payment_provider_code: inputKey(NullableString),
  provider_customer_id: inputKey(NullableString),
  /** Create the customer at the payment provider synchronously. Never returned. */
  sync: inputKey(Schema.Boolean),
  sync_with_provider: inputKey(Schema.Boolean),
  document_locale: inputKey(NullableOpenEnum(DocumentLocale)),
  provider_payment_methods: inputKey(Nullable(Schema.Array(ProviderPaymentMethod))),
  subscription_invoice_issuing_date_anchor: inputKey(NullableOpenEnum(InvoiceIssuingDateAnchor)),
  subscription_invoice_issuing_date_adjustment: inputKey(NullableOpenEnum(InvoiceIssuingDateAdjustment))
})

/**
 * The billing configuration to write. `invoice_grace_period` and `timezone` need a
 * premium licence; without one Lago ignores them silently.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface BillingConfigurationInput extends Schema.Schema.Type<typeof BillingConfigurationInput_> {}
/**
 * The wire form of `BillingConfigurationInput`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface BillingConfigurationInputEncoded extends Schema.Schema.Encoded<typeof BillingConfigurationInput_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const BillingConfigurationInput: Schema.Schema<BillingConfigurationInput, BillingConfigurationInputEncoded> =
  BillingConfigurationInput_.annotations({ identifier: "BillingConfigurationInput" })

const AddressInput_ = Schema.Struct({
  address_line1: inputKey(NullableString),
  address_line2: inputKey(NullableString),
  city: inputKey(NullableString),
  zipcode: inputKey(NullableString),
  state: inputKey(NullableString),
  country: inputKey(NullableString)
})

/**
 * A shipping address to write; each key is updated on its own.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AddressInput extends Schema.Schema.Type<typeof AddressInput_> {}
/**
 * The wire form of `AddressInput`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface AddressInputEncoded extends Schema.Schema.Encoded<typeof AddressInput_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const AddressInput: Schema.Schema<AddressInput, AddressInputEncoded> = AddressInput_.annotations({
  identifier: "AddressInput"
})

const MetadataInput_ = Schema.Struct({
  /** The `lago_id` of an existing pair, to update it instead of creating a new one. */
  id: inputKey(Schema.String),
  key: Schema.String.pipe(Schema.maxLength(20)),
  value: Schema.String.pipe(Schema.maxLength(100)),
  display_in_invoice: inputKey(Schema.Boolean)
})

/**
 * A metadata pair to write. Send the existing pair's `lago_id` as `id` to update it:
 * re-sending an existing key without its id makes Lago answer 422.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface MetadataInput extends Schema.Schema.Type<typeof MetadataInput_> {}
/**
 * The wire form of `MetadataInput`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface MetadataInputEncoded extends Schema.Schema.Encoded<typeof MetadataInput_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const MetadataInput: Schema.Schema<MetadataInput, MetadataInputEncoded> = MetadataInput_.annotations({
  identifier: "MetadataInput"
})

const IntegrationCustomerInput_ = Schema.Struct({
  id: inputKey(Schema.String),
  integration_type: inputKey(IntegrationType),
  integration_code: inputKey(Schema.String),
  code: inputKey(Schema.String),
  external_customer_id: inputKey(NullableString),
  sync_with_provider: inputKey(Schema.Boolean),
  subsidiary_id: inputKey(NullableString),
  targeted_object: inputKey(NullableString)
})

/**
 * A link to an integration to write. Lago takes at most one per `integration_type`.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface IntegrationCustomerInput extends Schema.Schema.Type<typeof IntegrationCustomerInput_> {}
/**
 * The wire form of `IntegrationCustomerInput`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface IntegrationCustomerInputEncoded extends Schema.Schema.Encoded<typeof IntegrationCustomerInput_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const IntegrationCustomerInput: Schema.Schema<IntegrationCustomerInput, IntegrationCustomerInputEncoded> =
  IntegrationCustomerInput_.annotations({ identifier: "IntegrationCustomerInput" })

const CustomerInput_ = Schema.Struct({
  /** The upsert key: the same rule as every id in a path (not blank, `.` or `..`). */
  external_id: ExternalId,
  billing_entity_code: inputKey(NullableString),
  name: inputKey(Nullable(Schema.String.pipe(Schema.maxLength(255)))),
  firstname: inputKey(NullableString),
  lastname: inputKey(NullableString),
  customer_type: inputKey(NullableOpenEnum(CustomerType)),
  /** Applied only when the organization has revenue share enabled. */
  account_type: inputKey(NullableOpenEnum(AccountType)),
  email: inputKey(NullableString),
  address_line1: inputKey(NullableString),
  address_line2: inputKey(NullableString),
  city: inputKey(NullableString),
  state: inputKey(NullableString),
  zipcode: inputKey(NullableString),
  country: inputKey(NullableString),
  currency: inputKey(NullableString),
  legal_name: inputKey(NullableString),
  legal_number: inputKey(NullableString),
  tax_identification_number: inputKey(NullableString),
  logo_url: inputKey(NullableString),
  url: inputKey(NullableString),
  phone: inputKey(NullableString),
  /** Premium only; ignored silently otherwise. */
  timezone: inputKey(NullableString),
  net_payment_term: inputKey(Nullable(Schema.NonNegativeInt)),
  /** `null` means `inherit`. */
  finalize_zero_amount_invoice: inputKey(NullableOpenEnum(FinalizeZeroAmountInvoice)),
  external_salesforce_id: inputKey(NullableString),
  billing_configuration: inputKey(BillingConfigurationInput),
  shipping_address: inputKey(AddressInput),
  metadata: inputKey(Schema.Array(MetadataInput)),
  integration_customers: inputKey(Schema.Array(IntegrationCustomerInput)),
  tax_codes: inputKey(Schema.Array(Schema.String)),
  skip_invoice_custom_sections: inputKey(Schema.Boolean),
  invoice_custom_section_codes: inputKey(Schema.Array(Schema.String))
})

/**
 * The body of a create-or-update call. Only `external_id` is required.
 *
 * @example
 * ```ts
 * import { CustomerInput } from "@lago-effect/core"
 * import { Effect, ParseResult, Schema } from "effect"
 *
 * // {"external_id":"acme","name":"Acme","email":null}: email is cleared, the rest untouched
 * Schema.encodeSync(CustomerInput.CustomerInput)({ external_id: "acme", name: "Acme", email: null })
 * ```
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerInput extends Schema.Schema.Type<typeof CustomerInput_> {}
/**
 * The wire form of `CustomerInput`: what Lago sends, before decoding.
 *
 * @category schemas
 * @since 0.1.0
 */
export interface CustomerInputEncoded extends Schema.Schema.Encoded<typeof CustomerInput_> {}
/**
 * @category schemas
 * @since 0.1.0
 */
export const CustomerInput: Schema.Schema<CustomerInput, CustomerInputEncoded> = CustomerInput_.annotations({
  identifier: "CustomerInput"
})

/**
 * The request body of `POST /customers`: `{"customer": {...}}` (Lago does not wrap parameters).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CustomerCreateBody = Schema.Struct({ customer: CustomerInput }).annotations({
  identifier: "CustomerCreateBody"
})
/**
 * @category schemas
 * @since 0.1.0
 */
export type CustomerCreateBody = typeof CustomerCreateBody.Type

const encodeBody = Schema.encode(CustomerCreateBody)

/**
 * Encodes the body of an upsert, or fails with `LagoInvalidInputError` (a blank
 * `external_id`, a name over 255 characters, ...) so that nothing is sent.
 *
 * @category utils
 * @since 0.1.0
 */
export const encode = (
  operation: string
) =>
(input: CustomerInput): Effect.Effect<typeof CustomerCreateBody.Encoded, LagoInvalidInputError> => {
  const reason = typeof input.external_id === "string" ? invalidReason(input.external_id) : "must be a string"
  if (reason !== undefined) return Effect.fail(new LagoInvalidInputError({ operation, field: "external_id", reason }))
  return encodeBody({ customer: input }).pipe(
    Effect.mapError((error) =>
      new LagoInvalidInputError({
        operation,
        field: "customer",
        reason: ParseResult.TreeFormatter.formatErrorSync(error)
      })
    )
  )
}
