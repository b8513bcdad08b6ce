/**
 * An in-memory Lago organization with the customers semantics of the real server: upsert by
 * `external_id` with partial updates, soft delete, newest-first pages with Lago's `meta`, list
 * filters, current, projected and past usage per subscription, applied coupons, portal and
 * checkout URLs. `LagoClientTest` and `LagoFake` both serve it.
 *
 * @since 0.1.0
 */
import type { CustomersQuery } from "@lago-effect/client"
import type {
  AppliedCoupon,
  CheckoutUrl,
  Customer,
  CustomerInput,
  CustomersPage,
  CustomerUsage,
  PaginationMeta,
  ProjectedUsage
} from "@lago-effect/core"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import * as SortedSet from "effect/SortedSet"
import * as Builders from "./Builders.js"
import type { LagoStoreFailure } from "./internal/failures.js"
import { internalError, notFound, validationFailure } from "./internal/failures.js"
import { appliedCouponMatches, customerMatches } from "./internal/listFilters.js"
import type { State } from "./internal/state.js"
import { discard, empty, keep, usageKey } from "./internal/state.js"
import { upsert } from "./internal/upsert.js"
import * as Usage from "./internal/usage.js"

export {
  /**
   * A failure as Lago would answer it: the status and the JSON error body.
   *
   * @category models
   * @since 0.1.0
   */
  LagoStoreFailure
} from "./internal/failures.js"

/**
 * What a store starts with.
 *
 * @category models
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
  /** Past billing periods per customer and subscription. */
  readonly pastUsage?: ReadonlyArray<{
    readonly external_customer_id: string
    readonly external_subscription_id: string
    readonly periods: ReadonlyArray<CustomerUsage.CustomerUsage>
  }>
  /** Applied coupons (their `external_customer_id` names the customer), with their credits. */
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
 * The store's operations. Each is atomic: one `Ref.modify` of an immutable state.
 *
 * @category models
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
  readonly projectedUsage: (
    externalId: string,
    query: CustomersQuery.ProjectedUsageQuery
  ) => Effect.Effect<ProjectedUsage.ProjectedUsage, LagoStoreFailure>
  readonly pastUsage: (
    externalId: string,
    query: CustomersQuery.PastUsageQuery
  ) => Effect.Effect<CustomerUsage.PastUsagePage, LagoStoreFailure>
  readonly portalUrl: (externalId: string) => Effect.Effect<string, LagoStoreFailure>
  readonly checkoutUrl: (externalId: string) => Effect.Effect<CheckoutUrl.CheckoutUrl, LagoStoreFailure>
  readonly listAppliedCoupons: (
    externalId: string,
    query: CustomersQuery.AppliedCouponsQuery
  ) => Effect.Effect<AppliedCoupon.AppliedCouponsPage, LagoStoreFailure>
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
  /**
   * Sets the projected usage of a subscription with a current usage. Without one, the
   * projection is the current usage itself (projected figures equal to the current ones).
   */
  readonly setProjectedUsage: (
    externalCustomerId: string,
    externalSubscriptionId: string,
    usage: ProjectedUsage.ProjectedUsage | null
  ) => Effect.Effect<void>
  /** Sets the past billing periods of a subscription. */
  readonly setPastUsage: (
    externalCustomerId: string,
    externalSubscriptionId: string,
    periods: ReadonlyArray<CustomerUsage.CustomerUsage>
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
 * @category services
 * @since 0.1.0
 */
export class LagoStore extends Context.Tag("@lago-effect/testing/LagoStore")<LagoStore, LagoStoreService>() {}

/** Lago's `meta` for a page of `total` items: `current_page` 0 when there are none. */
const meta = (page: number, perPage: number, total: number): PaginationMeta.PaginationMeta => {
  const totalPages = Math.ceil(total / perPage)
  return {
    current_page: total === 0 ? 0 : page,
    next_page: page < totalPages ? page + 1 : null,
    prev_page: page > 1 && total > 0 ? page - 1 : null,
    total_pages: totalPages,
    total_count: total
  }
}

/** One page of the items that match, in the order given; `per_page` must be at least 1. */
const paginate = <A>(
  items: Iterable<A>,
  matches: (item: A) => boolean,
  pagination: CustomersQuery.Pagination
): Either.Either<
  { readonly items: ReadonlyArray<A>; readonly meta: PaginationMeta.PaginationMeta },
  LagoStoreFailure
> => {
  const perPage = pagination.per_page ?? 100
  // Kaminari divides by per_page: 0 makes Lago answer 500.
  if (perPage <= 0) return Either.left(internalError())
  const page = Math.max(1, pagination.page ?? 1)
  const from = (page - 1) * perPage
  const out: Array<A> = []
  let total = 0
  for (const item of items) {
    if (!matches(item)) continue
    if (total >= from && total < from + perPage) out.push(item)
    total++
  }
  return Either.right({ items: out, meta: meta(page, perPage, total) })
}

/** The time of a write: Lago writes timestamps with second precision. */
const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.unsafeMake(Math.floor(millis / 1000) * 1000))

