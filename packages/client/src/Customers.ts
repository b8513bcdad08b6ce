/**
 * Lago's `customers` operations, one row each, and the service built from them. The table
 * drives the live client, the in-memory test layer and the fake server alike: adding an
 * operation is one row here, its models, and its behaviour in the fake's store.
 *
 * @since 0.1.0
 */
import type { LagoError } from "@lago-effect/core"
import {
  AppliedCoupon,
  CheckoutUrl,
  Customer,
  CustomerInput,
  CustomersPage,
  CustomerUsage,
  ExternalId,
  PortalUrl,
  ProjectedUsage
} from "@lago-effect/core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import * as CustomersQuery from "./CustomersQuery.js"
import { initialCap, makeRequestWindow } from "./internal/pacing.js"
import type { Pacing } from "./internal/pages.js"
import { dropRepeated, paginate } from "./internal/pages.js"
import { isSettled, isSucceeded } from "./internal/settled.js"
import * as LagoOperation from "./LagoOperation.js"

/**
 * Path parameters: each checked (not blank, `.` or `..`, well-formed) before anything is sent,
 * in order, the first invalid one failing. A check is already its outcome (`Effect.succeed` or
 * `Effect.fail`): read as such, a call spends no effect step on its parameters.
 */
const params = (
  operation: string,
  ...named: ReadonlyArray<readonly [field: string, value: string]>
): Effect.Effect<LagoOperation.Request, LagoError.LagoInvalidInputError> => {
  const checks = named.map(([field, value]) => ExternalId.check(operation, field)(value))
  const values: Array<string> = []
  for (const check of checks) {
    if (!isSettled(check)) return Effect.map(Effect.all(checks), (checked) => ({ params: checked, query: [] }))
    if (Exit.isFailure(check)) return Exit.failCause(check.cause)
    values.push(check.value)
  }
  return Exit.succeed({ params: values, query: [] })
}

/** A path parameter and a query. */
const withQuery = (
  path: Effect.Effect<LagoOperation.Request, LagoError.LagoInvalidInputError>,
  query: Effect.Effect<CustomersQuery.QueryParams, LagoError.LagoInvalidInputError>
) => Effect.map(Effect.zip(path, query), ([request, encoded]) => ({ ...request, query: encoded }))

/** The customer envelope of create, find and destroy. */
const customer = LagoOperation.envelope(Customer.CustomerResponse, (r) => r.customer, (customer) => ({ customer }))

/**
 * The operations of Lago's `customers` tag. Keys are the service's method names; `id` is
 * Lago's operation id, which names spans and errors.
 *
 * @category operations
 * @since 0.1.0
 */
