/**
 * The `lago-effect` command line: `customers export | get | upsert | delete | usage |
 * projected-usage | past-usage | portal-url | applied-coupons | delete-coupon | checkout-url`
 * and `fake`, built with `@effect/cli`. `run` parses arguments, runs the command, prints any
 * failure as one line and returns the exit code (see `ExitCode`); the `lago-effect` binary
 * runs it on Node.
 *
 * @since 0.1.0
 */
import type { CliApp } from "@effect/cli"
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import type { HttpClient } from "@effect/platform"
import * as FileSystem from "@effect/platform/FileSystem"
import { LagoClient } from "@lago-effect/client"
import { AppliedCoupon, Customer, CustomerInput, CustomerUsage, LagoError, ProjectedUsage } from "@lago-effect/core"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as StreamConsumers from "node:stream/consumers"
import { CliFileError, CliInputError, CliUsageError } from "./CliError.js"
import type { CliError } from "./CliError.js"
import { CliOutput } from "./CliOutput.js"
import * as CustomersExport from "./CustomersExport.js"
import { ExitCode, ofLagoError } from "./ExitCode.js"
import * as Connection from "./internal/connection.js"
import * as CliConsole from "./internal/console.js"
import * as Fake from "./internal/fake.js"
import { version } from "./internal/version.js"
import { visible } from "./internal/visible.js"

// ---------------------------------------------------------------- helpers

/**
 * Prints a value as indented JSON. `JSON.stringify` escapes the C0 controls in strings, not DEL,
 * the C1 controls nor the bidirectional ones; escaped as well (`\u202e` is JSON's own escape),
 * the text means the same value and a terminal shows it as it reads.
 */
const printJson = (value: unknown) =>
  Effect.flatMap(
    CliOutput,
    (output) => output.stdout(`${visible(JSON.stringify(value, null, 2), { keepLineBreaks: true })}\n`)
  )

/** Prints a value as Lago sends it (its wire JSON). Values the client decoded always encode. */
const printAs = <A, I>(schema: Schema.Schema<A, I>) => (value: A) =>
  Effect.flatMap(Effect.orDie(Schema.encode(schema)(value)), printJson)

/** One line of Lago's text (a URL) on standard output, its control characters made visible. */
const printLine = (text: string) => Effect.flatMap(CliOutput, (output) => output.stdout(`${visible(text)}\n`))

/** Runs a call on the customers API of a client made from the connection flags. */
const withCustomers = <A, E, R>(
  flags: Connection.Connection,
  call: (customers: LagoClient.Service["customers"]) => Effect.Effect<A, E, R>
) => Connection.withClient(flags, Effect.flatMap(LagoClient.LagoClient, (client) => call(client.customers)))

const externalId = Args.text({ name: "EXTERNAL_ID" }).pipe(
  Args.withDescription("The customer's external_id (your id for it, not Lago's lago_id)")
)

const subscription = Options.text("subscription").pipe(
  Options.withDescription("The subscription's external_id")
)

const nonEmpty = <A>(values: ReadonlyArray<A>) => (values.length === 0 ? undefined : values)

// ---------------------------------------------------------------- customers export

