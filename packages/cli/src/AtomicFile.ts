/**
 * Writes a file all at once or not at all: the content goes to a temporary file beside the
 * target (same folder, so same file system), is flushed to disk (`fsync`), then renamed over
 * the target. A failed or interrupted write (Ctrl-C included) removes the temporary file, so
 * the target is either untouched or complete, never half-written.
 *
 * @since 0.1.0
 */
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Random from "effect/Random"
import * as Stream from "effect/Stream"
import { CliFileError } from "./CliError.js"

const encoder = new TextEncoder()

/**
 * The temporary file's name for a target: hidden, in the same folder, unique per write.
 *
 * @category naming
 * @since 0.1.0
 */
export const temporaryName = (base: string, unique: string): string => `.${base}.${unique}.partial`

/**
 * Writes the stream's text to `path` atomically and returns the bytes written. Fails with
 * `CliFileError` when the folder is missing or not writable, or the disk is full; with the
 * stream's own error when it fails. Either way the target is left as it was.
 *
 * @category writing
 * @since 0.1.0
 */
export const write = <E, R>(
  path: string,
  content: Stream.Stream<string, E, R>
): Effect.Effect<number, E | CliFileError, R | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const target = paths.resolve(path)
    const folder = paths.dirname(target)
    const unique = `${process.pid}-${(yield* Random.nextIntBetween(0, 2 ** 31)).toString(36)}`
    const temporary = paths.join(folder, temporaryName(paths.basename(target), unique))
    const fileError = (error: PlatformError) => new CliFileError({ path, message: error.message })

    const written = Effect.scoped(
      Effect.gen(function*() {
        // "wx": never follow or reuse an existing file at the temporary name.
        const file = yield* fs.open(temporary, { flag: "wx", mode: 0o644 }).pipe(Effect.mapError(fileError))
        let bytes = 0
        yield* Stream.runForEach(content, (text) => {
          const chunk = encoder.encode(text)
          bytes += chunk.length
          return Effect.mapError(file.writeAll(chunk), fileError)
        })
        yield* Effect.mapError(file.sync, fileError)
        return bytes
      })
    )
    const bytes = yield* written.pipe(
      Effect.tap(() => Effect.mapError(fs.rename(temporary, target), fileError)),
      Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : Effect.ignore(fs.remove(temporary)))
    )
    // The rename itself is durable once the folder is flushed; not every platform allows it.
    yield* Effect.ignore(Effect.scoped(Effect.flatMap(fs.open(folder, { flag: "r" }), (dir) => dir.sync)))
    return bytes
  })
