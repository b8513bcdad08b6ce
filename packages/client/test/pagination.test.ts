import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Fault, LagoFake, LagoStore } from "@lago-effect/testing"
import { Chunk, Effect, Fiber, Option, Ref, Stream, TestClock } from "effect"
import { liveLayer, requests } from "./helpers.js"

const pageRequests = Effect.map(
  requests,
  (all) => all.filter((r) => r.operation === "findAllCustomers").map((r) => r.query.find(([k]) => k === "page")?.[1])
)

const expectedIds = Effect.map(
  Effect.flatMap(LagoStore.LagoStore, (store) => store.customers),
  (customers) => customers.map((c) => c.external_id)
)

describe("pagination", () => {
  for (const total of [0, 1, 100, 101, 1_000]) {
    for (const options of [{}, { prefetch: 3 }, { concurrency: 4 }, { concurrency: 4, prefetch: 2 }]) {
      it.effect(`streams ${total} customers with ${JSON.stringify(options)}: same items, same order`, () =>
        Effect.gen(function*() {
          const lago = yield* LagoClient
          const streamed = yield* Stream.runCollect(lago.customers.stream({ perPage: 100, ...options }))
          const ids = Chunk.toReadonlyArray(streamed).map((c) => c.external_id)
          expect(ids).toEqual(yield* expectedIds)
          expect(new Set(ids).size).toBe(total)
          const pages = Math.max(1, Math.ceil(total / 100))
          // One request per page: none past the last page, none twice.
          expect([...(yield* pageRequests)].sort((a, b) => Number(a) - Number(b))).toEqual(
            Array.from({ length: pages }, (_, i) => String(i + 1))
          )
        }).pipe(Effect.provide(liveLayer({ seed: { customers: total } }))))
    }
  }

  it.effect("pages emits Lago's pages with their meta, and the empty page once", () =>
    Effect.gen(function*() {
      const lago = yield* LagoClient
      const empty = yield* Stream.runCollect(lago.customers.pages())
      expect(Chunk.toReadonlyArray(empty).map((p) => p.meta)).toEqual([
        { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
      ])
    }).pipe(Effect.provide(liveLayer())))

  it.effect("defaults to 100 per page and passes the filters on every page", () =>
    Effect.gen(function*() {
      const lago = yield* LagoClient
      const count = yield* Stream.runCount(lago.customers.stream({ search_term: "customer_1" }))
      expect(count).toBe(112) // customer_1, customer_10..19, customer_100..199, ...
      const log = (yield* requests).filter((r) => r.operation === "findAllCustomers")
      expect(log.map((r) => r.query)).toEqual([
        [["page", "1"], ["per_page", "100"], ["search_term", "customer_1"]],
        [["page", "2"], ["per_page", "100"], ["search_term", "customer_1"]]
      ])
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))

  it.effect("a failing page fails the stream with the typed error, after its retries", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({
        fault: Fault.unavailable(),
        when: (r) => r.query.some(([k, v]) => k === "page" && v === "3")
      })
      const lago = yield* LagoClient
      const fiber = yield* Effect.fork(Effect.either(Stream.runCollect(lago.customers.stream({ perPage: 10 }))))
      yield* TestClock.adjust("1 minute")
      const result = yield* Fiber.join(fiber)
      expect(result._tag === "Left" && result.left._tag).toBe("LagoServerError")
      expect((yield* pageRequests).filter((p) => p === "3")).toHaveLength(3)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 50 } }))))

  it.effect("each page request survives transient faults under the retry policy", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.randomFaults({
        rate: 0.3,
        seed: 7,
        faults: [Fault.unavailable(), Fault.drop(), Fault.cutBody(), Fault.rateLimited(1)],
        route: "findAllCustomers"
      })
      const lago = yield* LagoClient
      const fiber = yield* Effect.fork(
        Stream.runCollect(lago.customers.stream({ perPage: 10, concurrency: 3 })).pipe(
          LagoClient.withRetry({ times: 10 })
        )
      )
      yield* TestClock.adjust("10 minutes")
      const ids = Chunk.toReadonlyArray(yield* Fiber.join(fiber)).map((c) => c.external_id)
      expect(ids).toEqual(yield* expectedIds)
      expect((yield* requests).some((r) => r.fault !== undefined)).toBe(true)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 200 } }))))

  describe("early termination", () => {
    for (const options of [{}, { concurrency: 4 }, { prefetch: 3 }]) {
      it.effect(`Stream.take stops requesting pages ${JSON.stringify(options)}`, () =>
        Effect.gen(function*() {
          const lago = yield* LagoClient
          const taken = yield* Stream.runCollect(
            lago.customers.stream({ perPage: 10, ...options }).pipe(Stream.take(15))
          )
          expect(Chunk.size(taken)).toBe(15)
          const afterTake = (yield* pageRequests).length
          yield* TestClock.adjust("1 minute")
          yield* Effect.yieldNow()
          expect((yield* pageRequests).length).toBe(afterTake)
          // Pages 1 and 2 are needed; at most concurrency + prefetch more were started.
          const concurrency = "concurrency" in options ? options.concurrency : 1
          const prefetch = "prefetch" in options ? options.prefetch : 1
          expect(afterTake).toBeLessThanOrEqual(2 + concurrency + prefetch)
        }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))
    }

    it.effect("interrupting the consumer cancels the in-flight requests", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.inject({ fault: Fault.latency("10 seconds"), route: "findAllCustomers" })
        const lago = yield* LagoClient
        const fiber = yield* Effect.fork(Stream.runDrain(lago.customers.stream({ perPage: 10, concurrency: 4 })))
        yield* TestClock.adjust("15 seconds")
        const started = (yield* pageRequests).length
        yield* Fiber.interrupt(fiber)
        yield* TestClock.adjust("10 minutes")
        expect((yield* pageRequests).length).toBe(started)
        expect(started).toBeGreaterThan(1)
      }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))
  })

  describe("memory", () => {
    for (
      const options of [{ concurrency: 1, prefetch: 1 }, { concurrency: 4, prefetch: 2 }, {
        concurrency: 2,
        prefetch: 0
      }]
    ) {
      it.effect(`holds at most concurrency + prefetch + 1 pages ${JSON.stringify(options)}`, () =>
        Effect.gen(function*() {
          const lago = yield* LagoClient
          const consumed = yield* Ref.make(0)
          const maxHeld = yield* Ref.make(0)
          // A consumer that is much slower than Lago: 1 s a page, while pages come instantly.
          const pull = lago.customers.pages({ perPage: 10, ...options }).pipe(
            Stream.tap(() =>
              Effect.gen(function*() {
                const fetched = (yield* pageRequests).length
                const done = yield* Ref.updateAndGet(consumed, (n) => n + 1)
                // Pages fetched but not yet consumed, plus the one in hand.
                yield* Ref.update(maxHeld, (max) => Math.max(max, fetched - done + 1))
                yield* Effect.sleep("1 second")
              })
            ),
            Stream.runDrain
          )
          const fiber = yield* Effect.fork(pull)
          for (let i = 0; i < 120; i++) {
            yield* TestClock.adjust("1 second")
          }
          yield* Fiber.join(fiber)
          expect(yield* Ref.get(consumed)).toBe(100)
          expect(yield* Ref.get(maxHeld)).toBeLessThanOrEqual(options.concurrency + options.prefetch + 1)
          expect(yield* Ref.get(maxHeld)).toBeGreaterThan(1)
        }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))
    }
  })

  it.effect("reads the first page lazily: nothing is requested before the stream runs", () =>
    Effect.gen(function*() {
      const lago = yield* LagoClient
      const stream = lago.customers.stream()
      expect((yield* pageRequests).length).toBe(0)
      const first = yield* Stream.runHead(stream)
      expect(Option.isSome(first)).toBe(true)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 5 } }))))
})