const exportOptions = {
  format: Options.choice("format", ["ndjson", "csv", "json"]).pipe(
    Options.withDescription(
      "ndjson: one customer (Lago's JSON) per line. csv: RFC 4180, nested fields as dotted columns (billing_configuration.payment_provider, shipping_address.city), lists (metadata, taxes, integration_customers, ...) as JSON; text that a spreadsheet would run as a formula (starting with = + - @, tab or CR) is written with a leading ' unless --no-formula-guard. json: one array."
    ),
    Options.withDefault("ndjson")
  ),
  out: Options.text("out").pipe(
    Options.withAlias("o"),
    Options.withDescription(
      "Write to this file, atomically: a temporary file beside it, flushed, then renamed; a failed or interrupted export leaves no file (and an existing one untouched). Default: standard output."
    ),
    Options.optional
  ),
  perPage: Options.integer("per-page").pipe(
    Options.withDescription("Customers per request (default 500)."),
    Options.optional
  ),
  concurrency: Options.text("concurrency").pipe(
    Options.withDescription(
      "Pages fetched in parallel: a number, or auto (2 to 4, lowered when Lago's rate limit runs low)."
    ),
    Options.withDefault("auto"),
    Options.mapEffect((text) => {
      if (text === "auto") return Effect.succeed<number | "auto">("auto")
      const n = Number(text)
      return Number.isSafeInteger(n) && n >= 1
        ? Effect.succeed<number | "auto">(n)
        : Effect.fail(
          ValidationError.invalidValue(HelpDoc.p(`--concurrency must be auto or an integer >= 1, not ${text}`))
        )
    })
  ),
  dedupe: Options.boolean("dedupe").pipe(
    Options.withDescription(
      "Drop customers already written (by lago_id): Lago's offset pages repeat some when customers are created during the export. Keeps every id in memory (about 100 bytes each)."
    )
  ),
  progress: Options.choice("progress", ["auto", "bar", "lines", "none"]).pipe(
    Options.withDescription(
      "Progress on standard error: auto draws a bar on a terminal and prints a line every 2 s otherwise; none prints only the summary."
    ),
    Options.withDefault("auto")
  ),
  noFormulaGuard: Options.boolean("no-formula-guard").pipe(
    Options.withDescription("CSV: write text starting with = + - @ as is (only for files no spreadsheet will open).")
  ),
  searchTerm: Options.text("search-term").pipe(
    Options.withDescription(
      "Only customers whose name, firstname, lastname, legal name, external_id or email contains it."
    ),
    Options.optional
  ),
  countries: Options.text("country").pipe(
    Options.withDescription("Only customers of this country (ISO 3166 alpha-2); repeat for several."),
    Options.repeated
  ),
  states: Options.text("state").pipe(
    Options.withDescription("Only customers of this state; repeatable."),
    Options.repeated
  ),
  zipcodes: Options.text("zipcode").pipe(
    Options.withDescription("Only customers of this zipcode; repeatable."),
    Options.repeated
  ),
  currencies: Options.text("currency").pipe(
    Options.withDescription("Only customers billed in this currency (ISO 4217); repeatable."),
    Options.repeated
  ),
  accountTypes: Options.choice("account-type", ["customer", "partner"]).pipe(
    Options.withDescription("Only customers of this account type; repeatable."),
    Options.repeated
  ),
  customerType: Options.choice("customer-type", ["company", "individual"]).pipe(
    Options.withDescription("Only customers of this type."),
    Options.optional
  ),
  billingEntityCodes: Options.text("billing-entity-code").pipe(
    Options.withDescription("Only customers of this billing entity; repeatable."),
    Options.repeated
  ),
  metadata: Options.keyValueMap("metadata").pipe(
    Options.withDescription(
      "Only customers with this metadata, key=value (an empty value: without the key); repeatable."
    ),
    Options.optional
  )
}

const exportCommand = Command.make(
  "export",
  { ...Connection.options, ...exportOptions },
  (flags) =>
    Connection.withClient(
      flags,
      CustomersExport.run({
        format: flags.format,
        out: Option.getOrUndefined(flags.out),
        per_page: Option.getOrUndefined(flags.perPage),
        concurrency: flags.concurrency,
        dedupe: flags.dedupe,
        progress: flags.progress,
        formulaGuard: !flags.noFormulaGuard,
        search_term: Option.getOrUndefined(flags.searchTerm),
        countries: nonEmpty(flags.countries),
        states: nonEmpty(flags.states),
        zipcodes: nonEmpty(flags.zipcodes),
        currencies: nonEmpty(flags.currencies),
        account_type: nonEmpty(flags.accountTypes),
        customer_type: Option.getOrUndefined(flags.customerType),
        billing_entity_codes: nonEmpty(flags.billingEntityCodes),
        metadata: Option.getOrUndefined(Option.map(flags.metadata, (map) => Object.fromEntries(HashMap.toEntries(map))))
      })
    )
).pipe(
  Command.withDescription(
    "Export every customer (or those matching the filters) as NDJSON, CSV or JSON, in constant memory, retrying transient failures, with progress and a summary on standard error."
  )
)

// ---------------------------------------------------------------- single calls

const getCommand = Command.make(
  "get",
  { ...Connection.options, externalId },
  (flags) =>
    withCustomers(flags, (customers) => Effect.flatMap(customers.find(flags.externalId), printAs(Customer.Customer)))
).pipe(Command.withDescription("Print one customer as Lago's JSON."))

