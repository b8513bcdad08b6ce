/** lago-effect over a given `HttpClient` layer. */
import type { HttpClient } from "@effect/platform"
import { LagoClient } from "@lago-effect/client"
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { type BenchClient, KEY } from "./Client.js"

export const make = (url: string, transport: Layer.Layer<HttpClient.HttpClient>): BenchClient => {
  const lago = ManagedRuntime.make(
    LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: url }).pipe(Layer.provide(transport))
  )
  const customers = Effect.map(LagoClient.LagoClient, (client) => client.customers)
  return {
    list: (options) => lago.runPromise(Effect.flatMap(customers, (api) => Stream.runCount(api.stream(options ?? {})))),
    finds: (ids, concurrency) =>
      lago.runPromise(
        Effect.flatMap(customers, (api) => Effect.forEach(ids, api.find, { concurrency, discard: true }))
      ),
    close: () => lago.dispose()
  }
}
