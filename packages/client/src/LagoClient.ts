/**
 * The Lago client: a `LagoClient` service with every customers operation, provided by
 * `LagoClient.layer` / `LagoClient.layerConfig` over `@effect/platform`'s `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { LagoClient } from "@lago-effect/client"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const lago = yield* LagoClient.LagoClient
 *   yield* lago.customers.create({ external_id: "acme", name: "Acme", currency: "EUR" })
 *   yield* lago.customers.stream({ perPage: 100 }).pipe(Stream.runForEach((c) => Effect.log(c.external_id)))
 * }).pipe(
 *   Effect.provide(LagoClient.layerConfig()), // LAGO_API_KEY, LAGO_API_URL, LAGO_REGION
 *   Effect.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 */
import { HttpClient } from "@effect/platform"
import type { AppliedCoupon, Customer, CustomersPage, CustomerUsage, LagoError } from "@lago-effect/core"
import {
  AppliedCoupon as AppliedCouponSchemas,
  Customer as CustomerSchemas,
  CustomerInput,
  CustomersPage as CustomersPageSchemas,
  CustomerUsage as CustomerUsageSchemas,
  ExternalId,
  PortalUrl
} from "@lago-effect/core"
import type { ConfigError, Redacted } from "effect"
import { Config, Context, Duration, Effect, Layer, Option, Schema, Stream } from "effect"
import type { CurrentUsageQuery, CustomersFilters, FindAllQuery, QueryParams } from "./CustomersQuery.js"
import { currentUsageParams, findAllParams } from "./CustomersQuery.js"
import type { CallOverrides, Settings } from "./internal/http.js"
import { currentOverrides, encodeSegment, makeExecutor } from "./internal/http.js"
import type { ReadOptions } from "./internal/pages.js"
import { paginate } from "./internal/pages.js"
import {
  checkApiKey,
  checkBaseUrl,
  checkDuration,
  checkMaxResponseBytes,
  checkRetry,
  isLoopback
} from "./internal/settings.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * Options of `pages` and `stream`: the list filters, and how pages are read.
 *
 * @since 0.1.0
 */
export interface PagesOptions extends CustomersFilters, ReadOptions {}

/**
 * Options of `stream`.
 *
 * @since 0.1.0
 */
export interface StreamOptions extends PagesOptions {
  /**
   * Drop customers already emitted (by `lago_id`), which offset pagination repeats when
   * customers are created while the stream runs. Costs memory: a set of every `lago_id`
   * emitted, about 100 bytes per customer (100 MB for a million). Default `false`.
   */
  readonly dedupe?: boolean | undefined
}

/**
 * The customers operations. Names are the seed's without the noun; spans and docs also name
 * Lago's operation id (`createCustomer`, `findAllCustomers`, ...).
 *
 * @since 0.1.0
 */
export interface Customers {
  /**
   * `createCustomer`: creates the customer, or updates the one with this `external_id`
   * (only the keys set are written; `null` clears). Lago answers 200 either way.
   */
  readonly create: (input: CustomerInput.CustomerInput) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  /** `findAllCustomers`: one page of customers, newest first, with filters. */
  readonly findAll: (query?: FindAllQuery) => Effect.Effect<CustomersPage.CustomersPage, LagoError.LagoError>
  /** `findCustomer`: one customer by `external_id`. */
  readonly find: (externalId: string) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  /**
   * `destroyCustomer`: deletes (soft) the customer and returns it. Retried only when the
   * request provably never reached Lago, or on 429.
   */
  readonly destroy: (externalId: string) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  /** `findCustomerCurrentUsage`: usage of the current period of one subscription. */
  readonly findCurrentUsage: (
    externalId: string,
    query: CurrentUsageQuery
  ) => Effect.Effect<CustomerUsage.CustomerUsage, LagoError.LagoError>
  /** `getCustomerPortalUrl`: a new signed portal URL, valid 12 hours. */
  readonly getPortalUrl: (externalId: string) => Effect.Effect<string, LagoError.LagoError>
  /** `deleteAppliedCoupon`: terminates an applied coupon (by its `lago_id`); idempotent. */
  readonly deleteAppliedCoupon: (
    externalId: string,
    appliedCouponId: string
  ) => Effect.Effect<AppliedCoupon.AppliedCoupon, LagoError.LagoError>
  /**
   * Every page of `findAll`, following `meta.next_page`; reads ahead (`prefetch`) and
   * optionally in parallel (`concurrency`). See `stream` for what offset pagination does
   * when customers are created or deleted while it runs.
   */
  readonly pages: (options?: PagesOptions) => Stream.Stream<CustomersPage.CustomersPage, LagoError.LagoError>
  /**
   * Every customer of the organization (or of the filters), newest first, page after page,
   * in constant memory: at most `concurrency + prefetch + 1` pages are held.
   *
   * Lago paginates by offset. A customer that exists from the start to the end of the stream
   * is always emitted, at any `concurrency`. A customer created while the stream runs pushes
   * the others one position further, so some are emitted twice (`dedupe: true` drops them);
   * one deleted while it runs pulls the others one position back, so a customer can be
   * skipped: no client of an offset-paginated API can prevent that.
   */
  readonly stream: (options?: StreamOptions) => Stream.Stream<Customer.Customer, LagoError.LagoError>
}

