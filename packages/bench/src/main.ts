/**
 * `pnpm bench`: bundles the runner and the server to plain JavaScript, then runs every
 * scenario side by side: the server in its own process, each measured run in a fresh process,
 * clients interleaved run after run (A B C, B C A, ...), so that a busy moment of the machine
 * falls on all of them. Prints medians with min-max and the ratio to raw fetch, then each
 * performance target judged from them (`Targets`), and writes `RESULTS.md`, targets first (what
 * it held before follows the new run: `ResultsHistory`).
 *
 * Environment: `BENCH_RUNS` (default 5), `BENCH_ONLY=S0,S1,S4` (scenarios to run),
 * `BENCH_BASELINE=/path/to/checkout` (adds `before` rows: lago-effect built from that checkout,
 * which must have its dependencies installed), `BENCH_PATCHED=1` (adds `patched` rows: this
 * lago-effect over copies of effect and platform-node with the changes `PatchedDependencies`
 * describes, for what they would do upstream).
 */
import * as esbuild from "esbuild"
import { execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as BenchServer from "./BenchServer.js"
import * as PatchedDependencies from "./PatchedDependencies.js"
import * as ResultsHistory from "./ResultsHistory.js"
import * as Targets from "./Targets.js"

const here = Path.dirname(fileURLToPath(import.meta.url))
const root = Path.resolve(here, "..")
const dist = Path.join(root, "dist")
const runs = Number(process.env.BENCH_RUNS ?? 5)
const only = process.env.BENCH_ONLY?.split(",")
const baseline = process.env.BENCH_BASELINE
const patched = process.env.BENCH_PATCHED === "1"

// ---------------------------------------------------------------- build

const build = async () => {
  // Each client in its own chunk: a run loads only the client it measures.
  const common: esbuild.BuildOptions = { ...BenchServer.bundleOptions, splitting: true }
  await esbuild.build({
    ...common,
    entryPoints: { runner: Path.join(root, "src/runner.ts"), server: Path.join(root, "src/server.ts") },
    outdir: dist,
    chunkNames: "chunks/[name]-[hash]"
  })
  // The same runner with every package left to Node: what a Node application that does not
  // bundle loads (the packages' built JavaScript, resolved through node_modules).
  await esbuild.build({
    ...common,
    conditions: [],
    packages: "external",
    entryPoints: { runner: Path.join(root, "src/runner.ts") },
    outdir: Path.join(dist, "unbundled"),
    chunkNames: "chunks/[name]-[hash]"
  })
  if (baseline !== undefined) {
    await esbuild.build({
      ...common,
      entryPoints: { runner: Path.join(root, "src/runner.ts") },
      outdir: Path.join(dist, "before"),
      chunkNames: "chunks/[name]-[hash]",
      alias: {
        "@lago-effect/core": Path.join(baseline, "packages/core/src/index.ts"),
        "@lago-effect/client": Path.join(baseline, "packages/client/src/index.ts")
      },
      nodePaths: [Path.join(baseline, "node_modules"), Path.join(baseline, "packages/client/node_modules")]
    })
  }
  if (patched) {
    const options = PatchedDependencies.prepare(root, Path.join(dist, "dependencies"))
    if (options === undefined) {
      throw new Error("BENCH_PATCHED: the installed effect or platform-node is not the one patched")
    }
    await esbuild.build({
      ...common,
      ...options,
      entryPoints: { runner: Path.join(root, "src/runner.ts") },
      outdir: Path.join(dist, "patched"),
      chunkNames: "chunks/[name]-[hash]"
    })
  }
}

// ---------------------------------------------------------------- processes

type Server = BenchServer.BenchServer

const startServer = (args: ReadonlyArray<string>): Promise<Server> =>
  BenchServer.start(Path.join(dist, "server.mjs"), args)

const serverStats = async (server: Server): Promise<Record<string, number>> => {
  const response = await fetch(`${server.origin}/stats`)
  return JSON.parse(await response.text())
}

const resetStats = (server: Server) => fetch(`${server.origin}/stats/reset`)

/** One measured run: a fresh process; its wall time from spawn to exit. */
const runOnce = (runner: string, config: object): Promise<Record<string, number>> =>
  new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, [Path.join(dist, runner), JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let output = ""
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()))
    child.on("exit", (code) => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6
      if (code !== 0) return reject(new Error(`${runner} ${JSON.stringify(config)} exited with ${code}`))
      // The measures are the last line; a client may have logged before it.
      const last = output.trim().split("\n").at(-1) ?? "{}"
      resolve({ ...JSON.parse(last), wallMs })
    })
  })