export const operations = {
  /**
   * `createCustomer`: creates the customer, or updates the one with this `external_id` (only
   * the keys set are written; `null` clears). Lago answers 200 either way.
   */
  create: LagoOperation.make({
    id: "createCustomer",
    method: "POST",
    path: "customers",
    idempotent: true,
    request: (id) => (input: CustomerInput.CustomerInput) =>
      Effect.map(CustomerInput.encode(id)(input), (body) => ({ params: [], query: [], body })),
    response: customer
  }),
  /** `findAllCustomers`: one page of customers, newest first, with filters. */
  findAll: LagoOperation.make({
    id: "findAllCustomers",
    method: "GET",
    path: "customers",
    idempotent: true,
    request: (id) => (query: CustomersQuery.FindAllQuery = {}) =>
      Effect.map(CustomersQuery.encodeFindAll(id)(query), (encoded) => ({ params: [], query: encoded })),
    response: LagoOperation.body(CustomersPage.CustomersPage)
  }),
  /** `findCustomer`: one customer by `external_id`. */
  find: LagoOperation.make({
    id: "findCustomer",
    method: "GET",
    path: "customers/{external_id}",
    idempotent: true,
    request: (id) => (externalId: string) => params(id, ["external_id", externalId]),
    response: customer
  }),
  /**
   * `destroyCustomer`: deletes (soft) the customer and returns it. Retried only when the
   * request provably never reached Lago, or on 429: a second delete answers 404.
   */
  destroy: LagoOperation.make({
    id: "destroyCustomer",
    method: "DELETE",
    path: "customers/{external_id}",
    idempotent: false,
    request: (id) => (externalId: string) => params(id, ["external_id", externalId]),
    response: customer
  }),
  /** `findCustomerCurrentUsage`: usage of the current period of one subscription. */
  findCurrentUsage: LagoOperation.make({
    id: "findCustomerCurrentUsage",
    method: "GET",
    path: "customers/{external_id}/current_usage",
    idempotent: true,
    request: (id) => (externalId: string, query: CustomersQuery.CurrentUsageQuery) =>
      withQuery(params(id, ["external_id", externalId]), CustomersQuery.encodeCurrentUsage(id)(query)),
    response: LagoOperation.envelope(
      CustomerUsage.CustomerUsageResponse,
      (r) => r.customer_usage,
      (customer_usage) => ({ customer_usage })
    )
  }),
  /**
   * `findCustomerProjectedUsage`: usage of the current period with its projection to the end
   * of the period (Lago v1.32.4 and later; 403 `projected_usage_not_enabled` unless enabled).
   */
  findProjectedUsage: LagoOperation.make({
    id: "findCustomerProjectedUsage",
    method: "GET",
    path: "customers/{external_id}/projected_usage",
    idempotent: true,
    request: (id) => (externalId: string, query: CustomersQuery.ProjectedUsageQuery) =>
      withQuery(params(id, ["external_id", externalId]), CustomersQuery.encodeProjectedUsage(id)(query)),
    response: LagoOperation.envelope(
      ProjectedUsage.ProjectedUsageResponse,
      (r) => r.customer_projected_usage,
      (customer_projected_usage) => ({ customer_projected_usage })
    )
  }),
  /**
   * `findAllCustomerPastUsage`: one page of past billing periods of a subscription, newest
   * first. An unknown customer or subscription gives an empty page, not a 404.
   */
  findAllPastUsage: LagoOperation.make({
    id: "findAllCustomerPastUsage",
    method: "GET",
    path: "customers/{external_id}/past_usage",
    idempotent: true,
    request: (id) => (externalId: string, query: CustomersQuery.PastUsageQuery) =>
      withQuery(params(id, ["external_id", externalId]), CustomersQuery.encodePastUsage(id)(query)),
    response: LagoOperation.body(CustomerUsage.PastUsagePage)
  }),
  /** `getCustomerPortalUrl`: a new signed portal URL, valid 12 hours. */
  getPortalUrl: LagoOperation.make({
    id: "getCustomerPortalUrl",
    method: "GET",
    path: "customers/{external_id}/portal_url",
    idempotent: true,
    request: (id) => (externalId: string) => params(id, ["external_id", externalId]),
    response: LagoOperation.envelope(
      PortalUrl.PortalUrlResponse,
      (r) => r.customer.portal_url,
      (portal_url) => ({ customer: { portal_url } })
    )
  }),
  /**
   * `generateCustomerCheckoutURL`: a new checkout URL of the customer's payment provider
   * (422 `no_linked_payment_provider` without one). Each call opens a new checkout session,
   * so it is retried only when the request provably never reached Lago, or on 429.
   */
  generateCheckoutUrl: LagoOperation.make({
    id: "generateCustomerCheckoutURL",
    method: "POST",
    path: "customers/{external_id}/checkout_url",
    idempotent: false,
    request: (id) => (externalId: string) => params(id, ["external_id", externalId]),
    response: LagoOperation.envelope(CheckoutUrl.CheckoutUrlResponse, (r) => r.customer, (customer) => ({ customer }))
  }),
  /** `findAllCustomerAppliedCoupons`: one page of the customer's applied coupons, newest first, with credits. */
  findAllAppliedCoupons: LagoOperation.make({
    id: "findAllCustomerAppliedCoupons",
    method: "GET",
    path: "customers/{external_id}/applied_coupons",
    idempotent: true,
    request: (id) => (externalId: string, query: CustomersQuery.AppliedCouponsQuery = {}) =>
      withQuery(params(id, ["external_id", externalId]), CustomersQuery.encodeAppliedCoupons(id)(query)),
    response: LagoOperation.body(AppliedCoupon.AppliedCouponsPage)
  }),
  /** `deleteAppliedCoupon`: terminates an applied coupon (by its `lago_id`); idempotent. */
  deleteAppliedCoupon: LagoOperation.make({
    id: "deleteAppliedCoupon",
    method: "DELETE",
    path: "customers/{external_id}/applied_coupons/{applied_coupon_id}",
    idempotent: true,
    request: (id) => (externalId: string, appliedCouponId: string) =>
      params(id, ["external_id", externalId], ["applied_coupon_id", appliedCouponId]),
    response: LagoOperation.envelope(
      AppliedCoupon.AppliedCouponResponse,
      (r) => r.applied_coupon,
      (applied_coupon) => ({ applied_coupon })
    )
  })
}

/**
 * The table's type.
 *
 * @category models
 * @since 0.1.0
 */
export type Operations = typeof operations

/**
 * Lago's operation ids of the customers tag (`createCustomer`, `findCustomer`, ...).
 *
 * @category models
 * @since 0.1.0
 */
export type OperationId = Operations[keyof Operations]["id"]