/**
 * Lago regions: `us` is `https://api.getlago.com`, `eu` is `https://api.eu.getlago.com`.
 *
 * @since 0.1.0
 */
export type Region = "us" | "eu"

/**
 * Options of a client.
 *
 * @since 0.1.0
 */
export interface Options {
  /** The API key: non-empty visible ASCII, sent only in `Authorization`. */
  readonly apiKey: Redacted.Redacted<string>
  /**
   * A self-hosted Lago: its origin (`/api/v1` is appended when missing) or its API URL.
   * `http:` or `https:` (plain `http:` sends the key unencrypted), without credentials, query
   * or fragment.
   */
  readonly baseUrl?: string | undefined
  /** Lago Cloud's region, when no `baseUrl` is given. Default `us`. */
  readonly region?: Region | undefined
  /** Retries; see `RetryPolicy`. Partial settings are merged over the defaults. */
  readonly retry?: Partial<RetryPolicy.RetryPolicy> | undefined
  /** Time-out of one attempt. Default 60 s. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Deadline over all attempts and waits of one call. Default none. */
  readonly totalTimeout?: Duration.DurationInput | undefined
  /**
   * The largest response body read, in bytes, counted after decompression. A larger one fails
   * the call with `LagoResponseTooLargeError` (not retried). Default 32 MiB, far above any
   * real Lago page (100 populated customers are about 150 KiB).
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The default `maxResponseBytes`: 32 MiB.
 *
 * @since 0.1.0
 */
export const defaultMaxResponseBytes = 32 * 1024 * 1024

const regionUrls: Record<Region, string> = {
  us: "https://api.getlago.com/api/v1",
  eu: "https://api.eu.getlago.com/api/v1"
}

/**
 * The API base URL of a client: the region's, or `baseUrl` with `/api/v1` appended when missing.
 *
 * @since 0.1.0
 */
export const resolveBaseUrl = (options: Pick<Options, "baseUrl" | "region">): string => {
  if (options.baseUrl === undefined || options.baseUrl.trim() === "") return regionUrls[options.region ?? "us"]
  const trimmed = options.baseUrl.trim().replace(/\/+$/, "")
  return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`
}

/**
 * Percent-encodes an id as one URL path segment, dots included (`acme.com` → `acme%2Ecom`):
 * Lago's router would read `.com` as a format (contract §4.6).
 *
 * @since 0.1.0
 */
export const encodePathSegment: (segment: string) => string = encodeSegment

const decodeWith = <A, I, B>(schema: Schema.Schema<A, I>, unwrap: (a: A) => B) => {
  const decode = Schema.decode(Schema.parseJson(schema))
  return (body: string) => Effect.map(decode(body), unwrap)
}

const decodeCustomer = decodeWith(CustomerSchemas.CustomerResponse, (r) => r.customer)
const decodePage = decodeWith(CustomersPageSchemas.CustomersPage, (page) => page)
const decodeUsage = decodeWith(CustomerUsageSchemas.CustomerUsageResponse, (r) => r.customer_usage)
const decodePortalUrl = decodeWith(PortalUrl.PortalUrlResponse, (r) => r.customer.portal_url)
const decodeAppliedCoupon = decodeWith(AppliedCouponSchemas.AppliedCouponResponse, (r) => r.applied_coupon)

/**
 * The customers calls once their inputs are checked and encoded: what a backend (HTTP, or
 * the in-memory store of `@lago-effect/testing`) implements. Ids are valid path segments.
 *
 * @since 0.1.0
 */
export interface CustomersBackend {
  readonly create: (
    body: typeof CustomerInput.CustomerCreateBody.Encoded,
    input: CustomerInput.CustomerInput
  ) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  readonly findAll: (
    params: QueryParams,
    query: FindAllQuery
  ) => Effect.Effect<CustomersPage.CustomersPage, LagoError.LagoError>
  readonly find: (externalId: string) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  readonly destroy: (externalId: string) => Effect.Effect<Customer.Customer, LagoError.LagoError>
  readonly findCurrentUsage: (
    externalId: string,
    params: QueryParams,
    query: CurrentUsageQuery
  ) => Effect.Effect<CustomerUsage.CustomerUsage, LagoError.LagoError>
  readonly getPortalUrl: (externalId: string) => Effect.Effect<string, LagoError.LagoError>
  readonly deleteAppliedCoupon: (
    externalId: string,
    appliedCouponId: string
  ) => Effect.Effect<AppliedCoupon.AppliedCoupon, LagoError.LagoError>
}

type ModuleStreamOptions = StreamOptions

const dropRepeated = <E, R>(customers: Stream.Stream<Customer.Customer, E, R>) => {
  const seen = new Set<string>()
  return Stream.filter(customers, (customer) => {
    if (seen.has(customer.lago_id)) return false
    seen.add(customer.lago_id)
    return true
  })
}

/**
 * The customers API over a backend: every input is checked first (ids, the upsert body, page
 * numbers, query values), failing with `LagoInvalidInputError` before the backend is called;
 * `pages` and `stream` paginate over `findAll`. The live client and the test layer share it,
 * so both refuse and paginate alike.
 *
 * @since 0.1.0
 */
export const makeCustomers = (backend: CustomersBackend): Customers => {
  const customerId = (operation: string) => ExternalId.check(operation, "external_id")
  const findAll = (query: FindAllQuery = {}) =>
    Effect.flatMap(findAllParams(query), (params) => backend.findAll(params, query))
  const pages = (options: PagesOptions = {}) => {
    const { concurrency, perPage = 100, prefetch, ...filters } = options
    return paginate(
      "findAllCustomers",
      (page) => findAll({ ...filters, page, per_page: perPage }),
      (result) => ({ items: result.customers, meta: result.meta }),
      { concurrency, prefetch }
    )
  }
  return {
    create: (input) =>
      Effect.flatMap(CustomerInput.encode("createCustomer")(input), (body) => backend.create(body, input)),
    findAll,
    find: (externalId) => Effect.flatMap(customerId("findCustomer")(externalId), backend.find),
    destroy: (externalId) => Effect.flatMap(customerId("destroyCustomer")(externalId), backend.destroy),
    findCurrentUsage: (externalId, query) =>
      Effect.flatMap(
        Effect.zip(customerId("findCustomerCurrentUsage")(externalId), currentUsageParams(query)),
        ([id, params]) => backend.findCurrentUsage(id, params, query)
      ),
    getPortalUrl: (externalId) => Effect.flatMap(customerId("getCustomerPortalUrl")(externalId), backend.getPortalUrl),
    deleteAppliedCoupon: (externalId, appliedCouponId) =>
      Effect.flatMap(
        Effect.zip(
          customerId("deleteAppliedCoupon")(externalId),
          ExternalId.check("deleteAppliedCoupon", "applied_coupon_id")(appliedCouponId)
        ),
        ([id, couponId]) => backend.deleteAppliedCoupon(id, couponId)
      ),
    pages,
    stream: ({ dedupe = false, ...options } = {}) => {
      const customers = Stream.mapConcat(pages(options), (page) => page.customers)
      return dedupe ? Stream.suspend(() => dropRepeated(customers)) : customers
    }
  }
}

/**
 * Checks a client's options and resolves its defaults, or fails with `LagoInvalidInputError`
 * naming the setting (never echoing the key): the key must be non-empty visible ASCII; the
 * base URL `http:`/`https:` without credentials, query or fragment; durations well-formed.
 */
const resolveSettings = (options: Options): Effect.Effect<Settings, LagoError.LagoInvalidInputError> =>
  Effect.gen(function*() {
    const operation = "LagoClient.make"
    const apiKey = yield* checkApiKey(operation, options.apiKey)
    const url = yield* checkBaseUrl(operation, resolveBaseUrl(options))
    const retry = yield* checkRetry(operation, { ...RetryPolicy.defaults, ...options.retry })
    const timeout = yield* checkDuration(operation, "timeout", options.timeout ?? Duration.seconds(60), {
      positive: true
    })
    const totalTimeout = options.totalTimeout === undefined
      ? Option.none()
      : Option.some(yield* checkDuration(operation, "totalTimeout", options.totalTimeout, { positive: true }))
    const maxResponseBytes = yield* checkMaxResponseBytes(
      operation,
      options.maxResponseBytes ?? defaultMaxResponseBytes
    )
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
      yield* Effect.logWarning("Lago base URL uses http: the API key and all data travel unencrypted").pipe(
        Effect.annotateLogs({ baseUrl: url.origin })
      )
    }
    return { baseUrl: url.toString().replace(/\/+$/, ""), apiKey, retry, timeout, totalTimeout, maxResponseBytes }
  })

/**
 * Makes a client over the `HttpClient` in the environment. Fails with
 * `LagoInvalidInputError` when an option is unusable (see `Options`).
 *
 * @since 0.1.0
 */
export const make = (
  options: Options
): Effect.Effect<LagoClient.Service, LagoError.LagoInvalidInputError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const settings = yield* resolveSettings(options)
    const httpClient = yield* HttpClient.HttpClient
    const execute = makeExecutor(httpClient, settings)
    const customers = makeCustomers({
      create: (body) =>
        execute({
          operation: "createCustomer",
          method: "POST",
          path: ["customers"],
          body,
          idempotent: true,
          decode: decodeCustomer
        }),
      findAll: (params) =>
        execute({
          operation: "findAllCustomers",
          method: "GET",
          path: ["customers"],
          query: params,
          idempotent: true,
          decode: decodePage
        }),
      find: (id) =>
        execute({
          operation: "findCustomer",
          method: "GET",
          path: ["customers", id],
          idempotent: true,
          decode: decodeCustomer
        }),
      destroy: (id) =>
        execute({
          operation: "destroyCustomer",
          method: "DELETE",
          path: ["customers", id],
          idempotent: false,
          decode: decodeCustomer
        }),
      findCurrentUsage: (id, params) =>
        execute({
          operation: "findCustomerCurrentUsage",
          method: "GET",
          path: ["customers", id, "current_usage"],
          query: params,
          idempotent: true,
          decode: decodeUsage
        }),
      getPortalUrl: (id) =>
        execute({
          operation: "getCustomerPortalUrl",
          method: "GET",
          path: ["customers", id, "portal_url"],
          idempotent: true,
          decode: decodePortalUrl
        }),
      deleteAppliedCoupon: (id, couponId) =>
        execute({
          operation: "deleteAppliedCoupon",
          method: "DELETE",
          path: ["customers", id, "applied_coupons", couponId],
          idempotent: true,
          decode: decodeAppliedCoupon
        })
    })
    return { customers }
  })

/**
 * A layer of the client, given its options; needs an `HttpClient`.
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options
): Layer.Layer<LagoClient, LagoError.LagoInvalidInputError, HttpClient.HttpClient> =>
  Layer.effect(LagoClient, make(options))

/**
 * Reads the client's settings from the environment: `LAGO_API_KEY` (required, a secret),
 * `LAGO_API_URL` (a self-hosted Lago) and `LAGO_REGION` (`us` or `eu`).
 *
 * @since 0.1.0
 */
export const config: Config.Config<Options> = Config.all({
  apiKey: Config.redacted("LAGO_API_KEY"),
  baseUrl: Config.option(Config.nonEmptyString("LAGO_API_URL")),
  region: Config.option(Config.literal("us", "eu")("LAGO_REGION"))
}).pipe(
  Config.map(({ apiKey, baseUrl, region }) => ({
    apiKey,
    baseUrl: Option.getOrUndefined(baseUrl),
    region: Option.getOrUndefined(region)
  }))
)

/**
 * A layer of the client configured from the environment (see `config`); `overrides` set the
 * rest (retries, time-outs). A missing `LAGO_API_KEY` fails with a `ConfigError` naming it.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  overrides: Omit<Options, "apiKey"> = {}
): Layer.Layer<LagoClient, ConfigError.ConfigError | LagoError.LagoInvalidInputError, HttpClient.HttpClient> =>
  Layer.effect(
    LagoClient,
    Effect.flatMap(config, (fromEnv) =>
      make({
        ...overrides,
        apiKey: fromEnv.apiKey,
        baseUrl: fromEnv.baseUrl ?? overrides.baseUrl,
        region: fromEnv.region ?? overrides.region
      }))
  )

const withOverrides = (patch: (current: CallOverrides) => CallOverrides) =>
<A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Effect.locallyWith(self, currentOverrides, patch)

/**
 * Changes the retry policy of the Lago calls made by an effect (and of the streams it runs).
 *
 * @example
 * ```ts
 * lago.customers.find("acme").pipe(LagoClient.withRetry({ times: 5 }))
 * lago.customers.destroy("acme").pipe(LagoClient.withRetry(RetryPolicy.none))
 * ```
 *
 * @since 0.1.0
 */
export const withRetry = (policy: Partial<RetryPolicy.RetryPolicy>) =>
  withOverrides((current) => ({ ...current, retry: { ...current.retry, ...policy } }))

/**
 * Changes the time-out of each attempt of the Lago calls made by an effect.
 *
 * @since 0.1.0
 */
export const withTimeout = (timeout: Duration.DurationInput) => withOverrides((current) => ({ ...current, timeout }))

/**
 * Sets (or with `"none"` removes) the deadline over all attempts and waits of each Lago call
 * made by an effect.
 *
 * @since 0.1.0
 */
export const withTotalTimeout = (totalTimeout: Duration.DurationInput | "none") =>
  withOverrides((current) => ({ ...current, totalTimeout }))

/**
 * The Lago client service. The class is also the module's entry point: `LagoClient.layer`,
 * `LagoClient.layerConfig`, `LagoClient.make` and the per-call `LagoClient.with*` combinators.
 *
 * @since 0.1.0
 */
export class LagoClient extends Context.Tag("@lago-effect/client/LagoClient")<LagoClient, LagoClient.Service>() {
  /** See {@link make}. */
  static readonly make = (options: Options) => make(options)
  /** See {@link layer}. */
  static readonly layer = (options: Options) => layer(options)
  /** See {@link layerConfig}. */
  static readonly layerConfig = (overrides?: Omit<Options, "apiKey">) => layerConfig(overrides)
  /** See {@link withRetry}. */
  static readonly withRetry = (policy: Partial<RetryPolicy.RetryPolicy>) => withRetry(policy)
  /** See {@link withTimeout}. */
  static readonly withTimeout = (timeout: Duration.DurationInput) => withTimeout(timeout)
  /** See {@link withTotalTimeout}. */
  static readonly withTotalTimeout = (totalTimeout: Duration.DurationInput | "none") => withTotalTimeout(totalTimeout)
}

/**
 * @since 0.1.0
 */
export declare namespace LagoClient {
  /** The service: the customers operations. */
  export interface Service {
    readonly customers: Customers
  }
  /** Options of a client. */
  export type ClientOptions = Options
  /** Options of `stream`. */
  export type StreamOptions = ModuleStreamOptions
  /** The customers operations. */
  export type CustomersApi = Customers
}
