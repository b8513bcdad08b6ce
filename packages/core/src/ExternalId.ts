/**
 * The check every external id goes through before it becomes a URL path segment.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { LagoInvalidInputError } from "./LagoError.js"

const blank = /^\s*$/

/**
 * Why a string cannot be an external id, or `undefined` when it can. One rule for every
 * operation, creating included, so that no customer is created that cannot be addressed:
 *
 * - empty or blank: Lago refuses a blank `external_id` (422), and `/customers/` is
 *   normalised by its router into the list endpoint;
 * - `.` and `..`: WHATWG URL handling (fetch, undici) removes them as dot-segments, even
 *   percent-encoded, so a request would reach another route;
 * - a lone surrogate: it has no UTF-8 form, so it cannot be percent-encoded.
 *
 * @category utils
 * @since 0.1.0
 */
export const invalidReason = (id: string): string | undefined =>
  id.length === 0
    ? "must not be empty"
    : blank.test(id)
    ? "must not be blank"
    : id === "." || id === ".."
    ? `must not be "${id}": it cannot be addressed in a URL path`
    : isWellFormed(id)
    ? undefined
    : "must be well-formed Unicode (it holds a lone surrogate, which no URL can carry)"

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Whether a string is well-formed UTF-16: percent-encoding throws on a lone surrogate and
 * URLSearchParams silently replaces it, so neither may reach a URL.
 *
 * @category guards
 * @since 0.1.0
 */
export const isWellFormed = (value: string): boolean => !loneSurrogate.test(value)

/**
 * An id that can be addressed as one path segment: not blank, not `.` or `..`, well-formed.
 * Any other string is fine; the client percent-encodes it.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ExternalId: Schema.Schema<string> = Schema.String.pipe(
  Schema.filter((id) => invalidReason(id) ?? true)
).annotations({ identifier: "ExternalId" })

/**
 * Validates an id, with the reason when it is refused.
 *
 * @category utils
 * @since 0.1.0
 */
export const validate = (id: string): Either.Either<string, string> => {
  const reason = invalidReason(id)
  return reason === undefined ? Either.right(id) : Either.left(reason)
}

/**
 * Checks an id before a call: fails with `LagoInvalidInputError` naming the operation and
 * the argument, so nothing is sent.
 *
 * @category utils
 * @since 0.1.0
 */
export const check =
  (operation: string, field: string) => (id: string): Effect.Effect<string, LagoInvalidInputError> => {
    const reason = typeof id === "string" ? invalidReason(id) : "must be a string"
    return reason === undefined
      ? Effect.succeed(id)
      : Effect.fail(new LagoInvalidInputError({ operation, field, reason }))
  }