// ---------------------------------------------------------------- scenarios

interface Row {
  readonly label: string
  readonly client: string
  readonly options?: Record<string, number>
  readonly before?: boolean
  readonly patched?: boolean
  /** Run unbundled: Node loads the packages' built JavaScript from node_modules. */
  readonly unbundled?: boolean
}

interface Scenario {
  readonly id: string
  readonly title: string
  readonly scenario: string
  readonly server?: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Row>
  /** A pause before every run, so that each starts with the server's rate-limit window fresh. */
  readonly settleMillis?: number
  /** The measures shown, with their unit. */
  readonly columns: ReadonlyArray<readonly [key: string, title: string]>
  /** Each measure in a process of its own (the micro scenario): no row warms or pollutes another's code. */
  readonly isolate?: boolean
  /** Measures shown in a second table under the first, with their unit. */
  readonly breakdown?: ReadonlyArray<readonly [key: string, title: string]>
}

/**
 * The rows, and each bundled row of this client over undici (the platform's, or its own
 * `LagoHttpClient.layerUndici`) again as built from the baseline and over patched dependencies.
 */
const withVariants = (rows: ReadonlyArray<Row>): ReadonlyArray<Row> => {
  const ours = rows.filter((row) =>
    (row.client === "effect-undici" || row.client === "effect-lago-undici") && row.unbundled !== true
  )
  return [
    ...rows,
    ...(baseline === undefined ? [] : ours.map((row) => ({ ...row, label: `${row.label} (before)`, before: true }))),
    ...(patched ? ours.map((row) => ({ ...row, label: `${row.label} (patched)`, patched: true })) : [])
  ]
}

/** The rows the list scenarios share: the floor, the official client, and this client's settings. */
const listRows = {
  raw: { label: "raw fetch + JSON.parse (per_page 100)", client: "raw" },
  rawLoaded: {
    label: "raw fetch + JSON.parse, lago-effect loaded (layer built, one page read)",
    client: "raw-loaded"
  },
  official: { label: "lago-javascript-client (per_page 100)", client: "official" },
  defaults: { label: "lago-effect stream() defaults, undici", client: "effect-undici" },
  defaultsFetch: { label: "lago-effect stream() defaults, fetch", client: "effect-fetch" },
  defaultsLago: { label: "lago-effect stream() defaults, LagoHttpClient.layer (fetch)", client: "effect-lago" },
  defaultsLagoUndici: {
    label: "lago-effect stream() defaults, LagoHttpClient.layerUndici",
    client: "effect-lago-undici"
  },
  sequential: {
    label: "lago-effect per_page 100, concurrency 1",
    client: "effect-undici",
    options: { per_page: 100, concurrency: 1 }
  },
  concurrent: {
    label: "lago-effect per_page 100, concurrency 8",
    client: "effect-undici",
    options: { per_page: 100, concurrency: 8 }
  },
  unbundledOfficial: {
    label: "lago-javascript-client (per_page 100), unbundled",
    client: "official",
    unbundled: true
  },
  unbundledLagoUndici: {
    label: "lago-effect stream() defaults, LagoHttpClient.layerUndici, unbundled",
    client: "effect-lago-undici",
    unbundled: true
  },
  sequentialLago: {
    label: "lago-effect per_page 100, concurrency 1, LagoHttpClient.layerUndici",
    client: "effect-lago-undici",
    options: { per_page: 100, concurrency: 1 }
  },
  concurrentLago: {
    label: "lago-effect per_page 100, concurrency 8, LagoHttpClient.layerUndici",
    client: "effect-lago-undici",
    options: { per_page: 100, concurrency: 8 }
  }
} satisfies Record<string, Row>

/** The rows S0 and S1 share: the floor, the official client, and this client over each transport, bundled or not. */
const loadRows: ReadonlyArray<Row> = [
  listRows.raw,
  listRows.rawLoaded,
  listRows.official,
  listRows.defaults,
  listRows.defaultsFetch,
  listRows.defaultsLago,
  listRows.defaultsLagoUndici,
  listRows.unbundledOfficial,
  listRows.unbundledLagoUndici
]

/** The rows of the find scenarios. */
const findRows: ReadonlyArray<Row> = [
  { label: "raw fetch + JSON.parse", client: "raw" },
  { label: "lago-javascript-client", client: "official" },
  { label: "lago-effect, undici", client: "effect-undici" },
  { label: "lago-effect, fetch", client: "effect-fetch" },
  { label: "lago-effect, LagoHttpClient.layer (fetch)", client: "effect-lago" },
  { label: "lago-effect, LagoHttpClient.layerUndici", client: "effect-lago-undici" }
]

