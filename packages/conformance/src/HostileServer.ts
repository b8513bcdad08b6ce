/**
 * Small `node:http` servers on 127.0.0.1 that misbehave on purpose (redirects, endless or
 * compressed bodies, echoed headers), as scoped resources, and the `HttpClient`s users run the
 * client with: the platform's fetch and undici, and `LagoHttpClient`.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { LagoHttpClient } from "@lago-effect/client"
import { Effect, type Layer, type Scope } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** A running server: its origin, what it received, and what it sent. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string
  /** Requests in arrival order. */
  readonly requests: Array<SeenRequest>
  /** Bytes written to response bodies so far (as handlers report them through `count`). */
  readonly written: { bytes: number }
  /** Resolves when a connection the server wrote to was closed by the client. */
  readonly closedByClient: Promise<void>
}

/** What a handler gets: the request, the response, and a counter of the body bytes it writes. */
export type Handler = (
  request: SeenRequest,
  response: Http.ServerResponse,
  count: (bytes: number) => void
) => void

/** Starts a server on a free loopback port for the lifetime of the scope. */
export const serve = (handler: Handler): Effect.Effect<HostileServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly state: HostileServer; readonly server: Http.Server }>((resume) => {
      const requests: Array<SeenRequest> = []
      const written = { bytes: 0 }
      let signalClosed: () => void = () => {}
      const closedByClient = new Promise<void>((resolve) => {
        signalClosed = resolve
      })
      const server = Http.createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const seen = {
            method: request.method ?? "GET",
            url: request.url ?? "/",
            headers: request.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          requests.push(seen)
          response.on("close", () => {
            if (!response.writableFinished) signalClosed()
          })
          handler(seen, response, (bytes) => {
            written.bytes += bytes
          })
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const address: AddressInfo | string | null = server.address()
        const port = typeof address === "object" && address !== null ? address.port : 0
        resume(
          Effect.succeed({ server, state: { origin: `http://127.0.0.1:${port}`, requests, written, closedByClient } })
        )
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))

/** The transports users provide, by name: the platform's two and this client's own. */
export const httpClients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["fetch", FetchHttpClient.layer],
  ["undici", NodeHttpClient.layerUndici],
  ["LagoHttpClient.layer", LagoHttpClient.layer],
  ["LagoHttpClient.layerUndici", LagoHttpClient.layerUndici]
]

/** Writes a JSON answer. */
export const json = (response: Http.ServerResponse, status: number, body: unknown, headers = {}) => {
  const text = JSON.stringify(body)
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers
  })
  response.end(text)
}

/**
 * Writes `chunk` again and again, as fast as the client reads, until `total` bytes (or
 * forever) or until the client goes away.
 */
export const writeRepeatedly = (
  response: NodeJS.WritableStream & { readonly destroyed: boolean },
  chunk: Buffer,
  count: (bytes: number) => void,
  total = Number.POSITIVE_INFINITY
) => {
  let sent = 0
  const pump = () => {
    while (!response.destroyed && sent < total) {
      sent += chunk.length
      count(chunk.length)
      if (!response.write(chunk)) {
        response.once("drain", pump)
        return
      }
    }
    if (!response.destroyed) response.end()
  }
  response.on("error", () => {})
  pump()
}
