/**
 * Runs Lago operations over `HttpClient`: the client configured once (base URL, bearer key,
 * accept, user agent, extra headers; redirects refused), then per call its attempts with their
 * time-out, the bounded reading of the body, the retries, the mapping of every failure to a
 * `LagoError`, and the span.
 */
import type { HttpClientError, HttpClientResponse } from "@effect/platform"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { LagoError } from "@lago-effect/core"
import type { Tracer } from "effect"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Metric from "effect/Metric"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import type { Runner } from "../Customers.js"
import * as LagoMetrics from "../LagoMetrics.js"
import * as LagoOperation from "../LagoOperation.js"
import * as RetryPolicy from "../RetryPolicy.js"
import { AttemptAbort } from "./abort.js"
import * as Body from "./body.js"
import * as Deadlines from "./deadlines.js"
import * as Direct from "./direct.js"
import type { RateSignal } from "./pacing.js"
import { currentRateObserver, observe, rateSignal } from "./pacing.js"
import { redirectedTo } from "./redirect.js"
import { makeScrub } from "./scrub.js"
import { checkDuration, checkRetry } from "./settings.js"
import { isSucceeded } from "./settled.js"
import { startSpan, traceHeaders } from "./span.js"
import { hasTimer, isLiveClock, timeoutFail } from "./timeout.js"

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
  /** Sent with every request, under the client's own headers. */
  readonly headers: Readonly<Record<string, string>>
  /** `lago-effect/<version> effect/<version>`. */
  readonly userAgent: string
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

/** The deadline (epoch milliseconds) of the call running in this fiber, when it has one. */
const currentDeadline: FiberRef.FiberRef<number | undefined> = globalValue(
  Symbol.for("@lago-effect/client/currentDeadline"),
  () => FiberRef.unsafeMake<number | undefined>(undefined)
)

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

/** What a transport failure says: the platform's `HttpClientError`, or the direct lane's. */
interface TransportFailure {
  readonly reason: string
  readonly description?: string | undefined
  readonly cause?: unknown
}

const describeCause = (failure: TransportFailure): string => {
  const cause: unknown = failure.cause
  const detail = cause instanceof Error ? cause.message : undefined
  return [failure.reason, failure.description ?? detail].filter((part) => part !== undefined).join(": ")
}

type Fetch = typeof globalThis.fetch

const manualFetches = new WeakMap<Fetch, Fetch>()
const manualFetchSet = new WeakSet<Fetch>()

/**
 * What a `fetch` that followed a redirect to another origin, whatever it was told, rejects with:
 * the platform's response keeps the request it was given, not where the `fetch` went, so the
 * answer is refused here, where the web `Response` still says it (`LagoRedirectError`).
 */
class AnsweredElsewhere {
  constructor(readonly url: string, readonly status: number) {}
}

/** The URL a `fetch` was called with. */
const urlOf = (input: string | URL | Request): string =>
  typeof input === "string" ? input : input instanceof URL ? input.href : input.url

/** Whether `response` came from another origin than `requested`, after a redirect was followed. */
const cameFromElsewhere = (response: Response, requested: string): boolean => {
  const followed = redirectedTo(response)
  if (followed === undefined) return false
  try {
    return new URL(followed).origin !== new URL(requested).origin
  } catch {
    return true
  }
}

/**
 * The same fetch, told never to follow a redirect: a 3xx comes back as it is. One that follows
 * it all the same to another origin has its answer discarded, unread, and rejects with
 * `AnsweredElsewhere`.
 */
const manualRedirects = (fetch: Fetch): Fetch => {
  if (manualFetchSet.has(fetch)) return fetch
  const known = manualFetches.get(fetch)
  if (known !== undefined) return known
  const manual: Fetch = (input, init) =>
    fetch(input, { ...init, redirect: "manual" }).then((response) => {
      if (!cameFromElsewhere(response, urlOf(input))) return response
      Body.discardWeb(response)
      return Promise.reject(new AnsweredElsewhere(response.url, response.status))
    })
  manualFetches.set(fetch, manual)
  manualFetchSet.add(manual)
  return manual
}

/** Every header name: a request's header values are never recorded by the platform. */
const redactEveryHeader: ReadonlyArray<RegExp> = [/./]

