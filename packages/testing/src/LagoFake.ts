/**
 * `LagoFake`: the customers endpoints of Lago's HTTP API served from a `LagoStore`, with
 * Lago's paths, envelopes, status codes, error bodies and headers, a fault plan and a log of
 * requests. `LagoFake.layerHttpClient` routes an `HttpClient` to it in memory; the `./node`
 * entry point serves it on a loopback port. The real `LagoClient` runs against both.
 *
 * @since 0.1.0
 */
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import type { CustomersQuery } from "@lago-effect/client"
import { AppliedCoupon, Customer, CustomerInput, CustomersPage, CustomerUsage, PortalUrl } from "@lago-effect/core"
import { Clock, Context, Duration, Effect, Either, Layer, ParseResult, Random, Ref, Schema } from "effect"
import type * as Fault from "./Fault.js"
import * as LagoStore from "./LagoStore.js"

/**
 * A request as the fake receives it.
 *
 * @since 0.1.0
 */
export interface FakeRequest {
  readonly method: string
  /** The full URL, or at least its path and query (`/api/v1/customers?page=2`). */
  readonly url: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * A response to send.
 *
 * @since 0.1.0
 */
export interface FakeResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * What the transport must do: send a response (maybe cutting its body), or drop the connection.
 *
 * @since 0.1.0
 */
export type Outcome =
  | { readonly _tag: "Respond"; readonly response: FakeResponse; readonly cutAt?: number | undefined }
  | { readonly _tag: "Drop"; readonly errno: "ECONNRESET" | "ECONNREFUSED" }

/**
 * A request in the log. Headers leave out `authorization`.
 *
 * @since 0.1.0
 */
export interface LoggedRequest extends Fault.RequestInfo {
  /** The URL as received (over a socket: the path and query only). */
  readonly url: string
  /** The raw path, percent-encoded as sent. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** The parsed JSON body, if any. */
  readonly body: unknown
  /** The fault applied, if any (its `_tag`). */
  readonly fault?: Fault.Fault["_tag"] | "RateLimit" | undefined
  /** The status answered, when a response was sent. */
  readonly status?: number | undefined
}

/**
 * Options of the fake.
 *
 * @since 0.1.0
 */
export interface Options {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  readonly apiKey?: string | undefined
}

/**
 * The fake's service: the handler, its fault plan and its request log.
 *
 * @since 0.1.0
 */
export interface LagoFakeService {
  /** Handles one request. */
  readonly handle: (request: FakeRequest) => Effect.Effect<Outcome>
  /** Adds a fault rule; rules apply in the order they were added. */
  readonly inject: (rule: Fault.Rule) => Effect.Effect<void>
  /** Seeded random faults, or `null` to stop them. */
  readonly randomFaults: (config: Fault.RandomFaults | null) => Effect.Effect<void>
  /** A rate limit, or `null` to lift it. */
  readonly rateLimit: (config: Fault.RateLimit | null) => Effect.Effect<void>
  /** Removes every rule, random fault and rate limit. */
  readonly clearFaults: Effect.Effect<void>
  /** Every request so far, in arrival order. */
  readonly requests: Effect.Effect<ReadonlyArray<LoggedRequest>>
  readonly clearRequests: Effect.Effect<void>
  /** The store behind the fake. */
  readonly store: LagoStore.LagoStoreService
}

/**
 * The fake Lago.
 *
 * @since 0.1.0
 */
export class LagoFake extends Context.Tag("@lago-effect/testing/LagoFake")<LagoFake, LagoFakeService>() {}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(body)
})

const failureResponse = (failure: LagoStore.LagoStoreFailure) => json(failure.status, failure.body)

/**
 * Lago's catch-all route (`match "*unmatched" => "application#not_found"`): JSON whatever the
 * `Accept` header, and before authentication.
 */
const routingNotFound: FakeResponse = json(404, { status: 404, error: "Not Found", code: "resource_not_found" })

const safeDecode = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

interface Route {
  readonly operation: Fault.Operation
  readonly params: ReadonlyArray<string>
}

/**
 * Lago's routes, matched like Rails does on the raw path: `:external_id` stops at a literal
 * dot (the rest is a format), so `/customers/acme.com` is customer `acme`, and a dotted id
 * before a nested route matches nothing (contract §4.6).
 */
