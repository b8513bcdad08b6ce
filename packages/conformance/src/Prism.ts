/**
 * Stoplight Prism as a scoped resource: `prism mock` or `prism proxy` on a free loopback
 * port, started for a test run and killed when its scope closes, even when a test fails.
 */
import { Context, Data, Duration, Effect, Layer } from "effect"
import { spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { createRequire } from "node:module"
import * as Net from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

/** Where the spec is: LAGO_OPENAPI_SPEC, else `../shared/lago-openapi/openapi.yaml` beside the repository. */
export const specPath: string = process.env.LAGO_OPENAPI_SPEC ??
  Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../../../shared/lago-openapi/openapi.yaml")

/** Whether the spec is there; the Prism tests skip, saying so, when it is not. */
export const specAvailable: boolean = existsSync(specPath)

/** Why the Prism tests were skipped. */
export const skipReason = `Lago's OpenAPI spec is not at ${specPath}: set LAGO_OPENAPI_SPEC to run the Prism tests`

/** Prism failed to start. */
export class PrismStartError extends Data.TaggedError("PrismStartError")<{ readonly output: string }> {}

/** A running Prism. */
export interface PrismService {
  /** Its base URL, e.g. `http://127.0.0.1:40123` (the spec's paths hang off it, without `/api/v1`). */
  readonly url: string
}

/** The running Prism. */
export class Prism extends Context.Tag("@lago-effect/conformance/Prism")<Prism, PrismService>() {}

const prismBin = (): string => {
  const require = createRequire(import.meta.url)
  const packageJson = require.resolve("@stoplight/prism-cli/package.json")
  const { bin }: { readonly bin: { readonly prism: string } } = require(packageJson)
  return Path.join(Path.dirname(packageJson), bin.prism)
}

/** A free TCP port on loopback, from the OS. */
export const freePort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const server = Net.createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})

/**
 * Starts Prism: `mock` serves the spec's examples; `proxy` forwards to `upstream` and checks
 * both requests and responses. With `--errors`, violations become error responses.
 */
export const layer = <R = never>(
  options: { readonly mode: "mock" } | { readonly mode: "proxy"; readonly upstream: Effect.Effect<string, never, R> }
): Layer.Layer<Prism, PrismStartError, R> =>
  Layer.scoped(
    Prism,
    Effect.gen(function*() {
      const port = yield* freePort
      const upstream = options.mode === "proxy" ? [yield* options.upstream] : []
      const args = [prismBin(), options.mode, "--errors", "-h", "127.0.0.1", "-p", String(port), specPath, ...upstream]
      const child = yield* Effect.acquireRelease(
        Effect.sync(() => spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] })),
        (child) =>
          Effect.async<void>((resume) => {
            if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
            const kill = setTimeout(() => child.kill("SIGKILL"), 2_000)
            child.once("exit", () => {
              clearTimeout(kill)
              resume(Effect.void)
            })
            child.kill("SIGTERM")
          })
      )
      let output = ""
      yield* Effect.async<void, PrismStartError>((resume) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString("utf8")
          if (output.includes("Prism is listening")) resume(Effect.void)
        }
        child.stdout?.on("data", onData)
        child.stderr?.on("data", onData)
        child.once("exit", (code) => resume(Effect.fail(new PrismStartError({ output: `exited ${code}: ${output}` }))))
      }).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(60),
          onTimeout: () => new PrismStartError({ output: `not listening after 60 s: ${output}` })
        })
      )
      // Keep draining its output so that the pipe never fills and blocks Prism.
      child.stdout?.resume()
      child.stderr?.resume()
      return { url: `http://127.0.0.1:${port}` }
    })
  )
