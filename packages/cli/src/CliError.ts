/**
 * The failures of `lago-effect` that are not Lago's: a bad command line or setting, an input
 * file that is not a valid customer, a local file that cannot be read or written.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The command line or the settings cannot work: no API key, two flags that exclude each
 * other. Exit code 2.
 *
 * @category errors
 * @since 0.1.0
 */
export class CliUsageError extends Schema.TaggedError<CliUsageError>()("CliUsageError", {
  message: Schema.String
}) {}

/**
 * The input (`--file`) is not JSON, or not a valid customer. Exit code 5.
 *
 * @category errors
 * @since 0.1.0
 */
export class CliInputError extends Schema.TaggedError<CliInputError>()("CliInputError", {
  /** Where the input came from: a path, or `-` for standard input. */
  source: Schema.String,
  message: Schema.String
}) {}

/**
 * A local file could not be read or written. Exit code 9.
 *
 * @category errors
 * @since 0.1.0
 */
export class CliFileError extends Schema.TaggedError<CliFileError>()("CliFileError", {
  /** The file, or `stdout` / `stdin`. */
  path: Schema.String,
  message: Schema.String
}) {}

/**
 * Any of them.
 *
 * @category models
 * @since 0.1.0
 */
export type CliError = CliUsageError | CliInputError | CliFileError
