/**
 * How long Lago (or the edge in front of it) asks a client to wait: `Retry-After` (seconds
 * or an HTTP-date), `retry-after-ms`, and Lago Cloud's `X-RateLimit-*` headers (§1.5).
 *
 * @since 0.1.0
 */
import { Option } from "effect"

/**
 * Response headers, keys in lower case (as `@effect/platform`'s `Headers` are).
 *
 * @since 0.1.0
 */
export type HeaderRecord = Readonly<Record<string, string | undefined>>

/**
 * Lago Cloud's rate limit headers.
 *
 * @since 0.1.0
 */
export interface RateLimitInfo {
  /** `X-RateLimit-Limit`: requests allowed per window. */
  readonly limit?: number
  /** `X-RateLimit-Remaining`: requests left in the window. */
  readonly remaining?: number
  /** `X-RateLimit-Reset`: seconds until the window resets. */
  readonly reset?: number
}

const nonNegativeNumber = (value: string | undefined): Option.Option<number> => {
  if (value === undefined) return Option.none()
  const trimmed = value.trim()
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return Option.none()
  return Option.some(Number(trimmed))
}

/**
 * Reads the `X-RateLimit-*` headers; absent or malformed values are left out.
 *
 * @since 0.1.0
 */
export const rateLimitInfo = (headers: HeaderRecord): RateLimitInfo => {
  const info: { limit?: number; remaining?: number; reset?: number } = {}
  Option.map(nonNegativeNumber(headers["x-ratelimit-limit"]), (n) => info.limit = n)
  Option.map(nonNegativeNumber(headers["x-ratelimit-remaining"]), (n) => info.remaining = n)
  Option.map(nonNegativeNumber(headers["x-ratelimit-reset"]), (n) => info.reset = n)
  return info
}

const httpDateDelay = (value: string, nowMillis: number): Option.Option<number> => {
  // Only real dates: Date.parse also reads bare numbers, which the seconds form handles.
  if (!/[a-z]/i.test(value)) return Option.none()
  const at = Date.parse(value)
  return Number.isNaN(at) ? Option.none() : Option.some(Math.max(0, at - nowMillis))
}

/**
 * The wait, in milliseconds, that the response asks for: the longest of `retry-after-ms`,
 * `Retry-After` (delta-seconds or HTTP-date, relative to `nowMillis`) and `X-RateLimit-Reset`
 * when no request is left in the window. `None` when the response asks for nothing.
 *
 * @since 0.1.0
 */
export const fromHeaders = (headers: HeaderRecord, nowMillis: number): Option.Option<number> => {
  const candidates: Array<number> = []
  Option.map(nonNegativeNumber(headers["retry-after-ms"]), (ms) => candidates.push(ms))
  const retryAfter = headers["retry-after"]
  if (retryAfter !== undefined) {
    Option.match(nonNegativeNumber(retryAfter), {
      onSome: (seconds) => candidates.push(seconds * 1000),
      onNone: () => Option.map(httpDateDelay(retryAfter, nowMillis), (ms) => candidates.push(ms))
    })
  }
  const info = rateLimitInfo(headers)
  // X-RateLimit-Reset counts seconds until the window resets; it only matters once it is used up.
  if (info.reset !== undefined && (info.remaining === undefined || info.remaining === 0)) {
    candidates.push(info.reset * 1000)
  }
  return candidates.length === 0 ? Option.none() : Option.some(Math.ceil(Math.max(...candidates)))
}
