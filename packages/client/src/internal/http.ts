/**
 * One Lago call over `HttpClient`: the request, its attempts with their time-out, the
 * bounded reading of the body, the retries, the mapping of every failure to a `LagoError`,
 * and the span.
 */
import { FetchHttpClient, Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import { LagoError } from "@lago-effect/core"
import type { Scope } from "effect"
import { Clock, Duration, Effect, FiberRef, Option, ParseResult, Random, Redacted, Schedule, Stream } from "effect"
import { globalValue } from "effect/GlobalValue"
import type { QueryParams } from "../CustomersQuery.js"
import * as RetryPolicy from "../RetryPolicy.js"
import { makeScrub } from "./scrub.js"
import { checkDuration, checkRetry } from "./settings.js"

/** Settings of a client, checked and with defaults. */
export interface Settings {
  /** The API base URL, without a trailing slash, e.g. `https://api.getlago.com/api/v1`. */
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly retry: RetryPolicy.RetryPolicy
  /** Per attempt. */
  readonly timeout: Duration.Duration
  /** Over all attempts and waits. */
  readonly totalTimeout: Option.Option<Duration.Duration>
  /** The largest response body read, in bytes (after decompression). */
  readonly maxResponseBytes: number
}

/** What a caller may change for one call (`LagoClient.withRetry`, `withTimeout`, ...). */
export interface CallOverrides {
  readonly retry?: Partial<RetryPolicy.RetryPolicy> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly totalTimeout?: Duration.DurationInput | "none" | undefined
}

/**
 * Per-call overrides, set with `Effect.locally` by the `LagoClient.with*` combinators. A
 * global value, so that two loaded copies of this module share it.
 */
export const currentOverrides: FiberRef.FiberRef<CallOverrides> = globalValue(
  Symbol.for("@lago-effect/client/currentOverrides"),
  () => FiberRef.unsafeMake<CallOverrides>({})
)

/** One call to make. */
export interface Call<A> {
  /** Lago's operation id, e.g. `findCustomer`. */
  readonly operation: string
  readonly method: "GET" | "POST" | "DELETE"
  /** Raw path segments after the base URL; each is percent-encoded here. */
  readonly path: ReadonlyArray<string>
  readonly query?: QueryParams | undefined
  /** A JSON body, already encoded. */
  readonly body?: unknown
  /** False for `destroy`: retried only when the request provably never reached Lago. */
  readonly idempotent: boolean
  /** Decodes a 2xx body. */
  readonly decode: (body: string) => Effect.Effect<A, ParseResult.ParseError>
}

/**
 * Percent-encodes a path segment. Dots too: Lago's router reads `acme.com` as id `acme` with
 * format `com`, while `%2E` reaches it as part of the id.
 */
export const encodeSegment = (segment: string): string => encodeURIComponent(segment).replace(/\./g, "%2E")

const connectErrnos = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
])

// Undici wraps the system error (`fetch failed` → cause → {code}); node:http does not.
const findErrno = (cause: unknown, depth = 0): string | undefined => {
  if (depth > 5 || typeof cause !== "object" || cause === null) return undefined
  if ("code" in cause && typeof cause.code === "string") return cause.code
  if (cause instanceof AggregateError) {
    for (const error of cause.errors) {
      const errno = findErrno(error, depth + 1)
      if (errno !== undefined) return errno
    }
  }
  return "cause" in cause ? findErrno(cause.cause, depth + 1) : undefined
}

const maxTextLength = 2_000

const truncate = (text: string): string => text.length > maxTextLength ? `${text.slice(0, maxTextLength)}…` : text

const describeCause = (error: HttpClientError.HttpClientError): string => {
  const cause: unknown = error.cause
  const detail = cause instanceof Error ? cause.message : undefined
  return [error.reason, error.description ?? detail].filter((part) => part !== undefined).join(": ")
}

const formatIssue = (error: ParseResult.ParseError): string => {
  try {
    return ParseResult.TreeFormatter.formatErrorSync(error)
  } catch {
    // The formatter prints the actual value, recursively: a hostile body nested thousands of
    // levels deep overflows the stack. The parse failed all the same; say so without the value.
    return `the body does not match the contract (${error.issue._tag} issue, too deeply nested to print)`
  }
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, "0")

