import { expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { LagoFake } from "@lago-effect/testing"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"

const live = LagoClient.layer({ apiKey: Redacted.make("key"), baseUrl: "http://lago.test" }).pipe(
  Layer.provideMerge(LagoFake.layerClient({ apiKey: "key", seed: { customers: 250 } }))
)

it.effect("smoke", () =>
  Effect.gen(function*() {
    const lago = yield* LagoClient
    const c = yield* lago.customers.create({ external_id: "acme.com", name: "Acme" })
    expect(c.external_id).toBe("acme.com")
    const found = yield* lago.customers.find("acme.com")
    expect(found.name).toBe("Acme")
    const all = yield* Stream.runCollect(lago.customers.stream({ perPage: 100 }))
    expect(Chunk.size(all)).toBe(251)
    const fake = yield* LagoFake.LagoFake
    const reqs = yield* fake.requests
    console.log(reqs.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${r.status}`))
  }).pipe(Effect.provide(live)))
