/**
 * Reliability under faults, over a real loopback socket: the stream of every customer must
 * neither lose nor repeat a customer, whatever the transient failures; a permanent failure
 * must end it with the typed error after exactly the allowed attempts.
 */
import { describe, expect, layer } from "@effect/vitest"
import { LagoClient, type RetryPolicy } from "@lago-effect/client"
import { Fault, LagoFake } from "@lago-effect/testing"
import * as FakeServer from "@lago-effect/testing/node"
import { Chunk, Effect, Either, Layer, Schedule, Stream } from "effect"

const CUSTOMERS = 20_000

const onSocket = (customers: number, retry?: Partial<RetryPolicy.RetryPolicy>) =>
  FakeServer.layerLagoClient({ apiKey: "reliability_key", retry }).pipe(
    Layer.provideMerge(FakeServer.layer()),
    Layer.provideMerge(LagoFake.layer({ apiKey: "reliability_key", seed: { customers } }))
  )

/** 25% of page requests fail, evenly among the transient faults a real network and Lago Cloud produce. */
const mixedTransientFaults = [
  Fault.unavailable(),
  Fault.rateLimited(0),
  Fault.rateLimited(1),
  Fault.status(429, { headers: { "retry-after-ms": "500" } }),
  Fault.drop("ECONNRESET"),
  Fault.cutBody(0.5)
]

const pageOf = (request: { readonly query: ReadonlyArray<readonly [string, string]> }) =>
  request.query.find(([key]) => key === "page")?.[1]

describe("reliability over a loopback socket", () => {
  // Ten retries, backoff from 50 ms: 25% faults make several failures of one page in a row
  // likely over 266 requests. Retry-After (up to 1 s) is still honoured on top.
  const retry = { times: 10, backoff: Schedule.exponential("50 millis").pipe(Schedule.jittered) }
  layer(onSocket(CUSTOMERS, retry), { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.effect(
      "streams 20,000 customers through 25% mixed transient faults: each exactly once, in order",
      () =>
        Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.randomFaults({
            rate: 0.25,
            seed: 20_000,
            faults: mixedTransientFaults,
            route: "findAllCustomers"
          })
          const lago = yield* LagoClient.LagoClient
          const streamed = yield* Stream.runCollect(lago.customers.stream({ per_page: 100, concurrency: 4 }))
          const ids = Chunk.toReadonlyArray(streamed).map((c) => c.lago_id)
          expect(ids).toHaveLength(CUSTOMERS)
          expect(new Set(ids).size).toBe(CUSTOMERS)
          expect(ids).toEqual((yield* fake.store.customers).map((c) => c.lago_id))
          const requests = yield* fake.requests
          const faulted = requests.filter((r) => r.fault !== undefined)
          // The faults did happen, of every kind, at about the planned rate.
          expect(new Set(faulted.map((r) => r.fault))).toEqual(new Set(["Status", "Drop", "CutBody"]))
          expect(faulted.length / requests.length).toBeGreaterThan(0.15)
          expect(faulted.length / requests.length).toBeLessThan(0.35)
          // Every page was answered exactly once without a fault.
          const answered = requests.filter((r) => r.fault === undefined).map(pageOf)
          expect(answered).toHaveLength(CUSTOMERS / 100)
          expect(new Set(answered).size).toBe(CUSTOMERS / 100)
        }),
      60_000
    )
  })

  layer(onSocket(2_000), { timeout: "60 seconds", excludeTestServices: true })((it) => {
    it.effect(
      "a permanent 503 on one page fails the stream with LagoServerError after maxRetries + 1 attempts of it",
      () =>
        Effect.gen(function*() {
          const fake = yield* LagoFake.LagoFake
          yield* fake.inject({ fault: Fault.unavailable(), when: (r) => pageOf(r) === "7" })
          const lago = yield* LagoClient.LagoClient
          const emitted: Array<string> = []
          const result = yield* Effect.either(
            lago.customers.stream({ per_page: 100, concurrency: 4 }).pipe(
              Stream.runForEach((customer) => Effect.sync(() => emitted.push(customer.lago_id)))
            )
          )
          expect(Either.isLeft(result) && result.left._tag).toBe("LagoServerError")
          expect(Either.isLeft(result) && "status" in result.left && result.left.status).toBe(503)
          const attempts = (yield* fake.requests).filter((r) => pageOf(r) === "7")
          expect(attempts).toHaveLength(3) // the default policy: 2 retries
          expect(new Set(attempts.map((r) => r.headers["x-request-id"])).size).toBe(1)
          // Nothing twice, and exactly the pages before the failing one, in order.
          expect(new Set(emitted).size).toBe(emitted.length)
          expect(emitted).toEqual((yield* fake.store.customers).slice(0, 600).map((c) => c.lago_id))
        }),
      60_000
    )
  })
})
