/**
 * An in-memory Lago organization with the customers semantics of the real server
 * (contract §2, §4): upsert by `external_id` with partial updates, soft delete, newest-first
 * pages with Lago's `meta`, list filters, current usage per subscription, applied coupons
 * and portal URLs. `LagoClientTest` and `LagoFake` both serve it.
 *
 * @since 0.1.0
 */
import type { CustomersQuery } from "@lago-effect/client"
import type { AppliedCoupon, CustomerInput, CustomersPage, CustomerUsage } from "@lago-effect/core"
import type { Customer } from "@lago-effect/core"
import { Clock, Context, Data, DateTime, Effect, Layer } from "effect"
import * as Builders from "./Builders.js"

/**
 * A failure as Lago would answer it: the status and the JSON error body.
 *
 * @since 0.1.0
 */
export class LagoStoreFailure extends Data.TaggedError("LagoStoreFailure")<{
  readonly status: number
  readonly body: {
    readonly status: number
    readonly error: string
    readonly code?: string
    readonly error_details?: Record<string, unknown>
  }
}> {}

/** @since 0.1.0 */
export const notFound = (resource: string) =>
  new LagoStoreFailure({ status: 404, body: { status: 404, error: "Not Found", code: `${resource}_not_found` } })

/** @since 0.1.0 */
export const validationFailure = (details: Record<string, unknown>) =>
  new LagoStoreFailure({
    status: 422,
    body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: details }
  })

/** @since 0.1.0 */
export const notAllowed = (code: string) =>
  new LagoStoreFailure({ status: 405, body: { status: 405, error: "Method Not Allowed", code } })

/** @since 0.1.0 */
export const badRequest = (message: string) =>
  new LagoStoreFailure({ status: 400, body: { status: 400, error: `BadRequest: ${message}` } })

/** @since 0.1.0 */
export const internalError = () =>
  new LagoStoreFailure({ status: 500, body: { status: 500, error: "Internal Server Error" } })

/**
 * What a store starts with.
 *
 * @since 0.1.0
 */
export interface Seed {
  /** Customers to create, oldest first (inputs), or a number of generated customers. */
  readonly customers?: ReadonlyArray<CustomerInput.CustomerInput> | number
  /** Current usage per customer and subscription. */
  readonly usage?: ReadonlyArray<{
    readonly external_customer_id: string
    readonly external_subscription_id: string
    readonly usage: CustomerUsage.CustomerUsage
  }>
  /** Applied coupons (their `external_customer_id` names the customer). */
  readonly appliedCoupons?: ReadonlyArray<AppliedCoupon.AppliedCoupon>
  /** Taxes that `tax_codes` may name. */
  readonly taxes?: ReadonlyArray<Customer.Tax>
  /** Billing entity codes; default `["default"]`. */
  readonly billingEntities?: ReadonlyArray<string>
  /** Invoice custom sections that `invoice_custom_section_codes` may name. */
  readonly invoiceCustomSections?: ReadonlyArray<Customer.InvoiceCustomSection>
  /** The front URL of portal links. Default `https://app.getlago.com`. */
  readonly frontUrl?: string
}

/**
 * The store's operations. Each runs atomically (no yield point inside).
 *
 * @since 0.1.0
 */
export interface LagoStoreService {
  readonly upsert: (input: CustomerInput.CustomerInput) => Effect.Effect<Customer.Customer, LagoStoreFailure>
  readonly find: (externalId: string) => Effect.Effect<Customer.Customer, LagoStoreFailure>
  readonly destroy: (externalId: string) => Effect.Effect<Customer.Customer, LagoStoreFailure>
  readonly list: (query: CustomersQuery.FindAllQuery) => Effect.Effect<CustomersPage.CustomersPage, LagoStoreFailure>
  readonly currentUsage: (
    externalId: string,
    query: CustomersQuery.CurrentUsageQuery
  ) => Effect.Effect<CustomerUsage.CustomerUsage, LagoStoreFailure>
  readonly portalUrl: (externalId: string) => Effect.Effect<string, LagoStoreFailure>
  readonly deleteAppliedCoupon: (
    externalId: string,
    appliedCouponId: string
  ) => Effect.Effect<AppliedCoupon.AppliedCoupon, LagoStoreFailure>

