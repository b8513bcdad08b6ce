/**
 * The Lago client: the `LagoClient` service, made by `make` and provided by `layer` /
 * `layerConfig` over `@effect/platform`'s `HttpClient`, and the per-call combinators
 * `withRetry`, `withTimeout` and `withTotalTimeout`.
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
 *   yield* lago.customers.stream({ per_page: 100 }).pipe(Stream.runForEach((c) => Effect.log(c.external_id)))
 * }).pipe(
 *   Effect.provide(LagoClient.layerConfig()), // LAGO_API_KEY, LAGO_API_URL, LAGO_REGION
 *   Effect.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type { LagoError } from "@lago-effect/core"
import type { ConfigError, Redacted } from "effect"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as ModuleVersion from "effect/ModuleVersion"
import * as Option from "effect/Option"
import * as Customers from "./Customers.js"
import type { CallOverrides, Settings } from "./internal/executor.js"
import { currentOverrides, makeRunner } from "./internal/executor.js"
import {
  checkApiKey,
  checkBaseUrl,
  checkDuration,
  checkHeaders,
  checkMaxResponseBytes,
  checkRetry,
  isLoopback
} from "./internal/settings.js"
import { version } from "./internal/version.js"
import * as RetryPolicy from "./RetryPolicy.js"

/**
 * The service: Lago's resources. Today, the customers operations.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  readonly customers: Customers.Service
}

/**
 * The Lago client.
 *
 * @category services
 * @since 0.1.0
 */
export class LagoClient extends Context.Tag("@lago-effect/client/LagoClient")<LagoClient, Service>() {}

/**
 * Lago regions: `us` is `https://api.getlago.com`, `eu` is `https://api.eu.getlago.com`.
 *
 * @category models
 * @since 0.1.0
 */
export type Region = "us" | "eu"

/**
 * Options of a client.
 *
 * @category models
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
   * real Lago page (100 populated customers are about 200 KiB).
   */
  readonly maxResponseBytes?: number | undefined
  /**
   * Headers sent with every request (a proxy's, a tenant's). They cannot replace the ones the
   * client owns: `Authorization` and `X-Request-Id`.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

const defaultMaxResponseBytes = 32 * 1024 * 1024

const regionUrls: Record<Region, string> = {
  us: "https://api.getlago.com/api/v1",
  eu: "https://api.eu.getlago.com/api/v1"
}

/**
 * The API base URL of a client: the region's, or `baseUrl` with `/api/v1` appended when missing.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolveBaseUrl = (options: Pick<Options, "baseUrl" | "region">): string => {
  if (options.baseUrl === undefined || options.baseUrl.trim() === "") return regionUrls[options.region ?? "us"]
  const trimmed = options.baseUrl.trim().replace(/\/+$/, "")
  return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`
}

/**
 * Checks a client's options and resolves its defaults, or fails with `LagoInvalidInputError`
 * naming the setting (never echoing the key).
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
    const headers = yield* checkHeaders(operation, options.headers ?? {})
    if (url.protocol === "http:" && !isLoopback(url.hostname)) {
      yield* Effect.logWarning("Lago base URL uses http: the API key and all data travel unencrypted").pipe(
        Effect.annotateLogs({ baseUrl: url.origin })
      )
    }
    return {
      baseUrl: url.toString().replace(/\/+$/, ""),
      apiKey,
      retry,
      timeout,
      totalTimeout,
      maxResponseBytes,
      headers,
      userAgent: `lago-effect/${version} effect/${ModuleVersion.getCurrentVersion()}`
    }
  })

/**
 * Makes a client over the `HttpClient` in the environment. Fails with
 * `LagoInvalidInputError` when an option is unusable (see `Options`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: Options
): Effect.Effect<Service, LagoError.LagoInvalidInputError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const settings = yield* resolveSettings(options)
    const httpClient = yield* HttpClient.HttpClient
    return { customers: Customers.make(makeRunner(httpClient, settings), { baseUrl: settings.baseUrl }) }
  })

/**
 * A layer of the client, given its options; needs an `HttpClient`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  options: Options
): Layer.Layer<LagoClient, LagoError.LagoInvalidInputError, HttpClient.HttpClient> =>
  Layer.effect(LagoClient, make(options))

/**
 * Options of `layerConfig`: the key, URL and region as `Config`s (each read from the
 * environment unless given), the rest as values.
 *
 * @category models
 * @since 0.1.0
 */