const always = () => true

/**
 * The user's `HttpClient`, made safe for Lago calls:
 *
 * - It never follows a redirect. `FetchHttpClient` follows them by default (a POST turned into
 *   a GET, the key sent to another origin): its fetch is wrapped with `redirect: "manual"`,
 *   keeping any `RequestInit` the user set. Node's clients (`NodeHttpClient.layerUndici`,
 *   `NodeHttpClient.layer`) never follow redirects.
 * - The platform's own `http.client` span is off: the `Lago.<operationId>` span is the call's
 *   span (method, URL, status, request id, attempts) and propagates its trace context to Lago.
 *   One span per call instead of two, and no span recording header values, which a server may
 *   echo the key into; header values are also redacted from anything else that logs them.
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
          Effect.locally(HttpClient.currentTracerDisabledWhen, always),
          // Built once: a pattern matching every name makes any other listed name redundant.
          Effect.locally(Headers.currentRedactedNames, redactEveryHeader)
        )
    ))

/**
 * The headers every request of a client carries, built once: user agent, the extra headers,
 * the bearer key and `Accept`. The request of a call is made whole (URL and headers) before it
 * reaches the user's `HttpClient`, so the user's own request transformations see all of it.
 */
const clientHeaders = (settings: Settings): Readonly<Record<string, string>> => ({
  "user-agent": settings.userAgent,
  ...settings.headers,
  // Platform spans and logs redact every header value (Headers.currentRedactedNames, see harden).
  authorization: `Bearer ${Redacted.value(settings.apiKey)}`,
  accept: "application/json"
})

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
  /**
   * Ends the direct lane's attempt in flight and aborts its request; set while one is. The
   * call's exit handler calls it: an interrupted call leaves no request running.
   */
  stopAttempt: (() => void) | undefined
}

/**
 * Stops reading a body the call will not use (a redirect's, one announced too large): the
 * stream's end cancels it, which releases the connection at once rather than when the
 * response is garbage-collected.
 */
const discardBody = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.ignore(Stream.runHead(response.stream))

/**
 * Reads a body up to `limit` bytes as `Body.plan` says: refused before any read, read whole,
 * or read chunk by chunk and stopped at once past the limit (the stream's end cancels the
 * request, which releases the connection).
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number,
  tooLarge: () => LagoError.LagoError,
  transport: (error: HttpClientError.ResponseError) => LagoError.LagoError
): Effect.Effect<string, LagoError.LagoError> => {
  switch (Body.plan(response.headers["content-length"], response.headers["content-encoding"], limit)) {
    case "TooLarge":
      return Effect.zipRight(discardBody(response), Effect.fail(tooLarge()))
    case "Empty":
      return Effect.succeed("")
    case "Whole":
      return Effect.mapError(response.text, transport)
    case "Chunks":
      break
  }
  const state = { chunks: new Array<Uint8Array>(), size: 0 }
  // A web Response without a body (a 204, an empty 404) has no stream at all.
  const body = Stream.catchAll(
    response.stream,
    (error) => error.reason === "EmptyBody" ? Stream.empty : Stream.fail(transport(error))
  )
  return Stream.runForEach(body, (chunk) => {
    state.size += chunk.length
    if (state.size > limit) return Effect.fail(tooLarge())
    state.chunks.push(chunk)
    return Effect.void
  }).pipe(Effect.map(() => Body.decodeChunks(state.chunks, state.size)))
}

/** The fields every error of a call carries. */
const fieldsOf = (context: CallContext) => ({
  operation: context.operation,
  method: context.method,
  url: context.url,
  requestId: context.requestId
})

/** What one Lago client makes once: its configured `HttpClient`, scrubber and retry schedules. */
interface Client {
  /**
   * How requests are sent: through the transport directly when the `HttpClient` is one of this
   * package's transports as made, else through the hardened `HttpClient`'s `execute`.
   */
  readonly lane:
    | { readonly _tag: "Direct"; readonly send: Direct.DirectSend }
    | { readonly _tag: "Platform"; readonly http: HttpClient.HttpClient }
  readonly settings: Settings
  /** Sent with every request (`clientHeaders`). */
  readonly headers: Readonly<Record<string, string>>
  readonly scrub: (text: string) => string
  /** The base URL's origin, e.g. `https://api.getlago.com`. */
  readonly origin: string
  /** The base URL's origin followed by `/`: any URL of this client starts with it. */
  readonly originPrefix: string
  readonly schedules: {
    readonly idempotent: Schedule.Schedule<unknown, LagoError.LagoError>
    readonly unsafe: Schedule.Schedule<unknown, LagoError.LagoError>
  }
}

