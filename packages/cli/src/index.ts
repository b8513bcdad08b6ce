/**
 * @lago-effect/cli: the `lago-effect` command line, and its parts for programs that embed it.
 *
 * @since 0.1.0
 */

/**
 * Writes a file all at once or not at all.
 *
 * @category modules
 * @since 0.1.0
 */
export * as AtomicFile from "./AtomicFile.js"

/**
 * The failures of the command line that are not Lago's.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CliError from "./CliError.js"

/**
 * Where the command line writes: data to standard output, messages to standard error.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CliOutput from "./CliOutput.js"

/**
 * Customers as CSV (RFC 4180), with a formula guard.
 *
 * @category modules
 * @since 0.1.0
 */
export * as Csv from "./Csv.js"

/**
 * The export of every customer: constant memory, atomic file, progress.
 *
 * @category modules
 * @since 0.1.0
 */
export * as CustomersExport from "./CustomersExport.js"

/**
 * The exit codes, one per class of failure.
 *
 * @category modules
 * @since 0.1.0
 */
export * as ExitCode from "./ExitCode.js"

/**
 * How an export reports progress: a bar on a terminal, lines otherwise.
 *
 * @category modules
 * @since 0.1.0
 */
export * as ExportProgress from "./ExportProgress.js"

/**
 * The `lago-effect` command line.
 *
 * @category modules
 * @since 0.1.0
 */
export * as LagoCli from "./LagoCli.js"
