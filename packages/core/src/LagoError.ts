/**
 * The typed failures of the Lago client: one `Schema.TaggedError` per failure a caller
 * handles differently, and `LagoError`, their union. None of them ever holds the API key:
 * they carry the method, a URL without credentials, the request id and what Lago said.
 *
 * A message is one line of bounded length: where it quotes what a server wrote (Lago's code
 * and error, the echoed request id, a transport's description, a decode issue), control
 * characters, line breaks and bidirectional controls show as escapes (`\u001b`) and a long
 * text is cut short with `…`, so that a server cannot forge log lines or act on a terminal
 * through it. The fields (`code`, `error`, `requestId`, `description`, `issue`) keep the text
 * itself, for a program to read.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { inert } from "./internal/inert.js"
import { Json, StringRecord } from "./internal/schemas.js"
import { PaginationMeta } from "./PaginationMeta.js"
import * as RetryAfter from "./RetryAfter.js"

const optional = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optionalWith(schema, { exact: true })

/** Counts and durations: finite, so that an error survives JSON. */
const NonNegative = Schema.Finite.pipe(Schema.nonNegative())

/** Which call, and where the request went; every error that made a request has it. */
const requestFields = {
  /** The Lago operation id, e.g. `findCustomer`. */
  operation: Schema.String,
  /** HTTP method, e.g. `GET`. */
  method: Schema.String,
  /** The request URL, without credentials. */
  url: Schema.String,
  /** The response's `X-Request-Id`, else the one the client sent. */
  requestId: optional(Schema.String)
}

/** What Lago's error body said, when it said it. */
const responseFields = {
  ...requestFields,
  /** The HTTP status. */
  status: Schema.Int,
  /** Lago's `error` string, e.g. `"Not Found"`. */
  error: optional(Schema.String),
  /** Lago's machine-readable code, e.g. `customer_not_found`. Framework errors have none. */
  code: optional(Schema.String),
  /** Lago's `error_details`: `{field: [code, ...]}`, or nested objects for list filters. */
  error_details: optional(StringRecord(Json)),
  /** The payment provider's code, for `provider_error`. */
  provider: optional(StringRecord(Json))
}

interface RequestErrorFields {
  readonly operation: string
  readonly method: string
  readonly url: string
  readonly requestId?: string
}

interface ResponseErrorFields {
  readonly operation: string
  readonly method: string
  readonly url: string
  readonly requestId?: string
  readonly status: number
  readonly error?: string
  readonly code?: string
}

// How much of each text a server wrote a message quotes (the fields keep all of it): Lago's
// codes and error strings are a few words; a request id Rails keeps is at most 255 characters;
// a transport's description and a decode issue are the client's summary of what it received.
const maxQuotedCode = 200
const maxQuotedRequestId = 255
const maxQuotedReport = 2_000

const requestIdSuffix = (requestId: string | undefined) =>
  requestId === undefined ? "" : ` (request id ${inert(requestId, maxQuotedRequestId)})`

/**
 * `Lago <operation>: <what> on GET <url> (request id ...)`: every message names the call. What
 * the server wrote is quoted inert (`inert`): a message is one line, of bounded length.
 */
const describe = (self: RequestErrorFields, what: string): string =>
  `Lago ${self.operation}: ${what} on ${self.method} ${self.url}${requestIdSuffix(self.requestId)}`

const describeResponse = (self: ResponseErrorFields, what: string): string => {
  const lago = [self.code, self.error].filter(Predicate.isNotUndefined).map((text) => inert(text, maxQuotedCode))
    .join(": ")
  return describe(self, `${what} (HTTP ${self.status}${lago === "" ? "" : `, ${lago}`})`)
}

