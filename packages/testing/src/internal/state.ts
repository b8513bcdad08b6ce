/**
 * The state of the in-memory Lago: immutable values, changed only by `Ref.modify` with the
 * pure functions of the store's modules.
 */
import type { AppliedCoupon, Customer, CustomerUsage, ProjectedUsage } from "@lago-effect/core"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Order from "effect/Order"
import * as SortedSet from "effect/SortedSet"

/** A kept customer and its place in creation order. */
export interface Kept {
  readonly customer: Customer.Customer
  /** Creation order: Lago's timestamps have microseconds, so creation order is total there too. */
  readonly sequence: number
}

/** Lago's list order: newest first by creation time; creation order within the same second. */
export const newestFirst: Order.Order<Kept> = Order.combine(
  Order.reverse(Order.mapInput(Order.number, (kept: Kept) => DateTime.toEpochMillis(kept.customer.created_at))),
  Order.reverse(Order.mapInput(Order.number, (kept: Kept) => kept.sequence))
)

/** The usage of a subscription of a customer. */
export const usageKey = (externalCustomerId: string, externalSubscriptionId: string) =>
  `${externalCustomerId}\u0000${externalSubscriptionId}`

/** An applied coupon, with the credits it gave (which only lists show). */
export interface StoredCoupon {
  readonly coupon: AppliedCoupon.AppliedCoupon
  readonly sequence: number
}

/** Everything the store holds. */
export interface State {
  /** Kept customers by `external_id`. */
  readonly customers: HashMap.HashMap<string, Kept>
  /** The same customers in list order. */
  readonly order: SortedSet.SortedSet<Kept>
  /** Deleted customers, in deletion order. */
  readonly deleted: Chunk.Chunk<Customer.Customer>
  readonly creations: number
  /** Ids handed out so far (lago_ids of customers, metadata, integrations). */
  readonly ids: number
  readonly usage: HashMap.HashMap<string, CustomerUsage.CustomerUsage>
  readonly projectedUsage: HashMap.HashMap<string, ProjectedUsage.ProjectedUsage>
  /** Past periods per subscription, in any order (listed newest first). */
  readonly pastUsage: HashMap.HashMap<string, ReadonlyArray<CustomerUsage.CustomerUsage>>
  /** Applied coupons by `lago_id`. */
  readonly coupons: HashMap.HashMap<string, StoredCoupon>
  readonly taxes: HashMap.HashMap<string, Customer.Tax>
  readonly billingEntities: HashSet.HashSet<string>
  readonly sections: HashMap.HashMap<string, Customer.InvoiceCustomSection>
  readonly frontUrl: string
  /** Portal links and checkout sessions handed out, each link a new one. */
  readonly links: number
}

/** An empty store. */
export const empty = (options: {
  readonly taxes?: ReadonlyArray<Customer.Tax> | undefined
  readonly billingEntities?: ReadonlyArray<string> | undefined
  readonly invoiceCustomSections?: ReadonlyArray<Customer.InvoiceCustomSection> | undefined
  readonly frontUrl?: string | undefined
}): State => ({
  customers: HashMap.empty(),
  order: SortedSet.empty(newestFirst),
  deleted: Chunk.empty(),
  creations: 0,
  ids: 0,
  usage: HashMap.empty(),
  projectedUsage: HashMap.empty(),
  pastUsage: HashMap.empty(),
  coupons: HashMap.empty(),
  taxes: HashMap.fromIterable((options.taxes ?? []).map((tax) => [tax.code, tax] as const)),
  billingEntities: HashSet.fromIterable(options.billingEntities ?? ["default"]),
  sections: HashMap.fromIterable((options.invoiceCustomSections ?? []).map((s) => [s.code, s] as const)),
  frontUrl: options.frontUrl ?? "https://app.getlago.com",
  links: 0
})

/** Puts a customer in (a new one at its place in creation order, an existing one in place). */
export const keep = (state: State, customer: Customer.Customer): State => {
  const previous = HashMap.get(state.customers, customer.external_id)
  const sequence = previous._tag === "Some" ? previous.value.sequence : state.creations + 1
  const kept: Kept = { customer, sequence }
  const order = previous._tag === "Some" ? SortedSet.remove(state.order, previous.value) : state.order
  return {
    ...state,
    creations: previous._tag === "Some" ? state.creations : sequence,
    customers: HashMap.set(state.customers, customer.external_id, kept),
    order: SortedSet.add(order, kept)
  }
}

/** Removes a kept customer (a soft delete: it joins the deleted ones). */
export const discard = (state: State, kept: Kept): State => ({
  ...state,
  customers: HashMap.remove(state.customers, kept.customer.external_id),
  order: SortedSet.remove(state.order, kept),
  deleted: Chunk.append(state.deleted, kept.customer)
})
