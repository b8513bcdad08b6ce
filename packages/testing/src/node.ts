/**
 * `@lago-effect/testing/node`: `LagoFake` on a real loopback port, and a live `LagoClient`
 * talking to it over the socket (undici). Kept apart so that users of the in-memory parts do
 * not need `@effect/platform-node`.
 *
 * @since 0.1.0
 */
import { LagoClient } from "@lago-effect/client"
import type { LagoError } from "@lago-effect/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as LagoFake from "./LagoFake.js"

/**
 * A running fake server.
 *
 * @category models
 * @since 0.1.0
 */
export interface LagoFakeServerService {
  /** The API URL, e.g. `http://127.0.0.1:40123/api/v1`. */
  readonly url: string
  readonly port: number
}

/**
 * The fake server's address.
 *
 * @category services
 * @since 0.1.0
 */
export class LagoFakeServer extends Context.Tag("@lago-effect/testing/LagoFakeServer")<
  LagoFakeServer,
  LagoFakeServerService
>() {}

const readBody = (request: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    request.on("error", reject)
  })

const headersOf = (request: Http.IncomingMessage): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return headers
}

/**
 * Serves the `LagoFake` of the environment on a loopback port (0: any free port), for the
 * lifetime of the layer's scope. Faults happen on the socket: a drop destroys the connection
 * before any byte, a cut body sends the full `Content-Length` and then closes mid-body.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (
  options: { readonly port?: number; readonly host?: string } = {}
): Layer.Layer<LagoFakeServer, never, LagoFake.LagoFake> =>
  Layer.scoped(
    LagoFakeServer,
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      const runtime = yield* Effect.runtime<never>()
      const run = Runtime.runPromise(runtime)
      const host = options.host ?? "127.0.0.1"

      const server = Http.createServer((request, response) => {
        readBody(request).then((body) =>
          run(fake.handle({
            method: request.method ?? "GET",
            url: request.url ?? "/",
            headers: headersOf(request),
            body
          }))
        ).then((outcome) => {
          if (outcome._tag === "Drop") {
            request.socket.destroy()
            return
          }
          const bytes = Buffer.from(outcome.response.body, "utf8")
          response.writeHead(outcome.response.status, {
            ...outcome.response.headers,
            "content-length": String(bytes.length)
          })
          if (outcome.cutAt === undefined) {
            response.end(bytes)
          } else {
            response.write(bytes.subarray(0, Buffer.byteLength(outcome.response.body.slice(0, outcome.cutAt))))
            // Let the headers and half the body leave, then kill the connection.
            setImmediate(() => request.socket.destroy())
          }
        }).catch(() => request.socket.destroy())
      })
      server.keepAliveTimeout = 5_000

      const port = yield* Effect.acquireRelease(
        Effect.async<number>((resume) => {
          server.listen(options.port ?? 0, host, () => {
            const address: AddressInfo | string | null = server.address()
            resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
          })
        }),
        () =>
          Effect.async<void>((resume) => {
            server.closeAllConnections()
            server.close(() => resume(Effect.void))
          })
      )
      return { url: `http://${host}:${port}/api/v1`, port }
    })
  )

/**
 * The platform's undici client, loaded when a layer that needs it is built: a program that
 * imports this module for the fake server alone (the CLI's `fake`, its `--help`) loads neither
 * it nor undici.
 */
const nodeUndici = Layer.unwrapEffect(
  Effect.map(Effect.promise(() => import("@effect/platform-node/NodeHttpClient")), (module) => module.layerUndici)
)

/**
 * A `LagoClient` (the live one, over undici) pointed at the fake server of the environment.
 * Any client option can be set; the key defaults to `lago_test_key`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerLagoClient = (
  options: Omit<LagoClient.Options, "apiKey" | "baseUrl" | "region"> & { readonly apiKey?: string | undefined } = {}
): Layer.Layer<LagoClient.LagoClient, LagoError.LagoInvalidInputError, LagoFakeServer> =>
  Layer.unwrapEffect(
    Effect.map(LagoFakeServer, (server) =>
      LagoClient.layer({
        ...options,
        apiKey: Redacted.make(options.apiKey ?? "lago_test_key"),
        baseUrl: server.url
      }))
  ).pipe(Layer.provide(nodeUndici))