/**
 * 400: the body was missing or malformed (`BadRequest: param is missing ...`).
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoBadRequestError extends Schema.TaggedError<LagoBadRequestError>()(
  "LagoBadRequestError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "rejected the request as malformed")
  }
}

/**
 * 401: the API key is missing, unknown or expired.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoUnauthorizedError extends Schema.TaggedError<LagoUnauthorizedError>()(
  "LagoUnauthorizedError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "refused the API key")
  }
}

/**
 * 403: the key's permissions forbid the action (`write_action_not_allowed_for_customer`, ...).
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoForbiddenError extends Schema.TaggedError<LagoForbiddenError>()(
  "LagoForbiddenError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "forbade the action")
  }
}

/**
 * 404: `customer_not_found`, `applied_coupon_not_found`, `billing_entity_not_found`,
 * `tax_not_found`, `charge_not_found`, `resource_not_found`, or no code (unknown route).
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoNotFoundError extends Schema.TaggedError<LagoNotFoundError>()(
  "LagoNotFoundError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "found nothing")
  }
}

/**
 * 405: `no_active_subscription` or `full_usage_not_allowed` (current usage).
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoMethodNotAllowedError extends Schema.TaggedError<LagoMethodNotAllowedError>()(
  "LagoMethodNotAllowedError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "did not allow the call")
  }
}

/**
 * 422: validation failed; `error_details` says which fields and why.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoValidationError extends Schema.TaggedError<LagoValidationError>()(
  "LagoValidationError",
  responseFields
) {
  override get message(): string {
    const details = this.error_details === undefined ? "" : ` ${JSON.stringify(this.error_details)}`
    return `${describeResponse(this, "rejected the input")}${details}`
  }
}

/**
 * 429: too many requests. Carries Lago Cloud's `X-RateLimit-*` headers and the wait the
 * response asked for, when sent.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoRateLimitError extends Schema.TaggedError<LagoRateLimitError>()("LagoRateLimitError", {
  ...responseFields,
  /** `X-RateLimit-Limit`. */
  limit: optional(NonNegative),
  /** `X-RateLimit-Remaining`. */
  remaining: optional(NonNegative),
  /** `X-RateLimit-Reset`: seconds until the window resets. */
  reset: optional(NonNegative),
  /** The wait asked for by `Retry-After`, `retry-after-ms` or `X-RateLimit-Reset`, in milliseconds. */
  retryAfterMillis: optional(NonNegative)
}) {
  override get message(): string {
    const wait = this.retryAfterMillis === undefined ? "" : `, retry after ${this.retryAfterMillis} ms`
    return `${describeResponse(this, "rate limited the call")}${wait}`
  }
}

/**
 * 5xx: Lago or the infrastructure in front of it failed.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoServerError extends Schema.TaggedError<LagoServerError>()("LagoServerError", {
  ...responseFields,
  /** The wait asked for by `Retry-After` (503s often send one), in milliseconds. */
  retryAfterMillis: optional(NonNegative)
}) {
  override get message(): string {
    return describeResponse(this, "failed")
  }
}

/**
 * Any other status (e.g. 408, 409, 418) that Lago's API does not use.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoUnexpectedStatusError extends Schema.TaggedError<LagoUnexpectedStatusError>()(
  "LagoUnexpectedStatusError",
  {
    ...responseFields,
    /** The wait asked for by `Retry-After`, in milliseconds. */
    retryAfterMillis: optional(NonNegative)
  }
) {
  override get message(): string {
    return describeResponse(this, "answered with an unexpected status")
  }
}

/**
 * Where a transport failure happened. `connect`: the request provably never reached the
 * server (refused, DNS, unreachable), so even a non-idempotent call can be retried.
 *
 * @category errors
 * @since 0.1.0
 */
export const TransportPhase = Schema.Literal("connect", "request", "response")
/**
 * @category errors
 * @since 0.1.0
 */
export type TransportPhase = typeof TransportPhase.Type