/** A UUID v4 from Effect's `Random`, so tests can make it deterministic. */
export const makeRequestId: Effect.Effect<string> = Effect.map(
  Effect.all(Array.from({ length: 8 }, () => Random.nextIntBetween(0, 0x10000))),
  ([a, b, c, d, e, f, g, h]) =>
    `${hex(a, 4)}${hex(b, 4)}-${hex(c, 4)}-4${hex(d & 0x0fff, 3)}-${hex((e & 0x3fff) | 0x8000, 4)}-${hex(f, 4)}${
      hex(g, 4)
    }${hex(h, 4)}`
)

const toSearch = (query: QueryParams | undefined): string => {
  if (query === undefined || query.length === 0) return ""
  const params = new URLSearchParams()
  for (const [key, value] of query) params.append(key, value)
  return `?${params.toString()}`
}

/** The settings of one call: the client's, with the caller's overrides checked and applied. */
interface CallSettings {
  readonly retry: RetryPolicy.RetryPolicy
  readonly timeout: Duration.Duration
  readonly totalTimeout: Option.Option<Duration.Duration>
}

const resolveOverrides = (
  operation: string,
  settings: Settings,
  overrides: CallOverrides
): Effect.Effect<CallSettings, LagoError.LagoInvalidInputError> =>
  Effect.gen(function*() {
    const retry = overrides.retry === undefined
      ? settings.retry
      : yield* checkRetry(operation, { ...settings.retry, ...overrides.retry })
    const timeout = overrides.timeout === undefined
      ? settings.timeout
      : yield* checkDuration(operation, "timeout", overrides.timeout, { positive: true })
    const totalTimeout = overrides.totalTimeout === undefined
      ? settings.totalTimeout
      : overrides.totalTimeout === "none"
      ? Option.none()
      : Option.some(yield* checkDuration(operation, "totalTimeout", overrides.totalTimeout, { positive: true }))
    return { retry, timeout, totalTimeout }
  })

type Fetch = typeof globalThis.fetch

const manualFetches = new WeakMap<Fetch, Fetch>()
const manualFetchSet = new WeakSet<Fetch>()

/** The same fetch, told never to follow a redirect: a 3xx comes back as it is. */
const manualRedirects = (fetch: Fetch): Fetch => {
  if (manualFetchSet.has(fetch)) return fetch
  const known = manualFetches.get(fetch)
  if (known !== undefined) return known
  const manual: Fetch = (input, init) => fetch(input, { ...init, redirect: "manual" })
  manualFetches.set(fetch, manual)
  manualFetchSet.add(manual)
  return manual
}

const everyHeader = /./

/**
 * The user's `HttpClient`, made safe for Lago calls:
 *
 * - It never follows a redirect. `FetchHttpClient` follows them by default (a POST turned into
 *   a GET, the key sent to another origin): its fetch is wrapped with `redirect: "manual"`,
 *   keeping any `RequestInit` the user set. Node's clients (`NodeHttpClient.layerUndici`,
 *   `NodeHttpClient.layer`) never follow redirects.
 * - The platform's `http.client` span records header values; a server may echo the key into
 *   any response header, so every header value on that span is redacted (the `Lago.*` span
 *   carries the request id, status and attempts).
 */
export const harden = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transformResponse(client, (effect) =>
    Effect.flatMap(
      Effect.serviceOption(FetchHttpClient.Fetch),
      (current) =>
        effect.pipe(
          Effect.provideService(
            FetchHttpClient.Fetch,
            manualRedirects(Option.getOrElse(current, () => globalThis.fetch))
          ),
          Effect.locallyWith(Headers.currentRedactedNames, (names) => [...names, everyHeader])
        )
    ))

/** What every error of one call names, and what its span reports. */
interface CallContext {
  readonly operation: string
  readonly method: string
  /** The URL errors, logs and spans show: the base URL has no credentials, query or fragment. */
  readonly url: string
  readonly requestId: string
  /** Attempts made so far. */
  attempts: number
  /** The status of the last response, if any came. */
  lastStatus: number | undefined
}

