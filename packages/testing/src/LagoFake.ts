/**
 * `LagoFake`: Lago's customers endpoints served from a `LagoStore`, with Lago's routes (from the
 * client's table of operations), envelopes, status codes, error bodies and headers, a fault
 * plan and a log of requests. `LagoFake.layerHttpClient` routes an `HttpClient` to it in
 * memory; `@lago-effect/testing/node` serves it on a loopback port. The real `LagoClient` runs
 * against both.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import type * as Fault from "./Fault.js"
import type { LagoStoreFailure } from "./internal/failures.js"
import * as FaultPlan from "./internal/faultPlan.js"
import { makeHandlers } from "./internal/handlers.js"
import * as Routing from "./internal/routing.js"
import * as LagoStore from "./LagoStore.js"

/**
 * A request as the fake receives it.
 *
 * @category models
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
 * @category models
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
 * @category models
 * @since 0.1.0
 */
export type Outcome =
  | { readonly _tag: "Respond"; readonly response: FakeResponse; readonly cutAt?: number | undefined }
  | { readonly _tag: "Drop"; readonly errno: "ECONNRESET" | "ECONNREFUSED" }

/**
 * A request in the log. Headers leave out `authorization`.
 *
 * @category models
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
  /** When it arrived (`Clock` time, epoch milliseconds): `TestClock` time under a test clock. */
  readonly receivedAtMillis: number
}

/**
 * Options of the fake.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. */
  readonly apiKey?: string | undefined
}

/**
 * The fake's service: the handler, its fault plan and its request log.
 *
 * @category models
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
 * @category services
 * @since 0.1.0
 */
export class LagoFake extends Context.Tag("@lago-effect/testing/LagoFake")<LagoFake, LagoFakeService>() {}

const json = (status: number, body: unknown): FakeResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body)
})

const failure = (error: LagoStoreFailure) => json(error.status, error.body)

/** Lago's catch-all route: JSON whatever the `Accept` header, and before authentication. */
const routingNotFound = json(404, { status: 404, error: "Not Found", code: "resource_not_found" })

const parseJson = (body: string): Either.Either<unknown, void> => {
  if (body === "") return Either.right(undefined)
  try {
    return Either.right(JSON.parse(body))
  } catch {
    return Either.left(undefined)
  }
}

/** A request read off the wire: its route (if any), query, body and what fault rules see. */
const read = (request: FakeRequest) => {
  const url = new URL(request.url, "http://lago.fake")
  const trimmed = url.pathname.replace(/\/+$/, "")
  const prefix = "/api/v1/"
  const raw = trimmed.startsWith(prefix) ? trimmed.slice(prefix.length).split("/") : undefined
  const route = raw === undefined ? undefined : Routing.match(request.method, raw)
  const query = Array.from(url.searchParams.entries())
  const info: Fault.RequestInfo = {
    method: request.method,
    operation: route?.operation.id,
    segments: (raw ?? []).map(Routing.decodeSegment),
    query
  }
  return { path: url.pathname, route, query, body: parseJson(request.body), info }
}

/** Where a cut body stops: somewhere inside it, never at its ends. */
const cutPoint = (body: string, fraction: number) =>
  Math.max(1, Math.min(body.length - 1, Math.floor(body.length * fraction)))

