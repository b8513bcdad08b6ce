/**
 * Why response bodies outlive their use in an Effect program, in two tables.
 *
 * Over the network: 200 pages of 100 customers read sequentially over undici from the benchmark
 * server (in its own process), several ways, each in a fresh process of bundled JavaScript under
 * `--trace-gc-nvp`, reporting the bytes V8's young-generation collections promoted to the old
 * generation. A page's text is a large object (~200 KB): once it survives one scavenge it stays
 * until the next full collection. Plain promise code promotes ~14 MB; with the response crossing
 * into Effect and its body read in the next asynchronous step, ~44 MB (about every text).
 *
 * Without a network (`StreamRetention`): a Node stream per page read into one string, collections
 * forced every 5 pages, bytes promoted per page. It isolates the cause: a text survives when,
 * while it is read, its stream is reachable from a closure that effect's own code built: through
 * an `Effect.async` register or an `Effect.tryPromise` thunk (the runtime calls them through an
 * arrow capturing them), or through a continuation inside `Effect.uninterruptible` (kept as
 * `() => self`). The same reference held by promise code, a user continuation or a box emptied
 * when the read ends costs nothing.
 *
 * Both tables run again over copies of effect and `@effect/platform-node` patched
 * (`PatchedDependencies`): effect's closures changed, platform-node's undici text read without
 * `Effect.cached` (which keeps texts even with effect patched; the in-process `Effect.cached` row
 * stays high as it uses effect's own). The last rows run this client over its own transports,
 * `LagoHttpClient`, which avoid those closures with effect and the platform as installed.
 * `pnpm bench:bodies` prints the tables; nothing is asserted.
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import Undici from "@effect/platform-node/Undici"
import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as BenchServer from "./BenchServer.js"
import { KEY } from "./clients/Client.js"
import * as Probe from "./Probe.js"
import * as StreamRetention from "./StreamRetention.js"

const pages = 200
const perPage = 100
const pageNumbers = Array.from({ length: pages }, (_, i) => i + 1)
const headers = { authorization: `Bearer ${KEY}`, accept: "application/json" }

/** Customers in a page's JSON text. */
const count = (text: string): number => {
  const parsed: unknown = JSON.parse(text)
  const customers = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "customers") : undefined
  return Array.isArray(customers) ? customers.length : 0
}

const variants = (base: string): Record<string, () => Promise<number>> => {
  // Made on the first request: the parent lists the variants' names and sends none.
  let agent: Undici.Agent | undefined
  const origin = new URL(base).origin
  const path = (page: number) => `${new URL(base).pathname}/customers?page=${page}&per_page=${perPage}`
  const request = (page: number) =>
    (agent ??= new Undici.Agent()).request({ origin, path: path(page), method: "GET", headers })
  const sequentially = (step: (page: number) => Effect.Effect<number, unknown>) =>
    Effect.runPromise(
      Effect.reduce(
        pageNumbers,
        0,
        (n, page) => Effect.map(step(page), (customers) => n + customers)
      )
    )
  return {
    "promises: request, then read the body": async () => {
      let n = 0
      for (let page = 1; page <= pages; page++) n += count(await (await request(page)).body.text())
      return n
    },
    "one Effect.tryPromise per page (request and body inside)": () =>
      sequentially((page) =>
        Effect.tryPromise(() => request(page).then((response) => response.body.text()).then(count))
      ),
    "two steps: the response crosses into Effect, then its text": () =>
      sequentially((page) =>
        Effect.flatMap(
          Effect.tryPromise(() => request(page)),
          (response) => Effect.map(Effect.tryPromise(() => response.body.text()), count)
        )
      ),
    "two steps, the text parsed inside the promise": () =>
      sequentially((page) =>
        Effect.flatMap(
          Effect.tryPromise(() => request(page)),
          (response) => Effect.tryPromise(() => response.body.text().then(count))
        )
      ),
    "two steps, the read started as a plain promise and awaited": () =>
      sequentially((page) =>
        Effect.flatMap(Effect.tryPromise(() => request(page)), (response) => {
          const pending = response.body.text().then(count)
          return Effect.promise(() => pending)
        })
      ),
    "two steps, read as a plain promise; the closure holds a fresh 400 KB string": () =>
      sequentially((page) =>
        Effect.flatMap(Effect.tryPromise(() => request(page)), (response) => {
          const pending = response.body.text().then(count)
          const large = `${"y".repeat(1_000)}${page}`.repeat(400)
          return Effect.tryPromise(() => pending.then((customers) => customers + large.length * 0))
        })
      ),
    "@effect/platform HttpClient (undici), response.text": () =>
      Effect.runPromise(
        Effect.flatMap(HttpClient.HttpClient, (client) =>
          Effect.reduce(
            pageNumbers,
            0,
            (n, page) =>
              Effect.scoped(Effect.flatMap(
                client.get(`${base}/customers?page=${page}&per_page=${perPage}`, { headers }),
                (response) => Effect.map(response.text, (text) => n + count(text))
              ))
          )).pipe(Effect.provide(NodeHttpClient.layerUndici))
      ),
    "lago-effect findAll": () => findAll(base, NodeHttpClient.layerUndici),
    "lago-effect findAll over LagoHttpClient.layer (fetch)": () => findAll(base, LagoHttpClient.layer),
    "lago-effect findAll over LagoHttpClient.layerUndici": () => findAll(base, LagoHttpClient.layerUndici)
  }
}

