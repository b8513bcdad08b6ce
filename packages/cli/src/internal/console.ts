/**
 * The `Console` that @effect/cli prints through (help, usage errors, `--version`), writing to
 * `CliOutput`: its text then reaches the same streams as the rest of `lago-effect`'s output
 * (captured in tests, a closed pipe not a crash), and is styled only where it is read.
 * @effect/cli styles help with ANSI escape sequences whatever the destination; in a file, a
 * pipe (`lago-effect --help | less`) or with `NO_COLOR` set (https://no-color.org), they are
 * removed.
 */
import * as Config from "effect/Config"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Option from "effect/Option"
import { format } from "node:util"
import { CliOutput } from "../CliOutput.js"

// Select Graphic Rendition: the only sequence @effect/printer-ansi writes. Built from its
// code: a control character in a regular expression literal reads as a mistake.
const styling = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, "g")

/** Whether `NO_COLOR` asks for no styling: set and not empty. */
const noColor: Effect.Effect<boolean> = Config.option(Config.string("NO_COLOR")).pipe(
  Effect.map(Option.exists((value) => value !== "")),
  Effect.orElseSucceed(() => false)
)

/**
 * `console` with its printing methods writing to `output`: log, info and debug to standard
 * output, error and warn to standard error, each stream styled as `styled` says. Its other
 * methods (trace, timers, groups, counts) are `console`'s.
 */
const make = (
  console: Console.Console,
  output: CliOutput["Type"],
  styled: { readonly stdout: boolean; readonly stderr: boolean }
): Console.Console => {
  const text = (styles: boolean, args: ReadonlyArray<unknown>) => {
    const line = `${format(...args)}\n`
    return styles ? line : line.replace(styling, "")
  }
  const toStdout = (...args: ReadonlyArray<unknown>) => Effect.ignore(output.stdout(text(styled.stdout, args)))
  const toStderr = (...args: ReadonlyArray<unknown>) => output.stderr(text(styled.stderr, args))
  return {
    ...console,
    log: toStdout,
    info: toStdout,
    debug: toStdout,
    error: toStderr,
    warn: toStderr
  }
}

/**
 * Effect's default loggers (the plain one, and the pretty one `NodeRuntime.runMain` installs)
 * replaced by the pretty logger writing to standard error, colored when told: they write to
 * standard output, where `--log-level debug` would mix retry logs into an export's data. A
 * logger of the embedding program's own is left as it is.
 */
const logsToStderr = (colors: boolean): Layer.Layer<never> => {
  const logger = Logger.prettyLogger({ stderr: true, colors })
  return Layer.merge(Logger.replace(Logger.defaultLogger, logger), Logger.replace(Logger.prettyLoggerDefault, logger))
}

/**
 * Runs `self` (@effect/cli's `Command.run`) with the `Console` above and logs on standard
 * error: a stream is styled when it is a terminal and `NO_COLOR` is not set.
 */
export const routed = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | CliOutput> =>
  Effect.all([Effect.console, CliOutput, noColor]).pipe(
    Effect.flatMap(([console, output, noColor]) => {
      const styled = { stdout: output.stdoutIsTTY && !noColor, stderr: output.stderrIsTTY && !noColor }
      return self.pipe(
        Effect.withConsole(make(console, output, styled)),
        Effect.provide(logsToStderr(styled.stderr))
      )
    })
  )