/**
 * Makes a fake over the `LagoStore` in the environment.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<LagoFakeService, never, LagoStore.LagoStore> =>
  Effect.gen(function*() {
    const store = yield* LagoStore.LagoStore
    const handlers = makeHandlers(store)
    const plan = yield* FaultPlan.make
    const log = yield* Ref.make<ReadonlyArray<LoggedRequest>>([])
    const requestIds = yield* Ref.make(0)

    /** Logs a request when it arrives; its outcome is filled in when it is known. */
    const arrive = (entry: LoggedRequest) => Ref.modify(log, (all) => [all.length, [...all, entry]] as const)
    const settle = (index: number, patch: Pick<LoggedRequest, "fault" | "status">) =>
      Ref.update(log, (all) => all.map((entry, i) => i === index ? { ...entry, ...patch } : entry))

    /** The answer of a routed, authorized request, from the store's handler. */
    const serve = (route: Routing.Route, query: ReadonlyArray<readonly [string, string]>, body: unknown) =>
      handlers[route.operation.id]({ params: route.params, query, body }).pipe(
        Effect.match({ onFailure: failure, onSuccess: (encoded) => json(200, encoded) })
      )

    const respond = (request: FakeRequest, requested: ReturnType<typeof read>, fault: FaultPlan.Picked["fault"]) =>
      Effect.gen(function*() {
        if (fault?._tag === "Status") {
          return {
            status: fault.status,
            headers: { "content-type": "application/json; charset=utf-8", ...fault.headers },
            body: fault.body ?? ""
          }
        }
        if (fault?._tag === "MalformedJson") {
          return { status: 200, headers: { "content-type": "application/json" }, body: "{\"customer\": {" }
        }
        if (requested.route === undefined) return routingNotFound
        if (options.apiKey !== undefined && request.headers["authorization"]?.split(" ")[1] !== options.apiKey) {
          return json(401, { status: 401, error: "Unauthorized" })
        }
        if (Either.isLeft(requested.body)) return json(400, { status: 400, error: "Bad Request" })
        return yield* serve(requested.route, requested.query, requested.body.right)
      })

    const handle = (request: FakeRequest): Effect.Effect<Outcome> =>
      Effect.gen(function*() {
        const requested = read(request)
        const { authorization: _, ...headers } = request.headers
        const index = yield* arrive({
          ...requested.info,
          receivedAtMillis: yield* Clock.currentTimeMillis,
          url: request.url,
          path: requested.path,
          headers,
          body: Either.getOrUndefined(requested.body)
        })
        // Rails sanitises a client's X-Request-Id, else makes one.
        const sent = (request.headers["x-request-id"] ?? "").replace(/[^\w-]/g, "").slice(0, 255)
        const serial = yield* Ref.updateAndGet(requestIds, (n) => n + 1)
        const requestId = sent !== "" ? sent : `fake-${serial.toString(16).padStart(8, "0")}`
        const rate = yield* plan.countRequest
        const { delays, fault } = yield* plan.pick(requested.info)
        for (const delay of delays) yield* Effect.sleep(delay)
        if (fault?._tag === "Drop") {
          yield* settle(index, { fault: fault._tag })
          return { _tag: "Drop", errno: fault.errno }
        }
        const limited = fault === undefined && rate.exceeded
        const response = limited
          ? json(429, { status: 429, error: "Too Many Requests" })
          : yield* respond(request, requested, fault)
        yield* settle(index, { fault: limited ? "RateLimit" : fault?._tag, status: response.status })
        return {
          _tag: "Respond",
          response: { ...response, headers: { ...response.headers, ...rate.headers, "x-request-id": requestId } },
          cutAt: fault?._tag === "CutBody" ? cutPoint(response.body, fault.fraction) : undefined
        }
      })

    return {
      handle,
      inject: plan.inject,
      randomFaults: plan.randomFaults,
      rateLimit: plan.rateLimit,
      clearFaults: plan.clear,
      requests: Ref.get(log),
      clearRequests: Ref.set(log, []),
      store
    }
  })

/**
 * A fake (and its store), seeded.
 *
 * @category layers
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
 * An `HttpClient` that sends every request to the `LagoFake` of the environment, in memory (no
 * socket). Faults show as the client would see them over a network: dropped connections fail
 * the request, cut bodies fail while reading.
 *
 * @category constructors
 * @since 0.1.0
 */
export const httpClient: Effect.Effect<HttpClient.HttpClient, never, LagoFake> = Effect.map(
  LagoFake,
  (fake) =>
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
    )
)

/**
 * The fake, its store, and an in-memory `HttpClient` routed to it: what `LagoClient.layer`
 * needs to run against the fake without a socket.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerHttpClient = (
  options: Options & { readonly seed?: LagoStore.Seed | undefined } = {}
): Layer.Layer<HttpClient.HttpClient | LagoFake | LagoStore.LagoStore> =>
  Layer.effect(HttpClient.HttpClient, httpClient).pipe(Layer.provideMerge(layer(options)))
