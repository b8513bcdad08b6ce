/**
 * How long Lago (or the edge in front of it) asks a client to wait: `Retry-After` (seconds
 * or an HTTP-date), `retry-after-ms`, and Lago Cloud's `X-RateLimit-*` headers.
 *
 * Header values come from the network: anything that is not a sane, finite, non-negative
 * number (or date) is ignored, never turned into `Infinity`, `NaN` or an exception.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"

/**
 * Response headers, keys in lower case (as `@effect/platform`'s `Headers` are).
 *
 * @category models
 * @since 0.1.0
 */
export type HeaderRecord = Readonly<Record<string, string | undefined>>

/**
 * Lago Cloud's rate limit headers.
 *
 * @category models
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

/**
 * The largest number a header may carry: 10^9 (about 31 years in seconds). Larger values are
 * ignored as garbage; every result stays finite, also once turned into milliseconds.
 *
 * @category utils
 * @since 0.1.0
 */
export const maxHeaderNumber = 1e9

const decimal = /^\d{1,16}(?:\.\d{1,16})?$/

/** A plain non-negative decimal no larger than `maxHeaderNumber`, else nothing. */
const saneNumber = (text: string): number | undefined => {
  const trimmed = text.trim()
  if (!decimal.test(trimmed)) return undefined
  const value = Number(trimmed)
  return Number.isFinite(value) && value <= maxHeaderNumber ? value : undefined
}

/**
 * The largest sane number in a header value. A repeated header arrives joined with commas
 * (`1, 2`); each part is read on its own and the largest wins.
 */
const largestNumber = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined
  let largest: number | undefined
  for (const part of value.split(",")) {
    const n = saneNumber(part)
    if (n !== undefined && (largest === undefined || n > largest)) largest = n
  }
  return largest
}

/**
 * Reads the `X-RateLimit-*` headers; absent, malformed or absurd values are left out.
 *
 * @category utils
 * @since 0.1.0
 */
export const rateLimitInfo = (headers: HeaderRecord): RateLimitInfo => {
  const limit = largestNumber(headers["x-ratelimit-limit"])
  const remaining = largestNumber(headers["x-ratelimit-remaining"])
  const reset = largestNumber(headers["x-ratelimit-reset"])
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(reset === undefined ? {} : { reset })
  }
}

const weekday = /^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*$/i
const maxDelayMillis = maxHeaderNumber * 1000

const dateDelay = (text: string, nowMillis: number): number | undefined => {
  // Only real dates: Date.parse also reads bare numbers, which the seconds form handles.
  if (!/[a-z]/i.test(text)) return undefined
  const at = Date.parse(text)
  if (!Number.isFinite(at)) return undefined
  return Math.min(maxDelayMillis, Math.max(0, at - nowMillis))
}

/**
 * The longest wait a `Retry-After` value asks for, in milliseconds: delta-seconds or an
 * HTTP-date, possibly several joined by commas (a repeated header). An HTTP-date holds a
 * comma itself (`Wed, 21 Oct 2015 07:28:00 GMT`), so a weekday part is read with the next.
 */
const retryAfterMillis = (value: string, nowMillis: number): number | undefined => {
  const parts = value.split(",")
  let longest: number | undefined
  const consider = (millis: number | undefined) => {
    if (millis !== undefined && (longest === undefined || millis > longest)) longest = millis
  }
  for (let i = 0; i < parts.length; i++) {
    const seconds = saneNumber(parts[i])
    if (seconds !== undefined) {
      consider(seconds * 1000)
    } else if (weekday.test(parts[i]) && i + 1 < parts.length) {
      consider(dateDelay(`${parts[i]},${parts[i + 1]}`, nowMillis))
      i++
    } else {
      consider(dateDelay(parts[i], nowMillis))
    }
  }
  return longest
}

/**
 * The wait, in milliseconds, that the response asks for: the longest of `retry-after-ms`,
 * `Retry-After` (delta-seconds or HTTP-date, relative to `nowMillis`) and `X-RateLimit-Reset`
 * when no request is left in the window. `None` when the response asks for nothing sane.
 * The result is always finite, non-negative and at most `maxHeaderNumber` seconds.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromHeaders = (headers: HeaderRecord, nowMillis: number): Option.Option<number> => {
  let longest: number | undefined
  const consider = (millis: number | undefined) => {
    if (millis !== undefined && (longest === undefined || millis > longest)) longest = millis
  }
  consider(largestNumber(headers["retry-after-ms"]))
  const retryAfter = headers["retry-after"]
  if (retryAfter !== undefined) consider(retryAfterMillis(retryAfter, nowMillis))
  const info = rateLimitInfo(headers)
  // X-RateLimit-Reset counts seconds until the window resets; it only matters once it is used up.
  if (info.reset !== undefined && (info.remaining === undefined || info.remaining === 0)) {
    consider(info.reset * 1000)
  }
  return longest === undefined ? Option.none() : Option.some(Math.ceil(Math.min(longest, maxDelayMillis)))
}
