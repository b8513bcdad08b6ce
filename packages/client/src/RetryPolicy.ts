/**
 * When and how a Lago call is retried.
 *
 * - Retried: transport errors, attempt time-outs, 408, 429, 500, 502, 503, 504.
 * - `destroy` is not idempotent (a second delete answers 404): it is retried only when the
 *   request provably never reached Lago (a connect error) or Lago refused it with 429.
 * - Never sooner than the response asks (`Retry-After`, `retry-after-ms`, `X-RateLimit-Reset`),
 *   and not at all when it asks for more than `maxRetryAfter`.
 *
 * @since 0.1.0
 */
import type { LagoError } from "@lago-effect/core"
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"

/**
 * A retry policy.
 *
 * @category models
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Retries after the first attempt. 0 disables retries. Default 2. */
  readonly times: number
  /**
   * The delays between attempts. Default: exponential from 0.5 s, doubling, capped at 8 s,
   * with jitter. The response's own wait is applied on top: the longer one wins.
   */
  readonly backoff: Schedule.Schedule<unknown, LagoError.LagoError>
  /** The longest wait a response may ask for; a longer one fails at once. Default 60 s. */
  readonly maxRetryAfter: Duration.DurationInput
}

/**
 * Exponential from 0.5 s, doubling, each delay jittered (×0.8 to ×1.2), capped at 8 s.
 *
 * @category policies
 * @since 0.1.0
 */
export const defaultBackoff: Schedule.Schedule<unknown, LagoError.LagoError> = Schedule.exponential("500 millis", 2)
  .pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(8)))
  )

/**
 * 2 retries, the default backoff, at most 60 s of `Retry-After`.
 *
 * @category policies
 * @since 0.1.0
 */
export const defaults: RetryPolicy = {
  times: 2,
  backoff: defaultBackoff,
  maxRetryAfter: Duration.seconds(60)
}

/**
 * No retries.
 *
 * @category policies
 * @since 0.1.0
 */
export const none: RetryPolicy = { ...defaults, times: 0 }

/**
 * Whether a call may be sent again after a failure. `idempotent` is false for `destroy`.
 *
 * @category guards
 * @since 0.1.0
 */
export const isRetryable = (error: LagoError.LagoError, idempotent: boolean): boolean => {
  switch (error._tag) {
    case "LagoTransportError":
      return idempotent || error.phase === "connect"
    case "LagoTimeoutError":
      return idempotent && error.scope === "attempt"
    case "LagoRateLimitError":
      return true
    case "LagoServerError":
      return idempotent && [500, 502, 503, 504].includes(error.status)
    case "LagoUnexpectedStatusError":
      return idempotent && error.status === 408
    default:
      return false
  }
}

/**
 * The wait the failed response asked for, in milliseconds, if any.
 *
 * @category utils
 * @since 0.1.0
 */
export const requestedWait = (error: LagoError.LagoError): number | undefined => {
  switch (error._tag) {
    case "LagoRateLimitError":
    case "LagoServerError":
    case "LagoUnexpectedStatusError":
      return error.retryAfterMillis
    default:
      return undefined
  }
}
