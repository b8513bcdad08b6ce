/**
 * The `lago-effect` binary as a person meets it: a separate process (the CLI bundled from
 * source), a fake Lago started with `lago-effect fake`, signals, pipes and a real terminal
 * (tmux).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as esbuild from "esbuild"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { parseCsv } from "./helpers.js"

const work = Fs.mkdtempSync(Path.join(Os.tmpdir(), "lago-effect-bin-"))
const bin = Path.join(work, "lago-effect.mjs")
let fake: ChildProcess | undefined
let env: Record<string, string> = {}

interface Ran {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Starts `lago-effect <args>`; `ran` settles when it exits. */
const start = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly stdin?: string } = {}
) => {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env, ...options.env },
    stdio: ["pipe", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
  child.stdin.end(options.stdin ?? "")
  const ran = new Promise<Ran>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }))
  )
  return { child, ran, output: () => ({ stdout, stderr }) }
}

const lagoEffect = (
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly stdin?: string } = {}
) => Effect.promise(() => start(args, options).ran)

/** Polls `check` every 50 ms until it holds (the test's time-out bounds the wait). */
const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 50))
}

beforeAll(async () => {
  await esbuild.build({
    entryPoints: [Path.join(import.meta.dirname, "../src/bin/lago-effect.ts")],
    outfile: bin,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["source"],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: "warning"
  })
  const started = start(["fake", "--customers", "5000", "--latency", "20"])
  fake = started.child
  await until(() => started.output().stdout.includes("export LAGO_API_KEY="))
  const text = started.output().stdout
  env = {
    LAGO_API_URL: /export LAGO_API_URL=(\S+)/.exec(text)?.[1] ?? "",
    LAGO_API_KEY: /export LAGO_API_KEY=(\S+)/.exec(text)?.[1] ?? ""
  }
}, 120_000)

afterAll(() => {
  fake?.kill("SIGINT")
  Fs.rmSync(work, { recursive: true, force: true })
})

const commands = [
  [[], "Lago's customers API from the shell"],
  [["customers"], "Lago's customers API."],
  [["customers", "export"], "formula"],
  [["customers", "get"], "Print one customer"],
  [["customers", "upsert"], "or - for standard input"],
  [["customers", "delete"], "soft-deleted"],
  [["customers", "usage"], "current billing period"],
  [["customers", "projected-usage"], "projected"],
  [["customers", "past-usage"], "past billing periods"],
  [["customers", "portal-url"], "portal"],
  [["customers", "checkout-url"], "checkout session"],
  [["customers", "applied-coupons"], "applied to the customer"],
  [["customers", "delete-coupon"], "APPLIED_COUPON_ID"],
  [["fake"], "until Ctrl-C"]
] as const