const processColumns = [["wallMs", "wall ms"], ["cpuMs", "CPU ms"], ["maxRssMiB", "peak RSS MiB"], [
  "peakHeapMiB",
  "peak heap MiB"
]] as const

/**
 * Where the resident memory is at the 20 ms sample with the highest RSS: V8's young generation
 * (its size grows with what survives its collections, loading code included), the rest of V8's
 * heap, buffers outside it, and the rest (the Node binary, malloc, compiled code, stacks).
 */
const memoryColumns = [
  ["peakSampleRssMiB", "RSS at that sample MiB"],
  ["peakYoungMiB", "V8 young generation MiB"],
  ["peakRestOfHeapMiB", "rest of V8's heap MiB"],
  ["peakExternalMiB", "external buffers MiB"],
  ["peakOutsideMiB", "outside V8's heap MiB"]
] as const

const scenarios: ReadonlyArray<Scenario> = [
  {
    // What every run of a client pays before its first page: the part of S1's and S4's peak
    // RSS that does not grow with the list.
    id: "S0",
    title: "S0: load the client and list a one-customer organization",
    scenario: "list",
    server: ["--customers", "1"],
    rows: loadRows,
    columns: processColumns
  },
  {
    id: "S1",
    title: "S1: list 20,000 populated customers, no latency",
    scenario: "list",
    server: ["--customers", "20000"],
    rows: withVariants([...loadRows, listRows.sequential, listRows.sequentialLago]),
    columns: [...processColumns, ["requests", "requests"]],
    breakdown: memoryColumns
  },
  {
    id: "S2",
    title: "S2: list 20,000, 20 ms per response, server limit 50 requests/s (Lago Cloud's)",
    scenario: "list",
    server: ["--customers", "20000", "--latency", "20", "--rate-limit", "50"],
    settleMillis: 1_100,
    rows: withVariants([listRows.raw, listRows.official, listRows.defaults, listRows.sequential, listRows.concurrent]),
    columns: [["wallMs", "wall ms"], ["cpuMs", "CPU ms"], ["requests", "requests"], ["limited", "429s"], [
      "peakPerSecond",
      "peak req/s"
    ]]
  },
  {
    id: "S3",
    title: "S3: 2,000 find at concurrency 16, no latency",
    scenario: "finds16",
    server: ["--customers", "20000"],
    rows: withVariants(findRows),
    columns: [["wallMs", "wall ms"], ["scenarioMs", "calls ms"], ["cpuMs", "CPU ms"], ["maxRssMiB", "peak RSS MiB"]]
  },
  {
    id: "S4",
    title: "S4: stream 200,000 customers, count only, no latency",
    scenario: "list",
    server: ["--customers", "200000"],
    rows: withVariants([
      listRows.raw,
      listRows.rawLoaded,
      listRows.official,
      listRows.defaults,
      listRows.defaultsLago,
      listRows.defaultsLagoUndici,
      listRows.concurrent,
      listRows.sequentialLago,
      listRows.concurrentLago
    ]),
    columns: [...processColumns, ["rssGrowthMiB", "RSS growth, last half vs first quarter MiB"], [
      "requests",
      "requests"
    ]],
    breakdown: memoryColumns
  },
  {
    id: "S5",
    title: "S5: no network (canned responses): per call, and decoding alone",
    scenario: "micro",
    isolate: true,
    rows: withVariants([{ label: "lago-effect", client: "effect-undici" }]),
    columns: [
      ["floorFindMicros", "floor find µs"],
      ["findMicros", "find µs"],
      ["lagoFindMicros", "find over LagoHttpClient µs"],
      ["lagoFindAboveFloorMicros", "find over LagoHttpClient above the floor, paired µs"],
      ["lagoUntracedFindAboveFloorMicros", "the same, tracing off, paired µs"],
      ["effectFetchAboveFloorMicros", "plain effect: fetch + JSON.parse above the floor, paired µs"],
      ["effectFindAboveFloorMicros", "plain effect: fetch + decode + timeout + span above the floor, paired µs"],
      ["platformFindMicros", "platform get + text µs"],
      ["floorPageMicros", "floor page µs"],
      ["pageMicros", "page µs"],
      ["lagoPageMicros", "page over LagoHttpClient µs"],
      ["lagoPageAboveFloorMicros", "page over LagoHttpClient above the floor, paired µs"],
      ["effectRunMicros", "Effect.runPromise(void) µs"],
      ["jsonParseCustomersPerSecond", "JSON.parse customers/s"],
      ["schemaDecodeCustomersPerSecond", "Schema decode customers/s"],
      ["compiledDecodeCustomersPerSecond", "Decoder customers/s"],
      ["jsonParseBytesPerCustomer", "JSON.parse bytes allocated per customer"],
      ["compiledDecodeBytesPerCustomer", "Decoder bytes allocated per customer"]
    ]
  },
  {
    id: "S6",
    title: "S6: 2,000 sequential find, no latency",
    scenario: "findsSequential",
    server: ["--customers", "20000"],
    rows: withVariants(findRows),
    columns: [["microsPerCall", "µs per call"], ["wallMs", "wall ms"], ["cpuMs", "CPU ms"]]
  }
]