/**
 * No usable response: connection refused or reset, DNS failure, a body cut short.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoTransportError extends Schema.TaggedError<LagoTransportError>()("LagoTransportError", {
  ...requestFields,
  phase: TransportPhase,
  /** The system error code when known, e.g. `ECONNREFUSED`. */
  errno: optional(Schema.String),
  /** What went wrong, from the transport. */
  description: Schema.String
}) {
  override get message(): string {
    const errno = this.errno === undefined ? "" : ` [${this.errno}]`
    return `${describe(this, `transport failure (${this.phase})${inert(errno, maxQuotedCode)}`)}: ${
      inert(this.description, maxQuotedReport)
    }`
  }
}

/**
 * An attempt, or the whole call with its retries, ran out of time.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoTimeoutError extends Schema.TaggedError<LagoTimeoutError>()("LagoTimeoutError", {
  ...requestFields,
  /** `attempt`: one request; `total`: the deadline over all attempts and waits. */
  scope: Schema.Literal("attempt", "total"),
  /** The limit that was reached, in milliseconds. */
  timeoutMillis: NonNegative
}) {
  override get message(): string {
    return describe(this, `timed out (${this.scope} limit ${this.timeoutMillis} ms)`)
  }
}

/**
 * A 2xx response whose body is not what the contract says. Keeps the parse issue.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoDecodeError extends Schema.TaggedError<LagoDecodeError>()("LagoDecodeError", {
  ...requestFields,
  status: Schema.Int,
  /** The formatted parse issue. */
  issue: Schema.String
}) {
  override get message(): string {
    return `${describe(this, `the response could not be decoded (HTTP ${this.status})`)}: ${
      inert(this.issue, maxQuotedReport)
    }`
  }
}

/**
 * A 3xx. Lago's API never redirects, so the client never follows one: a redirect means the
 * base URL is wrong (`http:` for `https:`, a missing `/api/v1`, a login page of a proxy), and
 * following it could send the API key, or a write, to another origin. Not retried.
 * Also raised when an `HttpClient` that follows redirects by itself returned the answer of
 * another origin.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoRedirectError extends Schema.TaggedError<LagoRedirectError>()("LagoRedirectError", {
  ...responseFields,
  /** Where the server pointed, without credentials, query or fragment. */
  location: optional(Schema.String)
}) {
  override get message(): string {
    const location = this.location === undefined ? "" : ` to ${this.location}`
    return `${
      describe(this, `redirected (HTTP ${this.status})${location}`)
    }: Lago's API never redirects, so it was not followed; check the base URL (https:, /api/v1)`
  }
}

/**
 * A response body larger than the client's `maxResponseBytes` (counted after decompression).
 * Reading stopped at the limit and the connection was released. Not retried.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoResponseTooLargeError extends Schema.TaggedError<LagoResponseTooLargeError>()(
  "LagoResponseTooLargeError",
  {
    ...requestFields,
    /** The HTTP status of the response. */
    status: Schema.Int,
    /** The limit that was reached, in bytes. */
    maxResponseBytes: NonNegative
  }
) {
  override get message(): string {
    return describe(
      this,
      `the response body exceeds maxResponseBytes (${this.maxResponseBytes} bytes; HTTP ${this.status})`
    )
  }
}

/**
 * A paginated list whose pages do not add up: a `next_page` that does not move forward, a page
 * other than the one asked for, more pages than the server announced. Streaming stops rather
 * than request pages forever.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoPaginationError extends Schema.TaggedError<LagoPaginationError>()("LagoPaginationError", {
  /** The Lago operation id of the list, e.g. `findAllCustomers`. */
  operation: Schema.String,
  /** The page that was asked for. */
  page: Schema.Int,
  /** The pagination metadata the server answered with. */
  meta: PaginationMeta,
  /** What is wrong with it. */
  reason: Schema.String
}) {
  override get message(): string {
    return `Lago ${this.operation}: the pages do not add up: asked for page ${this.page}, got ${
      JSON.stringify(this.meta)
    }: ${this.reason}`
  }
}

/**
 * The call was refused before anything was sent: an empty, `.` or `..` id, or an input
 * that does not encode.
 *
 * @category errors
 * @since 0.1.0
 */
