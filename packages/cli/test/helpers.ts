import { NodeContext } from "@effect/platform-node"
import { CliOutput, LagoCli } from "@lago-effect/cli"
import type { LagoStore } from "@lago-effect/testing"
import { LagoFake } from "@lago-effect/testing"
import { ConfigProvider, Effect, Layer } from "effect"

/** The key of the fake in every in-process test. */
export const apiKey = "lago_cli_test_SECRET_0123456789"

/** The environment `lago-effect` reads, pointing at the in-memory fake. */
export const environment: Record<string, string> = { LAGO_API_KEY: apiKey, LAGO_API_URL: "http://lago.test/api/v1" }

/**
 * The fake Lago in memory (its `HttpClient`, the fake to inject faults into) and Node's file
 * system, for `LagoCli.run` in the test's process.
 */
export const fakeLayer = (seed?: LagoStore.Seed) =>
  Layer.merge(LagoFake.layerHttpClient({ apiKey, seed }), NodeContext.layer)

/** What a run printed and its exit code. */
export interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `lago-effect <args>` in this process with captured output and the given environment. */
export const cli = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly tty?: boolean; readonly stdoutTty?: boolean } = {}
) =>
  Effect.gen(function*() {
    const { captured, layer } = yield* CliOutput.makeCaptured({
      stdoutIsTTY: options.stdoutTty ?? false,
      stderrIsTTY: options.tty ?? false,
      columns: 100
    })
    const code = yield* LagoCli.run(["node", "lago-effect", ...args]).pipe(
      Effect.provide(layer),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? environment))))
    )
    const ran: Ran = { code, stdout: yield* captured.stdout, stderr: yield* captured.stderr }
    return ran
  })

/** A minimal RFC 4180 reader, to check what the writer wrote: records of fields. */
export const parseCsv = (text: string): Array<Array<string>> => {
  const records: Array<Array<string>> = []
  let record: Array<string> = []
  let field = ""
  let quoted = false
  let i = 0
  while (i < text.length) {
    const c = text[i]
    if (quoted) {
      if (c === "\"" && text[i + 1] === "\"") {
        field += "\""
        i += 2
        continue
      }
      if (c === "\"") {
        quoted = false
        i++
        continue
      }
      field += c
      i++
      continue
    }
    if (c === "\"" && field === "") {
      quoted = true
      i++
    } else if (c === ",") {
      record.push(field)
      field = ""
      i++
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field)
      records.push(record)
      record = []
      field = ""
      i += 2
    } else if (c === "\r" || c === "\n") {
      throw new Error(`bare line break at ${i}`)
    } else {
      field += c
      i++
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record has no CRLF")
  return records
}