/** The customer of an upsert file: Lago's body (`{"customer": {...}}`) or the customer alone. */
const readInput = (source: string) =>
  Effect.gen(function*() {
    const text = source === "-"
      ? yield* Effect.tryPromise({
        try: () => StreamConsumers.text(process.stdin),
        catch: (error) => new CliFileError({ path: "stdin", message: String(error) })
      })
      : yield* FileSystem.FileSystem.pipe(
        Effect.flatMap((fs) => fs.readFileString(source)),
        Effect.mapError((error) => new CliFileError({ path: source, message: error.message }))
      )
    const json = yield* Effect.try({
      try: (): unknown => JSON.parse(text),
      catch: (error) => new CliInputError({ source, message: `not JSON: ${String(error)}` })
    })
    const customer = typeof json === "object" && json !== null && "customer" in json ? json.customer : json
    return yield* Schema.decodeUnknown(CustomerInput.CustomerInput)(customer, { onExcessProperty: "error" }).pipe(
      Effect.mapError((error) =>
        new CliInputError({
          source,
          message: `not a valid customer: ${ParseResult.TreeFormatter.formatErrorSync(error)}`
        })
      )
    )
  })

const upsertCommand = Command.make(
  "upsert",
  {
    ...Connection.options,
    file: Options.text("file").pipe(
      Options.withAlias("f"),
      Options.withDescription(
        "A JSON file of the customer (Lago's body, {\"customer\": {...}}, or the customer alone), or - for standard input. Only the keys present are written; null clears one."
      )
    )
  },
  (flags) =>
    Effect.flatMap(
      readInput(flags.file),
      (input) =>
        withCustomers(flags, (customers) => Effect.flatMap(customers.create(input), printAs(Customer.Customer)))
    )
).pipe(Command.withDescription("Create a customer, or update the one with the same external_id; print it."))

const deleteCommand = Command.make(
  "delete",
  { ...Connection.options, externalId },
  (flags) =>
    withCustomers(flags, (customers) => Effect.flatMap(customers.destroy(flags.externalId), printAs(Customer.Customer)))
).pipe(Command.withDescription("Delete a customer (Lago keeps it, soft-deleted); print it as it was."))

/** A usage command: a customer, a subscription, `--no-taxes`; prints what the call answers. */
const usageOf = <A, I>(
  name: string,
  description: string,
  find: (
    customers: LagoClient.Service["customers"],
    externalId: string,
    query: { readonly external_subscription_id: string; readonly apply_taxes: false | undefined }
  ) => Effect.Effect<A, LagoError.LagoError>,
  schema: Schema.Schema<A, I>
) =>
  Command.make(
    name,
    {
      ...Connection.options,
      externalId,
      subscription,
      noTaxes: Options.boolean("no-taxes").pipe(Options.withDescription("Amounts without taxes."))
    },
    (flags) =>
      withCustomers(flags, (customers) =>
        Effect.flatMap(
          find(customers, flags.externalId, {
            external_subscription_id: flags.subscription,
            apply_taxes: flags.noTaxes ? false : undefined
          }),
          printAs(schema)
        ))
  ).pipe(Command.withDescription(description))

const usageCommand = usageOf(
  "usage",
  "Print the usage of a subscription's current billing period.",
  (customers, id, query) => customers.findCurrentUsage(id, query),
  CustomerUsage.CustomerUsage
)

const projectedUsageCommand = usageOf(
  "projected-usage",
  "Print the current period's usage projected to the period's end (Lago v1.32.4 and later, when enabled).",
  (customers, id, query) => customers.findProjectedUsage(id, query),
  ProjectedUsage.ProjectedUsage
)

const pastUsageCommand = Command.make(
  "past-usage",
  {
    ...Connection.options,
    externalId,
    subscription,
    metric: Options.text("metric").pipe(
      Options.withDescription("Only this billable metric (its code)."),
      Options.optional
    ),
    periods: Options.integer("periods").pipe(
      Options.withDescription("Only the last N billing periods."),
      Options.optional
    )
  },
  (flags) =>
    withCustomers(flags, (customers) =>
      Effect.flatMap(
        Stream.runCollect(customers.streamPastUsage(flags.externalId, {
          external_subscription_id: flags.subscription,
          billable_metric_code: Option.getOrUndefined(flags.metric),
          periods_count: Option.getOrUndefined(flags.periods)
        })),
        (periods) => printAs(Schema.Array(CustomerUsage.CustomerUsage))(Chunk.toReadonlyArray(periods))
      ))
).pipe(
  Command.withDescription("Print the usage of a subscription's past billing periods, newest first, as a JSON array.")
)