const route = (method: string, rawSegments: ReadonlyArray<string>): Route | undefined => {
  const [root, id, nested, couponId, ...rest] = rawSegments
  if (root !== "customers" || rest.length > 0) return undefined
  if (id === undefined) {
    return method === "POST"
      ? { operation: "createCustomer", params: [] }
      : method === "GET"
      ? { operation: "findAllCustomers", params: [] }
      : undefined
  }
  const param = (raw: string, allowFormat: boolean) => {
    const [value, ...format] = raw.split(".")
    if (format.length > 0 && !allowFormat) return undefined
    return value === "" ? undefined : safeDecode(value)
  }
  if (nested === undefined) {
    const customer = param(id, true)
    if (customer === undefined) return undefined
    return method === "GET"
      ? { operation: "findCustomer", params: [customer] }
      : method === "DELETE"
      ? { operation: "destroyCustomer", params: [customer] }
      : undefined
  }
  const customer = param(id, false)
  if (customer === undefined) return undefined
  if (couponId === undefined) {
    if (method === "GET" && nested === "current_usage") {
      return { operation: "findCustomerCurrentUsage", params: [customer] }
    }
    if (method === "GET" && nested === "portal_url") return { operation: "getCustomerPortalUrl", params: [customer] }
    return undefined
  }
  const coupon = param(couponId, true)
  return method === "DELETE" && nested === "applied_coupons" && coupon !== undefined
    ? { operation: "deleteAppliedCoupon", params: [customer, coupon] }
    : undefined
}

const encodeCustomer = Schema.encodeSync(Customer.CustomerResponse)
const encodePage = Schema.encodeSync(CustomersPage.CustomersPage)
const encodeUsage = Schema.encodeSync(CustomerUsage.CustomerUsageResponse)
const encodeCoupon = Schema.encodeSync(AppliedCoupon.AppliedCouponResponse)
const encodePortalUrl = Schema.encodeSync(PortalUrl.PortalUrlResponse)
const decodeInput = Schema.decodeUnknownEither(CustomerInput.CustomerInput, { errors: "all" })

const parseJson = (body: string): Either.Either<unknown, void> => {
  try {
    return Either.right(JSON.parse(body))
  } catch {
    return Either.left(undefined)
  }
}

/** Lago's 422 for an input that does not decode: the first key of each failing path. */
const inputFailure = (error: ParseResult.ParseError, raw: unknown) => {
  const details: Record<string, Array<string>> = {}
  const missingId = typeof raw !== "object" || raw === null || !("external_id" in raw) ||
    typeof raw.external_id !== "string" || raw.external_id.trim() === ""
  if (missingId) details.external_id = ["value_is_mandatory"]
  for (const issue of ParseResult.ArrayFormatter.formatErrorSync(error)) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "base"
    if (key !== "external_id") details[key] ??= ["value_is_invalid"]
  }
  return LagoStore.validationFailure(details)
}

const booleanParam = (key: string, value: string | undefined) =>
  value === undefined
    ? Either.right(undefined)
    : value === "true"
    ? Either.right(true)
    : value === "false"
    ? Either.right(false)
    : Either.left({ [key]: ["must be one of: true, false"] })

const intParam = (value: string | undefined) => {
  if (value === undefined) return undefined
  // Rails' to_i: leading digits, else 0.
  const match = /^\s*-?\d+/.exec(value)
  return match === null ? 0 : Number.parseInt(match[0], 10)
}

/** Rack-style query: `a[]=1&a[]=2` → arrays, `m[k]=v` → records. */
const parseQuery = (query: ReadonlyArray<readonly [string, string]>) => {
  const scalars = new Map<string, string>()
  const lists = new Map<string, Array<string>>()
  const records = new Map<string, Record<string, string>>()
  for (const [key, value] of query) {
    const list = /^([^[\]]+)\[\]$/.exec(key)
    const record = /^([^[\]]+)\[([^\]]*)\]$/.exec(key)
    if (list !== null) lists.set(list[1], [...(lists.get(list[1]) ?? []), value])
    else if (record !== null) records.set(record[1], { ...records.get(record[1]), [record[2]]: value })
    else scalars.set(key, value)
  }
  return { scalars, lists, records }
}

const enumList = (key: string, values: ReadonlyArray<string> | undefined, valid: (value: string) => boolean) => {
  const errors: Record<string, Array<string>> = {}
  values?.forEach((value, index) => {
    if (!valid(value)) errors[String(index)] = [`must be one of the allowed values of ${key}`]
  })
  return Object.keys(errors).length === 0 ? undefined : { [key]: errors }
}