export class LagoInvalidInputError extends Schema.TaggedError<LagoInvalidInputError>()("LagoInvalidInputError", {
  /** The Lago operation id, e.g. `findCustomer`. */
  operation: Schema.String,
  /** The argument that was refused, e.g. `external_id`. */
  field: Schema.String,
  /** Why. */
  reason: Schema.String
}) {
  override get message(): string {
    return `Lago ${this.operation}: invalid input, ${this.field} ${this.reason}`
  }
}

/**
 * Every failure of a Lago call.
 *
 * @category errors
 * @since 0.1.0
 */
export type LagoError =
  | LagoBadRequestError
  | LagoUnauthorizedError
  | LagoForbiddenError
  | LagoNotFoundError
  | LagoMethodNotAllowedError
  | LagoValidationError
  | LagoRateLimitError
  | LagoServerError
  | LagoUnexpectedStatusError
  | LagoRedirectError
  | LagoTransportError
  | LagoTimeoutError
  | LagoDecodeError
  | LagoResponseTooLargeError
  | LagoPaginationError
  | LagoInvalidInputError

/**
 * The schema of the union, to serialise errors (e.g. across workers) and back.
 *
 * @category errors
 * @since 0.1.0
 */
export const LagoError: Schema.Union<[
  typeof LagoBadRequestError,
  typeof LagoUnauthorizedError,
  typeof LagoForbiddenError,
  typeof LagoNotFoundError,
  typeof LagoMethodNotAllowedError,
  typeof LagoValidationError,
  typeof LagoRateLimitError,
  typeof LagoServerError,
  typeof LagoUnexpectedStatusError,
  typeof LagoRedirectError,
  typeof LagoTransportError,
  typeof LagoTimeoutError,
  typeof LagoDecodeError,
  typeof LagoResponseTooLargeError,
  typeof LagoPaginationError,
  typeof LagoInvalidInputError
]> = Schema.Union(
  LagoBadRequestError,
  LagoUnauthorizedError,
  LagoForbiddenError,
  LagoNotFoundError,
  LagoMethodNotAllowedError,
  LagoValidationError,
  LagoRateLimitError,
  LagoServerError,
  LagoUnexpectedStatusError,
  LagoRedirectError,
  LagoTransportError,
  LagoTimeoutError,
  LagoDecodeError,
  LagoResponseTooLargeError,
  LagoPaginationError,
  LagoInvalidInputError
)

/**
 * The errors that come with an HTTP response.
 *
 * @category errors
 * @since 0.1.0
 */
export type LagoResponseError =
  | LagoBadRequestError
  | LagoUnauthorizedError
  | LagoForbiddenError
  | LagoNotFoundError
  | LagoMethodNotAllowedError
  | LagoValidationError
  | LagoRateLimitError
  | LagoServerError
  | LagoUnexpectedStatusError
  | LagoRedirectError

/**
 * Whether a value is one of the Lago errors.
 *
 * @category errors
 * @since 0.1.0
 */
export const isLagoError = (u: unknown): u is LagoError => Schema.is(LagoError)(u)

const ObjectRecord = StringRecord(Json)

/**
 * Lago's error body, `{status, error, code?, error_details?, provider?}`. Every key is
 * optional: framework errors have no `code`, and proxies send anything.
 *
 * @category errors
 * @since 0.1.0
 */
export const LagoErrorBody = Schema.Struct({
  status: optional(Schema.Number),
  error: optional(Schema.String),
  code: optional(Schema.String),
  error_details: optional(ObjectRecord),
  provider: optional(ObjectRecord)
}).annotations({ identifier: "LagoErrorBody" })
/**
 * @category errors
 * @since 0.1.0
 */
export type LagoErrorBody = typeof LagoErrorBody.Type

