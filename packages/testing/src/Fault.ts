/**
 * Faults `LagoFake` can inject, and the plan that says when.
 *
 * @since 0.1.0
 */
import type { Customers } from "@lago-effect/client"
import type { Duration } from "effect"

/**
 * The Lago operation ids, which name the fake's routes (the client's table of operations).
 *
 * @category models
 * @since 0.1.0
 */
export type Operation = Customers.OperationId

/**
 * One fault.
 *
 * - `Status`: answer this status, headers and body instead of the real answer.
 * - `Latency`: wait, then answer as usual (or apply the next fault).
 * - `Drop`: close the connection before any response (`errno` as the client sees it).
 * - `CutBody`: send the real answer's headers, then cut the body after `fraction` of it.
 * - `MalformedJson`: answer 200 with a body that is not JSON.
 *
 * @category models
 * @since 0.1.0
 */
export type Fault =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly headers?: Readonly<Record<string, string>> | undefined
    readonly body?: string | undefined
  }
  | { readonly _tag: "Latency"; readonly duration: Duration.DurationInput }
  | { readonly _tag: "Drop"; readonly errno: "ECONNRESET" | "ECONNREFUSED" }
  | { readonly _tag: "CutBody"; readonly fraction: number }
  | { readonly _tag: "MalformedJson" }

/**
 * Answers `status` with a Lago-shaped body (or `body`) and `headers`.
 *
 * @category faults
 * @since 0.1.0
 */
export const status = (
  code: number,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly body?: string } = {}
): Fault => ({
  _tag: "Status",
  status: code,
  headers: options.headers,
  body: options.body ?? JSON.stringify({ status: code, error: statusText(code) })
})

/**
 * A 503, as a proxy in front of Lago sends it.
 *
 * @category faults
 * @since 0.1.0
 */
export const unavailable = (retryAfterSeconds?: number): Fault =>
  status(503, retryAfterSeconds === undefined ? {} : { headers: { "retry-after": String(retryAfterSeconds) } })

/**
 * A 429 with `Retry-After` in seconds.
 *
 * @category faults
 * @since 0.1.0
 */
export const rateLimited = (retryAfterSeconds: number): Fault =>
  status(429, { headers: { "retry-after": String(retryAfterSeconds) } })

/**
 * Waits, then answers.
 *
 * @category faults
 * @since 0.1.0
 */
export const latency = (duration: Duration.DurationInput): Fault => ({ _tag: "Latency", duration })

/**
 * Drops the connection before any response. `ECONNREFUSED` means the request never reached
 * Lago (a connect failure); `ECONNRESET` that it may have.
 *
 * @category faults
 * @since 0.1.0
 */
export const drop = (errno: "ECONNRESET" | "ECONNREFUSED" = "ECONNRESET"): Fault => ({ _tag: "Drop", errno })

/**
 * Cuts the body after `fraction` of it, mid-JSON.
 *
 * @category faults
 * @since 0.1.0
 */
export const cutBody = (fraction = 0.5): Fault => ({ _tag: "CutBody", fraction })

/**
 * A 200 whose body is not JSON.
 *
 * @category faults
 * @since 0.1.0
 */
export const malformedJson: Fault = { _tag: "MalformedJson" }

/**
 * When a fault applies: a route (operation id), a predicate on the request, and how many
 * times (default: every time).
 *
 * @category models
 * @since 0.1.0
 */
export interface Rule {
  readonly fault: Fault
  readonly route?: Operation | undefined
  readonly when?: ((request: RequestInfo) => boolean) | undefined
  readonly times?: number | undefined
}

/**
 * Seeded random faults: each matching request fails with probability `rate`, with one of
 * `faults` chosen at random. The same seed gives the same sequence.
 *
 * @category models
 * @since 0.1.0
 */
export interface RandomFaults {
  readonly rate: number
  readonly seed: number
  readonly faults: ReadonlyArray<Fault>
  readonly route?: Operation | undefined
}

/**
 * A fixed-window rate limit: `limit` requests per `window`, then 429 with `X-RateLimit-*`.
 *
 * @category models
 * @since 0.1.0
 */
export interface RateLimit {
  readonly limit: number
  readonly window: Duration.DurationInput
}

/**
 * What rules see of a request.
 *
 * @category models
 * @since 0.1.0
 */
export interface RequestInfo {
  readonly method: string
  readonly operation: Operation | undefined
  /** The decoded path segments after `/api/v1`, e.g. `["customers", "acme.com"]`. */
  readonly segments: ReadonlyArray<string>
  readonly query: ReadonlyArray<readonly [string, string]>
}

/**
 * The standard reason phrase of a status.
 *
 * @category faults
 * @since 0.1.0
 */
export const statusText = (code: number): string => statusTexts[code] ?? "Error"

const statusTexts: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}