// ---------------------------------------------------------------- statistics and output

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

const format = (value: number) =>
  value >= 100_000
    ? `${Math.round(value / 1000).toLocaleString("en-US")}k`
    : value >= 100
    ? Math.round(value).toLocaleString("en-US")
    : value.toFixed(1)

/**
 * The median of a measure's runs, or `undefined` when a run has none: a measure a client cannot
 * take (the decoder did not exist before) comes back as null or undefined.
 */
const measured = (values: ReadonlyArray<number>): number | undefined =>
  values.length === 0 || values.some((value) => typeof value !== "number" || Number.isNaN(value))
    ? undefined
    : median(values)

const cell = (values: ReadonlyArray<number>, floor: number | undefined) => {
  const m = measured(values)
  if (m === undefined) return "-"
  const spread = values.length > 1 ? ` (${format(Math.min(...values))}-${format(Math.max(...values))})` : ""
  const ratio = floor !== undefined && floor > 0 ? ` ${(m / floor).toFixed(2)}x` : ""
  return `${format(m)}${spread}${ratio}`
}

const table = (
  scenario: Scenario,
  results: ReadonlyArray<ReadonlyArray<Record<string, number>>>,
  columns: ReadonlyArray<readonly [key: string, title: string]> = scenario.columns
) => {
  const floorRow = scenario.rows.findIndex((row) => row.client === "raw")
  const header = ["client", ...columns.map(([, title]) => title)]
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`]
  scenario.rows.forEach((row, i) => {
    const cells = columns.map(([key]) => {
      const floor = floorRow >= 0 && floorRow !== i && ["wallMs", "cpuMs", "maxRssMiB", "peakHeapMiB"].includes(key)
        ? median(results[floorRow].map((result) => result[key]))
        : undefined
      return cell(results[i].map((result) => result[key]), floor)
    })
    lines.push(`| ${row.label} | ${cells.join(" | ")} |`)
  })
  return lines.join("\n")
}

const version = (name: string) => {
  const file = Path.join(root, "node_modules", name, "package.json")
  return Fs.existsSync(file) ? JSON.parse(Fs.readFileSync(file, "utf8")).version : "?"
}

const gitHead = (dir: string) => {
  try {
    return execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()
  } catch {
    return "?"
  }
}

/** The medians the targets read, from the results of the scenarios that ran. */
const medianIn = (
  collected: ReadonlyMap<string, ReadonlyArray<ReadonlyArray<Record<string, number>>>>
): Targets.MedianOf =>
(id, row, key) => {
  const scenario = scenarios.find((candidate) => candidate.id === id)
  const results = collected.get(id)
  const index = scenario?.rows.findIndex((candidate) => candidate.label === row.label) ?? -1
  if (results === undefined || index < 0) return undefined
  return measured(results[index].map((result) => result[key]))
}

/** The rows the targets are judged on. */
const targetRows: Targets.Rows = {
  floor: listRows.raw,
  loadedFloor: listRows.rawLoaded,
  official: listRows.official,
  defaults: [listRows.defaultsLagoUndici, listRows.defaults],
  floorSettings: [listRows.sequentialLago, listRows.concurrentLago],
  micro: { label: "lago-effect" }
}

// ---------------------------------------------------------------- main

const main = async () => {
  Fs.rmSync(dist, { recursive: true, force: true })
  await build()
  const selected = scenarios.filter((scenario) => only === undefined || only.includes(scenario.id))
  if (selected.some((scenario) => scenario.rows.some((row) => row.unbundled === true))) {
    // Unbundled rows load the packages' dist: build it from this checkout first.
    execFileSync(process.execPath, [Path.join(root, "../../scripts/build.mjs"), "client"], { stdio: "inherit" })
  }
  const started = new Date()
  const sections: Array<string> = []
  // Every scenario's results, by id: what the targets read.
  const collected = new Map<string, ReadonlyArray<ReadonlyArray<Record<string, number>>>>()
  for (const scenario of scenarios) {
    if (only !== undefined && !only.includes(scenario.id)) continue
    process.stdout.write(`\n${scenario.title}\n`)
    const server = scenario.server === undefined ? undefined : await startServer(scenario.server)
    const results: Array<Array<Record<string, number>>> = scenario.rows.map(() => [])
    try {
      for (let run = 0; run < runs; run++) {
        // Rotate the order every run: no client always goes first, or right after another.
        for (let k = 0; k < scenario.rows.length; k++) {
          const i = (k + run) % scenario.rows.length
          const row = scenario.rows[i]
          if (scenario.settleMillis !== undefined) {
            await new Promise((resolve) => setTimeout(resolve, scenario.settleMillis))
          }
          if (server !== undefined) await resetStats(server)
          const runner = row.before === true
            ? "before/runner.mjs"
            : row.patched === true
            ? "patched/runner.mjs"
            : row.unbundled === true
            ? "unbundled/runner.mjs"
            : "runner.mjs"
          const config = {
            client: row.client,
            scenario: scenario.scenario,
            url: server === undefined ? "" : `${server.origin}/api/v1`,
            ...(row.options === undefined ? {} : { options: row.options })
          }
          let result: Record<string, number> = {}
          if (scenario.isolate === true) {
            for (const [key] of scenario.columns) {
              result = { ...result, [key]: (await runOnce(runner, { ...config, only: [key] }))[key] }
            }
          } else {
            result = await runOnce(runner, config)
          }
          const stats = server === undefined ? {} : await serverStats(server)
          results[i].push({ ...result, ...stats })
          process.stdout.write(".")
        }
      }
    } finally {
      server?.process.kill()
    }
    const breakdown = scenario.breakdown === undefined ? "" : [
      "",
      "Where the resident memory was at each run's sample with the highest RSS (every 20 ms):",
      "",
      table(scenario, results, scenario.breakdown),
      ""
    ].join("\n")
    const section = `### ${scenario.title}\n\n${table(scenario, results)}\n${breakdown}`
    process.stdout.write(`\n${section}`)
    sections.push(section)
    collected.set(scenario.id, results)
  }
  const targets = Targets.section(Targets.judge(medianIn(collected), targetRows))
  if (targets !== undefined) {
    process.stdout.write(`\n${targets}`)
    sections.unshift(targets)
  }
  const cpus = Os.cpus()
  const header = [
    ResultsHistory.title,
    "",
    "Written by `pnpm bench` (packages/bench/src/main.ts). Each cell: median (min-max) over",
    `${runs} runs, each run a fresh process of bundled JavaScript (rows marked unbundled: the packages' built`,
    "JavaScript as Node loads it from node_modules); ratios are to raw fetch + JSON.parse.",
    "Wall time is the whole process (start-up and module loading included). CPU is user + system.",
    "",
    `- Date: ${started.toISOString()}`,
    `- Machine: ${cpus.length} x ${cpus[0]?.model ?? "?"}, ${
      Math.round(Os.totalmem() / 2 ** 30)
    } GiB, ${Os.platform()} ${Os.release()}`,
    `- Node ${process.version}; effect ${version("effect")}, @effect/platform ${
      version("@effect/platform")
    }, @effect/platform-node ${version("@effect/platform-node")}, lago-javascript-client ${
      version("lago-javascript-client")
    }`,
    `- lago-effect at ${gitHead(root)}${baseline === undefined ? "" : `; before = ${gitHead(baseline)}`}${
      patched ? "; (patched) = over effect and platform-node patched (src/PatchedDependencies.ts)" : ""
    }`,
    ""
  ]
  const document = [...header, ...sections].join("\n")
  if (only === undefined) {
    const file = Path.join(root, "RESULTS.md")
    Fs.writeFileSync(
      file,
      ResultsHistory.withHistory(document, Fs.existsSync(file) ? Fs.readFileSync(file, "utf8") : undefined)
    )
  } else Fs.writeFileSync(Path.join(dist, "RESULTS.partial.md"), document)
  process.stdout.write(`\nWritten to ${only === undefined ? "RESULTS.md" : "dist/RESULTS.partial.md"}\n`)
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
