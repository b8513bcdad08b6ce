/**
 * Why a validated page costs more garbage collection in an Effect program than in plain
 * promise code, without this client: the same work (parse and decode a 100-customer page,
 * already in memory) run several ways, each in a fresh process of bundled JavaScript, reporting
 * V8's young-generation collections (scavenges) and full collections (mark-compact) from
 * `perf_hooks`; then again over the patched copy of effect (`PatchedDependencies`).
 *
 * Measured on Node 20 / effect 3.22: the value a fiber returns after it resumed from an
 * asynchronous callback survives scavenges and is promoted to the old generation; the same
 * value returned by a fiber that never suspended, or by plain promise code, dies young. The
 * path: `Effect.async` keeps the resume callback the fiber gave it (which holds the fiber, and
 * the fiber its exit) in the closure that registered it, after the callback was called, and V8's
 * young-generation collections keep such closures of effect's code reachable until the next
 * full collection. No promotion is needed to start it: with a young generation large enough
 * that none runs during 40 calls, the first scavenge after them keeps all 40 pages. Handing the
 * page out of the fiber through a holder the receiver empties (last row) leaves nothing large
 * on that path; so does the patched effect, which drops the callback once called. The client
 * hands out for every fiber it forks, for its spans (a span keeps the exit it ended with) and
 * for its read-ahead buffer (a removed queue node keeps its value and the next node), and over
 * `LagoHttpClient` waits in the caller's fiber without `Effect.async`.
 * `pnpm bench:gc` prints the table; nothing is asserted.
 */
import { CustomersPage, Decoder } from "@lago-effect/core"
import { Effect } from "effect"
import * as Path from "node:path"
import type { PerformanceEntry } from "node:perf_hooks"
import { PerformanceObserver } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import { pageJson } from "./data.js"
import * as Probe from "./Probe.js"

const pages = Array.from({ length: 50 }, (_, i) => pageJson(i + 1, 100, 20_000))
const decoder = Decoder.make(CustomersPage.CustomersPage)
const decode = (text: string) => Effect.runSync(decoder.decodeText(text))
let next = 0
const page = () => pages[next++ % pages.length]

const variants: Record<string, () => Promise<unknown>> = {
  "promise: resolve, then decode": () => Promise.resolve(page()).then(decode),
  "fiber that never suspends: decode": () => Effect.runPromise(decoder.decodeText(page())),
  "fiber resumed from a promise: decode, return 1": () =>
    Effect.runPromise(Effect.map(Effect.promise(() => Promise.resolve(page())), (text) => (decode(text), 1))),
  "fiber resumed from a promise: decode, return the page": () =>
    Effect.runPromise(Effect.flatMap(Effect.promise(() => Promise.resolve(page())), decoder.decodeText)),
  "fiber resumed from a promise: decode, hand the page off": () => {
    const holder: { page: CustomersPage.CustomersPage | undefined } = { page: undefined }
    const handedOff = Effect.map(Effect.promise(() => Promise.resolve(page())), (text) => {
      holder.page = decode(text)
    })
    return Effect.runPromise(handedOff).then(() => {
      const value = holder.page
      holder.page = undefined
      return value
    })
  }
}

const iterations = 3_000

/** The kind of a `gc` performance entry (Node puts it in `detail`). */
const gcKind = (entry: PerformanceEntry): unknown => {
  const detail: unknown = Reflect.get(entry, "detail")
  return typeof detail === "object" && detail !== null && "kind" in detail ? detail.kind : undefined
}

/** One way's figures, from the process that ran it. */
interface Measured {
  readonly microsPerPage: number
  readonly scavenges: number
  readonly scavengeMs: number
  readonly fullGcs: number
  readonly fullGcMs: number
  readonly rssMiB: number
}

const measure = async (name: string): Promise<Measured> => {
  const gc = { scavenges: 0, scavengeMs: 0, fullGcs: 0, fullGcMs: 0 }
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // `detail.kind` 1 is a scavenge (minor), 4 a mark-compact (major).
      const kind = gcKind(entry)
      if (kind === 1) {
        gc.scavenges++
        gc.scavengeMs += entry.duration
      } else if (kind === 4) {
        gc.fullGcs++
        gc.fullGcMs += entry.duration
      }
    }
  })
  observer.observe({ entryTypes: ["gc"] })
  const start = performance.now()
  for (let i = 0; i < iterations; i++) await variants[name]()
  const wall = performance.now() - start
  await new Promise((resolve) => setTimeout(resolve, 50))
  observer.disconnect()
  return { microsPerPage: wall * 1000 / iterations, ...gc, rssMiB: process.memoryUsage().rss / 2 ** 20 }
}

const here = Path.dirname(fileURLToPath(import.meta.url))

/** One way's figures, from a fresh process of the bundle in `directory`. */
const child = (directory: string, name: string): Measured | undefined => {
  const run = Probe.run(Path.join(directory, "gcProbe.mjs"), [], [name])
  if (run === undefined) return undefined
  const { fullGcMs, fullGcs, microsPerPage, rssMiB, scavengeMs, scavenges } = run.result
  return { microsPerPage, scavenges, scavengeMs, fullGcs, fullGcMs, rssMiB }
}

const variant = process.argv[2]
if (variant !== undefined) {
  process.stdout.write(`RESULT ${JSON.stringify(await measure(variant))}\n`)
} else {
  const { installed: out, patched: fixed } = await Probe.build(
    { gcProbe: Path.join(here, "gcProbe.ts") },
    Path.resolve(here, "../dist/gcProbe")
  )
  const patched = fixed !== undefined
  process.stdout.write(
    `${iterations} pages of 100 customers each way, each in a fresh process\n\n` +
      "| way | µs per page | scavenges | scavenge ms | mark-compacts | mark-compact ms | RSS MiB |" +
      (patched ? " µs per page, patched | scavenge ms, patched | RSS MiB, patched |" : "") +
      `\n|---|---|---|---|---|---|---|${patched ? "---|---|---|" : ""}\n`
  )
  for (const name of Object.keys(variants)) {
    const installed = child(out, name)
    if (installed === undefined) continue
    const withFix = fixed === undefined ? undefined : child(fixed, name)
    const cells = [
      installed.microsPerPage.toFixed(0),
      installed.scavenges,
      installed.scavengeMs.toFixed(0),
      installed.fullGcs,
      installed.fullGcMs.toFixed(0),
      installed.rssMiB.toFixed(0),
      ...(patched
        ? withFix === undefined
          ? ["-", "-", "-"]
          : [withFix.microsPerPage.toFixed(0), withFix.scavengeMs.toFixed(0), withFix.rssMiB.toFixed(0)]
        : [])
    ]
    process.stdout.write(`| ${name} | ${cells.join(" | ")} |\n`)
  }
}
