/**
 * The HTTP transport of the conformance tests: undici, with a log of every exchange and the
 * violations Prism reported (`sl-violations`).
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Context, Effect, Layer, Ref } from "effect"

/** One violation, as Prism reports it. */
export interface Violation {
  readonly location: ReadonlyArray<string>
  readonly severity: string
  readonly code?: string | number
  readonly message: string
}

/** One request and what came back. */
export interface Exchange {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly violations: ReadonlyArray<Violation>
}

/** The log of exchanges. */
export class Exchanges extends Context.Tag("@lago-effect/conformance/Exchanges")<
  Exchanges,
  Ref.Ref<ReadonlyArray<Exchange>>
>() {}

const parseViolations = (header: string | undefined): ReadonlyArray<Violation> => {
  if (header === undefined) return []
  try {
    const parsed: unknown = JSON.parse(header)
    return Array.isArray(parsed) ? parsed : []
  } catch {
    return []
  }
}

/**
 * Undici, recording exchanges. `stripApiPrefix`: Prism mounts the spec's paths at its root,
 * while the client always talks to `<base>/api/v1`: the transport drops that prefix.
 */
export const layer = (options: { readonly stripApiPrefix: boolean }) =>
  Layer.effect(
    HttpClient.HttpClient,
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const log = yield* Exchanges
      const rewritten = options.stripApiPrefix
        ? HttpClient.mapRequest(client, (request) =>
          HttpClientRequest.setUrl(request, request.url.replace(/\/api\/v1(?=\/|$)/, "")))
        : client
      return HttpClient.tap(rewritten, (response) =>
        Ref.update(log, (all) => [...all, {
          method: response.request.method,
          url: response.request.url,
          status: response.status,
          violations: parseViolations(response.headers["sl-violations"])
        }]))
    })
  ).pipe(
    Layer.provideMerge(Layer.effect(Exchanges, Ref.make<ReadonlyArray<Exchange>>([]))),
    Layer.provide(NodeHttpClient.layerUndici)
  )
