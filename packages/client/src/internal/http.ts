/**
 * One Lago call over `HttpClient`: the request, its attempts with their time-out, the
 * retries, the mapping of every failure to a `LagoError`, and the span.
 */
import { HttpClientRequest } from "@effect/platform"
import type { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { LagoError } from "@lago-effect/core"
import { Clock, Duration, Effect, FiberRef, Option, ParseResult, Random, Redacted, Ref, Schedule } from "effect"
import type { QueryParams } from "../CustomersQuery.js"
import * as RetryPolicy from "../RetryPolicy.js"

/** Settings of a client, after defaults. */
export interface Settings {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly retry: RetryPolicy.RetryPolicy
  /** Per attempt. */
  readonly timeout: Duration.Duration
  /** Over all attempts and waits. */
  readonly totalTimeout: Option.Option<Duration.Duration>
}

/** What a caller may change for one call (`LagoClient.withRetry`, `withTimeout`, ...). */
export interface CallOverrides {
  readonly retry?: Partial<RetryPolicy.RetryPolicy> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly totalTimeout?: Duration.DurationInput | "none" | undefined
}

/** Per-call overrides, set with `Effect.locally` by the `LagoClient.with*` combinators. */
export const currentOverrides: FiberRef.FiberRef<CallOverrides> = FiberRef.unsafeMake<CallOverrides>({})

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
 * format `com` (contract §4.6), while `%2E` reaches it as part of the id.
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

const describeCause = (error: HttpClientError.HttpClientError): string => {
  const cause: unknown = error.cause
  const detail = cause instanceof Error ? cause.message : undefined
  return [error.reason, error.description ?? detail].filter((part) => part !== undefined).join(": ")
}

const transportError = (
  error: HttpClientError.HttpClientError,
  method: string,
  url: string,
  requestId: string,
  phase: "request" | "response"
) => {
  const errno = findErrno(error.cause)
  return new LagoError.LagoTransportError({
    method,
    url,
    requestId,
    phase: phase === "request" && errno !== undefined && connectErrnos.has(errno) ? "connect" : phase,
    ...(errno === undefined ? {} : { errno }),
    description: describeCause(error)
  })
}

const maxIssueLength = 2_000

const formatIssue = (error: ParseResult.ParseError): string => {
  let issue: string
  try {
    issue = ParseResult.TreeFormatter.formatErrorSync(error)
  } catch {
    // The formatter prints the actual value, recursively: a hostile body nested thousands of
    // levels deep overflows the stack. The parse failed all the same; say so without the value.
    issue = `the body does not match the contract (${error.issue._tag} issue, too deeply nested to print)`
  }
  return issue.length > maxIssueLength ? `${issue.slice(0, maxIssueLength)}…` : issue
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

const resolve = (settings: Settings, overrides: CallOverrides) => ({
  retry: { ...settings.retry, ...overrides.retry },
  timeout: overrides.timeout === undefined ? settings.timeout : Duration.decode(overrides.timeout),
  totalTimeout: overrides.totalTimeout === undefined
    ? settings.totalTimeout
    : overrides.totalTimeout === "none"
    ? Option.none()
    : Option.some(Duration.decode(overrides.totalTimeout))
})

/** Builds the function that runs calls with the given client and settings. */
export const makeExecutor = (httpClient: HttpClient.HttpClient, settings: Settings) => {
  return <A>(call: Call<A>): Effect.Effect<A, LagoError.LagoError> =>
    Effect.gen(function*() {
      const overrides = yield* FiberRef.get(currentOverrides)
      const { retry, timeout, totalTimeout } = resolve(settings, overrides)
      const requestId = yield* makeRequestId
      const url = `${settings.baseUrl}/${call.path.map(encodeSegment).join("/")}${toSearch(call.query)}`
      const attempts = yield* Ref.make(0)
      const lastStatus = yield* Ref.make<number | undefined>(undefined)

      let request = HttpClientRequest.make(call.method)(url).pipe(
        HttpClientRequest.setHeaders({
          // Platform spans and logs redact this header (Headers.currentRedactedNames).
          authorization: `Bearer ${Redacted.value(settings.apiKey)}`,
          accept: "application/json",
          "x-request-id": requestId
        })
      )
      if (call.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, call.body)

      const interpret = (response: HttpClientResponse.HttpClientResponse, body: string) =>
        Effect.gen(function*() {
          yield* Ref.set(lastStatus, response.status)
          const responseRequestId = response.headers["x-request-id"] ?? requestId
          if (response.status >= 200 && response.status < 300) {
            return yield* call.decode(body).pipe(
              Effect.mapError((error) =>
                new LagoError.LagoDecodeError({
                  method: call.method,
                  url,
                  requestId: responseRequestId,
                  status: response.status,
                  issue: formatIssue(error)
                })
              )
            )
          }
          return yield* Effect.fail(LagoError.fromResponse({
            status: response.status,
            headers: response.headers,
            body,
            method: call.method,
            url,
            requestId,
            nowMillis: yield* Clock.currentTimeMillis
          }))
        })

      const attempt = Ref.update(attempts, (n) => n + 1).pipe(
        Effect.zipRight(httpClient.execute(request)),
        Effect.mapError((error) => transportError(error, call.method, url, requestId, "request")),
        Effect.flatMap((response) =>
          response.text.pipe(
            Effect.mapError((error) => transportError(error, call.method, url, requestId, "response")),
            Effect.flatMap((body) => interpret(response, body))
          )
        ),
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

      const maxRetryAfterMillis = Duration.toMillis(retry.maxRetryAfter)
      const schedule = Schedule.identity<LagoError.LagoError>().pipe(
        Schedule.intersect(retry.backoff),
        Schedule.intersect(Schedule.recurs(retry.times)),
        Schedule.whileInput((error: LagoError.LagoError) =>
          RetryPolicy.isRetryable(error, call.idempotent) &&
          (RetryPolicy.requestedWait(error) ?? 0) <= maxRetryAfterMillis
        ),
        Schedule.modifyDelayEffect(([[error], retries], backoff) => {
          const delay = Duration.max(backoff, Duration.millis(RetryPolicy.requestedWait(error) ?? 0))
          return Effect.logDebug("Lago call failed, retrying").pipe(
            Effect.annotateLogs({
              operation: call.operation,
              requestId,
              attempt: retries + 1,
              nextAttempt: retries + 2,
              delayMillis: Duration.toMillis(delay),
              cause: error._tag,
              detail: error.message
            }),
            Effect.as(delay)
          )
        })
      )

      const withRetries = Effect.retry(attempt, schedule)
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
          Effect.flatMap(
            Effect.all([Ref.get(attempts), Ref.get(lastStatus)]),
            ([count, status]) =>
              Effect.annotateCurrentSpan({
                "lago.attempts": count,
                ...(status === undefined ? {} : { "http.response.status_code": status })
              })
          )
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