const decoder = new TextDecoder()

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Reads a body up to `limit` bytes (as the transport hands them over, i.e. decompressed).
 * Past the limit reading stops at once: the stream's end aborts the request, which releases
 * the connection. An announced `Content-Length` over the limit is refused before any read.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  tooLarge: () => LagoError.LagoError,
  transport: (error: HttpClientError.ResponseError) => LagoError.LagoError
): Effect.Effect<string, LagoError.LagoError> => {
  const announced = response.headers["content-length"]
  if (announced !== undefined && /^\d+$/.test(announced) && Number(announced) > limit) {
    return Effect.fail(tooLarge())
  }
  const state = { chunks: new Array<Uint8Array>(), size: 0 }
  // A web Response without a body (a 204, an empty 404) has no stream at all.
  const body = Stream.catchAll(
    response.stream,
    (error) => error.reason === "EmptyBody" ? Stream.empty : Stream.fail(transport(error))
  )
  return Stream.runForEach(
    body,
    (chunk) => {
      state.size += chunk.length
      if (state.size > limit) return Effect.fail(tooLarge())
      state.chunks.push(chunk)
      return Effect.void
    }
  ).pipe(Effect.map(() => decoder.decode(concat(state.chunks, state.size))))
}

const isSuccess = (status: number) => status >= 200 && status < 300

/** The whole client, made once: its `HttpClient`, its settings, and what it scrubs. */
export interface Executor {
  <A>(call: Call<A>): Effect.Effect<A, LagoError.LagoError>
}

/** Builds the function that runs calls with the given client and settings. */
export const makeExecutor = (httpClient: HttpClient.HttpClient, settings: Settings): Executor => {
  const client = HttpClient.withScope(harden(httpClient))
  const scrub = makeScrub(Redacted.value(settings.apiKey))
  const origin = new URL(settings.baseUrl).origin
  const authorization = `Bearer ${Redacted.value(settings.apiKey)}`

  const transportError = (
    context: CallContext,
    error: HttpClientError.HttpClientError,
    phase: "request" | "response"
  ) => {
    const errno = findErrno(error.cause)
    return new LagoError.LagoTransportError({
      method: context.method,
      url: context.url,
      requestId: context.requestId,
      phase: phase === "request" && errno !== undefined && connectErrnos.has(errno) ? "connect" : phase,
      ...(errno === undefined ? {} : { errno }),
      description: truncate(scrub(describeCause(error)))
    })
  }

  /** Turns a response and its body into the call's value or its `LagoError`. */
  const interpret = <A>(
    call: Call<A>,
    context: CallContext,
    response: HttpClientResponse.HttpClientResponse,
    body: string
  ): Effect.Effect<A, LagoError.LagoError> => {
    if (isSuccess(response.status)) {
      return Effect.mapError(call.decode(body), (error) => {
        const echoed = response.headers["x-request-id"]
        return new LagoError.LagoDecodeError({
          method: context.method,
          url: context.url,
          requestId: echoed === undefined ? context.requestId : scrub(echoed.slice(0, 255)),
          status: response.status,
          issue: truncate(scrub(formatIssue(error)))
        })
      })
    }
    return Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
      Effect.fail(LagoError.fromResponse({
        status: response.status,
        headers: response.headers,
        body,
        method: context.method,
        url: context.url,
        requestId: context.requestId,
        nowMillis,
        scrub
      })))
  }

  /** One attempt: send, refuse redirects, read the body within the limit, interpret. */
  const attemptOnce = <A>(
    call: Call<A>,
    context: CallContext,
    request: HttpClientRequest.HttpClientRequest
  ): Effect.Effect<A, LagoError.LagoError, Scope.Scope> =>
    Effect.flatMap(
      Effect.mapError(client.execute(request), (error) => transportError(context, error, "request")),
      (response) => {
        context.lastStatus = response.status
        // An HttpClient that follows redirects by itself answered from somewhere else.
        const from = response.request.url
        if (from !== context.url && !from.startsWith(`${origin}/`)) {
          return Effect.fail(
            new LagoError.LagoRedirectError({
              method: context.method,
              url: context.url,
              requestId: context.requestId,
              status: response.status,
              location: LagoError.redactLocation(from, context.url)
            })
          )
        }
        // A redirect's body is never read: the scope's end releases the connection.
        if (response.status >= 300 && response.status <= 399) return interpret(call, context, response, "")
        return Effect.flatMap(
          readBody(
            response,
            settings.maxResponseBytes,
            () =>
              new LagoError.LagoResponseTooLargeError({
                method: context.method,
                url: context.url,
                requestId: context.requestId,
                status: response.status,
                maxResponseBytes: settings.maxResponseBytes
              }),
            (error) => transportError(context, error, "response")
          ),
          (body) => interpret(call, context, response, body)
        )
      }
    )

  return <A>(call: Call<A>): Effect.Effect<A, LagoError.LagoError> =>
    Effect.gen(function*() {
      const overrides = yield* FiberRef.get(currentOverrides)
      const { retry, timeout, totalTimeout } = yield* resolveOverrides(call.operation, settings, overrides)
      const requestId = yield* makeRequestId
      const url = `${settings.baseUrl}/${call.path.map(encodeSegment).join("/")}${toSearch(call.query)}`
      const context: CallContext = {
        operation: call.operation,
        method: call.method,
        url,
        requestId,
        attempts: 0,
        lastStatus: undefined
      }
      const startMillis = yield* Clock.currentTimeMillis
      const deadline = Option.map(totalTimeout, (total) => startMillis + Duration.toMillis(total))

      let request = HttpClientRequest.make(call.method)(url).pipe(
        HttpClientRequest.setHeaders({
          // Platform spans and logs redact this header (Headers.currentRedactedNames).
          authorization,
          accept: "application/json",
          "x-request-id": requestId
        })
      )
      if (call.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, call.body)

      const attempt = Effect.suspend(() => {
        context.attempts++
        return Effect.scoped(attemptOnce(call, context, request))
      }).pipe(
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new LagoError.LagoTimeoutError({
              method: call.method,
              url,
              requestId,
              scope: "attempt",
              timeoutMillis: Duration.toMillis(timeout)
            })
        })
      )

      const withRetries = Effect.retry(attempt, retrySchedule(call, context, retry, deadline))
      const withDeadline = Option.match(totalTimeout, {
        onNone: () => withRetries,
        onSome: (duration) =>
          Effect.timeoutFail(withRetries, {
            duration,
            onTimeout: () =>
              new LagoError.LagoTimeoutError({
                method: call.method,
                url,
                requestId,
                scope: "total",
                timeoutMillis: Duration.toMillis(duration)
              })
          })
      })

      return yield* withDeadline.pipe(
        Effect.onExit(() =>
          Effect.annotateCurrentSpan({
            "lago.attempts": context.attempts,
            ...(context.lastStatus === undefined ? {} : { "http.response.status_code": context.lastStatus })
          })
        ),
        Effect.withSpan(`Lago.${call.operation}`, {
          kind: "client",
          attributes: {
            "lago.operation": call.operation,
            "lago.request_id": requestId,
            "http.request.method": call.method,
            "url.full": url
          }
        })
      )
    })
}