  /** Every kept customer, newest first (Lago's list order). */
  readonly customers: Effect.Effect<ReadonlyArray<Customer.Customer>>
  /** Customers deleted so far, in deletion order. */
  readonly deleted: Effect.Effect<ReadonlyArray<Customer.Customer>>
  /** Every applied coupon. */
  readonly appliedCoupons: Effect.Effect<ReadonlyArray<AppliedCoupon.AppliedCoupon>>
  /** Puts a customer in as given, replacing the kept one with its `external_id`. */
  readonly put: (customer: Customer.Customer) => Effect.Effect<void>
  /**
   * Sets the current usage of a customer's subscription; `null` ends the subscription. The
   * usage is served exactly as set; only a call that asks for part of it (a charge filter,
   * `apply_taxes: false`) gets amounts recomputed from its charges.
   */
  readonly setUsage: (
    externalCustomerId: string,
    externalSubscriptionId: string,
    usage: CustomerUsage.CustomerUsage | null
  ) => Effect.Effect<void>
  /** Adds (or replaces, by `lago_id`) an applied coupon. */
  readonly putAppliedCoupon: (coupon: AppliedCoupon.AppliedCoupon) => Effect.Effect<void>
  /** Adds taxes that inputs may name in `tax_codes`. */
  readonly putTaxes: (taxes: ReadonlyArray<Customer.Tax>) => Effect.Effect<void>
  /** Empties the store, then applies the seed. */
  readonly reset: (seed?: Seed) => Effect.Effect<void>
}

/**
 * The store service.
 *
 * @since 0.1.0
 */
export class LagoStore extends Context.Tag("@lago-effect/testing/LagoStore")<LagoStore, LagoStoreService>() {}

const paymentProvidersWithCustomerId = new Set(["stripe", "gocardless", "cashfree", "adyen", "moneyhash"])
const documentLocales = new Set(["en", "fr", "nb", "de", "it", "es", "sv", "pt-BR", "zh-TW"])
const searchable = ["name", "firstname", "lastname", "legal_name", "external_id", "email"] as const

/** Keys of an input that the caller set: `undefined` means absent. */
const has = (input: object, key: PropertyKey): boolean =>
  Object.prototype.hasOwnProperty.call(input, key) && Reflect.get(input, key) !== undefined

/** A kept customer and its place in creation order. */
interface Kept {
  readonly customer: Customer.Customer
  /** Creation order: Lago's timestamps have microseconds, so creation order is total there too. */
  readonly sequence: number
}

/** Lago's list order: newest first by creation time; creation order within the same second. */
const compareNewestFirst = (a: Kept, b: Kept) => {
  const byTime = DateTime.toEpochMillis(b.customer.created_at) - DateTime.toEpochMillis(a.customer.created_at)
  return byTime !== 0 ? byTime : b.sequence - a.sequence
}

/** What an integration is for, by type, as Lago derives it; `okta` has none. */
const categoryByType: Readonly<Record<string, Customer.IntegrationCategory>> = {
  anrok: "tax",
  avalara: "tax",
  netsuite: "accounting",
  xero: "accounting",
  hubspot: "crm",
  salesforce: "crm"
}

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
  if (
    typeof input.customer_type === "string" && !["company", "individual"].includes(input.customer_type)
  ) add("customer_type", "value_is_invalid")
  if (typeof input.account_type === "string" && !["customer", "partner"].includes(input.account_type)) {
    add("account_type", "value_is_invalid")
  }
  if (
    typeof input.finalize_zero_amount_invoice === "string" &&
    !["inherit", "skip", "finalize"].includes(input.finalize_zero_amount_invoice)
  ) add("finalize_zero_amount_invoice", "invalid_value")
  const locale = input.billing_configuration?.document_locale
  if (typeof locale === "string" && !documentLocales.has(locale)) add("document_locale", "not_a_valid_language_code")
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

