/**
 * Bounded bodies, over real sockets with both HttpClients: a body is read up to
 * `maxResponseBytes` (decompressed bytes when the transport decompresses), then the attempt
 * stops, the connection is released and the call fails at once with LagoResponseTooLargeError,
 * never retried. What the server managed to write shows how far the client read. A body that
 * never stops arriving, slowly enough to stay under the limit for hours, is bounded by time:
 * the attempt's time-out covers reading the body, not only waiting for the headers.
 */
import type { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { type Duration, Effect, Layer, Redacted, Schedule } from "effect"
import * as Net from "node:net"
import * as Zlib from "node:zlib"
import { httpClients, serve, writeRepeatedly } from "../src/HostileServer.js"

const MiB = 1024 * 1024
const limit = MiB

const makeClient = (
  baseUrl: string,
  http: Layer.Layer<HttpClient.HttpClient>,
  maxResponseBytes = limit,
  timeout?: Duration.DurationInput
) =>
  Effect.flatMap(Layer.build(http), (context) =>
    LagoClient.make({
      apiKey: Redacted.make("lago_body_key"),
      baseUrl,
      maxResponseBytes,
      timeout,
      retry: { times: 3, backoff: Schedule.spaced("1 millis") }
    }).pipe(Effect.provide(context)))

/** A JSON-looking chunk: an endless array of customers' worth of bytes. */
const chunk = Buffer.from(`{"x":"${"a".repeat(64 * 1024 - 8)}"},`)

/** Loopback socket buffers on both ends can hold a few MiB the client never read. */
const socketSlack = 32 * MiB

describe("response bodies are bounded", () => {
  for (const [clientName, http] of httpClients) {
    it.live(`${clientName}: an endless chunked body stops at the limit; the connection is released`, () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response, count) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.write("{\"customers\":[")
          writeRepeatedly(response, chunk, count)
        })
        const client = yield* makeClient(server.origin, http)
        const error = yield* Effect.flip(client.customers.findAll())
        expect(error._tag).toBe("LagoResponseTooLargeError")
        expect(error._tag === "LagoResponseTooLargeError" && [error.status, error.maxResponseBytes]).toEqual([
          200,
          limit
        ])
        yield* Effect.promise(() => server.closedByClient)
        expect(server.requests).toHaveLength(1)
        expect(server.written.bytes).toBeLessThan(limit + socketSlack)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: an announced Content-Length over the limit is refused before reading`, () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response, count) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": String(600 * MiB) })
          writeRepeatedly(response, chunk, count, 600 * MiB)
        })
        const client = yield* makeClient(server.origin, http)
        const error = yield* Effect.flip(client.customers.find("acme"))
        expect(error._tag).toBe("LagoResponseTooLargeError")
        yield* Effect.promise(() => server.closedByClient)
        expect(server.requests).toHaveLength(1)
        expect(server.written.bytes).toBeLessThan(socketSlack)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: an endless error body is bounded too, and not retried`, () =>
      Effect.gen(function*() {
        const server = yield* serve((_, response, count) => {
          response.writeHead(503, { "content-type": "text/html" })
          writeRepeatedly(response, chunk, count)
        })
        const client = yield* makeClient(server.origin, http)
        const error = yield* Effect.flip(client.customers.find("acme"))
        expect(error._tag === "LagoResponseTooLargeError" && error.status).toBe(503)
        expect(server.requests).toHaveLength(1)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: a gzip bomb (64 MiB of zeros in ${"~"}64 KiB) is never inflated past the limit`, () =>
      Effect.gen(function*() {
        const bomb = Zlib.gzipSync(Buffer.alloc(64 * MiB))
        const server = yield* serve((_, response, count) => {
          response.writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": String(bomb.length)
          })
          count(bomb.length)
          response.end(bomb)
        })
        const client = yield* makeClient(server.origin, http)
        const error = yield* Effect.flip(client.customers.findAll())
        // fetch inflates (the inflated bytes are counted); undici's request API hands over the
        // gzip bytes, which are no JSON. Either way a typed failure, and nothing like 64 MiB in
        // memory.
        const undiciRequest = clientName === "undici" || clientName === "LagoHttpClient.layerUndici"
        expect(error._tag).toBe(undiciRequest ? "LagoDecodeError" : "LagoResponseTooLargeError")
        expect(server.requests).toHaveLength(1)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: a body trickling in past the attempt's time-out fails each attempt at its time-out`, () =>
      Effect.gen(function*() {
        // A byte every 10 ms of a body announced as 100 KB: never idle, far under the limit,
        // done in about 17 minutes.
        const server = yield* serve((_, response, count) => {
          response.writeHead(200, { "content-type": "application/json", "content-length": String(100_000) })
          response.write("{\"customer\":")
          const trickle = setInterval(() => {
            count(1)
            response.write(" ")
          }, 10)
          response.on("close", () => clearInterval(trickle))
        })
        const client = yield* makeClient(server.origin, http, limit, "150 millis")
        const error = yield* Effect.flip(client.customers.find("acme"))
        expect(error._tag === "LagoTimeoutError" && [error.scope, error.timeoutMillis]).toEqual(["attempt", 150])
        // A time-out is transient: all four attempts were made. The body had started to arrive
        // (the time-out fell in its read), and the client closed a connection it gave up on.
        expect(server.requests).toHaveLength(4)
        expect(server.written.bytes).toBeGreaterThan(0)
        yield* Effect.promise(() => server.closedByClient)
      }).pipe(Effect.scoped))

    it.live(`${clientName}: a body of exactly the limit is read; one byte more is not`, () =>
      Effect.gen(function*() {
        const page = JSON.stringify({
          customers: [],
          meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
        })
        const server = yield* serve((_, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(page)
        })
        const exact = yield* makeClient(server.origin, http, Buffer.byteLength(page))
        const result = yield* exact.customers.findAll()
        expect(result.meta.total_count).toBe(0)
        const under = yield* makeClient(server.origin, http, Buffer.byteLength(page) - 1)
        const error = yield* Effect.flip(under.customers.findAll())
        expect(error._tag).toBe("LagoResponseTooLargeError")
      }).pipe(Effect.scoped))

    it.live(`${clientName}: a chunked body of exactly the limit is read; one byte more is not`, () =>
      Effect.gen(function*() {
        const page = JSON.stringify({
          customers: [],
          meta: { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
        })
        const server = yield* serve((_, response) => {
          response.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" })
          response.write(page.slice(0, 10))
          response.end(page.slice(10))
        })
        const exact = yield* makeClient(server.origin, http, Buffer.byteLength(page))
        expect((yield* exact.customers.findAll()).meta.total_count).toBe(0)
        const under = yield* makeClient(server.origin, http, Buffer.byteLength(page) - 1)
        expect((yield* Effect.flip(under.customers.findAll()))._tag).toBe("LagoResponseTooLargeError")
      }).pipe(Effect.scoped))

    it.live(`${clientName}: bytes past a small Content-Length are never read as the body`, () =>
      Effect.gen(function*() {
        // A raw socket: node:http would refuse to write past the length it announced.
        const written = { bytes: 0 }
        const sockets = new Set<Net.Socket>()
        const server = yield* Effect.acquireRelease(
          Effect.async<Net.Server>((resume) => {
            const tcp = Net.createServer((socket) => {
              sockets.add(socket)
              socket.on("error", () => {})
              socket.once("data", () => {
                socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
                const more = () => {
                  while (!socket.destroyed && written.bytes < 256 * MiB && socket.write(chunk)) {
                    written.bytes += chunk.length
                  }
                }
                socket.on("drain", more)
                more()
              })
              socket.on("close", () => sockets.delete(socket))
            })
            tcp.listen(0, "127.0.0.1", () => resume(Effect.succeed(tcp)))
          }),
          (tcp) =>
            Effect.sync(() => {
              sockets.forEach((socket) => socket.destroy())
              tcp.close()
            })
        )
        const address = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        const client = yield* makeClient(`http://127.0.0.1:${port}/api/v1`, http)
        // `{}` is the whole body: no customer in it, a decode failure; the flood after it is
        // not part of any response.
        const error = yield* Effect.flip(client.customers.find("acme"))
        expect(error._tag).toBe("LagoDecodeError")
        expect(written.bytes).toBeLessThan(socketSlack)
      }).pipe(Effect.scoped))
  }
})