const portalUrlCommand = Command.make(
  "portal-url",
  { ...Connection.options, externalId },
  (flags) => withCustomers(flags, (customers) => Effect.flatMap(customers.getPortalUrl(flags.externalId), printLine))
).pipe(Command.withDescription("Print a new URL of the customer's portal (valid 12 hours)."))

const checkoutUrlCommand = Command.make(
  "checkout-url",
  { ...Connection.options, externalId },
  (flags) =>
    withCustomers(
      flags,
      (customers) =>
        Effect.flatMap(customers.generateCheckoutUrl(flags.externalId), (checkout) =>
          checkout.checkout_url === null
            ? printAs(Schema.Struct({ checkout_url: Schema.Null }))({ checkout_url: null })
            : printLine(checkout.checkout_url))
    )
).pipe(
  Command.withDescription(
    "Open a checkout session with the customer's payment provider and print its URL (each call opens a new one)."
  )
)

const appliedCouponsCommand = Command.make(
  "applied-coupons",
  {
    ...Connection.options,
    externalId,
    status: Options.choice("status", ["active", "terminated"]).pipe(
      Options.withDescription("Only coupons with this status."),
      Options.optional
    )
  },
  (flags) =>
    withCustomers(flags, (customers) =>
      Effect.flatMap(
        Stream.runCollect(
          customers.streamAppliedCoupons(flags.externalId, { status: Option.getOrUndefined(flags.status) })
        ),
        (coupons) => printAs(Schema.Array(AppliedCoupon.AppliedCoupon))(Chunk.toReadonlyArray(coupons))
      ))
).pipe(Command.withDescription("Print every coupon applied to the customer, newest first, as a JSON array."))

const deleteCouponCommand = Command.make(
  "delete-coupon",
  {
    ...Connection.options,
    externalId,
    appliedCouponId: Args.text({ name: "APPLIED_COUPON_ID" }).pipe(
      Args.withDescription("The applied coupon's lago_id (from applied-coupons)")
    )
  },
  (flags) =>
    withCustomers(
      flags,
      (customers) =>
        Effect.flatMap(
          customers.deleteAppliedCoupon(flags.externalId, flags.appliedCouponId),
          printAs(AppliedCoupon.AppliedCoupon)
        )
    )
).pipe(Command.withDescription("Terminate a coupon applied to the customer; print it."))

const customersCommand = Command.make("customers").pipe(
  Command.withDescription("Lago's customers API."),
  Command.withSubcommands([
    exportCommand,
    getCommand,
    upsertCommand,
    deleteCommand,
    usageCommand,
    projectedUsageCommand,
    pastUsageCommand,
    portalUrlCommand,
    checkoutUrlCommand,
    appliedCouponsCommand,
    deleteCouponCommand
  ])
)

// ---------------------------------------------------------------- fake

const fakeCommand = Command.make(
  "fake",
  {
    customers: Options.integer("customers").pipe(
      Options.withDescription("Customers to create (generated, realistic)."),
      Options.withDefault(1000)
    ),
    faults: Options.float("faults").pipe(
      Options.withDescription(
        "Fraction of requests (0 to 1) that fail like a bad network day: 503, 502, dropped connection, body cut mid-way."
      ),
      Options.withDefault(0)
    ),
    latency: Options.integer("latency").pipe(
      Options.withDescription("Milliseconds before each answer."),
      Options.withDefault(0)
    ),
    rateLimit: Options.integer("rate-limit").pipe(
      Options.withDescription(
        "Requests per second before answering 429 (as Lago Cloud does), with X-RateLimit-* headers."
      ),
      Options.optional
    ),
    seed: Options.integer("seed").pipe(
      Options.withDescription("Seed of the random faults: the same seed fails the same requests."),
      Options.withDefault(2026)
    ),
    port: Options.integer("port").pipe(Options.withDescription("Port (0: any free one)."), Options.withDefault(0)),
    host: Options.text("host").pipe(Options.withDescription("Address to listen on."), Options.withDefault("127.0.0.1")),
    apiKey: Options.text("api-key").pipe(
      Options.withDescription("The key the fake accepts (a fake key, not a secret)."),
      Options.withDefault("lago_fake_key")
    )
  },
  (flags) =>
    Effect.gen(function*() {
      if (!(flags.faults >= 0 && flags.faults <= 1)) {
        return yield* new CliUsageError({ message: `--faults must be between 0 and 1, not ${flags.faults}` })
      }
      if (flags.customers < 0 || flags.latency < 0 || Option.exists(flags.rateLimit, (n) => n < 1)) {
        return yield* new CliUsageError({ message: "--customers and --latency must be >= 0, --rate-limit >= 1" })
      }
      return yield* Fake.serve(flags)
    })
).pipe(
  Command.withDescription(
    "Serve a fake Lago (the customers API, in memory) on a loopback port, for demos and tests, until Ctrl-C."
  )
)