/**
 * When a failed attempt is tried again: a retryable error, within the policy's count, after
 * the longer of the backoff and the wait the response asked for. A wait over `maxRetryAfter`,
 * or a requested wait that would end past the call's deadline, is not waited: the call fails
 * at once with the error that asked for it (a time-out would hide it). Each retry is logged
 * at Debug.
 */
const retrySchedule = (
  call: Call<unknown>,
  context: CallContext,
  retry: RetryPolicy.RetryPolicy,
  deadline: Option.Option<number>
): Schedule.Schedule<Duration.Duration, LagoError.LagoError> => {
  const maxRetryAfterMillis = Duration.toMillis(retry.maxRetryAfter)
  return Schedule.identity<LagoError.LagoError>().pipe(
    Schedule.intersect(retry.backoff),
    Schedule.intersect(Schedule.recurs(retry.times)),
    Schedule.whileInput((error: LagoError.LagoError) =>
      RetryPolicy.isRetryable(error, call.idempotent) &&
      (RetryPolicy.requestedWait(error) ?? 0) <= maxRetryAfterMillis
    ),
    Schedule.modifyDelay(([[error]], backoff) =>
      Duration.max(backoff, Duration.millis(RetryPolicy.requestedWait(error) ?? 0))
    ),
    Schedule.delays,
    Schedule.checkEffect((error, delay) =>
      Effect.gen(function*() {
        const delayMillis = Duration.toMillis(delay)
        if (Option.isSome(deadline) && RetryPolicy.requestedWait(error) !== undefined) {
          const now = yield* Clock.currentTimeMillis
          if (now + delayMillis >= deadline.value) return false
        }
        yield* Effect.logDebug("Lago call failed, retrying").pipe(
          Effect.annotateLogs({
            operation: call.operation,
            requestId: context.requestId,
            attempt: context.attempts,
            nextAttempt: context.attempts + 1,
            delayMillis,
            cause: error._tag,
            detail: error.message
          })
        )
        return true
      })
    )
  )
}