const listQuery = (
  query: ReadonlyArray<readonly [string, string]>
): Either.Either<CustomersQuery.FindAllQuery, Record<string, unknown>> => {
  const { lists, records, scalars } = parseQuery(query)
  const hasTin = booleanParam("has_tax_identification_number", scalars.get("has_tax_identification_number"))
  const hasType = booleanParam("has_customer_type", scalars.get("has_customer_type"))
  const customerType = scalars.get("customer_type")
  const errors = {
    ...(Either.isLeft(hasTin) ? hasTin.left : {}),
    ...(Either.isLeft(hasType) ? hasType.left : {}),
    ...(customerType !== undefined && !["company", "individual"].includes(customerType)
      ? { customer_type: ["must be one of: company, individual"] }
      : {}),
    ...enumList("account_type", lists.get("account_type"), (v) => v === "customer" || v === "partner"),
    ...enumList("countries", lists.get("countries"), (v) => /^[A-Z]{2}$/.test(v)),
    ...enumList("currencies", lists.get("currencies"), (v) => /^[A-Z]{3}$/.test(v))
  }
  if (Object.keys(errors).length > 0) return Either.left(errors)
  return Either.right({
    page: intParam(scalars.get("page")),
    per_page: intParam(scalars.get("per_page")),
    search_term: scalars.get("search_term"),
    external_id: scalars.get("external_id"),
    account_type: lists.get("account_type")?.filter((v) => v === "customer" || v === "partner"),
    billing_entity_codes: lists.get("billing_entity_codes"),
    countries: lists.get("countries"),
    states: lists.get("states"),
    zipcodes: lists.get("zipcodes"),
    currencies: lists.get("currencies"),
    has_tax_identification_number: Either.getOrUndefined(hasTin),
    customer_type: customerType,
    has_customer_type: Either.getOrUndefined(hasType),
    metadata: records.get("metadata")
  })
}

const usageQuery = (query: ReadonlyArray<readonly [string, string]>): CustomersQuery.CurrentUsageQuery => {
  const { scalars } = parseQuery(query)
  return {
    external_subscription_id: scalars.get("external_subscription_id") ?? "",
    apply_taxes: scalars.get("apply_taxes") === "false" ? false : undefined,
    full_usage: scalars.get("full_usage") === "true" ? true : undefined,
    charge_id: scalars.get("charge_id") ?? scalars.get("filter_by_charge_id"),
    charge_code: scalars.get("charge_code") ?? scalars.get("filter_by_charge_code"),
    billable_metric_code: scalars.get("billable_metric_code") ?? scalars.get("filter_by_metric_code")
  }
}

const hex = (n: number) => n.toString(16).padStart(8, "0")

