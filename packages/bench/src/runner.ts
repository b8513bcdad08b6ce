/**
 * One measured run, in a process of its own (bundled to plain JavaScript: no TypeScript loader
 * in the timed process): a client doing one scenario against the benchmark server, or the
 * no-network measurements. Each client's code is loaded only in its own runs (the bundle is
 * split), so a process pays for loading what it uses and nothing else. Prints one JSON line
 * with what it measured; the orchestrator adds the whole-process wall time.
 */
import * as V8 from "node:v8"
import type { BenchClient } from "./clients/Client.js"

interface Config {
  readonly client: string
  readonly scenario: string
  readonly url: string
  readonly options?: Record<string, number>
  /** The measures of the micro scenario to run (all without it). */
  readonly only?: ReadonlyArray<string>
}

const config: Config = JSON.parse(process.argv[2] ?? "{}")

let peakHeap = 0
// Resident set size every 20 ms, with its time: whether memory stays flat as a stream goes on.
const rssSamples: Array<readonly [millis: number, rss: number]> = []

/** Where the resident memory was at the sample with the highest RSS, in MiB. */
let atPeak = { rss: 0, young: 0, restOfHeap: 0, external: 0, outside: 0 }

const youngSpaces = new Set(["new_space", "new_large_object_space"])

const sampler = setInterval(() => {
  const memory = process.memoryUsage()
  peakHeap = Math.max(peakHeap, memory.heapUsed)
  rssSamples.push([performance.now(), memory.rss])
  if (memory.rss / 2 ** 20 > atPeak.rss) {
    // Read only at a new peak: a few dozen times per run.
    const young = V8.getHeapSpaceStatistics()
      .filter((space) => youngSpaces.has(space.space_name))
      .reduce((sum, space) => sum + space.space_size, 0)
    atPeak = {
      rss: memory.rss / 2 ** 20,
      young: young / 2 ** 20,
      restOfHeap: (memory.heapTotal - young) / 2 ** 20,
      external: memory.external / 2 ** 20,
      outside: (memory.rss - memory.heapTotal - memory.external) / 2 ** 20
    }
  }
}, 20)

/**
 * How much the peak RSS of the last half of a run exceeds the peak of its first quarter, in
 * MiB: about 0 when memory is flat after the first pages, growing with the list when it is not.
 */
const rssGrowthMiB = (start: number, end: number) => {
  const peak = (from: number, to: number) =>
    Math.max(0, ...rssSamples.filter(([t]) => t >= from && t <= to).map(([, rss]) => rss))
  const span = end - start
  return (peak(start + span / 2, end) - peak(start, start + span / 4)) / 2 ** 20
}

const load = async (client: string, url: string): Promise<BenchClient> => {
  switch (client) {
    case "raw":
      return (await import("./clients/raw.js")).make(url)
    case "raw-loaded":
      return (await import("./clients/rawLoaded.js")).make(url)
    case "official":
      return (await import("./clients/official.js")).make(url)
    case "effect-undici":
      return (await import("./clients/effectUndici.js")).make(url)
    case "effect-fetch":
      return (await import("./clients/effectFetch.js")).make(url)
    case "effect-lago":
      return (await import("./clients/effectLago.js")).make(url)
    case "effect-lago-undici":
      return (await import("./clients/effectLagoUndici.js")).make(url)
  }
  throw new Error(`unknown client ${client}`)
}

const ids = (count: number) => Array.from({ length: count }, (_, i) => `customer_${(i % 20_000) + 1}`)

const finds = async (concurrency: number) => {
  const client = await load(config.client, config.url)
  const all = ids(2_000)
  const start = performance.now()
  await client.finds(all, concurrency)
  const scenarioMs = performance.now() - start
  await client.close()
  return { calls: all.length, scenarioMs, microsPerCall: (scenarioMs * 1000) / all.length }
}

const scenarios: Record<string, () => Promise<Record<string, number>>> = {
  list: async () => {
    const client = await load(config.client, config.url)
    const start = performance.now()
    const count = await client.list(config.options)
    const end = performance.now()
    await client.close()
    return { count, scenarioMs: end - start, rssGrowthMiB: rssGrowthMiB(start, end) }
  },
  finds16: () => finds(16),
  findsSequential: () => finds(1),
  micro: async () => (await import("./micro.js")).run(config.only)
}

const main = async () => {
  const measured = await scenarios[config.scenario]()
  clearInterval(sampler)
  const usage = process.resourceUsage()
  process.stdout.write(
    `${
      JSON.stringify({
        ...measured,
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMiB: usage.maxRSS / 1024,
        peakHeapMiB: Math.max(peakHeap, process.memoryUsage().heapUsed) / 1024 / 1024,
        peakSampleRssMiB: atPeak.rss,
        peakYoungMiB: atPeak.young,
        peakRestOfHeapMiB: atPeak.restOfHeap,
        peakExternalMiB: atPeak.external,
        peakOutsideMiB: atPeak.outside
      })
    }\n`
  )
  process.exit(0)
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
