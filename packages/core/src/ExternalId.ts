/**
 * The check every external id goes through before it becomes a URL path segment.
 *
 * @since 0.1.0
 */
import { Effect, Either, Schema } from "effect"
import { LagoInvalidInputError } from "./LagoError.js"

/**
 * Why an id cannot be put in a path, or `undefined` when it can.
 *
 * - empty: `/customers/` is normalised by Lago's router into the list endpoint;
 * - `.` and `..`: WHATWG URL handling (fetch, undici) removes them as dot-segments, even
 *   percent-encoded, so the request would reach another route (contract §4.6).
 *
 * @since 0.1.0
 */
export const invalidReason = (id: string): string | undefined =>
  id.length === 0
    ? "must not be empty"
    : id === "." || id === ".."
    ? `must not be "${id}": it cannot be addressed in a URL path`
    : undefined

/**
 * An id that can be addressed as one path segment: non-empty, not `.` or `..`.
 * Any other string is fine; the client percent-encodes it.
 *
 * @since 0.1.0
 */
export const ExternalId: Schema.Schema<string> = Schema.String.pipe(
  Schema.filter((id) => invalidReason(id) ?? true)
).annotations({ identifier: "ExternalId" })

/**
 * Validates an id, with the reason when it is refused.
 *
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
 * @since 0.1.0
 */
export const check =
  (operation: string, field: string) => (id: string): Effect.Effect<string, LagoInvalidInputError> => {
    const reason = typeof id === "string" ? invalidReason(id) : "must be a string"
    return reason === undefined
      ? Effect.succeed(id)
      : Effect.fail(new LagoInvalidInputError({ operation, field, reason }))
  }