/**
 * How a stream reads a list.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadOptions {
  /**
   * Items per page. Default 500: five times fewer requests than Lago's own default of 100,
   * which matters under a rate limit of requests per second.
   */
  readonly per_page?: number | undefined
  /**
   * Pages read ahead of the consumer beyond the `concurrency` in flight: with one request at a
   * time and `prefetch: 1`, the next page is fetched while the consumer works on the current
   * one. Default 1.
   */
  readonly prefetch?: number | undefined
  /**
   * Pages fetched in parallel once the first page told how many there are. Default `"auto"`:
   * starts at 2, adds one (up to 4) each time the consumer waited for a page, halves when the
   * server says its rate-limit window runs low or answers 429.
   */
  readonly concurrency?: number | "auto" | undefined
  /**
   * Page requests per second at most, over a sliding one-second window shared by all the
   * streams of a client. Default `"auto"`: 80% of the limit the server announces in
   * `X-RateLimit-Limit` (Lago Cloud: 50 per second per organization, so 40), or 40 for Lago
   * Cloud's hosts before any response said; unlimited for a server that announces no limit
   * (self-hosted Lago). `"none"` turns pacing off (a 429 is still retried after its wait).
   * When the server says its window is spent, no page request starts before it resets.
   */
  readonly rateLimit?: number | "auto" | "none" | undefined
}

/**
 * Whether a stream drops items it already emitted.
 *
 * @category models
 * @since 0.1.0
 */
export interface DedupeOption {
  /**
   * Drop items already emitted (by `lago_id`), which offset pagination repeats when items are
   * created while the stream runs. Costs memory: a set of every id emitted, about 100 bytes
   * per item (100 MB for a million). Default `false`.
   */
  readonly dedupe?: boolean | undefined
}

/**
 * Options of `pages`: the list filters, and how pages are read.
 *
 * @category models
 * @since 0.1.0
 */
export interface PagesOptions extends CustomersQuery.CustomersFilters, ReadOptions {}

/**
 * Options of `stream`.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamOptions extends PagesOptions, DedupeOption {}

/**
 * Options of `streamAppliedCoupons`.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppliedCouponsStreamOptions extends CustomersQuery.AppliedCouponsFilters, ReadOptions, DedupeOption {}

/**
 * Options of `streamPastUsage`: the subscription is required.
 *
 * @category models
 * @since 0.1.0
 */
export interface PastUsageStreamOptions extends CustomersQuery.PastUsageFilters, ReadOptions, DedupeOption {}

type Calls = { readonly [K in keyof Operations]: LagoOperation.Call<Operations[K]> }

/**
 * The customers API: a function per operation of the table, and streams over the lists.
 *
 * Lago pages lists by offset. An item that exists from the start to the end of a stream is
 * always emitted, at any `concurrency`. An item created while the stream runs pushes the
 * others one position on, so some are emitted twice (`dedupe: true` drops them); one deleted
 * while it runs pulls the others one position back, so an item can be skipped: no client of
 * an offset-paginated API can prevent that.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service extends Calls {
  /**
   * Every page of `findAll`, following `meta.next_page`; reads ahead (`prefetch`) and in
   * parallel (`concurrency`), holding at most `concurrency + prefetch + 1` pages.
   */
  readonly pages: (options?: PagesOptions) => Stream.Stream<CustomersPage.CustomersPage, LagoError.LagoError>
  /** Every customer of the organization (or of the filters), newest first, in constant memory. */
  readonly stream: (options?: StreamOptions) => Stream.Stream<Customer.Customer, LagoError.LagoError>
  /** Every coupon applied to a customer, newest first, with its credits. */
  readonly streamAppliedCoupons: (
    externalId: string,
    options?: AppliedCouponsStreamOptions
  ) => Stream.Stream<AppliedCoupon.AppliedCoupon, LagoError.LagoError>
  /** Every past billing period of a subscription, newest first. */
  readonly streamPastUsage: (
    externalId: string,
    options: PastUsageStreamOptions
  ) => Stream.Stream<CustomerUsage.CustomerUsage, LagoError.LagoError>
}

/**
 * What runs an operation once its arguments are checked: HTTP in the live client, the
 * in-memory store in the test layer. It may be called when a call's effect is made, and
 * the effect it returns run many times (a caller's retry): it describes the call, and does
 * nothing until run.
 *
 * @category models
 * @since 0.1.0
 */
export interface Runner {
  <Id extends string, Args extends ReadonlyArray<unknown>, A, I>(
    operation: LagoOperation.Operation<Id, Args, A, I>,
    request: LagoOperation.Request
  ): Effect.Effect<A, LagoError.LagoError>
}

