/**
 * Where `lago-effect` writes: data to standard output, progress and messages to standard
 * error (so that `lago-effect customers export > file` stays clean). A service, so that tests
 * and embedding programs can capture both.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import { CliFileError } from "./CliError.js"

/**
 * The output streams.
 *
 * @category models
 * @since 0.1.0
 */
export interface Service {
  /** Writes data; waits until the stream takes it (back-pressure). */
  readonly stdout: (text: string) => Effect.Effect<void, CliFileError>
  /** Writes a message or a progress frame; never fails (a closed stderr loses messages). */
  readonly stderr: (text: string) => Effect.Effect<void>
  /** Whether standard output is a terminal: help is styled there, plain text elsewhere. */
  readonly stdoutIsTTY: boolean
  /** Whether standard error is a terminal: progress draws a bar there, else prints lines. */
  readonly stderrIsTTY: boolean
  /** The terminal's width, for the bar. */
  readonly columns: number
}

/**
 * The output streams of `lago-effect`.
 *
 * @category services
 * @since 0.1.0
 */
export class CliOutput extends Context.Tag("@lago-effect/cli/CliOutput")<CliOutput, Service>() {}

const writeTo = (stream: NodeJS.WriteStream, text: string) =>
  Effect.async<void, Error>((resume) => {
    stream.write(text, (error) => resume(error ? Effect.fail(error) : Effect.void))
  })

const ignore = () => {}

/**
 * The process's standard output and error. A write to a closed pipe (`lago-effect ... | head`)
 * fails that write with `CliFileError` (`EPIPE`) instead of crashing the process.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerProcess: Layer.Layer<CliOutput> = Layer.scoped(
  CliOutput,
  Effect.gen(function*() {
    // Without a listener, a stream's 'error' event (EPIPE) would be thrown; the write's callback reports it.
    yield* Effect.acquireRelease(
      Effect.sync(() => {
        process.stdout.on("error", ignore)
        process.stderr.on("error", ignore)
      }),
      () =>
        Effect.sync(() => {
          process.stdout.off("error", ignore)
          process.stderr.off("error", ignore)
        })
    )
    const service: Service = {
      stdout: (text) =>
        writeTo(process.stdout, text).pipe(
          Effect.mapError((error) => new CliFileError({ path: "stdout", message: error.message }))
        ),
      stderr: (text) => Effect.ignore(writeTo(process.stderr, text)),
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: process.stderr.isTTY === true,
      columns: process.stderr.columns ?? 80
    }
    return service
  })
)

/**
 * What a captured output received.
 *
 * @category models
 * @since 0.1.0
 */
export interface Captured {
  readonly stdout: Effect.Effect<string>
  readonly stderr: Effect.Effect<string>
}

/**
 * An output that keeps what is written, for tests: the layer, and effects that read it.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeCaptured = (
  options: { readonly stdoutIsTTY?: boolean; readonly stderrIsTTY?: boolean; readonly columns?: number } = {}
): Effect.Effect<{ readonly layer: Layer.Layer<CliOutput>; readonly captured: Captured }> =>
  Effect.gen(function*() {
    const out = yield* Ref.make("")
    const err = yield* Ref.make("")
    const service: Service = {
      stdout: (text) => Ref.update(out, (all) => all + text),
      stderr: (text) => Ref.update(err, (all) => all + text),
      stdoutIsTTY: options.stdoutIsTTY ?? false,
      stderrIsTTY: options.stderrIsTTY ?? false,
      columns: options.columns ?? 80
    }
    return { layer: Layer.succeed(CliOutput, service), captured: { stdout: Ref.get(out), stderr: Ref.get(err) } }
  })
