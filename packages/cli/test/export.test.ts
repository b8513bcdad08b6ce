import { FileSystem } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Csv, ExitCode } from "@lago-effect/cli"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, Fiber, TestClock } from "effect"
import { cli, fakeLayer, parseCsv } from "./helpers.js"

const { ExitCode: Code } = ExitCode

const inject = (rule: Fault.Rule) => Effect.flatMap(LagoFake.LagoFake, (fake) => fake.inject(rule))
const pageOf = (request: Fault.RequestInfo) => Number(request.query.find(([key]) => key === "page")?.[1] ?? "1")

/** Every page but the first waits `millis` (test clock): time to act between pages. */
const slowPages = (millis: number) =>
  inject({ fault: Fault.latency(`${millis} millis`), route: "findAllCustomers", when: (r) => pageOf(r) > 1 })

const tempDir = Effect.flatMap(FileSystem.FileSystem, (fs) => fs.makeTempDirectoryScoped())
const listDir = (dir: string) => Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readDirectory(dir))
const read = (path: string) => Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFileString(path))

describe("lago-effect customers export", () => {
  it.effect("NDJSON on standard output: one customer per line, every one once; the summary on standard error", () =>
    Effect.gen(function*() {
      const ran = yield* cli(["customers", "export", "--per-page", "100"])
      expect(ran.code).toBe(Code.ok)
      const lines = ran.stdout.split("\n")
      expect(lines.pop()).toBe("")
      const ids = lines.map((line) => JSON.parse(line).external_id)
      expect(ids).toHaveLength(1234)
      expect(new Set(ids).size).toBe(1234)
      expect(ran.stderr).toMatch(
        /^Exported 1,234 customers to stdout\n {2}customers 1,234\n {2}pages {5}13\n {2}retries {3}0\n {2}elapsed /
      )
    }).pipe(Effect.provide(fakeLayer({ customers: 1234 }))))

  it.scoped("CSV to a file: the header, one RFC 4180 record per customer, nothing on standard output", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const ran = yield* cli(["customers", "export", "--format", "csv", "--out", `${dir}/customers.csv`])
      expect(ran.code).toBe(Code.ok)
      expect(ran.stdout).toBe("")
      const records = parseCsv(yield* read(`${dir}/customers.csv`))
      expect(records[0]).toEqual(Csv.columns.map((column) => column.name))
      expect(records).toHaveLength(501)
      expect(records.every((record) => record.length === Csv.columns.length)).toBe(true)
      expect(yield* listDir(dir)).toEqual(["customers.csv"])
    }).pipe(Effect.provide(fakeLayer({ customers: 500 }))))

  it.scoped("JSON: one array, also when there is no customer", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      expect((yield* cli(["customers", "export", "--format", "json", "--out", `${dir}/all.json`])).code).toBe(Code.ok)
      const all = JSON.parse(yield* read(`${dir}/all.json`))
      expect(all).toHaveLength(321)
      const empty = yield* cli(["customers", "export", "--format", "json", "--search-term", "nobody-matches-this"])
      expect(JSON.parse(empty.stdout)).toEqual([])
    }).pipe(Effect.provide(fakeLayer({ customers: 321 }))))

  it.effect("filters reach Lago: --country, --currency, --metadata", () =>
    Effect.gen(function*() {
      const ran = yield* cli(["customers", "export", "--country", "FR", "--country", "DE", "--currency", "EUR"])
      const ids = ran.stdout.trim().split("\n").map((line) => JSON.parse(line).external_id).sort()
      expect(ids).toEqual(["a", "c"])
      const tagged = yield* cli(["customers", "export", "--metadata", "tier=gold"])
      expect(tagged.stdout.trim().split("\n").map((line) => JSON.parse(line).external_id)).toEqual(["d"])
    }).pipe(Effect.provide(fakeLayer({
      customers: [
        Builders.customerInput({ external_id: "a", country: "FR", currency: "EUR" }),
        Builders.customerInput({ external_id: "b", country: "US", currency: "EUR" }),
        Builders.customerInput({ external_id: "c", country: "DE", currency: "EUR" }),
        Builders.customerInput({
          external_id: "d",
          country: "DE",
          currency: "USD",
          metadata: [{ key: "tier", value: "gold", display_in_invoice: false }]
        })
      ]
    }))))

  it.scoped(
    "customers created during the export repeat some (Lago's offset pages); --dedupe writes each once",
    () =>
      Effect.gen(function*() {
        const exportWhileCreating = (flags: ReadonlyArray<string>) =>
          Effect.gen(function*() {
            const fake = yield* LagoFake.LagoFake
            yield* fake.clearFaults
            yield* slowPages(1_000)
            const fiber = yield* Effect.fork(
              cli(["customers", "export", "--per-page", "10", "--concurrency", "1", ...flags])
            )
            yield* TestClock.adjust("500 millis")
            // Page 1 is read; five new customers push five of its customers onto page 2.
            for (let i = 0; i < 5; i++) {
              yield* Effect.orDie(
                fake.store.upsert(Builders.customerInput({ external_id: `new_${flags.length}_${i}` }))
              )
            }
            yield* TestClock.adjust("10 seconds")
            const ran = yield* Fiber.join(fiber)
            return ran.stdout.trim().split("\n").map((line) => JSON.parse(line).lago_id)
          })
        const plain = yield* exportWhileCreating([])
        expect(plain).toHaveLength(35)
        expect(new Set(plain).size).toBe(30)
        const deduped = yield* exportWhileCreating(["--dedupe"])
        expect(new Set(deduped).size).toBe(deduped.length)
        expect(deduped.length).toBeGreaterThanOrEqual(30)
      }).pipe(Effect.provide(fakeLayer({ customers: 30 })))
  )

  it.scoped("a failed export leaves no file, and an existing one untouched (exit 7)", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const fs = yield* FileSystem.FileSystem
      yield* fs.writeFileString(`${dir}/customers.csv`, "yesterday's export\r\n")
      yield* inject({ fault: Fault.status(500), route: "findAllCustomers", when: (r) => pageOf(r) === 3 })
      const ran = yield* cli([
        "customers",
        "export",
        "--format",
        "csv",
        "--per-page",
        "10",
        "--concurrency",
        "1",
        "--retries",
        "0",
        "--out",
        `${dir}/customers.csv`
      ])
      expect(ran.code).toBe(Code.server)
      expect(ran.stderr).toMatch(/^lago-effect: Lago findAllCustomers: .*HTTP 500/m)
      expect(yield* listDir(dir)).toEqual(["customers.csv"])
      expect(yield* read(`${dir}/customers.csv`)).toBe("yesterday's export\r\n")
    }).pipe(Effect.provide(fakeLayer({ customers: 100 }))))

  it.scoped("an interrupted export (Ctrl-C) leaves no file and no temporary file", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      yield* slowPages(1_000)
      const fiber = yield* Effect.fork(
        cli(["customers", "export", "--per-page", "10", "--concurrency", "1", "--out", `${dir}/out.ndjson`])
      )
      yield* TestClock.adjust("3500 millis")
      const partial = yield* listDir(dir)
      expect(partial).toHaveLength(1)
      expect(partial[0]).toMatch(/^\.out\.ndjson\.[\w-]+\.partial$/)
      expect((yield* read(`${dir}/${partial[0]}`)).split("\n").length).toBeGreaterThan(10)
      yield* Fiber.interrupt(fiber)
      expect(yield* listDir(dir)).toEqual([])
    }).pipe(Effect.provide(fakeLayer({ customers: 100 }))))

  it.scoped("a folder that does not exist is a file error (exit 9)", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const ran = yield* cli(["customers", "export", "--out", `${dir}/missing/out.ndjson`])
      expect(ran.code).toBe(Code.file)
      expect(ran.stderr).toMatch(/^lago-effect: .*missing\/out\.ndjson: /)
    }).pipe(Effect.provide(fakeLayer({ customers: 10 }))))

  it.effect("without a terminal: a progress line every 2 s (count, total, rate, ETA, retries), then the summary", () =>
    Effect.gen(function*() {
      yield* slowPages(1_000)
      yield* inject({ fault: Fault.unavailable(), route: "findAllCustomers", when: (r) => pageOf(r) === 4, times: 1 })
      const fiber = yield* Effect.fork(cli(["customers", "export", "--per-page", "100", "--concurrency", "1"]))
      yield* TestClock.adjust("30 seconds")
      const ran = yield* Fiber.join(fiber)
      expect(ran.code).toBe(Code.ok)
      const lines = ran.stderr.split("\n")
      const progress = lines.filter((line) => line.startsWith("exported "))
      expect(progress.length).toBeGreaterThanOrEqual(4)
      expect(progress[0]).toMatch(
        /^exported [\d,]+ of 1,000 customers \(\d+\.\d%\), \d+ pages, [\d,]+\/s, ETA [^,]+, \d+ retr/
      )
      const counts = progress.map((line) => Number(/^exported ([\d,]+)/.exec(line)?.[1].replace(/,/g, "")))
      expect(counts).toEqual([...counts].sort((a, b) => a - b))
      expect(progress.at(-1)).toContain("1 retry")
      expect(ran.stderr).toMatch(
        /Exported 1,000 customers to stdout\n {2}customers 1,000\n {2}pages {5}10\n {2}retries {3}1\n/
      )
      expect(ran.stderr).not.toContain("\r")
    }).pipe(Effect.provide(fakeLayer({ customers: 1000 }))))

  it.effect("on a terminal: a bar redrawn in place, ending at 100%, then the summary on its own line", () =>
    Effect.gen(function*() {
      yield* slowPages(300)
      const fiber = yield* Effect.fork(
        cli(["customers", "export", "--per-page", "100", "--concurrency", "1"], { tty: true })
      )
      yield* TestClock.adjust("10 seconds")
      const ran = yield* Fiber.join(fiber)
      const frames = ran.stderr.split("\r\x1b[2K").filter((frame) => frame !== "")
      expect(frames.length).toBeGreaterThan(10)
      expect(frames[0]).toMatch(/^\[[█░]+\] [\d,]+\/1,000 {2}\d+\.\d% {2}[\d,]+\/s {2}ETA .+ {2}\d+ retries$/)
      expect(frames.every((frame) => frame.split("\n")[0].length <= 100)).toBe(true)
      const last = frames.at(-1) ?? ""
      expect(last).toMatch(/^\[█+\] 1,000\/1,000 {2}100\.0% .*\nExported 1,000 customers to stdout\n/)
    }).pipe(Effect.provide(fakeLayer({ customers: 1000 }))))
})
