/**
 * Why response bodies outlive their use in an Effect program: 200 pages of 100 customers read
 * sequentially over undici from the benchmark server (in its own process), several ways, each in
 * a fresh process of bundled JavaScript under `--trace-gc-nvp`, reporting the bytes V8's
 * young-generation collections promoted to the old generation. A page's text is a large object
 * (~200 KB): once it survives one scavenge it stays until the next full collection.
 *
 * Measured on Node 20 / effect 3.22 / undici 7: plain promise code promotes ~14 MB, and so does
 * one `Effect.tryPromise` per page that requests and reads inside. When the response crosses
 * into Effect between two asynchronous steps (as every `HttpClient` hands it over: headers
 * first, body second) and the body is read inside the closure the second `Effect.tryPromise`
 * evaluates, about every page's text is promoted, even when the text is parsed inside the
 * promise and never enters Effect; the same read started as a plain promise and awaited with
 * `Effect.promise` does not, nor does a closure holding another large string instead of the
 * body: what is kept is reached through the body. The platform's body effects are such
 * closures. `pnpm bench:bodies` prints the table; nothing is asserted.
 */
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import Undici from "@effect/platform-node/Undici"
import { LagoClient } from "@lago-effect/client"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as BenchServer from "./BenchServer.js"
import { KEY } from "./clients/Client.js"

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
  const agent = new Undici.Agent()
  const origin = new URL(base).origin
  const path = (page: number) => `${new URL(base).pathname}/customers?page=${page}&per_page=${perPage}`
  const request = (page: number) => agent.request({ origin, path: path(page), method: "GET", headers })
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
    "lago-effect findAll": async () => {
      const lago = ManagedRuntime.make(
        LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: base }).pipe(Layer.provide(NodeHttpClient.layerUndici))
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
  }
}

const here = Path.dirname(fileURLToPath(import.meta.url))
const out = Path.resolve(here, "../dist/probes")

/** The probe and the server as plain JavaScript, each one file (esbuild is loaded only here). */
const build = async () =>
  (await import("esbuild")).build({
    ...BenchServer.bundleOptions,
    // The children never build: esbuild stays out of the measured processes' bundle.
    external: ["esbuild"],
    entryPoints: { bodyProbe: Path.join(here, "bodyProbe.ts"), server: Path.join(here, "server.ts") },
    outdir: out
  })

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

const [variant, base] = process.argv.slice(2)
if (variant !== undefined && base !== undefined) {
  const start = performance.now()
  const customers = await variants(base)[variant]()
  process.stdout.write(`RESULT ${JSON.stringify({ customers, wallMs: performance.now() - start })}\n`)
  process.exit(0)
} else {
  await build()
  const server = await BenchServer.start(Path.join(out, "server.mjs"), ["--customers", "20000"])
  const base = `${server.origin}/api/v1`
  process.stdout.write(
    `${pages} pages of ${perPage} customers read sequentially each way, each in a fresh process\n\n` +
      "| way | customers | wall ms | scavenges | promoted MB | mark-compacts |\n|---|---|---|---|---|---|\n"
  )
  for (const name of Object.keys(variants(base))) {
    const child = spawnSync(
      process.execPath,
      ["--trace-gc-nvp", Path.join(out, "bodyProbe.mjs"), name, base],
      { encoding: "utf8", maxBuffer: 64 * 2 ** 20 }
    )
    const result = /RESULT (.*)/.exec(child.stdout)?.[1]
    if (child.status !== 0 || result === undefined) {
      process.stderr.write(child.stderr)
      continue
    }
    const { customers, wallMs } = JSON.parse(result)
    const gc = summarize(child.stdout)
    process.stdout.write(
      `| ${name} | ${customers} | ${Number(wallMs).toFixed(0)} | ${gc.scavenges} | ${
        (gc.promoted / 1e6).toFixed(1)
      } | ${gc.markCompacts} |\n`
    )
  }
  server.process.kill()
}