/**
 * Makes a fake over the `LagoStore` in the environment.
 *
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<LagoFakeService, never, LagoStore.LagoStore> =>
  Effect.gen(function*() {
    const store = yield* LagoStore.LagoStore
    const rules = yield* Ref.make<ReadonlyArray<{ readonly rule: Fault.Rule; remaining: number }>>([])
    const random = yield* Ref.make<{ readonly config: Fault.RandomFaults; readonly random: Random.Random } | null>(
      null
    )
    const limit = yield* Ref.make<{ readonly config: Fault.RateLimit; start: number; count: number } | null>(null)
    const log = yield* Ref.make<ReadonlyArray<LoggedRequest>>([])
    let requestIds = 0

    const serve = (
      operation: Route,
      query: ReadonlyArray<readonly [string, string]>,
      body: unknown
    ): Effect.Effect<FakeResponse> => {
      const [id, second] = operation.params
      const handled: Effect.Effect<FakeResponse, LagoStore.LagoStoreFailure> = (() => {
        switch (operation.operation) {
          case "createCustomer": {
            const customer = typeof body === "object" && body !== null && "customer" in body ? body.customer : undefined
            if (typeof customer !== "object" || customer === null || Array.isArray(customer)) {
              return Effect.fail(
                LagoStore.badRequest("param is missing or the value is empty or invalid: customer")
              )
            }
            const input = decodeInput(customer)
            if (Either.isLeft(input)) return Effect.fail(inputFailure(input.left, customer))
            return Effect.map(store.upsert(input.right), (c) => json(200, encodeCustomer({ customer: c })))
          }
          case "findAllCustomers": {
            const parsed = listQuery(query)
            if (Either.isLeft(parsed)) return Effect.fail(LagoStore.validationFailure(parsed.left))
            return Effect.map(store.list(parsed.right), (page) => json(200, encodePage(page)))
          }
          case "findCustomer":
            return Effect.map(store.find(id), (c) => json(200, encodeCustomer({ customer: c })))
          case "destroyCustomer":
            return Effect.map(store.destroy(id), (c) => json(200, encodeCustomer({ customer: c })))
          case "findCustomerCurrentUsage":
            return Effect.map(
              store.currentUsage(id, usageQuery(query)),
              (usage) => json(200, encodeUsage({ customer_usage: usage }))
            )
          case "getCustomerPortalUrl":
            return Effect.map(
              store.portalUrl(id),
              (url) => json(200, encodePortalUrl({ customer: { portal_url: url } }))
            )
          case "deleteAppliedCoupon":
            return Effect.map(
              store.deleteAppliedCoupon(id, second),
              (coupon) => json(200, encodeCoupon({ applied_coupon: coupon }))
            )
        }
      })()
      return Effect.catchAll(handled, (failure) => Effect.succeed(failureResponse(failure)))
    }

    /** Latency rules all add up; the first other matching rule (or a random fault) is the fault. */
    const pickFaults = (info: Fault.RequestInfo) =>
      Effect.gen(function*() {
        const delays: Array<Duration.DurationInput> = []
        let fault: Exclude<Fault.Fault, { readonly _tag: "Latency" }> | undefined
        for (const entry of yield* Ref.get(rules)) {
          const { rule } = entry
          if (entry.remaining <= 0) continue
          if (rule.route !== undefined && rule.route !== info.operation) continue
          if (rule.when !== undefined && !rule.when(info)) continue
          if (rule.fault._tag !== "Latency" && fault !== undefined) continue
          entry.remaining--
          if (rule.fault._tag === "Latency") delays.push(rule.fault.duration)
          else fault = rule.fault
        }
        const randomFaults = yield* Ref.get(random)
        if (
          fault === undefined && randomFaults !== null && randomFaults.config.faults.length > 0 &&
          (randomFaults.config.route === undefined || randomFaults.config.route === info.operation)
        ) {
          const roll = yield* randomFaults.random.next
          if (roll < randomFaults.config.rate) {
            const index = yield* randomFaults.random.nextIntBetween(0, randomFaults.config.faults.length)
            const picked = randomFaults.config.faults[index]
            if (picked._tag === "Latency") delays.push(picked.duration)
            else fault = picked
          }
        }
        return { delays, fault }
      })

    const rateLimitHeaders = Effect.gen(function*() {
      const state = yield* Ref.get(limit)
      if (state === null) return { headers: {}, exceeded: false }
      const now = yield* Clock.currentTimeMillis
      const windowMillis = Duration.toMillis(state.config.window)
      if (now - state.start >= windowMillis) {
        state.start = now - ((now - state.start) % windowMillis)
        state.count = 0
      }
      state.count++
      const exceeded = state.count > state.config.limit
      const headers = {
        "x-ratelimit-limit": String(state.config.limit),
        "x-ratelimit-remaining": String(Math.max(0, state.config.limit - state.count)),
        "x-ratelimit-reset": String(Math.max(1, Math.ceil((state.start + windowMillis - now) / 1000)))
      }
      return { headers, exceeded }
    })

    const handle = (request: FakeRequest): Effect.Effect<Outcome> =>
      Effect.gen(function*() {
        const url = new URL(request.url, "http://lago.fake")
        const rawPath = url.pathname
        const trimmed = rawPath.replace(/\/+$/, "")
        const prefix = "/api/v1/"
        const rawSegments = trimmed.startsWith(prefix) ? trimmed.slice(prefix.length).split("/") : undefined
        const matched = rawSegments === undefined ? undefined : route(request.method, rawSegments)
        const query = Array.from(url.searchParams.entries())
        const parsedBody = request.body === "" ? Either.right(undefined) : parseJson(request.body)
        const { authorization: _, ...headers } = request.headers
        const info: Fault.RequestInfo = {
          method: request.method,
          operation: matched?.operation,
          segments: (rawSegments ?? []).map((segment) => safeDecode(segment) ?? segment),
          query
        }
        const entry: { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] } = {
          ...info,
          url: request.url,
          path: rawPath,
          headers,
          body: Either.getOrUndefined(parsedBody)
        }
        yield* Ref.update(log, (all) => [...all, entry])

        // Rails sanitises a client's X-Request-Id, else makes one.
        const sent = (request.headers["x-request-id"] ?? "").replace(/[^\w-]/g, "").slice(0, 255)
        const requestId = sent !== "" ? sent : `fake-${hex(++requestIds)}`
        const rate = yield* rateLimitHeaders
        const finish = (response: FakeResponse, cutAt?: number): Outcome => {
          entry.status = response.status
          return {
            _tag: "Respond",
            response: { ...response, headers: { ...response.headers, ...rate.headers, "x-request-id": requestId } },
            cutAt
          }
        }

        const { delays, fault } = yield* pickFaults(info)
        for (const delay of delays) yield* Effect.sleep(delay)
        if (fault !== undefined) {
          entry.fault = fault._tag
          switch (fault._tag) {
            case "Drop":
              return { _tag: "Drop", errno: fault.errno }
            case "Status":
              return finish({
                status: fault.status,
                headers: { "content-type": "application/json; charset=utf-8", ...fault.headers },
                body: fault.body ?? ""
              })
            case "MalformedJson":
              return finish({ status: 200, headers: { "content-type": "application/json" }, body: "{\"customer\": {" })
          }
        }
        if (rate.exceeded) {
          entry.fault = "RateLimit"
          return finish(json(429, { status: 429, error: "Too Many Requests" }))
        }
        if (matched === undefined) return finish(routingNotFound)
        if (options.apiKey !== undefined && request.headers["authorization"]?.split(" ")[1] !== options.apiKey) {
          return finish(json(401, { status: 401, error: "Unauthorized" }))
        }
        if (Either.isLeft(parsedBody)) return finish(json(400, { status: 400, error: "Bad Request" }))
        const response = yield* serve(matched, query, parsedBody.right)
        if (fault !== undefined && fault._tag === "CutBody") {
          const cutAt = Math.max(
            1,
            Math.min(response.body.length - 1, Math.floor(response.body.length * fault.fraction))
          )
          return finish(response, cutAt)
        }
        return finish(response)
      })

    const service: LagoFakeService = {
      handle,
      inject: (rule) =>
        Ref.update(rules, (all) => [...all, { rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }]),
      randomFaults: (config) => Ref.set(random, config === null ? null : { config, random: Random.make(config.seed) }),
      rateLimit: (config) =>
        Effect.flatMap(
          Clock.currentTimeMillis,
          (now) => Ref.set(limit, config === null ? null : { config, start: now, count: 0 })
        ),
      clearFaults: Effect.all([Ref.set(rules, []), Ref.set(random, null), Ref.set(limit, null)], { discard: true }),
      requests: Ref.get(log),
      clearRequests: Ref.set(log, []),
      store
    }
    return service
  })

