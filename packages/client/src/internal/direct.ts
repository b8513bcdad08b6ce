/**
 * The direct lane: how `LagoClient` calls this package's own transports (`LagoHttpClient`)
 * without going through the platform's `HttpClient.execute`.
 *
 * Why: per request the platform's `HttpClient` makes an `AbortController`, parses the URL,
 * registers the response with a `FinalizationRegistry`, wraps it to abort on interruption, and
 * the client's own hardening provides services and fiber-local values around it: about 60 µs
 * of a call whose floor (the same response parsed by plain code) is about 22 µs, before the
 * attempt's time-out forks a fiber. A transport of this package registers a `DirectSend` for
 * the `HttpClient` it makes; a client given exactly that `HttpClient` sends through it, with
 * one abort per attempt (`AttemptAbort`) that also serves as its time-out. Any other `HttpClient`,
 * including one of this package transformed by the user (`HttpClient.mapRequest`, ...), is a
 * new object with no registration, and goes through `execute` as before.
 */
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Context from "effect/Context"
import { globalValue } from "effect/GlobalValue"
import type { AttemptAbort } from "./abort.js"
import type { tooLarge } from "./body.js"

/** A request of the direct lane: the client has made it whole. */
export interface DirectRequest {
  readonly method: string
  /** The full URL; `origin` followed by `path`. */
  readonly url: string
  readonly origin: string
  /** The path and query. */
  readonly path: string
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  /** A JSON body, sent with `content-type: application/json`. */
  readonly json: string | undefined
  /**
   * Aborts the request and its body: undici's `request` takes it as its signal, `fetch` its
   * `signal` (a web `AbortSignal`, made when asked for).
   */
  readonly abort: AttemptAbort
}

/** A response of the direct lane: its status and headers, and a body read at most once. */
export interface DirectResponse {
  readonly status: number
  readonly headers: Headers.Headers
  /**
   * The URL that answered, when the transport followed a redirect by itself (a user's `fetch`
   * that ignores `redirect: "manual"`); `undefined` when it answered the request's own URL.
   */
  readonly redirectedTo?: string | undefined
  /** The body as UTF-8 text, or `tooLarge` past `limit` bytes; rejects if the transport fails. */
  readonly read: (limit: number) => Promise<string | typeof tooLarge>
  /** Stops the body unread, releasing the connection. */
  readonly discard: () => void
}

/**
 * Sends a request; `context` is the calling fiber's (a transport may read services from it, as
 * `FetchHttpClient.Fetch`). Rejects with the transport's error.
 */
export type DirectSend = (request: DirectRequest, context: Context.Context<never>) => Promise<DirectResponse>

/** Keyed by version: two loaded copies of this package share it only if they agree on the shape. */
const registry = globalValue(
  Symbol.for("@lago-effect/client/direct/1"),
  () => new WeakMap<HttpClient.HttpClient, DirectSend>()
)

/** Makes `client` callable directly through `send`; returns `client`. */
export const register = (client: HttpClient.HttpClient, send: DirectSend): HttpClient.HttpClient => {
  registry.set(client, send)
  return client
}

/** The direct lane of `client`, if it is one of this package's transports as made. */
export const directOf = (client: HttpClient.HttpClient): DirectSend | undefined => registry.get(client)