export interface ConfigOptions extends Omit<Options, "apiKey" | "baseUrl" | "region"> {
  /** Default `Config.redacted("LAGO_API_KEY")`: a missing key is a `ConfigError` naming it. */
  readonly apiKey?: Config.Config<Redacted.Redacted<string>> | undefined
  /** Default `LAGO_API_URL`, when set. */
  readonly baseUrl?: Config.Config<string | undefined> | undefined
  /** Default `LAGO_REGION` (`us` or `eu`), when set. */
  readonly region?: Config.Config<Region | undefined> | undefined
}

const optional = <A>(config: Config.Config<A>): Config.Config<A | undefined> =>
  Config.map(Config.option(config), Option.getOrUndefined)

/**
 * A layer of the client configured with `Config`: each of the key, URL and region comes from
 * the `Config` given, else from the environment (`LAGO_API_KEY`, `LAGO_API_URL`,
 * `LAGO_REGION`). What the caller gives always wins over the environment.
 *
 * @example
 * ```ts
 * import { LagoClient } from "@lago-effect/client"
 * import { Config } from "effect"
 *
 * // the key from the environment, the URL from another variable, a 10 s attempt time-out
 * LagoClient.layerConfig({ baseUrl: Config.string("BILLING_URL"), timeout: "10 seconds" })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layerConfig = (
  options: ConfigOptions = {}
): Layer.Layer<LagoClient, ConfigError.ConfigError | LagoError.LagoInvalidInputError, HttpClient.HttpClient> => {
  const { apiKey, baseUrl, region, ...rest } = options
  return Layer.effect(
    LagoClient,
    Effect.flatMap(
      Config.all({
        apiKey: apiKey ?? Config.redacted("LAGO_API_KEY"),
        baseUrl: baseUrl ?? optional(Config.nonEmptyString("LAGO_API_URL")),
        region: region ?? optional(Config.literal("us", "eu")("LAGO_REGION"))
      }),
      (settings) => make({ ...rest, ...settings })
    )
  )
}

const withOverrides = <A, E, R>(self: Effect.Effect<A, E, R>, patch: (current: CallOverrides) => CallOverrides) =>
  Effect.locallyWith(self, currentOverrides, patch)

/**
 * Changes the retry policy of the Lago calls made by an effect (and by the streams it runs).
 * Checked when a call runs: a malformed setting fails it with `LagoInvalidInputError`.
 *
 * @example
 * ```ts
 * import { LagoClient, RetryPolicy } from "@lago-effect/client"
 * import { Effect } from "effect"
 *
 * const destroy = Effect.flatMap(LagoClient.LagoClient, (lago) => lago.customers.destroy("acme"))
 * destroy.pipe(LagoClient.withRetry(RetryPolicy.none))
 * LagoClient.withRetry(destroy, { times: 5 })
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const withRetry: {
  (policy: Partial<RetryPolicy.RetryPolicy>): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RetryPolicy.RetryPolicy>): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, policy: Partial<RetryPolicy.RetryPolicy>) =>
    withOverrides(self, (current) => ({ ...current, retry: { ...current.retry, ...policy } }))
)

/**
 * Changes the time-out of each attempt of the Lago calls made by an effect.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withTimeout: {
  (timeout: Duration.DurationInput): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, timeout: Duration.DurationInput) =>
    withOverrides(self, (current) => ({ ...current, timeout }))
)

/**
 * Sets (or with `"none"` removes) the deadline over all attempts and waits of each Lago call
 * made by an effect.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withTotalTimeout: {
  (totalTimeout: Duration.DurationInput | "none"): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, totalTimeout: Duration.DurationInput | "none"): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, totalTimeout: Duration.DurationInput | "none") =>
    withOverrides(self, (current) => ({ ...current, totalTimeout }))
)
