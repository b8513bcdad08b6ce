/**
 * The floor with this client's fixed cost paid: lago-effect loaded, its layer built over
 * `LagoHttpClient.layer` and one page of one customer read through it (what S0 measures),
 * then the list read by raw fetch + JSON.parse. Against this row, what remains of a
 * lago-effect row's peak RSS grows with the list; against the floor, it includes what loading
 * effect, the platform and the schemas costs once per process.
 */
import { LagoClient, LagoHttpClient } from "@lago-effect/client"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { type BenchClient, KEY } from "./Client.js"
import * as Raw from "./raw.js"

export const make = (url: string): BenchClient => {
  const lago = ManagedRuntime.make(
    LagoClient.layer({ apiKey: Redacted.make(KEY), baseUrl: url }).pipe(Layer.provide(LagoHttpClient.layer))
  )
  const loaded = lago.runPromise(
    Effect.flatMap(LagoClient.LagoClient, (client) => client.customers.findAll({ page: 1, per_page: 1 }))
  )
  const raw = Raw.make(url)
  return {
    list: (options) => loaded.then(() => raw.list(options)),
    finds: (ids, concurrency) => loaded.then(() => raw.finds(ids, concurrency)),
    close: () => lago.dispose()
  }
}