/** This client's findAll over every page, sequentially, over `transport`. */
const findAll = async (base: string, transport: Layer.Layer<HttpClient.HttpClient>) => {
  const lago = ManagedRuntime.make(
    LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: base }).pipe(Layer.provide(transport))
  )
  const n = await lago.runPromise(
    Effect.flatMap(LagoClient.LagoClient, (client) =>
      Effect.reduce(
        pageNumbers,
        0,
        (n, page) =>
          Effect.map(client.customers.findAll({ page, per_page: perPage }), (result) => n + result.customers.length)
      ))
  )
  await lago.dispose()
  return n
}

const here = Path.dirname(fileURLToPath(import.meta.url))
const out = Path.resolve(here, "../dist/probes")

/** Bytes promoted by scavenges, scavenges and mark-compacts, from `--trace-gc-nvp` lines. */
const summarize = (trace: string) => {
  let promoted = 0
  let scavenges = 0
  let markCompacts = 0
  for (const line of trace.split("\n")) {
    if (line.includes("gc=s ")) {
      scavenges++
      promoted += Number(/ promoted=(\d+)/.exec(line)?.[1] ?? 0)
    } else if (line.includes("gc=mc ")) {
      markCompacts++
    }
  }
  return { promoted, scavenges, markCompacts }
}

/** Runs the probe bundled in `bundle` as a child; its `RESULT` value and its whole output. */
const child = (bundle: string, flags: ReadonlyArray<string>, args: ReadonlyArray<string>) =>
  Probe.run(Path.join(bundle, "bodyProbe.mjs"), flags, args)

const [mode, variant, base] = process.argv.slice(2)
if (mode === "net" && variant !== undefined && base !== undefined) {
  const start = performance.now()
  const customers = await variants(base)[variant]()
  process.stdout.write(`RESULT ${JSON.stringify({ customers, wallMs: performance.now() - start })}\n`)
  process.exit(0)
} else if (mode === "local" && variant !== undefined) {
  process.stdout.write(`RESULT ${JSON.stringify({ promotedPerPage: await StreamRetention.measure(variant) })}\n`)
  process.exit(0)
} else {
  const built = await Probe.build({ bodyProbe: Path.join(here, "bodyProbe.ts") }, out, {
    server: Path.join(here, "server.ts")
  })
  const patched = built.patched !== undefined
  const bundles = built.patched === undefined ? [built.installed] : [built.installed, built.patched]
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1)
  const server = await BenchServer.start(Path.join(out, "server.mjs"), ["--customers", "20000"])
  const base = `${server.origin}/api/v1`
  process.stdout.write(
    `${pages} pages of ${perPage} customers read sequentially each way, each in a fresh process\n\n` +
      "| way | customers | wall ms | scavenges | promoted MB | mark-compacts |" +
      (patched ? " promoted MB, patched |" : "") +
      `\n|---|---|---|---|---|---|${patched ? "---|" : ""}\n`
  )
  for (const name of Object.keys(variants(base))) {
    const [installed, withFix] = bundles.map((bundle) => child(bundle, ["--trace-gc-nvp"], ["net", name, base]))
    if (installed === undefined) continue
    const gc = summarize(installed.output)
    const fix = withFix === undefined ? "-" : megabytes(summarize(withFix.output).promoted)
    process.stdout.write(
      `| ${name} | ${installed.result.customers} | ${Number(installed.result.wallMs).toFixed(0)} | ${gc.scavenges} | ${
        megabytes(gc.promoted)
      } | ${gc.markCompacts} |${patched ? ` ${fix} |` : ""}\n`
    )
  }
  server.process.kill()
  process.stdout.write(
    "\nNo network: a Node stream per page, read by listeners into one string; KB promoted per page by " +
      "young-generation collections forced every 5 pages\n\n" +
      `| way | KB per page |${patched ? " KB per page, patched |" : ""}\n|---|---|${patched ? "---|" : ""}\n`
  )
  for (const name of Object.keys(StreamRetention.variants)) {
    const [installed, withFix] = bundles.map((bundle) => child(bundle, ["--expose-gc"], ["local", name]))
    const kilobytes = (run: typeof installed) =>
      run === undefined ? "-" : (Number(run.result.promotedPerPage) / 1e3).toFixed(1)
    process.stdout.write(`| ${name} | ${kilobytes(installed)} |${patched ? ` ${kilobytes(withFix)} |` : ""}\n`)
  }
}
