/**
 * The rules of `POST /customers`: an upsert keyed on `external_id` with Lago's validation,
 * partial updates (absent keys untouched, `null` clears), metadata replaced, taxes replaced,
 * integration customers with their category and default.
 */
import type { CustomerInput } from "@lago-effect/core"
import { Customer } from "@lago-effect/core"
import type { DateTime } from "effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import * as Builders from "../Builders.js"
import type { LagoStoreFailure } from "./failures.js"
import { notFound, validationFailure } from "./failures.js"
import type { State } from "./state.js"
import { keep } from "./state.js"

const paymentProvidersWithCustomerId = new Set(["stripe", "gocardless", "cashfree", "adyen", "moneyhash"])

/** What an integration is for, by type, as Lago derives it; `okta` has none. */
const categoryByType: Readonly<Record<string, Customer.IntegrationCategory>> = {
  anrok: "tax",
  avalara: "tax",
  netsuite: "accounting",
  xero: "accounting",
  hubspot: "crm",
  salesforce: "crm"
}

/** Keys of an input that the caller set: `undefined` means absent. */
const has = (input: object, key: PropertyKey): boolean =>
  Object.prototype.hasOwnProperty.call(input, key) && Reflect.get(input, key) !== undefined

const oneOf = (known: { readonly isKnown: (value: string) => boolean }, value: unknown) =>
  typeof value !== "string" || known.isKnown(value)

/** Lago's model validations, as `{field: [code, ...]}`. */
const validate = (input: CustomerInput.CustomerInput): Record<string, Array<string>> => {
  const errors: Record<string, Array<string>> = {}
  const add = (field: string, code: string) => (errors[field] ??= []).push(code)
  if (input.external_id.trim() === "") add("external_id", "value_is_mandatory")
  if (typeof input.currency === "string" && !/^[A-Z]{3}$/.test(input.currency)) add("currency", "value_is_invalid")
  if (typeof input.email === "string" && input.email !== "" && !/^[^@\s]+@[^@\s]+$/.test(input.email)) {
    add("email", "invalid_email_format")
  }
  if (typeof input.country === "string" && !/^[A-Za-z]{2}$/.test(input.country)) {
    add("country", "not_a_valid_country_code")
  }
  if (typeof input.name === "string" && input.name.length > 255) add("name", "value_is_too_long")
  if (typeof input.net_payment_term === "number" && input.net_payment_term < 0) {
    add("net_payment_term", "value_is_out_of_range")
  }
  if (!oneOf(Customer.CustomerType, input.customer_type)) add("customer_type", "value_is_invalid")
  if (!oneOf(Customer.AccountType, input.account_type)) add("account_type", "value_is_invalid")
  if (!oneOf(Customer.FinalizeZeroAmountInvoice, input.finalize_zero_amount_invoice)) {
    add("finalize_zero_amount_invoice", "invalid_value")
  }
  if (!oneOf(Customer.DocumentLocale, input.billing_configuration?.document_locale)) {
    add("document_locale", "not_a_valid_language_code")
  }
  const grace = input.billing_configuration?.invoice_grace_period
  if (typeof grace === "number" && grace < 0) add("invoice_grace_period", "value_is_out_of_range")
  if ((input.metadata?.length ?? 0) > 5) add("metadata", "invalid_count")
  const types = (input.integration_customers ?? []).map((i) => i.integration_type)
  if (new Set(types).size !== types.length) add("integration_customers", "invalid_count_per_integration_type")
  if (input.skip_invoice_custom_sections === true && (input.invoice_custom_section_codes?.length ?? 0) > 0) {
    add("invoice_custom_sections", "skip_sections_and_selected_ids_sent_together")
  }
  return errors
}

const scalars = [
  "name",
  "firstname",
  "lastname",
  "email",
  "address_line1",
  "address_line2",
  "city",
  "state",
  "zipcode",
  "currency",
  "legal_name",
  "legal_number",
  "tax_identification_number",
  "logo_url",
  "url",
  "phone",
  "timezone",
  "external_salesforce_id"
] as const

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The plain fields: absent keys untouched, `null` clears. */
const applyFields = (next: Mutable<Customer.Customer>, input: CustomerInput.CustomerInput) => {
  for (const key of scalars) {
    if (has(input, key)) next[key] = input[key] ?? null
  }
  if (has(input, "country")) next.country = input.country === null ? null : input.country?.toUpperCase() ?? null
  if (has(input, "customer_type")) next.customer_type = input.customer_type ?? null
  if (has(input, "account_type") && input.account_type != null) next.account_type = input.account_type
  if (has(input, "net_payment_term")) next.net_payment_term = input.net_payment_term ?? null
  if (has(input, "billing_entity_code")) next.billing_entity_code = input.billing_entity_code ?? "default"
  if (has(input, "finalize_zero_amount_invoice")) {
    next.finalize_zero_amount_invoice = input.finalize_zero_amount_invoice ?? "inherit"
  }
  if (has(input, "skip_invoice_custom_sections")) {
    next.skip_invoice_custom_sections = input.skip_invoice_custom_sections ?? false
  }
  next.applicable_timezone = next.timezone ?? "UTC"
  if (input.shipping_address !== undefined) {
    const address: Record<string, string | null | undefined> = { ...next.shipping_address }
    for (const [key, value] of Object.entries(input.shipping_address)) {
      if (typeof value === "string") address[key] = key === "country" ? value.toUpperCase() : value
      else if (value === null) address[key] = null
    }
    next.shipping_address = address
  }
}

const stringOrNull = (value: unknown): string | null => typeof value === "string" ? value : null

const stringArrayOrNull = (value: unknown): ReadonlyArray<string> | null | undefined =>
  value === null
    ? null
    : Array.isArray(value) && value.every((item) => typeof item === "string")
    ? value
    : undefined