const generatedCustomers = (count: number) =>
  Array.from(
    { length: count },
    (_, i) => Builders.customerInput({ external_id: `customer_${i + 1}`, name: `Customer ${i + 1}` })
  )

/** The state a seed describes; customers are seeded one second apart, ending at `end`. */
const seeded = (seed: Seed, end: DateTime.Utc): Either.Either<State, string> => {
  let state = empty(seed)
  const inputs = typeof seed.customers === "number" ? generatedCustomers(seed.customers) : seed.customers ?? []
  for (const [i, input] of inputs.entries()) {
    const result = upsert(state, input, DateTime.subtract(end, { seconds: inputs.length - 1 - i }))
    if (Either.isLeft(result)) {
      return Either.left(`invalid seed customer ${input.external_id}: ${JSON.stringify(result.left.body)}`)
    }
    state = result.right[1]
  }
  for (const entry of seed.usage ?? []) {
    state = Usage.setCurrent(state, entry.external_customer_id, entry.external_subscription_id, entry.usage)
  }
  for (const entry of seed.pastUsage ?? []) {
    state = Usage.setPast(state, entry.external_customer_id, entry.external_subscription_id, entry.periods)
  }
  for (const coupon of seed.appliedCoupons ?? []) state = putCoupon(state, coupon)
  return Either.right(state)
}

const putCoupon = (state: State, coupon: AppliedCoupon.AppliedCoupon): State => {
  const previous = HashMap.get(state.coupons, coupon.lago_id)
  const sequence = Option.match(previous, { onNone: () => HashMap.size(state.coupons) + 1, onSome: (p) => p.sequence })
  return { ...state, coupons: HashMap.set(state.coupons, coupon.lago_id, { coupon, sequence }) }
}

const findKept = (state: State, externalId: string) =>
  Either.fromOption(HashMap.get(state.customers, externalId), () => notFound("customer"))

/** The coupons of a customer, newest first (creation order within the same second). */
const couponsOf = (state: State, externalId: string) =>
  Array.from(HashMap.values(state.coupons))
    .filter((stored) => stored.coupon.external_customer_id === externalId)
    .sort((a, b) =>
      DateTime.toEpochMillis(b.coupon.created_at) - DateTime.toEpochMillis(a.coupon.created_at) ||
      b.sequence - a.sequence
    )
    .map((stored) => ({ ...stored.coupon, credits: stored.coupon.credits ?? [] }))

