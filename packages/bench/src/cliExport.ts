/**
 * `pnpm bench:cli`: `lago-effect customers export` of 200,000 populated customers from the
 * benchmark's Lago-shaped server (its own process), the CLI bundled to plain JavaScript and
 * run as a user runs it, its resident memory sampled from /proc every 50 ms: wall time, peak
 * RSS, and how much the peak of the last half exceeds the peak of the first quarter (about 0
 * when memory is flat). Prints a table and writes `CLI-EXPORT.md`; asserts nothing.
 *
 *   BENCH_RUNS=3 BENCH_CUSTOMERS=200000 pnpm --filter @lago-effect/bench bench:cli
 */
import * as esbuild from "esbuild"
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as BenchServer from "./BenchServer.js"

const root = Path.resolve(import.meta.dirname, "..")
const dist = Path.join(root, "dist", "cli")
const runs = Number(process.env.BENCH_RUNS ?? 3)
const customers = Number(process.env.BENCH_CUSTOMERS ?? 200_000)

const build = () =>
  esbuild.build({
    ...BenchServer.bundleOptions,
    entryPoints: {
      "lago-effect": Path.join(root, "../cli/src/bin/lago-effect.ts"),
      server: Path.join(root, "src/server.ts")
    },
    outdir: dist
  })

const startServer = () => BenchServer.start(Path.join(dist, "server.mjs"), ["--customers", String(customers)])

/** Resident memory of a process, from /proc (Linux), in bytes; 0 once it is gone. */
const rssOf = (pid: number) => {
  try {
    const status = Fs.readFileSync(`/proc/${pid}/status`, "utf8")
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024
  } catch {
    return 0
  }
}

interface Measured {
  readonly wallMs: number
  readonly peakRssMiB: number
  readonly growthMiB: number
  readonly lines: number
  readonly bytes: number
  readonly code: number | null
}

const exportOnce = (url: string, format: string, concurrency: string, nodeFlags: ReadonlyArray<string>, out: string) =>
  new Promise<Measured>((resolve) => {
    const start = performance.now()
    const child = spawn(
      process.execPath,
      [
        ...nodeFlags,
        Path.join(dist, "lago-effect.mjs"),
        "customers",
        "export",
        "--format",
        format,
        "--concurrency",
        concurrency,
        "--out",
        out,
        "--progress",
        "none"
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LAGO_API_URL: url, LAGO_API_KEY: "bench_key" } }
    )
    const samples: Array<readonly [number, number]> = []
    const sampler = setInterval(() => {
      const rss = rssOf(child.pid ?? 0)
      if (rss > 0) samples.push([performance.now(), rss])
    }, 50)
    child.on("close", (code) => {
      clearInterval(sampler)
      const end = performance.now()
      const peak = (from: number, to: number) =>
        Math.max(0, ...samples.filter(([t]) => t >= from && t <= to).map(([, rss]) => rss))
      const span = end - start
      const text = Fs.readFileSync(out, "utf8")
      resolve({
        wallMs: end - start,
        peakRssMiB: peak(start, end) / 2 ** 20,
        growthMiB: (peak(start + span / 2, end) - peak(start, start + span / 4)) / 2 ** 20,
        lines: text.split("\n").length - 1,
        bytes: Buffer.byteLength(text),
        code
      })
    })
  })

const median = (values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

const main = async () => {
  await build()
  const server = await startServer()
  const work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "lago-effect-bench-cli-"))
  const rows: Array<string> = []
  try {
    const rowsToRun: ReadonlyArray<readonly [format: string, concurrency: string, nodeFlags: ReadonlyArray<string>]> = [
      ["ndjson", "auto", []],
      ["csv", "auto", []],
      ["csv", "1", []],
      ["ndjson", "8", []],
      // A smaller old space makes V8 collect sooner: less memory for a little more CPU.
      ["ndjson", "auto", ["--max-old-space-size=128"]]
    ]
    for (const [format, concurrency, nodeFlags] of rowsToRun) {
      const all: Array<Measured> = []
      for (let i = 0; i < runs; i++) {
        const measured = await exportOnce(
          `${server.origin}/api/v1`,
          format,
          concurrency,
          nodeFlags,
          Path.join(work, `out.${format}`)
        )
        if (measured.code !== 0) throw new Error(`the export exited with ${measured.code}`)
        all.push(measured)
      }
      const f = (pick: (m: Measured) => number, digits = 0) =>
        `${median(all.map(pick)).toFixed(digits)} (${Math.min(...all.map(pick)).toFixed(digits)}-${
          Math.max(...all.map(pick)).toFixed(digits)
        })`
      const row = `| ${format} | ${concurrency} | ${nodeFlags.join(" ")} | ${f((m) => m.wallMs / 1000, 2)} s | ${
        f((m) => m.peakRssMiB)
      } MiB | ${f((m) => m.growthMiB, 1)} MiB | ${(median(all.map((m) => m.bytes)) / 2 ** 20).toFixed(0)} MiB, ${
        median(all.map((m) => m.lines)).toLocaleString("en-US")
      } lines |`
      rows.push(row)
      console.log(row)
    }
  } finally {
    server.process.kill()
    Fs.rmSync(work, { recursive: true, force: true })
  }
  const report = [
    `# lago-effect customers export: ${customers.toLocaleString("en-US")} customers`,
    "",
    `${Os.cpus().length} cores (${
      Os.cpus()[0]?.model ?? "?"
    }), Node ${process.version}, ${runs} runs per row (median (min-max)).`,
    "The CLI bundled to plain JavaScript, run as a process against the benchmark's Lago-shaped server (its own",
    "process, populated customers, no latency); RSS sampled from /proc every 50 ms. Growth: the peak RSS of the last",
    "half of a run minus the peak of its first quarter (about 0 when memory is flat).",
    "",
    "| format | concurrency | node flags | wall | peak RSS | RSS growth | output |",
    "|---|---|---|---|---|---|---|",
    ...rows,
    ""
  ].join("\n")
  if (customers === 200_000) Fs.writeFileSync(Path.join(root, "CLI-EXPORT.md"), report)
  console.log(`\n${report}`)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
