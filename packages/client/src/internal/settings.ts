/**
 * The checks a client's settings go through when it is made, so that a bad setting is a
 * typed `LagoInvalidInputError` at `make` instead of a defect, a leak or a request to the
 * wrong place later.
 */
import { LagoError } from "@lago-effect/core"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as RetryPolicy from "../RetryPolicy.js"

const invalid = (operation: string, field: string, reason: string) =>
  new LagoError.LagoInvalidInputError({ operation, field, reason })

/**
 * The API key must be non-empty visible ASCII (no space, no control character). Lago's keys
 * are; anything else cannot be sent in a header, and transports echo a refused header value
 * (with the key) in their error messages. The key itself is never part of the error.
 */
export const checkApiKey = (
  operation: string,
  apiKey: Redacted.Redacted<string>
): Either.Either<Redacted.Redacted<string>, LagoError.LagoInvalidInputError> => {
  const key: unknown = Redacted.value(apiKey)
  if (typeof key !== "string" || key.length === 0) {
    return Either.left(invalid(operation, "apiKey", "must not be empty"))
  }
  for (let i = 0; i < key.length; i++) {
    const code = key.charCodeAt(i)
    if (code < 0x21 || code > 0x7e) {
      return Either.left(
        invalid(operation, "apiKey", `must be visible ASCII without spaces (character ${i + 1} is not)`)
      )
    }
  }
  return Either.right(apiKey)
}

const loopbackHosts = new Set(["localhost", "[::1]"])

/** Whether a host name is this machine: plain `http:` does not cross a network there. */
export const isLoopback = (hostname: string): boolean =>
  loopbackHosts.has(hostname) || hostname.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(hostname)

/**
 * A base URL the client may talk to: `http:` or `https:`, with no credentials (Lago
 * authenticates by bearer key, and a password in a URL ends up in logs), no query and no
 * fragment (paths are appended to it, so they would end up inside the query).
 */
export const checkBaseUrl = (
  operation: string,
  baseUrl: string
): Either.Either<URL, LagoError.LagoInvalidInputError> => {
  if (!URL.canParse(baseUrl)) {
    return Either.left(invalid(operation, "baseUrl", `is not a URL: ${LagoError.redactUrl(baseUrl)}`))
  }
  const url = new URL(baseUrl)
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Either.left(invalid(operation, "baseUrl", `must be an http: or https: URL, not ${url.protocol}`))
  }
  if (url.username !== "" || url.password !== "") {
    return Either.left(
      invalid(
        operation,
        "baseUrl",
        `must not carry credentials (user:password@): Lago authenticates with the API key (${
          LagoError.redactUrl(baseUrl)
        })`
      )
    )
  }
  if (baseUrl.includes("?") || baseUrl.includes("#")) {
    return Either.left(
      invalid(
        operation,
        "baseUrl",
        `must not have a query or a fragment (${LagoError.redactLocation(baseUrl, baseUrl)})`
      )
    )
  }
  return Either.right(url)
}

/**
 * Reads a `DurationInput` from a caller: malformed values, `NaN` and negative values are
 * refused (`Duration.decode` would throw or clamp them); `positive` also refuses zero.
 */
export const checkDuration = (
  operation: string,
  field: string,
  input: unknown,
  options: { readonly positive: boolean }
): Either.Either<Duration.Duration, LagoError.LagoInvalidInputError> => {
  const negative = (typeof input === "number" && !(input >= 0)) ||
    (typeof input === "bigint" && input < 0n) ||
    (typeof input === "string" && input.trim().startsWith("-"))
  const decoded = negative ? Option.none() : Duration.decodeUnknown(input)
  if (Option.isNone(decoded)) {
    return Either.left(invalid(operation, field, "must be a non-negative duration, e.g. \"30 seconds\" or 30000 (ms)"))
  }
  if (options.positive && Duration.isZero(decoded.value)) {
    return Either.left(invalid(operation, field, "must be longer than zero"))
  }
  return Either.right(decoded.value)
}

/** A retry policy's numbers: `times` a non-negative integer, `maxRetryAfter` a duration. */
export const checkRetry = (
  operation: string,
  retry: RetryPolicy.RetryPolicy
): Either.Either<RetryPolicy.RetryPolicy, LagoError.LagoInvalidInputError> => {
  if (!Number.isSafeInteger(retry.times) || retry.times < 0) {
    return Either.left(invalid(operation, "retry.times", "must be an integer >= 0"))
  }
  return Either.map(
    checkDuration(operation, "retry.maxRetryAfter", retry.maxRetryAfter, { positive: false }),
    (maxRetryAfter) => ({ ...retry, maxRetryAfter })
  )
}

/** `maxResponseBytes`: a positive safe integer. */
export const checkMaxResponseBytes = (
  operation: string,
  value: number
): Either.Either<number, LagoError.LagoInvalidInputError> =>
  Number.isSafeInteger(value) && value > 0
    ? Either.right(value)
    : Either.left(invalid(operation, "maxResponseBytes", "must be a positive integer (bytes)"))

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const reservedHeaders = new Set(["authorization", "x-request-id"])

/**
 * Extra headers: valid names and values (no CR, LF or other control character, so no header
 * can be injected), and none of the headers the client owns: `Authorization` (the key) and
 * `X-Request-Id` (one per call, kept across retries).
 */
export const checkHeaders = (
  operation: string,
  headers: Readonly<Record<string, string>>
): Either.Either<Readonly<Record<string, string>>, LagoError.LagoInvalidInputError> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (!token.test(name)) {
      return Either.left(invalid(operation, "headers", `has an invalid header name: ${JSON.stringify(name)}`))
    }
    if (reservedHeaders.has(lower)) {
      return Either.left(invalid(operation, "headers", `must not set ${name}: the client sets it`))
    }
    if (typeof value !== "string" || /[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      return Either.left(invalid(operation, "headers", `has an invalid value for ${name}`))
    }
    out[lower] = value
  }
  return Either.right(out)
}