/**
 * Makes a store, then applies the seed.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (seed: Seed = {}): Effect.Effect<LagoStoreService> =>
  Effect.gen(function*() {
    const initial = seeded(seed, yield* now)
    if (Either.isLeft(initial)) return yield* Effect.dieMessage(initial.left)
    const ref = yield* Ref.make(initial.right)

    /** Reads the state; the result or Lago's failure. */
    const read = <A>(f: (state: State) => Either.Either<A, LagoStoreFailure>) =>
      Effect.flatMap(Ref.get(ref), (state) => f(state))
    /** Changes the state atomically; the result or Lago's failure (then the state stays). */
    const write = <A>(
      f: (state: State, at: DateTime.Utc) => Either.Either<readonly [A, State], LagoStoreFailure>
    ): Effect.Effect<A, LagoStoreFailure> =>
      Effect.flatMap(now, (at) =>
        Effect.flatMap(
          Ref.modify(ref, (state): readonly [Either.Either<A, LagoStoreFailure>, State] => {
            const result = f(state, at)
            return Either.isLeft(result)
              ? [Either.left(result.left), state]
              : [Either.right(result.right[0]), result.right[1]]
          }),
          (result) => result
        ))
    const update = (f: (state: State) => State) => Ref.update(ref, f)

    const service: LagoStoreService = {
      upsert: (input) => write((state, at) => upsert(state, input, at)),
      find: (externalId) => read((state) => Either.map(findKept(state, externalId), (kept) => kept.customer)),
      destroy: (externalId) =>
        write((state) => Either.map(findKept(state, externalId), (kept) => [kept.customer, discard(state, kept)])),
      list: (query) =>
        read((state) => {
          const unknownEntity = (query.billing_entity_codes ?? []).find((code) =>
            !HashSet.has(state.billingEntities, code)
          )
          if (unknownEntity !== undefined) return Either.left(notFound("billing_entity"))
          if (query.customer_type !== undefined && query.has_customer_type === false) {
            return Either.left(validationFailure({ customer_type: ["must be nil when has_customer_type is false"] }))
          }
          return Either.map(
            paginate(SortedSet.values(state.order), (kept) => customerMatches(kept.customer, query), query),
            (page) => ({ customers: page.items.map((kept) => listItem(kept.customer)), meta: page.meta })
          )
        }),
      currentUsage: (externalId, query) => read((state) => Usage.current(state, externalId, query)),
      projectedUsage: (externalId, query) => read((state) => Usage.projected(state, externalId, query)),
      pastUsage: (externalId, query) =>
        read((state) =>
          Either.flatMap(Usage.pastPeriods(state, externalId, query), (periods) =>
            Either.map(
              paginate(periods, () => true, {
                page: query.page,
                per_page: query.periods_count ?? query.per_page
              }),
              (page) => ({ usage_periods: page.items, meta: page.meta })
            ))
        ),
      portalUrl: (externalId) =>
        write((state) =>
          Either.map(findKept(state, externalId), (kept) => {
            const links = state.links + 1
            const token = `${kept.customer.lago_id.replace(/-/g, "")}.${links.toString(16).padStart(8, "0")}`
            return [`${state.frontUrl}/customer-portal/${token}`, { ...state, links }] as const
          })
        ),
      checkoutUrl: (externalId) =>
        write((state) =>
          Either.flatMap(findKept(state, externalId), ({ customer }) => {
            const provider = customer.billing_configuration.payment_provider ?? null
            if (provider === null) return Either.left(validationFailure({ base: ["no_linked_payment_provider"] }))
            const links = state.links + 1
            const checkout: CheckoutUrl.CheckoutUrl = {
              lago_customer_id: customer.lago_id,
              external_customer_id: customer.external_id,
              payment_provider: provider,
              payment_provider_code: customer.billing_configuration.payment_provider_code ?? null,
              checkout_url: `https://checkout.${provider}.test/session/${links.toString(16).padStart(8, "0")}`
            }
            return Either.right([checkout, { ...state, links }] as const)
          })
        ),
      listAppliedCoupons: (externalId, query) =>
        read((state) =>
          Either.flatMap(findKept(state, externalId), () =>
            Either.map(
              paginate(couponsOf(state, externalId), (coupon) => appliedCouponMatches(coupon, query), query),
              (page) => ({ applied_coupons: page.items, meta: page.meta })
            ))
        ),
      deleteAppliedCoupon: (externalId, appliedCouponId) =>
        write((state, at) =>
          Either.flatMap(findKept(state, externalId), ({ customer }) => {
            const stored = Option.getOrUndefined(HashMap.get(state.coupons, appliedCouponId))
            if (stored === undefined || stored.coupon.external_customer_id !== customer.external_id) {
              return Either.left(notFound("applied_coupon"))
            }
            const { credits: _, ...coupon } = stored.coupon
            // Terminating is idempotent: a terminated coupon comes back unchanged.
            if (coupon.status === "terminated") return Either.right([coupon, state] as const)
            const terminated = { ...coupon, status: "terminated", terminated_at: at }
            return Either.right([terminated, putCoupon(state, { ...stored.coupon, ...terminated })] as const)
          })
        ),
      customers: Effect.map(
        Ref.get(ref),
        (state) => Array.from(SortedSet.values(state.order), (kept) => kept.customer)
      ),
      deleted: Effect.map(Ref.get(ref), (state) => Chunk.toReadonlyArray(state.deleted)),
      appliedCoupons: Effect.map(Ref.get(ref), (state) => Array.from(HashMap.values(state.coupons), (s) => s.coupon)),
      put: (customer) => update((state) => keep(state, customer)),
      setUsage: (customerId, subscriptionId, usage) =>
        update((state) => Usage.setCurrent(state, customerId, subscriptionId, usage)),
      setProjectedUsage: (customerId, subscriptionId, usage) =>
        update((state) => ({
          ...state,
          projectedUsage: usage === null
            ? HashMap.remove(state.projectedUsage, usageKey(customerId, subscriptionId))
            : HashMap.set(state.projectedUsage, usageKey(customerId, subscriptionId), usage)
        })),
      setPastUsage: (customerId, subscriptionId, periods) =>
        update((state) => Usage.setPast(state, customerId, subscriptionId, periods)),
      putAppliedCoupon: (coupon) => update((state) => putCoupon(state, coupon)),
      putTaxes: (taxes) =>
        update((state) => ({
          ...state,
          taxes: taxes.reduce((all, tax) => HashMap.set(all, tax.code, tax), state.taxes)
        })),
      reset: (next = {}) =>
        Effect.flatMap(now, (end) =>
          Either.match(seeded(next, end), {
            onLeft: (message) => Effect.dieMessage(message),
            onRight: (state) => Ref.set(ref, state)
          }))
    }
    return service
  })

/** List items carry no custom sections and no error details. */
const listItem = (customer: Customer.Customer): Customer.Customer => {
  const { applicable_invoice_custom_sections: _, error_details: __, ...item } = customer
  return item
}

/**
 * A layer of a store with the given seed.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (seed?: Seed): Layer.Layer<LagoStore> => Layer.effect(LagoStore, make(seed))
