/**
 * The connection settings every Lago command takes (flags, else the environment), and the
 * client built from them.
 */
import * as Options from "@effect/cli/Options"
import type { HttpClient } from "@effect/platform"
import * as FileSystem from "@effect/platform/FileSystem"
import { LagoClient } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { CliFileError, CliUsageError } from "../CliError.js"
import { CliOutput } from "../CliOutput.js"

/** The flags. */
export const options = {
  apiUrl: Options.text("api-url").pipe(
    Options.withDescription(
      "Lago's API URL, e.g. http://localhost:3000/api/v1 for a self-hosted Lago. Default: $LAGO_API_URL, else Lago Cloud."
    ),
    Options.optional
  ),
  region: Options.choice("region", ["us", "eu"]).pipe(
    Options.withDescription("Lago Cloud's region when no API URL is set. Default: $LAGO_REGION, else us."),
    Options.optional
  ),
  // Checked when read, as `--file` is: a file that cannot be read is a file failure (exit 9).
  apiKeyFile: Options.file("api-key-file", { exists: "either" }).pipe(
    Options.withDescription("Read the API key from this file (its first line). Default: $LAGO_API_KEY."),
    Options.optional
  ),
  apiKey: Options.redacted("api-key").pipe(
    Options.withDescription(
      "The API key itself. Avoid it: it lands in your shell history and in the process list (a warning is printed); use $LAGO_API_KEY or --api-key-file."
    ),
    Options.optional
  ),
  retries: Options.integer("retries").pipe(
    Options.withDescription("Retries of a failed request (network errors, 429, 5xx), with exponential backoff."),
    Options.withDefault(5)
  )
}

/** The parsed flags. */
export interface Connection {
  readonly apiUrl: Option.Option<string>
  readonly region: Option.Option<"us" | "eu">
  readonly apiKeyFile: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  readonly retries: number
}

const environment = Config.all({
  apiKey: Config.option(Config.redacted("LAGO_API_KEY")),
  apiUrl: Config.option(Config.string("LAGO_API_URL")),
  region: Config.option(Config.literal("us", "eu")("LAGO_REGION"))
})

/** The key: `--api-key-file`, else `--api-key` (with a warning), else `LAGO_API_KEY`. */
const apiKeyOf = (connection: Connection, fromEnvironment: Option.Option<Redacted.Redacted<string>>) =>
  Effect.gen(function*() {
    if (Option.isSome(connection.apiKeyFile)) {
      const path = connection.apiKeyFile.value
      const text = yield* FileSystem.FileSystem.pipe(
        Effect.flatMap((fs) => fs.readFileString(path)),
        Effect.mapError((error) => new CliFileError({ path, message: error.message }))
      )
      return Redacted.make(text.split(/\r?\n/)[0]?.trim() ?? "")
    }
    if (Option.isSome(connection.apiKey)) {
      const output = yield* CliOutput
      yield* output.stderr(
        "warning: --api-key puts the key in your shell history and the process list; prefer LAGO_API_KEY or --api-key-file\n"
      )
      return connection.apiKey.value
    }
    if (Option.isSome(fromEnvironment)) return fromEnvironment.value
    return yield* new CliUsageError({
      message: "no API key: set LAGO_API_KEY, or pass --api-key-file FILE (a file holding the key)"
    })
  })

/**
 * Runs `effect` with a `LagoClient` made from the flags and the environment, retrying
 * `--retries` times with the client's backoff (0.5 s doubling to 8 s, `Retry-After` honoured).
 */
export const withClient = <A, E, R>(
  connection: Connection,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<
  A,
  E | CliUsageError | CliFileError | LagoError.LagoInvalidInputError,
  Exclude<R, LagoClient.LagoClient> | HttpClient.HttpClient | FileSystem.FileSystem | CliOutput
> =>
  Effect.gen(function*() {
    const env = yield* Effect.mapError(
      environment,
      (error) => new CliUsageError({ message: `bad environment variable: ${error.message}` })
    )
    const apiKey = yield* apiKeyOf(connection, env.apiKey)
    const baseUrl = Option.orElse(connection.apiUrl, () => env.apiUrl)
    const region = Option.orElse(connection.region, () => env.region)
    const client = yield* LagoClient.make({
      apiKey,
      baseUrl: Option.getOrUndefined(baseUrl),
      region: Option.getOrUndefined(region),
      retry: { times: connection.retries }
    })
    return yield* Effect.provideService(effect, LagoClient.LagoClient, client)
  })