const transportError = (
  client: Client,
  context: CallContext,
  error: TransportFailure,
  phase: "request" | "response"
) => {
  const errno = findErrno(error.cause)
  return new LagoError.LagoTransportError({
    ...fieldsOf(context),
    phase: phase === "request" && errno !== undefined && connectErrnos.has(errno) ? "connect" : phase,
    ...(errno === undefined ? {} : { errno }),
    description: truncate(client.scrub(describeCause(error)))
  })
}

/** What `interpret` reads of a response besides its body. */
type Answer = Pick<HttpClientResponse.HttpClientResponse, "status" | "headers">

/** Turns a response and its body into the call's value or its `LagoError`. */
const interpret = <A, I>(
  client: Client,
  operation: LagoOperation.Operation<string, never, A, I>,
  context: CallContext,
  response: Answer,
  body: string
): Effect.Effect<A, LagoError.LagoError> => {
  if (response.status >= 200 && response.status < 300) {
    const decoded = operation.response.decodeText(body)
    // A body the compiled decoder accepted is its value already: no step to map its error.
    if (isSucceeded(decoded)) return Exit.succeed(decoded.value)
    return Effect.mapError(decoded, () => {
      const echoed = response.headers["x-request-id"]
      return new LagoError.LagoDecodeError({
        ...fieldsOf(context),
        requestId: echoed === undefined ? context.requestId : client.scrub(echoed.slice(0, 255)),
        status: response.status,
        issue: truncate(client.scrub(operation.response.explain(body)))
      })
    })
  }
  return Effect.flatMap(Clock.currentTimeMillis, (nowMillis) =>
    Effect.fail(LagoError.fromResponse({
      ...fieldsOf(context),
      status: response.status,
      headers: response.headers,
      body,
      nowMillis,
      scrub: client.scrub
    })))
}

