/**
 * Failures as Lago answers them: the status and the error body, built once here for the
 * store, the test layer and the fake.
 */
import type { LagoError } from "@lago-effect/core"
import * as Data from "effect/Data"

/**
 * A failure as Lago would answer it: the status and the JSON error body.
 *
 * @since 0.1.0
 */
export class LagoStoreFailure extends Data.TaggedError("LagoStoreFailure")<{
  readonly status: number
  readonly body: LagoError.LagoErrorBody
}> {}

/** 404 `<resource>_not_found`. */
export const notFound = (resource: string) =>
  new LagoStoreFailure({ status: 404, body: { status: 404, error: "Not Found", code: `${resource}_not_found` } })

/** 422 `validation_errors` with `error_details`. */
export const validationFailure = (details: Record<string, unknown>) =>
  new LagoStoreFailure({
    status: 422,
    body: { status: 422, error: "Unprocessable Entity", code: "validation_errors", error_details: details }
  })

/** 405 with a code (`no_active_subscription`, `full_usage_not_allowed`). */
export const notAllowed = (code: string) =>
  new LagoStoreFailure({ status: 405, body: { status: 405, error: "Method Not Allowed", code } })

/** 400 `BadRequest: <message>`, without a code. */
export const badRequest = (message: string) =>
  new LagoStoreFailure({ status: 400, body: { status: 400, error: `BadRequest: ${message}` } })

/** 500, as Rails renders an unhandled exception. */
export const internalError = () =>
  new LagoStoreFailure({ status: 500, body: { status: 500, error: "Internal Server Error" } })