describe("the lago-effect binary", () => {
  it.live("--help works on every command", () =>
    Effect.gen(function*() {
      const all = yield* Effect.forEach(commands, ([path]) => lagoEffect([...path, "--help"]), { concurrency: 4 })
      all.forEach((ran, i) => {
        const [path, text] = commands[i]
        expect(ran.code, path.join(" ")).toBe(0)
        expect(ran.stdout, path.join(" ")).toContain(text)
      })
    }), 120_000)

  it.live("--version prints the package's version; --completions prints a shell script", () =>
    Effect.gen(function*() {
      const { version } = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
      const ran = yield* lagoEffect(["--version"])
      expect(ran.stdout.trim()).toBe(version)
      const bash = yield* lagoEffect(["--completions", "bash"])
      expect(bash.code).toBe(0)
      expect(bash.stdout).toContain("complete")
      expect(bash.stdout).toContain("lago-effect")
    }), 60_000)

  it.live(
    "exports 5,000 customers from `lago-effect fake` to CSV, with progress lines when stderr is a pipe",
    () =>
      Effect.gen(function*() {
        const out = Path.join(work, "customers.csv")
        const ran = yield* lagoEffect([
          "customers",
          "export",
          "--format",
          "csv",
          "--out",
          out,
          "--per-page",
          "25",
          "--concurrency",
          "1"
        ])
        expect(ran.code).toBe(0)
        expect(parseCsv(Fs.readFileSync(out, "utf8"))).toHaveLength(5001)
        // 200 pages of at least 20 ms: over 4 s, so at least one progress line (every 2 s).
        expect(ran.stderr).toMatch(/^exported [\d,]+ of 5,000 customers \(\d+\.\d%\), \d+ pages, /m)
        expect(ran.stderr).toMatch(
          /Exported 5,000 customers to .*customers\.csv\n {2}customers 5,000\n {2}pages {5}200\n/
        )
        expect(ran.stderr).not.toContain("\r")
      }),
    120_000
  )

  it.live("upsert reads standard input (--file -)", () =>
    Effect.gen(function*() {
      const ran = yield* lagoEffect(["customers", "upsert", "--file", "-"], {
        stdin: JSON.stringify({ customer: { external_id: "from-stdin", name: "Piped" } })
      })
      expect(ran.code).toBe(0)
      expect(JSON.parse(ran.stdout)).toMatchObject({ external_id: "from-stdin", name: "Piped" })
      const bad = yield* lagoEffect(["customers", "upsert", "--file", "-"], { stdin: "not json" })
      expect(bad.code).toBe(5)
      expect(bad.stderr).toMatch(/^lago-effect: standard input: not JSON/)
      // The fake is shared: leave it with the customers it started with.
      expect((yield* lagoEffect(["customers", "delete", "from-stdin"])).code).toBe(0)
    }), 60_000)

  it.live("Ctrl-C during an export: exit 130, no file, no temporary file", () =>
    Effect.promise(async () => {
      const dir = Fs.mkdtempSync(Path.join(work, "interrupt-"))
      const running = start([
        "customers",
        "export",
        "--out",
        Path.join(dir, "out.ndjson"),
        "--per-page",
        "10",
        "--concurrency",
        "1"
      ])
      // Wait until the export is under way: its temporary file exists and has customers in it.
      await until(() => Fs.readdirSync(dir).some((file) => Fs.statSync(Path.join(dir, file)).size > 10_000))
      running.child.kill("SIGINT")
      const ran = await running.ran
      expect(ran.code).toBe(130)
      expect(Fs.readdirSync(dir)).toEqual([])
      expect(ran.stderr).not.toMatch(/\n\s+at /)
    }), 120_000)

  it.live(
    "a reader that closes the pipe early (| head) stops the export with one line, not a crash",
    () =>
      Effect.promise(async () => {
        const running = start(["customers", "export", "--per-page", "50", "--concurrency", "1", "--progress", "none"])
        await until(() => running.output().stdout.length > 0)
        running.child.stdout.destroy()
        const ran = await running.ran
        expect(ran.code).toBe(9)
        expect(ran.stderr).toMatch(/^lago-effect: stdout: .*EPIPE/)
        expect(ran.stderr).not.toContain("Unhandled")
      }),
    60_000
  )

  it.live("a failure prints one line, no stack trace, and its exit code", () =>
    Effect.gen(function*() {
      const missing = yield* lagoEffect(["customers", "get", "nobody"])
      expect(missing.code).toBe(4)
      expect(missing.stderr.trim().split("\n")).toHaveLength(1)
      const refused = yield* lagoEffect(["customers", "get", "nobody", "--retries", "0"], {
        env: { LAGO_API_URL: "http://127.0.0.1:9/api/v1" }
      })
      expect(refused.code).toBe(8)
      expect(refused.stderr).toMatch(/^lago-effect: Lago findCustomer: .*ECONNREFUSED.*check LAGO_API_URL/)
      const usage = yield* lagoEffect(["customers", "gett"])
      expect(usage.code).toBe(2)
    }), 60_000)

  it.live(
    "--log-level debug logs the retries on standard error: the export on standard output stays NDJSON",
    () =>
      Effect.gen(function*() {
        // A fake of its own that fails half its answers (seeded: the same faults every run).
        const faulty = start(["fake", "--customers", "300", "--faults", "0.5", "--seed", "7"])
        try {
          yield* Effect.promise(() => until(() => faulty.output().stdout.includes("export LAGO_API_KEY=")))
          const text = faulty.output().stdout
          const ran = yield* lagoEffect(["--log-level", "debug", "customers", "export", "--per-page", "50"], {
            env: {
              LAGO_API_URL: /export LAGO_API_URL=(\S+)/.exec(text)?.[1] ?? "",
              LAGO_API_KEY: /export LAGO_API_KEY=(\S+)/.exec(text)?.[1] ?? ""
            }
          })
          expect(ran.code, ran.stderr).toBe(0)
          const lines = ran.stdout.split("\n").filter((line) => line !== "")
          expect(lines).toHaveLength(300)
          for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow()
          expect(ran.stderr).toContain("Lago call failed, retrying")
        } finally {
          faulty.child.kill("SIGINT")
        }
      }),
    60_000
  )
})

const tmux = (...args: ReadonlyArray<string>) => execFileSync("tmux", args, { encoding: "utf8" })

describe("the progress bar in a real terminal (tmux)", () => {
  it.live(
    "is redrawn in place while the export runs, then ends at 100% above the summary",
    () =>
      Effect.promise(async () => {
        const session = `lago-effect-${process.pid}`
        const out = Path.join(work, "tty.ndjson")
        tmux("new-session", "-d", "-s", session, "-x", "110", "-y", "30", "sh")
        try {
          const vars = Object.entries(env).map(([key, value]) => `${key}=${value}`).join(" ")
          tmux(
            "send-keys",
            "-t",
            session,
            `${vars} ${process.execPath} ${bin} customers export --out ${out} --per-page 50 --concurrency 1; echo "EXIT=$?"`,
            "Enter"
          )
          const screens: Array<string> = []
          await until(() => {
            const screen = tmux("capture-pane", "-p", "-t", session)
            screens.push(screen)
            return /EXIT=\d+/.test(screen)
          })
          const bars = screens.flatMap((screen) => screen.split("\n").filter((line) => /^\[[█░]+\] /.test(line)))
          // Seen mid-way: a partly filled bar with its figures.
          const midway = /^\[█*░+\] [\d,]+\/[\d,]+ {2}\d+\.\d% {2}[\d,]+\/s {2}ETA .+ {2}\d+ retr/
          expect(bars.filter((line) => midway.test(line)), screens.join("\n----\n")).not.toEqual([])
          const last = screens.at(-1) ?? ""
          expect(last).toMatch(/EXIT=0/)
          const lines = last.split("\n")
          const barLines = lines.filter((line) => /^\[[█░]+\] /.test(line))
          // Redrawn in place: one bar line on the final screen, full.
          expect(barLines).toHaveLength(1)
          const [, done, total] = /^\[█+\] ([\d,]+)\/([\d,]+) {2}100\.0% /.exec(barLines[0]) ?? []
          expect(done).toBe(total)
          const index = lines.indexOf(barLines[0])
          expect(lines[index + 1]).toBe(`Exported ${done} customers to ${out}`)
          expect(lines.slice(index + 2, index + 6).map((line) => line.trim().split(/\s+/)[0])).toEqual([
            "customers",
            "pages",
            "retries",
            "elapsed"
          ])
        } finally {
          tmux("kill-session", "-t", session)
        }
      }),
    120_000
  )
})
