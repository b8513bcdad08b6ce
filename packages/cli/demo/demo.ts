/**
 * `pnpm demo`: starts `lago-effect fake` with 5,000 customers and 5% of requests failing
 * (503, 502, dropped connections, bodies cut mid-way), exports every customer to CSV with
 * `lago-effect customers export` (progress on this terminal, then its summary), and counts
 * the file's lines. Both run as separate processes, as a user would run them.
 */
import { Command } from "@effect/platform"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Stream } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const CUSTOMERS = 5_000
const bin = Path.join(import.meta.dirname, "../src/bin/lago-effect.ts")
// Children run as this script does (under tsx, from the sources).
const lagoEffect = (...args: Array<string>) => Command.make(process.execPath, ...process.execArgv, bin, ...args)

const main = Effect.gen(function*() {
  const fake = yield* Command.start(
    lagoEffect("fake", "--customers", `${CUSTOMERS}`, "--faults", "0.05").pipe(Command.stderr("inherit"))
  )
  // The fake prints where it listens, and the key it accepts, as shell lines.
  const announced = yield* fake.stdout.pipe(
    Stream.decodeText(),
    Stream.splitLines,
    Stream.takeUntil((line) => line.startsWith("export LAGO_API_KEY=")),
    Stream.runCollect
  )
  const env: Record<string, string> = {}
  for (const line of announced) {
    const match = /^export (\w+)=(.*)$/.exec(line)
    if (match !== null) env[match[1]] = match[2]
    else if (line.startsWith("Fake Lago")) yield* Console.log(line)
  }
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "lago-effect-demo-"))
  const out = Path.join(dir, "customers.csv")
  yield* Console.log(`$ lago-effect customers export --format csv --per-page 100 --out ${out}\n`)
  const code = yield* Command.exitCode(
    lagoEffect("customers", "export", "--format", "csv", "--per-page", "100", "--out", out).pipe(
      Command.env(env),
      Command.stdout("inherit"),
      Command.stderr("inherit")
    )
  )
  yield* fake.kill("SIGINT")
  if (code !== 0) return yield* Effect.dieMessage(`the export failed with exit code ${code}`)
  const lines = Fs.readFileSync(out, "utf8").split("\r\n").length - 1
  yield* Console.log(
    `\n$ wc -l ${out}\n${lines} lines: the header and ${(lines - 1).toLocaleString("en-US")} customers`
  )
  if (lines !== CUSTOMERS + 1) return yield* Effect.dieMessage(`expected ${CUSTOMERS + 1} lines`)
})

main.pipe(Effect.scoped, Effect.provide(NodeContext.layer), NodeRuntime.runMain)
