/**
 * `pnpm --filter @lago-effect/conformance hostile-bodies`: what an endless body and a gzip bomb
 * cost the client with the default `maxResponseBytes` (32 MiB), per HttpClient: the error,
 * the bytes the server managed to write, and the process RSS before and at its peak.
 * A measurement, not a test: it prints figures and asserts nothing.
 */
import { LagoClient } from "@lago-effect/client"
import { Console, Effect, Layer, Redacted } from "effect"
import type * as Http from "node:http"
import * as Zlib from "node:zlib"
import { httpClients, serve, writeRepeatedly } from "../src/HostileServer.js"

const MiB = 1024 * 1024
const chunk = Buffer.from(`{"x":"${"a".repeat(64 * 1024 - 8)}"},`)

const cases = [
  ["endless chunked body", (response: Http.ServerResponse, count: (n: number) => void) => {
    response.writeHead(200, { "content-type": "application/json" })
    writeRepeatedly(response, chunk, count)
  }],
  ["gzip bomb (1 GiB of zeros, streamed)", (response: Http.ServerResponse, count: (n: number) => void) => {
    response.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
    const gzip = Zlib.createGzip()
    gzip.on("data", (data: Buffer) => count(data.length))
    gzip.pipe(response)
    response.on("close", () => gzip.destroy())
    writeRepeatedly(gzip, Buffer.alloc(MiB), () => {}, 1024 * MiB)
  }]
] as const

const measure = Effect.gen(function*() {
  for (const [caseName, handler] of cases) {
    for (const [clientName, http] of httpClients) {
      global.gc?.()
      const before = process.memoryUsage().rss
      let peak = before
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
      }, 5)
      const server = yield* serve((_, response, count) => handler(response, count))
      const context = yield* Layer.build(http)
      const lago = yield* LagoClient.make({ apiKey: Redacted.make("lago_measure"), baseUrl: server.origin }).pipe(
        Effect.provide(context)
      )
      const start = performance.now()
      const error = yield* Effect.flip(lago.customers.findAll())
      const elapsed = performance.now() - start
      clearInterval(timer)
      peak = Math.max(peak, process.memoryUsage().rss)
      yield* Console.log(
        `${caseName.padEnd(38)} ${clientName.padEnd(7)} ${error._tag.padEnd(26)} requests ${server.requests.length}` +
          `  server wrote ${(server.written.bytes / MiB).toFixed(1)} MiB  RSS ${(before / MiB).toFixed(0)} -> peak ${
            (peak / MiB).toFixed(0)
          } MiB (+${((peak - before) / MiB).toFixed(0)})  ${elapsed.toFixed(0)} ms`
      )
    }
  }
}).pipe(Effect.scoped)

Effect.runPromise(measure)
