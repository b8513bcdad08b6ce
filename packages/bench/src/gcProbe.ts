/**
 * Why a validated page costs more garbage collection in an Effect program than in plain
 * promise code, without this client: the same work (parse and decode a 100-customer page,
 * already in memory) run several ways, each in a fresh process, reporting V8's
 * young-generation collections (scavenges) and full collections (mark-compact) from
 * `perf_hooks`.
 *
 * Measured on Node 20 / effect 3.22: the value a fiber returns after it resumed from an
 * asynchronous callback survives scavenges and is promoted to the old generation; the same
 * value returned by a fiber that never suspended, or by plain promise code, dies young. The
 * mechanism: a scavenge keeps whatever an old object points at, dead old objects included,
 * until the next full collection, and the runtime leaves references behind after use. The
 * callback of an asynchronous step keeps its fiber (and the fiber its exit) after resuming
 * it; once such a callback is promoted, each one after it is reached through the next, and
 * every page returned since is copied and promoted. Handing the page out of the fiber through
 * a holder the receiver empties (last row) leaves nothing large on that path. The client does
 * this for every fiber it forks, for its spans (a span keeps the exit it ended with) and for
 * its read-ahead buffer (a removed queue node keeps its value and the next node).
 * `pnpm bench:gc` prints the table; nothing is asserted.
 */
import { CustomersPage, Decoder } from "@lago-effect/core"
import { Effect } from "effect"
import { spawnSync } from "node:child_process"
import type { PerformanceEntry } from "node:perf_hooks"
import { PerformanceObserver } from "node:perf_hooks"
import { pageJson } from "./data.js"

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

const measure = async (name: string) => {
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
  process.stdout.write(
    `| ${name} | ${(wall * 1000 / iterations).toFixed(0)} | ${gc.scavenges} | ${
      gc.scavengeMs.toFixed(0)
    } | ${gc.fullGcs} | ${gc.fullGcMs.toFixed(0)} | ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} |\n`
  )
}

const variant = process.argv[2]
if (variant !== undefined) {
  await measure(variant)
} else {
  process.stdout.write(
    `${iterations} pages of 100 customers each way, each in a fresh process\n\n` +
      "| way | µs per page | scavenges | scavenge ms | mark-compacts | mark-compact ms | RSS MiB |\n|---|---|---|---|---|---|---|\n"
  )
  for (const name of Object.keys(variants)) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1], name], { encoding: "utf8" })
    process.stdout.write(child.stdout)
    if (child.status !== 0) process.stderr.write(child.stderr)
  }
}