/** The billing configuration: provider keys only for the providers that have them. */
const applyBilling = (next: Mutable<Customer.Customer>, input: CustomerInput.CustomerInput) => {
  if (input.billing_configuration === undefined) return
  const { sync: _sync, ...written } = input.billing_configuration
  const config: Record<string, unknown> = { ...next.billing_configuration }
  for (const [key, value] of Object.entries(written)) {
    if (value !== undefined) config[key] = value
  }
  const provider = config.payment_provider
  const keepsCustomerId = typeof provider === "string" && paymentProvidersWithCustomerId.has(provider)
  next.billing_configuration = {
    invoice_grace_period: typeof config.invoice_grace_period === "number" ? config.invoice_grace_period : null,
    payment_provider: stringOrNull(config.payment_provider),
    payment_provider_code: stringOrNull(config.payment_provider_code),
    document_locale: stringOrNull(config.document_locale),
    subscription_invoice_issuing_date_anchor: stringOrNull(config.subscription_invoice_issuing_date_anchor),
    subscription_invoice_issuing_date_adjustment: stringOrNull(config.subscription_invoice_issuing_date_adjustment),
    ...(typeof config.sync_with_provider === "boolean" ? { sync_with_provider: config.sync_with_provider } : {}),
    ...(keepsCustomerId ? { provider_customer_id: stringOrNull(config.provider_customer_id) } : {}),
    ...(provider === "stripe"
      ? { provider_payment_methods: stringArrayOrNull(config.provider_payment_methods) ?? ["card"] }
      : {})
  }
}

/** Integration customers: the first of a category is its default; unknown types come back null. */
const integrationCustomers = (
  items: ReadonlyArray<CustomerInput.IntegrationCustomerInput>,
  nextId: () => string
): ReadonlyArray<Customer.IntegrationCustomer> => {
  const categories = new Set<string | null>()
  return items.map((item) => {
    const type = item.integration_type ?? "netsuite"
    const category = categoryByType[type] ?? null
    const isDefault = !categories.has(category)
    categories.add(category)
    return {
      lago_id: item.id ?? nextId(),
      type: type in categoryByType ? type : null,
      integration_code: item.integration_code ?? item.code ?? null,
      external_customer_id: item.external_customer_id ?? null,
      ...(item.sync_with_provider === undefined ? {} : { sync_with_provider: item.sync_with_provider }),
      ...(type === "netsuite" && item.subsidiary_id !== undefined ? { subsidiary_id: item.subsidiary_id } : {}),
      ...(type === "hubspot" && item.targeted_object !== undefined ? { targeted_object: item.targeted_object } : {}),
      code: item.code ?? item.integration_code ?? null,
      is_default: isDefault,
      category
    }
  })
}

/**
 * Creates or updates the customer with the input's `external_id`, at time `now`. Pure: the
 * new state and the customer, or the failure Lago would answer.
 */
export const upsert = (
  state: State,
  input: CustomerInput.CustomerInput,
  now: DateTime.Utc
): Either.Either<readonly [Customer.Customer, State], LagoStoreFailure> => {
  const errors = validate(input)
  if (Object.keys(errors).length > 0) return Either.left(validationFailure(errors))
  const entity = input.billing_entity_code
  if (typeof entity === "string" && !HashSet.has(state.billingEntities, entity)) {
    return Either.left(notFound("billing_entity"))
  }
  const taxes = (input.tax_codes ?? []).map((code) => HashMap.get(state.taxes, code))
  if (taxes.some(Option.isNone)) return Either.left(notFound("tax"))
  let ids = state.ids
  const nextId = (namespace: number) => () => Builders.uuid(++ids, namespace)
  const existing = Option.map(HashMap.get(state.customers, input.external_id), (kept) => kept.customer)
  const sequence = state.creations + 1
  const base = Option.getOrElse(existing, () =>
    Builders.customer({
      lago_id: nextId(1)(),
      sequential_id: sequence,
      slug: `LAG-0001-${String(sequence).padStart(3, "0")}`,
      external_id: input.external_id,
      name: null,
      billing_entity_code: "default",
      created_at: now,
      updated_at: now
    }))
  const next: Mutable<Customer.Customer> = { ...base, updated_at: now }
  applyFields(next, input)
  applyBilling(next, input)
  if (input.metadata !== undefined) {
    const previous = new Map(next.metadata.map((item) => [item.lago_id, item]))
    const metadata = input.metadata.map((item) => {
      const current = item.id === undefined ? undefined : previous.get(item.id)
      return {
        lago_id: current?.lago_id ?? nextId(6)(),
        key: item.key,
        value: item.value,
        display_in_invoice: item.display_in_invoice ?? current?.display_in_invoice ?? false,
        created_at: current?.created_at ?? now
      }
    })
    if (new Set(metadata.map((m) => m.key)).size !== metadata.length) {
      return Either.left(validationFailure({ key: ["value_already_exist"] }))
    }
    next.metadata = metadata
  }
  if (input.tax_codes !== undefined) next.taxes = taxes.flatMap((tax) => Option.toArray(tax))
  if (input.integration_customers !== undefined) {
    next.integration_customers = integrationCustomers(input.integration_customers, nextId(7))
  }
  if (input.invoice_custom_section_codes !== undefined) {
    next.applicable_invoice_custom_sections = input.invoice_custom_section_codes.flatMap((code) =>
      Option.toArray(HashMap.get(state.sections, code))
    )
  }
  if (next.skip_invoice_custom_sections) next.applicable_invoice_custom_sections = []
  return Either.right([next, keep({ ...state, ids }, next)] as const)
}