/**
 * A fake (and its store), seeded.
 *
 * @since 0.1.0
 */
export const layer = (
  options: Options & { readonly seed?: LagoStore.Seed | undefined } = {}
): Layer.Layer<LagoFake | LagoStore.LagoStore> =>
  Layer.effect(LagoFake, make(options)).pipe(Layer.provideMerge(LagoStore.layer(options.seed)))

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const requestBody = (body: HttpClientResponse.HttpClientResponse["request"]["body"]): string => {
  switch (body._tag) {
    case "Uint8Array":
      return decoder.decode(body.body)
    case "Raw":
      return typeof body.body === "string" ? body.body : ""
    default:
      return ""
  }
}

/** A web Response whose body stream fails after `cutAt` characters: the connection died mid-body. */
const cutResponse = (response: FakeResponse, cutAt: number): Response => {
  const bytes = encoder.encode(response.body.slice(0, cutAt))
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes)
      controller.error(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }))
    }
  })
  return new Response(stream, { status: response.status, headers: response.headers })
}

/**
 * An `HttpClient` that sends every request to the fake in memory (no socket). Faults show
 * as the client would see them over a network: dropped connections fail the request, cut
 * bodies fail while reading.
 *
 * @since 0.1.0
 */
export const layerHttpClient: Layer.Layer<HttpClient.HttpClient, never, LagoFake> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(LagoFake, (fake) =>
    HttpClient.make((request, url) =>
      Effect.flatMap(
        fake.handle({
          method: request.method,
          url: url.toString(),
          headers: request.headers,
          body: requestBody(request.body)
        }),
        (outcome) => {
          if (outcome._tag === "Drop") {
            return Effect.fail(
              new HttpClientError.RequestError({
                request,
                reason: "Transport",
                cause: Object.assign(new Error(`connect ${outcome.errno}`), { code: outcome.errno }),
                description: outcome.errno === "ECONNREFUSED" ? "connection refused" : "socket hang up"
              })
            )
          }
          const { response } = outcome
          const web = outcome.cutAt === undefined
            ? new Response(response.body === "" ? null : response.body, {
              status: response.status,
              headers: response.headers
            })
            : cutResponse(response, outcome.cutAt)
          return Effect.succeed(HttpClientResponse.fromWeb(request, web))
        }
      )
    ))
)

/**
 * The fake, its store and an `HttpClient` routed to it: what a `LagoClient.layer` needs.
 *
 * @since 0.1.0
 */
export const layerClient = (
  options: Options & { readonly seed?: LagoStore.Seed | undefined } = {}
): Layer.Layer<HttpClient.HttpClient | LagoFake | LagoStore.LagoStore> =>
  layerHttpClient.pipe(Layer.provideMerge(layer(options)))