const decodeJson = Schema.decodeUnknownOption(Schema.parseJson())
const decodeField = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknownOption(schema)
  return (value: unknown): A | undefined => value === undefined ? undefined : Option.getOrUndefined(decode(value))
}
const decodeString = decodeField(Schema.String)
const decodeNumber = decodeField(Schema.Number)
const decodeRecord = decodeField(ObjectRecord)

/** Nesting of Lago's details is a few levels; anything deeper is hostile and would overflow printers. */
const maxDetailsDepth = 32

const deeperThan = (value: unknown, limit: number): boolean => {
  if (typeof value !== "object" || value === null) return false
  if (limit === 0) return true
  return Object.values(value).some((item) => deeperThan(item, limit - 1))
}

const decodeObject = (value: unknown) => {
  const record = decodeRecord(value)
  return record === undefined || deeperThan(record, maxDetailsDepth) ? undefined : record
}

const identity = (text: string): string => text

const ifDefined = <A, B>(value: A | undefined, f: (a: A) => B): B | undefined =>
  value === undefined ? undefined : f(value)

/** Applies `scrub` to every string of a JSON value, keys included (depth is already bounded). */
const scrubJson = (value: unknown, scrub: (text: string) => string): unknown => {
  if (typeof value === "string") return scrub(value)
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, scrub))
  if (Predicate.isRecord(value)) return scrubRecord(value, scrub)
  return value
}

const scrubRecord = (
  record: { readonly [key: string]: unknown },
  scrub: (text: string) => string
): { [key: string]: unknown } => {
  if (scrub === identity) return { ...record }
  const out: { [key: string]: unknown } = {}
  for (const [key, item] of Object.entries(record)) out[scrub(key)] = scrubJson(item, scrub)
  return out
}

/**
 * Reads an error body, keeping each well-typed key and dropping the rest, so that an empty,
 * HTML or half-Lago body still gives an error to map by status. `scrub` is applied to every
 * string kept (after JSON unescaping, so an escaped secret is found too).
 *
 * @category errors
 * @since 0.1.0
 */
export const parseErrorBody = (body: string, scrub: (text: string) => string = identity): LagoErrorBody => {
  const json = Option.getOrUndefined(decodeJson(body))
  if (!Predicate.isRecord(json)) return {}
  const parsed: { -readonly [K in keyof LagoErrorBody]: LagoErrorBody[K] } = {}
  const status = decodeNumber(json.status)
  const error = ifDefined(decodeString(json.error), scrub)
  const code = ifDefined(decodeString(json.code), scrub)
  const errorDetails = ifDefined(decodeObject(json.error_details), (details) => scrubRecord(details, scrub))
  const provider = ifDefined(decodeObject(json.provider), (details) => scrubRecord(details, scrub))
  if (status !== undefined) parsed.status = status
  if (error !== undefined) parsed.error = error
  if (code !== undefined) parsed.code = code
  if (errorDetails !== undefined) parsed.error_details = errorDetails
  if (provider !== undefined) parsed.provider = provider
  return parsed
}

/**
 * A non-2xx response, as the client saw it.
 *
 * @category errors
 * @since 0.1.0
 */
export interface ErrorResponse {
  /** The Lago operation id, e.g. `findCustomer`. */
  readonly operation: string
  readonly status: number
  /** Response headers, keys in lower case. */
  readonly headers: RetryAfter.HeaderRecord
  /** The raw body, possibly empty or not JSON. */
  readonly body: string
  readonly method: string
  /** The request URL; credentials in it are removed. */
  readonly url: string
  /** The `X-Request-Id` the client sent; the response's own wins. */
  readonly requestId?: string | undefined
  /** The current time, to read an HTTP-date `Retry-After`. */
  readonly nowMillis: number
  /**
   * Removes secrets from a text the server wrote, before it is kept: a server that echoes
   * the request's headers must not put the API key into an error.
   */
  readonly scrub?: ((text: string) => string) | undefined
}