const bind = <Id extends string, Args extends ReadonlyArray<unknown>, A, I>(
  run: Runner,
  operation: LagoOperation.Operation<Id, Args, A, I>
) =>
(...args: Args): Effect.Effect<A, LagoError.LagoError> => {
  const request = operation.request(...args)
  // Arguments checked without effects are a settled request: the runner is called now, and
  // the call takes no step to unwrap them.
  return isSucceeded(request) ? run(operation, request.value) : Effect.flatMap(request, (ok) => run(operation, ok))
}

/** Items per page of a stream unless told otherwise. */
const streamPerPage = 500

/** Reads every page of a list, then its items, repeats dropped on demand. */
const listStream = <P, A>(
  operation: string,
  fetch: (page: number, perPage: number) => Effect.Effect<P, LagoError.LagoError>,
  view: (page: P) => { readonly items: ReadonlyArray<A>; readonly meta: CustomersPage.CustomersPage["meta"] },
  key: (item: A) => string,
  options: ReadOptions & DedupeOption,
  pacing: Pacing
) => {
  const { dedupe = false, per_page = streamPerPage, ...read } = options
  const pages = paginate(operation, (page) => fetch(page, per_page), view, read, pacing)
  const items = Stream.mapConcat(pages, (page) => view(page).items)
  return dedupe ? dropRepeated(items, key) : items
}

/** Splits a stream's options into how to read and what to filter. */
const readOptions = <O extends ReadOptions & DedupeOption>(
  { concurrency, dedupe, per_page, prefetch, rateLimit, ...filters }: O
) => ({
  read: { concurrency, dedupe, per_page, prefetch, rateLimit },
  filters
})

/**
 * Options of `make`.
 *
 * @category models
 * @since 0.1.0
 */
export interface MakeOptions {
  /** The base URL the runner calls: streams keep to Lago Cloud's documented limit on its hosts. */
  readonly baseUrl?: string | undefined
}

/**
 * The customers API over a runner: every input is checked by its operation's `request`
 * before the runner is called; the streams paginate over the list operations.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (run: Runner, options: MakeOptions = {}): Service => {
  // One request window for all the streams of this client.
  const pacing: Pacing = {
    window: makeRequestWindow(),
    initialCap: options.baseUrl === undefined ? undefined : initialCap(options.baseUrl)
  }
  const findAll = bind(run, operations.findAll)
  const findAllAppliedCoupons = bind(run, operations.findAllAppliedCoupons)
  const findAllPastUsage = bind(run, operations.findAllPastUsage)
  const customerPages = (options: PagesOptions = {}) => {
    const { filters, read } = readOptions(options)
    return paginate(
      operations.findAll.id,
      (page) => findAll({ ...filters, page, per_page: read.per_page ?? streamPerPage }),
      (result) => ({ items: result.customers, meta: result.meta }),
      read,
      pacing
    )
  }
  return {
    create: bind(run, operations.create),
    findAll,
    find: bind(run, operations.find),
    destroy: bind(run, operations.destroy),
    findCurrentUsage: bind(run, operations.findCurrentUsage),
    findProjectedUsage: bind(run, operations.findProjectedUsage),
    findAllPastUsage,
    getPortalUrl: bind(run, operations.getPortalUrl),
    generateCheckoutUrl: bind(run, operations.generateCheckoutUrl),
    findAllAppliedCoupons,
    deleteAppliedCoupon: bind(run, operations.deleteAppliedCoupon),
    pages: customerPages,
    stream: (options = {}) => {
      const { filters, read } = readOptions(options)
      return listStream(
        operations.findAll.id,
        (page, per_page) => findAll({ ...filters, page, per_page }),
        (result) => ({ items: result.customers, meta: result.meta }),
        (customer) => customer.lago_id,
        read,
        pacing
      )
    },
    streamAppliedCoupons: (externalId, options = {}) => {
      const { filters, read } = readOptions(options)
      return listStream(
        operations.findAllAppliedCoupons.id,
        (page, per_page) => findAllAppliedCoupons(externalId, { ...filters, page, per_page }),
        (result) => ({ items: result.applied_coupons, meta: result.meta }),
        (coupon) => coupon.lago_id,
        read,
        pacing
      )
    },
    streamPastUsage: (externalId, options) => {
      const { filters, read } = readOptions(options)
      return listStream(
        operations.findAllPastUsage.id,
        (page, per_page) => findAllPastUsage(externalId, { ...filters, page, per_page }),
        (result) => ({ items: result.usage_periods, meta: result.meta }),
        (period) => period.lago_invoice_id ?? DateTime.formatIso(period.from_datetime),
        read,
        pacing
      )
    }
  }
}