// ---------------------------------------------------------------- root

/**
 * The `lago-effect` command and its subcommands.
 *
 * @category commands
 * @since 0.1.0
 */
export const command = Command.make("lago-effect").pipe(
  Command.withDescription("Lago's customers API from the shell, and exports that survive a bad network day."),
  Command.withSubcommands([customersCommand, fakeCommand])
)

/**
 * What `run` needs: `@effect/cli`'s environment (file system, path, terminal: `NodeContext`),
 * the output streams and an `HttpClient`.
 *
 * @category models
 * @since 0.1.0
 */
export type Environment = CliApp.CliApp.Environment | CliOutput | HttpClient.HttpClient

/** The line printed for a failure, and its exit code. */
const describeFailure = (error: LagoError.LagoError | CliError): { readonly code: ExitCode; readonly line: string } => {
  switch (error._tag) {
    case "CliUsageError":
      return { code: ExitCode.usage, line: error.message }
    case "CliInputError":
      return {
        code: ExitCode.validation,
        line: `${error.source === "-" ? "standard input" : error.source}: ${error.message}`
      }
    case "CliFileError":
      return { code: ExitCode.file, line: `${error.path}: ${error.message}` }
    default: {
      const { advice, code } = ofLagoError(error)
      return { code, line: `${error.message}: ${advice}` }
    }
  }
}

const isFailure = (error: unknown): error is LagoError.LagoError | CliError =>
  LagoError.isLagoError(error) ||
  error instanceof CliUsageError || error instanceof CliInputError || error instanceof CliFileError

/**
 * Runs the command line `argv` (as `process.argv`: the runtime and the script first) and
 * returns its exit code. A failure is printed as one line on standard error
 * (`lago-effect: <what failed>: <what to do>`), never with a stack trace; a bug prints its
 * cause and exits 1. Interruption (Ctrl-C) is not caught: the caller exits 130. Everything,
 * @effect/cli's help and usage errors included, is written to `CliOutput`; help is styled on
 * a terminal only (not in a file or a pipe, nor with `NO_COLOR` set), and Lago's text is
 * printed with its control characters escaped. Logs (`--log-level`) go to standard error:
 * standard output holds the data alone.
 *
 * @category running
 * @since 0.1.0
 */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<ExitCode, never, Environment> =>
  CliConsole.routed(Command.run(command, { name: "lago-effect", version })(argv)).pipe(
    Effect.as<ExitCode>(ExitCode.ok),
    Effect.catchAllCause((cause) => {
      if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && ValidationError.isValidationError(failure.value)) {
        // @effect/cli has printed what was wrong with the command line.
        return Effect.succeed<ExitCode>(ExitCode.usage)
      }
      if (Option.isSome(failure) && isFailure(failure.value)) {
        const { code, line } = describeFailure(failure.value)
        return Effect.flatMap(CliOutput, (output) => Effect.as(output.stderr(`lago-effect: ${visible(line)}\n`), code))
      }
      return Effect.flatMap(
        CliOutput,
        (output) =>
          Effect.as(
            output.stderr(
              `lago-effect: internal error, please report it:\n${
                visible(Cause.pretty(cause), { keepLineBreaks: true })
              }\n`
            ),
            ExitCode.internal
          )
      )
    })
  )