const userinfo = /^((?:[^:/?#]+:)?\/\/)[^/?#]*@/

/**
 * Removes credentials (`user:password@`) and the fragment from a URL, for error messages.
 *
 * @category errors
 * @since 0.1.0
 */
export const redactUrl = (url: string): string => {
  if (!URL.canParse(url)) return url.replace(userinfo, "$1").replace(/#.*$/s, "")
  const parsed = new URL(url)
  parsed.username = ""
  parsed.password = ""
  parsed.hash = ""
  return parsed.toString()
}

/**
 * A redirect's `Location`, resolved against the request URL, for an error message: without
 * credentials and fragment, and with its query (which may carry a token) cut to `?…`.
 *
 * @category errors
 * @since 0.1.0
 */
export const redactLocation = (location: string, requestUrl: string): string => {
  if (!URL.canParse(location, requestUrl)) return "(an invalid URL)"
  const parsed = new URL(location, requestUrl)
  const query = parsed.search === "" ? "" : "?…"
  parsed.username = ""
  parsed.password = ""
  parsed.hash = ""
  parsed.search = ""
  return `${parsed.toString()}${query}`
}

/**
 * What an error of a response says besides its body: the call, the status and the headers.
 *
 * @category errors
 * @since 0.1.0
 */
export type ErrorContext = Omit<ErrorResponse, "body" | "scrub">

/**
 * Maps a non-2xx status and Lago's error body (already read) to its tagged error. What the
 * in-memory test layer uses; `fromResponse` reads the body first.
 *
 * @category errors
 * @since 0.1.0
 */
export const fromErrorBody = (context: ErrorContext, body: LagoErrorBody): LagoResponseError => {
  const requestId = context.requestId
  const fields = {
    operation: context.operation,
    method: context.method,
    url: redactUrl(context.url),
    status: context.status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(body.error === undefined ? {} : { error: body.error }),
    ...(body.code === undefined ? {} : { code: body.code }),
    ...(body.error_details === undefined ? {} : { error_details: body.error_details }),
    ...(body.provider === undefined ? {} : { provider: body.provider })
  }
  if (context.status >= 300 && context.status <= 399) {
    const location = context.headers["location"]
    return new LagoRedirectError({
      operation: fields.operation,
      method: fields.method,
      url: fields.url,
      status: fields.status,
      ...(requestId === undefined ? {} : { requestId }),
      ...(location === undefined ? {} : { location: redactLocation(location, context.url) })
    })
  }
  const retryAfter = Option.match(RetryAfter.fromHeaders(context.headers, context.nowMillis), {
    onNone: () => ({}),
    onSome: (retryAfterMillis) => ({ retryAfterMillis })
  })
  switch (context.status) {
    case 400:
      return new LagoBadRequestError(fields)
    case 401:
      return new LagoUnauthorizedError(fields)
    case 403:
      return new LagoForbiddenError(fields)
    case 404:
      return new LagoNotFoundError(fields)
    case 405:
      return new LagoMethodNotAllowedError(fields)
    case 422:
      return new LagoValidationError(fields)
    case 429:
      return new LagoRateLimitError({ ...fields, ...RetryAfter.rateLimitInfo(context.headers), ...retryAfter })
    default:
      return context.status >= 500 && context.status <= 599
        ? new LagoServerError({ ...fields, ...retryAfter })
        : new LagoUnexpectedStatusError({ ...fields, ...retryAfter })
  }
}

/**
 * Maps a non-2xx response to its tagged error, by HTTP status; the body adds Lago's code
 * and details when it has them. Texts from the body and the echoed request id go through
 * `scrub` first.
 *
 * @category errors
 * @since 0.1.0
 */
export const fromResponse = (response: ErrorResponse): LagoResponseError => {
  const scrub = response.scrub ?? identity
  const echoed = response.headers["x-request-id"]
  // Rails keeps at most 255 characters of a request id; a longer one is not Lago's.
  const requestId = echoed === undefined ? response.requestId : scrub(echoed.slice(0, 255))
  return fromErrorBody({ ...response, requestId }, parseErrorBody(response.body, scrub))
}
