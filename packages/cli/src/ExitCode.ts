/**
 * The exit codes of `lago-effect`, one per class of failure, and the one line printed for a
 * failure: what failed (the Lago operation, its HTTP status and code, the request id) and
 * what to do about it. Expected failures never print a stack trace.
 *
 * | code | class | when |
 * |---|---|---|
 * | 0 | ok | |
 * | 1 | internal | a bug in lago-effect (please report it, with the printed cause) |
 * | 2 | usage | unknown command or flag, missing argument, no API key, a malformed id or setting |
 * | 3 | auth | Lago answered 401 or 403: a wrong key, or a feature your plan lacks |
 * | 4 | not found | Lago answered 404: no customer (or coupon, subscription) with that id |
 * | 5 | validation | Lago refused the input (400, 405, 422), or the input file is not a valid customer |
 * | 6 | rate limit | Lago still answered 429 after the retries |
 * | 7 | server | Lago failed (5xx) after the retries, or answered something that is not Lago's API: an unexpected status, a redirect, an invalid or oversized body, inconsistent pages |
 * | 8 | network | no answer: connection refused or reset, DNS, time-out, after the retries |
 * | 9 | file | a local file could not be read or written (`--out`, `--file`, `--api-key-file`), or standard output was closed early |
 * | 130 | interrupted | Ctrl-C (SIGINT) or SIGTERM; an export leaves no file behind |
 *
 * @since 0.1.0
 */
import type { LagoError } from "@lago-effect/core"

/**
 * The exit codes by class.
 *
 * @category codes
 * @since 0.1.0
 */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  auth: 3,
  notFound: 4,
  validation: 5,
  rateLimit: 6,
  server: 7,
  network: 8,
  file: 9,
  interrupted: 130
} as const

/**
 * An exit code of `lago-effect`.
 *
 * @category models
 * @since 0.1.0
 */
export type ExitCode = typeof ExitCode[keyof typeof ExitCode]

/**
 * The class of a Lago failure and the advice printed with it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Classified {
  readonly code: ExitCode
  readonly advice: string
}

const detailsOf = (details: LagoError.LagoValidationError["error_details"]): string =>
  details === undefined ? "" : ` ${JSON.stringify(details)}`

/**
 * The exit code of a Lago failure, and what to do about it.
 *
 * @category classifying
 * @since 0.1.0
 */
export const ofLagoError = (error: LagoError.LagoError): Classified => {
  switch (error._tag) {
    case "LagoInvalidInputError":
      return { code: ExitCode.usage, advice: "fix the argument or setting named above" }
    case "LagoUnauthorizedError":
      return {
        code: ExitCode.auth,
        advice: "check the API key (LAGO_API_KEY or --api-key-file) and that it belongs to the Lago at LAGO_API_URL"
      }
    case "LagoForbiddenError":
      return { code: ExitCode.auth, advice: "this key may not do that, or the feature is not enabled on your plan" }
    case "LagoNotFoundError":
      return { code: ExitCode.notFound, advice: "check the id (a customer's external_id, not its lago_id)" }
    case "LagoBadRequestError":
    case "LagoMethodNotAllowedError":
    case "LagoValidationError":
      return { code: ExitCode.validation, advice: `fix the input and run it again${detailsOf(error.error_details)}` }
    case "LagoRateLimitError":
      return {
        code: ExitCode.rateLimit,
        advice: "Lago's rate limit held after the retries: wait a minute, or lower --concurrency"
      }
    case "LagoServerError":
      return { code: ExitCode.server, advice: "Lago failed; try again later (nothing was lost: exports are atomic)" }
    case "LagoRedirectError":
      return {
        code: ExitCode.server,
        advice:
          "the API URL redirects (redirects are never followed): set LAGO_API_URL to the final URL, ending in /api/v1"
      }
    case "LagoUnexpectedStatusError":
    case "LagoDecodeError":
    case "LagoResponseTooLargeError":
    case "LagoPaginationError":
      return {
        code: ExitCode.server,
        advice: "the server did not answer as Lago's API does: check LAGO_API_URL (it ends in /api/v1)"
      }
    case "LagoTransportError":
    case "LagoTimeoutError":
      return {
        code: ExitCode.network,
        advice: "Lago could not be reached: check LAGO_API_URL and your network, then try again"
      }
  }
}