/** One attempt: send, refuse redirects, read the body within the limit, interpret. */
const attempt = <A, I>(
  client: Client,
  http: HttpClient.HttpClient,
  operation: LagoOperation.Operation<string, never, A, I>,
  context: CallContext,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<A, LagoError.LagoError> =>
  Effect.flatMap(
    Effect.mapError(http.execute(request), (error) =>
      (error.cause instanceof AnsweredElsewhere
        ? answeredElsewhere(client, context, error.cause.url, error.cause.status)
        : undefined) ?? transportError(client, context, error, "request")),
    (response) => {
      context.lastStatus = response.status
      // Neither read nor observed: the answer of another origin says nothing of Lago's.
      const elsewhere = answeredElsewhere(client, context, response.request.url, response.status)
      if (elsewhere !== undefined) return Effect.zipRight(discardBody(response), Effect.fail(elsewhere))
      return Effect.zipRight(observe(response), receive(client, operation, context, response))
    }
  )

/**
 * The error of an answer from another origin than the client's: an `HttpClient` (or a `fetch`)
 * that follows redirects by itself went there. `undefined` for an answer of the client's origin.
 */
const answeredElsewhere = (
  client: Client,
  context: CallContext,
  from: string,
  status: number
): LagoError.LagoRedirectError | undefined =>
  from === context.url || from.startsWith(client.originPrefix) ? undefined : new LagoError.LagoRedirectError({
    ...fieldsOf(context),
    status,
    location: LagoError.redactLocation(from, context.url)
  })

/** What an attempt does with the response: refuse a redirect, read the body, interpret. */
const receive = <A, I>(
  client: Client,
  operation: LagoOperation.Operation<string, never, A, I>,
  context: CallContext,
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<A, LagoError.LagoError> => {
  if (response.status >= 300 && response.status <= 399) {
    return Effect.zipRight(discardBody(response), interpret(client, operation, context, response, ""))
  }
  const limit = client.settings.maxResponseBytes
  return Effect.flatMap(
    readBody(
      response,
      limit,
      () =>
        new LagoError.LagoResponseTooLargeError({
          ...fieldsOf(context),
          status: response.status,
          maxResponseBytes: limit
        }),
      (error) => transportError(client, context, error, "response")
    ),
    (body) => interpret(client, operation, context, response, body)
  )
}

/** What a direct attempt hands to the fiber: the answer and its body. */
interface Received {
  readonly response: Answer
  readonly body: string
}

/** The `LagoTimeoutError` of a call's attempt or of the whole call. */
const timeoutError = (context: CallContext, scope: "attempt" | "total", duration: Duration.Duration) =>
  new LagoError.LagoTimeoutError({ ...fieldsOf(context), scope, timeoutMillis: Duration.toMillis(duration) })

/** What a call in the direct lane sends on every attempt, and how. */
interface DirectCall {
  readonly send: Direct.DirectSend
  /** The calling fiber's context, where a transport finds its services. */
  readonly context: Context.Context<never>
  readonly request: Omit<Direct.DirectRequest, "abort">
  /** Told of every response (a stream's pacing), read from the fiber once per call. */
  readonly observer: ((signal: RateSignal) => void) | undefined
}

/**
 * Runs `start` and waits in the calling fiber for the promise it returns, which never rejects.
 * Not `Effect.async`: effect 3.22 keeps the resume callback the fiber gave it (which holds the
 * fiber, and the fiber the value it ends with) after calling it, in a closure V8's
 * young-generation collections keep reachable until the next full collection. A caller running
 * one call per fiber (`runPromise`) would have every page it received copied and promoted at
 * each of them (`pnpm bench:gc`; measured here: 60 pages of 100 customers promoted 8.4-9.1 MB,
 * now 1.0-1.3 MB). `Effect.andThen` hands the callback to the promise alone, which lets go of it
 * once settled.
 */
const startAndWait = (start: () => Promise<void>): Effect.Effect<void, Cause.UnknownException> =>
  Effect.andThen(Effect.void, start)

/** A rejection of the promise `startAndWait` waits on: never made, a defect if it were. */
const rejected = (cause: Cause.Cause<Cause.UnknownException>): Effect.Effect<never> => Effect.die(Cause.squash(cause))

/** One attempt of the direct lane, from its send to the outcome the fiber takes. */
interface DirectAttempt<A> {
  /** Sends the request; the promise resolves (never rejects) once the attempt has ended. */
  readonly start: () => Promise<void>
  /** What the attempt came to, taken once by the fiber: the call's value or its error. */
  readonly take: () => Effect.Effect<A, LagoError.LagoError>
}

/**
 * One attempt in the direct lane: the request sent through the transport with an abort of its
 * own (`AttemptAbort`), which also ends the attempt after `timeout` (when given: under the live
 * clock a deadline costs less than a forked fiber), a redirect refused, the body read within
 * the limit, then interpreted in the fiber. Interrupting the call aborts the request: the
 * call's exit handler ends the attempt in flight (`stopAttempt`), and the request is sent
 * within the region it guards. An attempt that can be interrupted while its call goes on (one
 * under a fiber's time-out: `guarded`) also guards itself with `Effect.onInterrupt`, so that
 * its request is aborted before the next attempt starts; otherwise that would be one more
 * exit handler per call.
 *
 * The attempt's state is made by the function the wait runs, and kept for its call (whose
 * attempts run one after the other) in `current`: no `Effect.suspend` to make it, and one
 * continuation for the wait's both outcomes, three effect steps fewer per call.
 */
const directAttempt = <A, I>(
  client: Client,
  operation: LagoOperation.Operation<string, never, A, I>,
  context: CallContext,
  call: DirectCall,
  timeout: Duration.Duration | undefined,
  guarded: boolean
): Effect.Effect<A, LagoError.LagoError> => {
  let current: DirectAttempt<A> | undefined
  const waited = startAndWait(() => {
    current = makeDirectAttempt(client, operation, context, call, timeout)
    return current.start()
  })
  return Effect.matchCauseEffect(
    // The attempt in flight, if any, is the one `context.stopAttempt` ends (as the call's exit handler does).
    guarded ? Effect.onInterrupt(waited, () => Effect.sync(() => context.stopAttempt?.())) : waited,
    {
      onFailure: rejected,
      onSuccess: () =>
        current === undefined ? Effect.dieMessage("directAttempt: woken without an attempt") : current.take()
    }
  )
}

/** The state and steps of one attempt of `directAttempt`. */
const makeDirectAttempt = <A, I>(
  client: Client,
  operation: LagoOperation.Operation<string, never, A, I>,
  context: CallContext,
  call: DirectCall,
  timeout: Duration.Duration | undefined
): DirectAttempt<A> => {
  const abort = new AttemptAbort()
  // What the attempt came to, taken once by the fiber; the promise the fiber waits on
  // resolves with nothing (see `startAndWait`).
  let outcome: Exit.Exit<Received, LagoError.LagoError> | undefined
  let settled = false
  let deadline: Deadlines.Deadline | undefined
  let wake: (() => void) | undefined
  // Ends the attempt once, with `exit` for the fiber to take (none when it ends unanswered):
  // whether this call ended it.
  const settle = (exit: Exit.Exit<Received, LagoError.LagoError> | undefined): boolean => {
    if (settled) return false
    settled = true
    context.stopAttempt = undefined
    if (deadline !== undefined) Deadlines.cancel(deadline)
    outcome = exit
    wake?.()
    wake = undefined
    return true
  }
  // Ends the attempt with what the transport gave: once answered (or failed) the request has
  // nothing left to abort, and the transport's abort listener is let go of at once. Undici
  // removes its listener only when the body closes, and a listener kept holds the request's
  // state and its page: kept through a young-generation collection, all of it is promoted
  // (S4 over undici: 30 MiB more old generation, measured).
  const answered = (exit: Exit.Exit<Received, LagoError.LagoError>): boolean => {
    abort.release()
    return settle(exit)
  }
  const limit = client.settings.maxResponseBytes
  const start = () => {
    context.attempts++
    context.stopAttempt = stop
    const arrived = new Promise<void>((resolve) => {
      wake = resolve
    })
    if (timeout !== undefined) {
      deadline = Deadlines.schedule(Duration.toMillis(timeout), () => {
        settle(Exit.fail(timeoutError(context, "attempt", timeout)))
        abort.abort()
      })
    }
    const { request } = call
    // Written out rather than spread (see the headers in `traced`).
    call.send({
      method: request.method,
      url: request.url,
      origin: request.origin,
      path: request.path,
      headers: request.headers,
      json: request.json,
      abort
    }, call.context).then(
      (response) => {
        if (settled) return response.discard()
        context.lastStatus = response.status
        const elsewhere = response.redirectedTo === undefined
          ? undefined
          : answeredElsewhere(client, context, response.redirectedTo, response.status)
        // Neither read nor observed: the answer of another origin says nothing of Lago's.
        if (elsewhere !== undefined) {
          response.discard()
          return answered(Exit.fail(elsewhere))
        }
        call.observer?.(rateSignal(response))
        // Never followed: a redirect's body is not read, its status is the error.
        if (response.status >= 300 && response.status <= 399) {
          response.discard()
          return answered(Exit.succeed({ response, body: "" }))
        }
        response.read(limit).then(
          (body) =>
            answered(
              body === Body.tooLarge
                ? Exit.fail(
                  new LagoError.LagoResponseTooLargeError({
                    ...fieldsOf(context),
                    status: response.status,
                    maxResponseBytes: limit
                  })
                )
                : Exit.succeed({ response, body })
            ),
          (cause: unknown) =>
            answered(Exit.fail(transportError(client, context, { reason: "Decode", cause }, "response")))
        )
      },
      (cause: unknown) =>
        answered(Exit.fail(transportError(client, context, { reason: "Transport", cause }, "request")))
    )
    return arrived
  }
  // Ends the attempt unanswered: the request is aborted, and the promise settles all the same,
  // so that it lets go of the callback of the fiber that waited on it.
  const stop = () => {
    if (settle(undefined)) abort.abort()
  }
  // The outcome is taken once: the attempt keeps no page once the fiber has it.
  const take = (): Effect.Effect<A, LagoError.LagoError> => {
    const taken = outcome
    outcome = undefined
    if (taken === undefined) return Effect.dieMessage("directAttempt: woken without an outcome")
    return Exit.isSuccess(taken)
      ? interpret(client, operation, context, taken.value.response, taken.value.body)
      : Exit.failCause(taken.cause)
  }
  return { start, take }
}

/** What a call reads of its fiber, once, before it makes any closure (see `call`). */
interface FiberState {
  /** Whether trace context propagates to Lago (`HttpClient.withTracerPropagation`). */
  readonly propagation: boolean
  /** The fiber's services, where a transport finds its own (`FetchHttpClient.Fetch`). */
  readonly context: Context.Context<never>
  readonly observer: ((signal: RateSignal) => void) | undefined
  /** The fiber's clock: the span's end time, and whether time is the JavaScript timers'. */
  readonly clock: Clock.Clock
  readonly liveClock: boolean
  /** Whether spans record times (`Effect.withTracerTiming`). */
  readonly timing: boolean
}

/**
 * One call: its settings, request id and request, its attempts, retries, deadline and span.
 * What it needs from the fiber (the caller's overrides, whether trace context propagates, its
 * services, rate observer and clock) is read in one step, before any closure is made: a closure
 * that captured the fiber could keep it, and the value it ends with, reachable after the call
 * (see `startAndWait`). Each effect step of a call costs, and a call that succeeds at once is
 * the common case: settings without overrides are used as they are.
 */
const call = <Id extends string, Args extends ReadonlyArray<unknown>, A, I>(
  client: Client,
  operation: LagoOperation.Operation<Id, Args, A, I>,
  wire: LagoOperation.Request
): Effect.Effect<A, LagoError.LagoError> =>
  Effect.withFiberRuntime((fiber) => {
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    const state: FiberState = {
      propagation: fiber.getFiberRef(HttpClient.currentTracerPropagation),
      context: fiber.currentContext,
      observer: fiber.getFiberRef(currentRateObserver),
      clock,
      liveClock: isLiveClock(clock),
      timing: fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
    }
    const overrides = fiber.getFiberRef(currentOverrides)
    return hasOverrides(overrides)
      ? Effect.flatMap(
        resolveCall(operation.id, client.settings, overrides),
        (resolved) => Effect.withFiberRuntime((now) => traced(client, operation, wire, state, resolved, now))
      )
      : traced(client, operation, wire, state, client.settings, fiber)
  })

/**
 * A call with its settings resolved, in its `Lago.<operationId>` span. The span is started
 * from `fiber` as `Effect.makeSpan` would (`startSpan`; no closure keeps the fiber) and ended
 * by the call's one exit handler, which also records the attempts and the last status
 * (`Effect.useSpan` would add a second handler), with the call's exit less its value: a span
 * kept past its call (an exporter's batch) keeps the exit it ended with. The span is the
 * parent of what the call runs only where something may record under it: the user's
 * `HttpClient` (platform lane) and the retries (their logs); the direct lane's first attempt
 * runs nothing that would, and providing a parent costs more than the rest of a span. With
 * tracing off (`Effect.withTracerEnabled(false)`) a call has no span at all: no trace headers,
 * nothing ended, its retries under the caller's span, and none of the cost of a span made only
 * to be dropped.
 */
const traced = <Id extends string, Args extends ReadonlyArray<unknown>, A, I>(
  client: Client,
  operation: LagoOperation.Operation<Id, Args, A, I>,
  wire: LagoOperation.Request,
  state: FiberState,
  resolved: CallSettings,
  fiber: Fiber.RuntimeFiber<unknown, unknown>
): Effect.Effect<A, LagoError.LagoError> => {
  const { settings } = client
  const context: CallContext = {
    operation: operation.id,
    method: operation.method,
    url: `${settings.baseUrl}${LagoOperation.pathAndQuery(operation, wire)}`,
    requestId: crypto.randomUUID(),
    attempts: 0,
    lastStatus: undefined,
    stopAttempt: undefined
  }
  const schedule = resolved.retry === settings.retry
    ? (operation.idempotent ? client.schedules.idempotent : client.schedules.unsafe)
    : retrySchedule(resolved.retry, operation.idempotent)
  const span = startSpan(fiber, `Lago.${context.operation}`, spanOptions(context))
  // Lago's server is instrumented with OpenTelemetry: its traces join the caller's. Not an
  // object spread: V8 copies a spread of records with a slow path, microseconds per call.
  const headers = span !== undefined && state.propagation ? traceHeaders(span) : {}
  headers["x-request-id"] = context.requestId
  Object.assign(headers, client.headers)
  let once: Effect.Effect<A, LagoError.LagoError>
  const { lane } = client
  if (lane._tag === "Platform") {
    let request = HttpClientRequest.make(operation.method)(context.url, { headers })
    if (wire.body !== undefined) request = HttpClientRequest.bodyUnsafeJson(request, wire.body)
    once = withParent(
      failAfter(context, "attempt", resolved.timeout)(Effect.suspend(() => {
        context.attempts++
        return attempt(client, lane.http, operation, context, request)
      })),
      span
    )
  } else {
    const direct: DirectCall = {
      send: lane.send,
      context: state.context,
      request: {
        method: operation.method,
        url: context.url,
        origin: client.origin,
        path: context.url.slice(client.origin.length),
        headers,
        json: wire.body === undefined ? undefined : JSON.stringify(wire.body)
      },
      observer: state.observer
    }
    // Under another clock (`TestClock`) time is an effect: the attempt sleeps on it.
    once = !hasTimer(resolved.timeout)
      ? directAttempt(client, operation, context, direct, undefined, false)
      : state.liveClock
      ? directAttempt(client, operation, context, direct, resolved.timeout, false)
      : failAfter(context, "attempt", resolved.timeout)(
        directAttempt(client, operation, context, direct, undefined, true)
      )
  }
  return Effect.onExit(
    withDeadline(context, resolved.totalTimeout)(retrying(once, schedule, span)),
    (exit) =>
      Effect.sync(() => {
        context.stopAttempt?.()
        endSpan(span, context, state, Exit.asVoid(exit))
      })
  )
}

/** `self` under `span`, or as it is when the call has none (tracing off). */
const withParent = <A, E>(self: Effect.Effect<A, E>, span: Tracer.Span | undefined): Effect.Effect<A, E> =>
  span === undefined ? self : Effect.withParentSpan(self, span)

/** Ends a call's span, once, with what it learnt: the attempts made and the last status. */
const endSpan = (
  span: Tracer.Span | undefined,
  context: CallContext,
  state: FiberState,
  exit: Exit.Exit<void, unknown>
) => {
  if (span === undefined || span.status._tag === "Ended") return
  span.attribute("lago.attempts", context.attempts)
  if (context.lastStatus !== undefined) span.attribute("http.response.status_code", context.lastStatus)
  span.end(state.timing ? state.clock.unsafeCurrentTimeNanos() : BigInt(0), exit)
}

/**
 * `Effect.retry(once, schedule)`, entered only when the first attempt fails: the retry's
 * driver (its state, its refs) is built for calls that need it, and the schedule sees the same
 * errors in the same order (the first is handed back to it without a new attempt). The retries
 * run under the call's span: their logs are its events.
 */
const retrying = <A>(
  once: Effect.Effect<A, LagoError.LagoError>,
  schedule: Schedule.Schedule<unknown, LagoError.LagoError>,
  span: Tracer.Span | undefined
): Effect.Effect<A, LagoError.LagoError> =>
  Effect.catchAll(once, (first) => {
    let replayed = false
    const again = Effect.suspend(() => {
      if (replayed) return once
      replayed = true
      return Effect.fail(first)
    })
    return withParent(Effect.retry(again, schedule), span)
  })

/** The runner of a client: made once, with its `HttpClient` configured and its schedules built. */
export const makeRunner = (httpClient: HttpClient.HttpClient, settings: Settings): Runner => {
  const origin = new URL(settings.baseUrl).origin
  const send = Direct.directOf(httpClient)
  const client: Client = {
    lane: send === undefined ? { _tag: "Platform", http: harden(httpClient) } : { _tag: "Direct", send },
    settings,
    headers: clientHeaders(settings),
    scrub: makeScrub(Redacted.value(settings.apiKey)),
    origin,
    originPrefix: `${origin}/`,
    schedules: { idempotent: retrySchedule(settings.retry, true), unsafe: retrySchedule(settings.retry, false) }
  }
  return (operation, wire) => call(client, operation, wire)
}

/** The settings of one call: the client's, with the caller's overrides checked and applied. */
interface CallSettings {
  readonly retry: RetryPolicy.RetryPolicy
  readonly timeout: Duration.Duration
  readonly totalTimeout: Option.Option<Duration.Duration>
}

/** Whether a caller changed anything for this call. */
const hasOverrides = (overrides: CallOverrides): boolean =>
  overrides.retry !== undefined || overrides.timeout !== undefined || overrides.totalTimeout !== undefined

const resolveCall = (
  operation: string,
  settings: Settings,
  overrides: CallOverrides
): Effect.Effect<CallSettings, LagoError.LagoInvalidInputError> => {
  return Effect.gen(function*() {
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
}

/** Fails what runs past `duration` with `LagoTimeoutError`: one attempt, or the whole call. */
const failAfter =
  (context: CallContext, scope: "attempt" | "total", duration: Duration.Duration) =>
  <A, R>(self: Effect.Effect<A, LagoError.LagoError, R>): Effect.Effect<A, LagoError.LagoError, R> =>
    timeoutFail(self, duration, () => timeoutError(context, scope, duration))

/**
 * Bounds a call with its retries by its total time-out, when it has one; the deadline is
 * also what the retry schedule checks a requested wait against.
 */
const withDeadline =
  (context: CallContext, totalTimeout: Option.Option<Duration.Duration>) =>
  <A, R>(self: Effect.Effect<A, LagoError.LagoError, R>): Effect.Effect<A, LagoError.LagoError, R> =>
    Option.match(totalTimeout, {
      onNone: () => self,
      onSome: (duration) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          failAfter(context, "total", duration)(
            Effect.locally(self, currentDeadline, now + Duration.toMillis(duration))
          ))
    })

/** The options of a call's `Lago.<operationId>` span. */
const spanOptions = (context: CallContext): Tracer.SpanOptions => ({
  kind: "client",
  // A stack trace per call costs more than the rest of the span.
  captureStackTrace: false,
  attributes: {
    "lago.operation": context.operation,
    "lago.request_id": context.requestId,
    "http.request.method": context.method,
    "url.full": context.url
  }
})

/**
 * When a failed attempt is tried again: a retryable error, within the policy's count, after
 * the longer of the backoff and the wait the response asked for. A wait over `maxRetryAfter`,
 * or a requested wait that would end past the call's deadline, is not waited: the call fails
 * at once with the error that asked for it (a time-out would hide it). Each retry is logged at
 * Debug. Built once per client and kind of operation; the deadline comes from the fiber.
 */
const retrySchedule = (
  policy: RetryPolicy.RetryPolicy,
  idempotent: boolean
): Schedule.Schedule<unknown, LagoError.LagoError> => {
  const maxRetryAfterMillis = Duration.toMillis(policy.maxRetryAfter)
  return Schedule.identity<LagoError.LagoError>().pipe(
    Schedule.intersect(policy.backoff),
    Schedule.intersect(Schedule.recurs(policy.times)),
    Schedule.whileInputEffect((error: LagoError.LagoError) => {
      const wait = RetryPolicy.requestedWait(error)
      if (!RetryPolicy.isRetryable(error, idempotent) || (wait ?? 0) > maxRetryAfterMillis) return Effect.succeed(false)
      if (wait === undefined) return Effect.succeed(true)
      return Effect.flatMap(FiberRef.get(currentDeadline), (deadline) =>
        deadline === undefined
          ? Effect.succeed(true)
          : Effect.map(Clock.currentTimeMillis, (now) => now + wait < deadline))
    }),
    Schedule.modifyDelayEffect(([[error], retries], backoff) => {
      const delay = Duration.max(backoff, Duration.millis(RetryPolicy.requestedWait(error) ?? 0))
      const operation = "operation" in error ? error.operation : undefined
      return Effect.logDebug("Lago call failed, retrying").pipe(
        Effect.zipRight(Metric.increment(Metric.tagged(LagoMetrics.retries, "operation", operation ?? "unknown"))),
        Effect.annotateLogs({
          operation,
          requestId: "requestId" in error ? error.requestId : undefined,
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
}
