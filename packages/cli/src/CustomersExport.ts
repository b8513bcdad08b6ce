/**
 * `lago-effect customers export`: every customer of the organization (or of the filters),
 * streamed page by page in constant memory, retried through transient failures, written as
 * NDJSON, CSV or a JSON array to a file (atomically) or to standard output, with progress on
 * standard error.
 *
 * @since 0.1.0
 */
import type { FileSystem, Path } from "@effect/platform"
import type { CustomersQuery } from "@lago-effect/client"
import { LagoClient, LagoMetrics } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import { Customer } from "@lago-effect/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Metric from "effect/Metric"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AtomicFile from "./AtomicFile.js"
import type { CliFileError } from "./CliError.js"
import { CliOutput } from "./CliOutput.js"
import * as Csv from "./Csv.js"
import * as ExportProgress from "./ExportProgress.js"
import { visible } from "./internal/visible.js"

/**
 * `ndjson`: one customer (Lago's JSON) per line; `csv`: see the `Csv` module; `json`: one
 * array.
 *
 * @category models
 * @since 0.1.0
 */
export type Format = "ndjson" | "csv" | "json"

/**
 * Options of an export.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options extends CustomersQuery.CustomersFilters {
  readonly format: Format
  /** The file to write (atomically); standard output when absent. */
  readonly out?: string | undefined
  readonly per_page?: number | undefined
  readonly concurrency?: number | "auto" | undefined
  /** Drop customers already written (by `lago_id`); holds every id in memory. */
  readonly dedupe?: boolean | undefined
  readonly progress?: ExportProgress.Mode | undefined
  /** CSV only: see `Csv.Options`. Default `true`. */
  readonly formulaGuard?: boolean | undefined
}

/**
 * What an export did.
 *
 * @category models
 * @since 0.1.0
 */
export interface Summary extends ExportProgress.State {
  /** Bytes written. */
  readonly bytes: number
  /** The file, or `stdout`. */
  readonly destination: string
}

const encodeCustomers = Schema.encode(Schema.Array(Customer.Customer))

/** The text of a format: what comes first, each page's customers, what comes last. */
const formatter = (format: Format, options: Csv.Options) => {
  switch (format) {
    case "ndjson":
      return {
        start: "",
        page: (customers: ReadonlyArray<Customer.CustomerEncoded>) =>
          customers.map((customer) => `${JSON.stringify(customer)}\n`).join(""),
        end: () => ""
      }
    case "csv":
      return {
        start: Csv.header,
        page: (customers: ReadonlyArray<Customer.CustomerEncoded>) =>
          customers.map((customer) => Csv.row(customer, options)).join(""),
        end: () => ""
      }
    case "json": {
      let first = true
      return {
        start: "[",
        page: (customers: ReadonlyArray<Customer.CustomerEncoded>) =>
          customers.map((customer) => {
            const separator = first ? "\n" : ",\n"
            first = false
            return `${separator}${JSON.stringify(customer)}`
          }).join(""),
        end: () => (first ? "]\n" : "\n]\n")
      }
    }
  }
}

// The client's retry counter is per process: exports running at once in one program count each other's retries.
const listRetries = Metric.value(LagoMetrics.retries.pipe(Metric.tagged("operation", "findAllCustomers")))

/**
 * Runs an export and returns its summary (also printed on standard error). With `out`, the
 * file appears only once every customer is written; a failure or an interruption leaves no
 * file (and an existing one untouched).
 *
 * @category exporting
 * @since 0.1.0
 */
export const run = (
  options: Options
): Effect.Effect<
  Summary,
  LagoError.LagoError | CliFileError,
  LagoClient.LagoClient | CliOutput | FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    const {
      concurrency,
      dedupe = false,
      format,
      formulaGuard,
      out,
      per_page,
      progress = "auto",
      ...filters
    } = options
    const lago = yield* LagoClient.LagoClient
    const output = yield* CliOutput
    const started = yield* Clock.currentTimeMillis
    const retriesBefore = (yield* listRetries).count
    const counters = yield* Ref.make<Pick<ExportProgress.State, "customers" | "pages" | "total">>({
      customers: 0,
      pages: 0,
      total: undefined
    })
    const state: Effect.Effect<ExportProgress.State> = Effect.all({
      counters: Ref.get(counters),
      now: Clock.currentTimeMillis,
      retries: listRetries
    }).pipe(Effect.map(({ counters, now, retries }) => ({
      ...counters,
      retries: retries.count - retriesBefore,
      elapsed: Duration.millis(now - started)
    })))

    const text = formatter(format, { formulaGuard })
    // Offset pages repeat customers created while the export runs: with --dedupe, drop them.
    const seen = new Set<string>()
    const fresh = (customers: ReadonlyArray<Customer.Customer>) =>
      dedupe
        ? customers.filter((customer) => {
          if (seen.has(customer.lago_id)) return false
          seen.add(customer.lago_id)
          return true
        })
        : customers

    const body = lago.customers.pages({ ...filters, per_page, concurrency }).pipe(
      Stream.mapEffect((page) =>
        Effect.gen(function*() {
          const kept = fresh(page.customers)
          // Values the client decoded always encode back: a failure here is a defect.
          const wire = yield* Effect.orDie(encodeCustomers(kept))
          yield* Ref.update(counters, (c) => ({
            customers: c.customers + kept.length,
            pages: c.pages + 1,
            total: c.total ?? page.meta.total_count
          }))
          return text.page(wire)
        })
      )
    )
    const content = Stream.make(text.start).pipe(
      Stream.concat(body),
      Stream.concat(Stream.fromEffect(Effect.sync(text.end))),
      Stream.filter((chunk) => chunk !== "")
    )

    const bytes = yield* Effect.scoped(
      Effect.zipRight(
        ExportProgress.report(progress, state),
        out === undefined
          // Written as it goes: standard output cannot be atomic.
          ? Stream.runFoldEffect(
            content,
            0,
            (n, chunk) => {
              // On a terminal, customers' text is shown, not obeyed (see `visible`); a pipe gets it as is.
              const written = output.stdoutIsTTY ? visible(chunk, { keepLineBreaks: true }) : chunk
              return Effect.as(output.stdout(written), n + Buffer.byteLength(written))
            }
          )
          : AtomicFile.write(out, content)
      )
    )
    const summary: Summary = { ...(yield* state), bytes, destination: out ?? "stdout" }
    yield* output.stderr(`${ExportProgress.renderSummary(summary, summary.destination)}\n`)
    return summary
  }).pipe(Effect.withSpan("lago-effect.export"))