/**
 * Makes an empty store, then applies the seed.
 *
 * @since 0.1.0
 */
export const make = (seed: Seed = {}): Effect.Effect<LagoStoreService> =>
  Effect.gen(function*() {
    let kept = new Map<string, Kept>()
    let creations = 0
    let deleted: Array<Customer.Customer> = []
    let sequence = 0
    let ids = 0
    let usage = new Map<string, Map<string, CustomerUsage.CustomerUsage>>()
    let coupons = new Map<string, AppliedCoupon.AppliedCoupon>()
    let taxes = new Map<string, Customer.Tax>()
    let billingEntities = new Set<string>(["default"])
    let sections = new Map<string, Customer.InvoiceCustomSection>()
    let frontUrl = "https://app.getlago.com"
    let portalTokens = 0

    const nextId = (namespace: number) => Builders.uuid(++ids, namespace)

    const applyUpsert = (input: CustomerInput.CustomerInput, now: DateTime.Utc) => {
      const errors = validate(input)
      if (Object.keys(errors).length > 0) return validationFailure(errors)
      const entity = input.billing_entity_code
      if (typeof entity === "string" && !billingEntities.has(entity)) return notFound("billing_entity")
      const unknownTax = (input.tax_codes ?? []).find((code) => !taxes.has(code))
      if (unknownTax !== undefined) return notFound("tax")
      const existing = kept.get(input.external_id)?.customer
      const base = existing ?? Builders.customer({
        lago_id: nextId(1),
        sequential_id: ++sequence,
        slug: `LAG-0001-${String(sequence).padStart(3, "0")}`,
        external_id: input.external_id,
        name: null,
        billing_entity_code: "default",
        created_at: now,
        updated_at: now
      })
      const next: { -readonly [K in keyof Customer.Customer]: Customer.Customer[K] } = { ...base, updated_at: now }
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
      if (input.billing_configuration !== undefined) {
        const { sync: _sync, ...written } = input.billing_configuration
        const config: Record<string, unknown> = { ...next.billing_configuration }
        for (const [key, value] of Object.entries(written)) {
          if (value !== undefined) config[key] = value
        }
        // Lago emits provider_customer_id only for some providers, and payment methods only for Stripe.
        const provider = config.payment_provider
        const keepsCustomerId = typeof provider === "string" && paymentProvidersWithCustomerId.has(provider)
        const { provider_customer_id, provider_payment_methods, ...rest } = config
        next.billing_configuration = {
          ...emptyBillingFrom(rest),
          ...(keepsCustomerId ? { provider_customer_id: stringOrNull(provider_customer_id) } : {}),
          ...(provider === "stripe"
            ? { provider_payment_methods: stringArrayOrNull(provider_payment_methods) ?? ["card"] }
            : {})
        }
      }
      if (input.metadata !== undefined) {
        const previous = new Map(next.metadata.map((item) => [item.lago_id, item]))
        const metadata = input.metadata.map((item) => {
          const current = item.id === undefined ? undefined : previous.get(item.id)
          return {
            lago_id: current?.lago_id ?? nextId(6),
            key: item.key,
            value: item.value,
            display_in_invoice: item.display_in_invoice ?? current?.display_in_invoice ?? false,
            created_at: current?.created_at ?? now
          }
        })
        if (new Set(metadata.map((m) => m.key)).size !== metadata.length) {
          return validationFailure({ key: ["value_already_exist"] })
        }
        next.metadata = metadata
      }
      if (input.tax_codes !== undefined) {
        next.taxes = input.tax_codes.flatMap((code) => {
          const tax = taxes.get(code)
          return tax === undefined ? [] : [tax]
        })
      }
      if (input.integration_customers !== undefined) {
        const categories = new Set<string | null>()
        next.integration_customers = input.integration_customers.map((item) => {
          const type = item.integration_type ?? "netsuite"
          const category = categoryByType[type] ?? null
          // The first connection of a category is its default.
          const isDefault = !categories.has(category)
          categories.add(category)
          return {
            lago_id: item.id ?? nextId(7),
            // Lago's serializer names the types it knows; others (okta) come back null.
            type: type in categoryByType ? type : null,
            integration_code: item.integration_code ?? item.code ?? null,
            external_customer_id: item.external_customer_id ?? null,
            ...(item.sync_with_provider === undefined ? {} : { sync_with_provider: item.sync_with_provider }),
            ...(type === "netsuite" && item.subsidiary_id !== undefined ? { subsidiary_id: item.subsidiary_id } : {}),
            ...(type === "hubspot" && item.targeted_object !== undefined
              ? { targeted_object: item.targeted_object }
              : {}),
            code: item.code ?? item.integration_code ?? null,
            is_default: isDefault,
            category
          }
        })
      }
      if (input.invoice_custom_section_codes !== undefined) {
        next.applicable_invoice_custom_sections = input.invoice_custom_section_codes.flatMap((code) => {
          const section = sections.get(code)
          return section === undefined ? [] : [section]
        })
      }
      if (next.skip_invoice_custom_sections) next.applicable_invoice_custom_sections = []
      kept.set(next.external_id, { customer: next, sequence: kept.get(next.external_id)?.sequence ?? ++creations })
      return next
    }

    const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.unsafeMake(Math.floor(millis / 1000) * 1000))

    const find = (externalId: string) =>
      Effect.suspend(() => {
        const found = kept.get(externalId)
        return found === undefined ? Effect.fail(notFound("customer")) : Effect.succeed(found.customer)
      })

    const sorted = () => Array.from(kept.values()).sort(compareNewestFirst).map((entry) => entry.customer)

    const matches = (customer: Customer.Customer, query: CustomersQuery.FindAllQuery): boolean => {
      if (query.external_id !== undefined) {
        if (customer.external_id !== query.external_id) return false
      } else if (query.search_term !== undefined && query.search_term !== "") {
        const term = query.search_term.toLowerCase()
        if (!searchable.some((field) => (customer[field] ?? "").toLowerCase().includes(term))) return false
      }
      const within = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
        values === undefined || values.length === 0 || values.includes(value)
      if (!within(query.account_type, customer.account_type)) return false
      if (!within(query.billing_entity_codes, customer.billing_entity_code)) return false
      if (!within(query.countries, customer.country)) return false
      if (!within(query.states, customer.state)) return false
      if (!within(query.zipcodes, customer.zipcode)) return false
      if (!within(query.currencies, customer.currency)) return false
      const hasTin = query.has_tax_identification_number
      if (hasTin !== undefined && hasTin !== (customer.tax_identification_number !== null)) return false
      if (query.customer_type !== undefined && customer.customer_type !== query.customer_type) return false
      const hasType = query.has_customer_type
      if (hasType !== undefined && hasType !== (customer.customer_type !== null)) return false
      for (const [key, value] of Object.entries(query.metadata ?? {})) {
        const item = customer.metadata.find((m) => m.key === key)
        if (value === "" ? item !== undefined : item?.value !== value) return false
      }
      return true
    }

    const listItem = (customer: Customer.Customer): Customer.Customer => {
      const { applicable_invoice_custom_sections: _, error_details: __, ...item } = customer
      return item
    }

    const reset = (next: Seed = {}) =>
      Effect.gen(function*() {
        kept = new Map()
        creations = 0
        deleted = []
        sequence = 0
        ids = 0
        usage = new Map()
        coupons = new Map()
        taxes = new Map((next.taxes ?? []).map((tax) => [tax.code, tax]))
        billingEntities = new Set(next.billingEntities ?? ["default"])
        sections = new Map((next.invoiceCustomSections ?? []).map((s) => [s.code, s]))
        frontUrl = next.frontUrl ?? "https://app.getlago.com"
        portalTokens = 0
        const inputs = typeof next.customers === "number"
          ? Array.from(
            { length: next.customers },
            (_, i) => Builders.customerInput({ external_id: `customer_${i + 1}`, name: `Customer ${i + 1}` })
          )
          : next.customers ?? []
        // Seeded customers are one second apart, oldest first, ending now.
        const end = yield* now
        for (const [i, input] of inputs.entries()) {
          const at = DateTime.subtract(end, { seconds: inputs.length - 1 - i })
          const result = applyUpsert(input, at)
          if (result instanceof LagoStoreFailure) {
            return yield* Effect.dieMessage(
              `invalid seed customer ${input.external_id}: ${JSON.stringify(result.body)}`
            )
          }
        }
        for (const entry of next.usage ?? []) {
          const bySubscription = usage.get(entry.external_customer_id) ?? new Map()
          bySubscription.set(entry.external_subscription_id, entry.usage)
          usage.set(entry.external_customer_id, bySubscription)
        }
        for (const coupon of next.appliedCoupons ?? []) coupons.set(coupon.lago_id, coupon)
      })

    yield* reset(seed)

    const service: LagoStoreService = {
      upsert: (input) =>
        Effect.flatMap(now, (at) => {
          const result = applyUpsert(input, at)
          return result instanceof LagoStoreFailure ? Effect.fail(result) : Effect.succeed(result)
        }),
      find,
      destroy: (externalId) =>
        Effect.map(find(externalId), (customer) => {
          kept.delete(externalId)
          deleted.push(customer)
          return customer
        }),
      list: (query) =>
        Effect.suspend(() => {
          const unknownEntity = (query.billing_entity_codes ?? []).find((code) => !billingEntities.has(code))
          if (unknownEntity !== undefined) return Effect.fail(notFound("billing_entity"))
          if (query.customer_type !== undefined && query.has_customer_type === false) {
            return Effect.fail(
              validationFailure({ customer_type: ["must be nil when has_customer_type is false"] })
            )
          }
          const perPage = query.per_page ?? 100
          if (perPage <= 0) return Effect.fail(internalError())
          const page = Math.max(1, query.page ?? 1)
          const all = sorted().filter((customer) => matches(customer, query))
          const totalPages = Math.ceil(all.length / perPage)
          return Effect.succeed({
            customers: all.slice((page - 1) * perPage, page * perPage).map(listItem),
            meta: {
              current_page: all.length === 0 ? 0 : page,
              next_page: page < totalPages ? page + 1 : null,
              prev_page: page > 1 && all.length > 0 ? page - 1 : null,
              total_pages: totalPages,
              total_count: all.length
            }
          })
        }),
      currentUsage: (externalId, query) =>
        Effect.suspend(() => {
          // The server's class-level rescue turns an unknown customer into resource_not_found (§2.5).
          if (!kept.has(externalId)) return Effect.fail(notFound("resource"))
          const found = usage.get(externalId)?.get(query.external_subscription_id)
          if (found === undefined) return Effect.fail(notAllowed("no_active_subscription"))
          if (query.full_usage === true) return Effect.fail(notAllowed("full_usage_not_allowed"))
          const filtered = found.charges_usage.filter((charge) =>
            (query.charge_id === undefined || charge.charge.lago_id === query.charge_id) &&
            (query.charge_code === undefined || charge.charge.code === query.charge_code) &&
            (query.billable_metric_code === undefined || charge.billable_metric.code === query.billable_metric_code)
          )
          const filtering = query.charge_id !== undefined || query.charge_code !== undefined ||
            query.billable_metric_code !== undefined
          if (filtering && filtered.length === 0) return Effect.fail(notFound("charge"))
          // What the test set is served as it is; only a subset of charges, or no taxes, is recomputed.
          if (!filtering && query.apply_taxes !== false) return Effect.succeed(found)
          const amount = filtering ? filtered.reduce((sum, c) => sum + c.amount_cents, 0) : found.amount_cents
          const taxesAmount = query.apply_taxes === false
            ? 0
            : Math.round(amount * found.taxes_amount_cents / Math.max(1, found.amount_cents))
          return Effect.succeed({
            ...found,
            amount_cents: amount,
            taxes_amount_cents: taxesAmount,
            total_amount_cents: amount + taxesAmount,
            charges_usage: filtered
          })
        }),
      portalUrl: (externalId) =>
        Effect.map(find(externalId), (customer) => {
          portalTokens++
          const token = `${customer.lago_id.replace(/-/g, "")}.${portalTokens.toString(16).padStart(8, "0")}`
          return `${frontUrl}/customer-portal/${token}`
        }),
      deleteAppliedCoupon: (externalId, appliedCouponId) =>
        Effect.flatMap(find(externalId), (customer) =>
          Effect.flatMap(now, (at) => {
            const coupon = coupons.get(appliedCouponId)
            if (coupon === undefined || coupon.external_customer_id !== customer.external_id) {
              return Effect.fail(notFound("applied_coupon"))
            }
            if (coupon.status === "terminated") return Effect.succeed(coupon)
            const terminated = { ...coupon, status: "terminated", terminated_at: at }
            coupons.set(coupon.lago_id, terminated)
            return Effect.succeed(terminated)
          })),
      customers: Effect.sync(sorted),
      deleted: Effect.sync(() => [...deleted]),
      appliedCoupons: Effect.sync(() => Array.from(coupons.values())),
      put: (customer) =>
        Effect.sync(() => {
          const sequence = kept.get(customer.external_id)?.sequence ?? ++creations
          kept.set(customer.external_id, { customer, sequence })
        }),
      setUsage: (externalCustomerId, externalSubscriptionId, value) =>
        Effect.sync(() => {
          const bySubscription = usage.get(externalCustomerId) ?? new Map()
          if (value === null) bySubscription.delete(externalSubscriptionId)
          else bySubscription.set(externalSubscriptionId, value)
          usage.set(externalCustomerId, bySubscription)
        }),
      putAppliedCoupon: (coupon) =>
        Effect.sync(() => {
          coupons.set(coupon.lago_id, coupon)
        }),
      putTaxes: (more) =>
        Effect.sync(() => {
          for (const tax of more) taxes.set(tax.code, tax)
        }),
      reset
    }
    return service
  })

const stringOrNull = (value: unknown): string | null => typeof value === "string" ? value : null

const stringArrayOrNull = (value: unknown): ReadonlyArray<string> | null | undefined =>
  value === null
    ? null
    : Array.isArray(value) && value.every((item) => typeof item === "string")
    ? value
    : undefined

const emptyBillingFrom = (config: Record<string, unknown>): Customer.BillingConfiguration => ({
  invoice_grace_period: typeof config.invoice_grace_period === "number" ? config.invoice_grace_period : null,
  payment_provider: stringOrNull(config.payment_provider),
  payment_provider_code: stringOrNull(config.payment_provider_code),
  document_locale: stringOrNull(config.document_locale),
  subscription_invoice_issuing_date_anchor: stringOrNull(config.subscription_invoice_issuing_date_anchor),
  subscription_invoice_issuing_date_adjustment: stringOrNull(config.subscription_invoice_issuing_date_adjustment),
  ...(typeof config.sync_with_provider === "boolean" ? { sync_with_provider: config.sync_with_provider } : {})
})

/**
 * A layer of a store with the given seed.
 *
 * @since 0.1.0
 */
export const layer = (seed?: Seed): Layer.Layer<LagoStore> => Layer.effect(LagoStore, make(seed))
