import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { assert } from "@effect/vitest"
import type { Customers } from "@lago-effect/client"
import { LagoClient } from "@lago-effect/client"
import { CustomersPage } from "@lago-effect/core"
import { Builders, Fault, LagoFake, LagoStore } from "@lago-effect/testing"
import {
  Chunk,
  Effect,
  Either,
  FastCheck as fc,
  Fiber,
  Layer,
  Option,
  Redacted,
  Ref,
  Schema,
  Stream,
  TestClock
} from "effect"
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
          const lago = yield* LagoClient.LagoClient
          const streamed = yield* Stream.runCollect(lago.customers.stream({ per_page: 100, ...options }))
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
      const lago = yield* LagoClient.LagoClient
      const empty = yield* Stream.runCollect(lago.customers.pages())
      expect(Chunk.toReadonlyArray(empty).map((p) => p.meta)).toEqual([
        { current_page: 0, next_page: null, prev_page: null, total_pages: 0, total_count: 0 }
      ])
    }).pipe(Effect.provide(liveLayer())))

  it.effect("defaults to 500 per page and passes the filters on every page", () =>
    Effect.gen(function*() {
      const lago = yield* LagoClient.LagoClient
      const count = yield* Stream.runCount(lago.customers.stream({ search_term: "customer_1" }))
      expect(count).toBe(1_111) // customer_1, customer_10..19, customer_100..199, customer_1000..1999
      const log = (yield* requests).filter((r) => r.operation === "findAllCustomers")
      expect(log.map((r) => r.query)).toEqual([
        [["page", "1"], ["per_page", "500"], ["search_term", "customer_1"]],
        [["page", "2"], ["per_page", "500"], ["search_term", "customer_1"]],
        [["page", "3"], ["per_page", "500"], ["search_term", "customer_1"]]
      ])
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 2_000 } }))))

  it.effect("a failing page fails the stream with the typed error, after its retries", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({
        fault: Fault.unavailable(),
        when: (r) => r.query.some(([k, v]) => k === "page" && v === "3")
      })
      const lago = yield* LagoClient.LagoClient
      const fiber = yield* Effect.fork(Effect.either(Stream.runCollect(lago.customers.stream({ per_page: 10 }))))
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
      const lago = yield* LagoClient.LagoClient
      const fiber = yield* Effect.fork(
        Stream.runCollect(lago.customers.stream({ per_page: 10, concurrency: 3 })).pipe(
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
          const lago = yield* LagoClient.LagoClient
          const taken = yield* Stream.runCollect(
            lago.customers.stream({ per_page: 10, ...options }).pipe(Stream.take(15))
          )
          expect(Chunk.size(taken)).toBe(15)
          const afterTake = (yield* pageRequests).length
          yield* TestClock.adjust("1 minute")
          yield* Effect.yieldNow()
          expect((yield* pageRequests).length).toBe(afterTake)
          // Pages 1 and 2 are needed; at most concurrency + prefetch more were started.
          // "auto" keeps at most 4 in flight.
          const concurrency = "concurrency" in options ? options.concurrency : 4
          const prefetch = "prefetch" in options ? options.prefetch : 1
          expect(afterTake).toBeLessThanOrEqual(2 + concurrency + prefetch)
        }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))
    }

    it.effect("interrupting the consumer cancels the in-flight requests", () =>
      Effect.gen(function*() {
        const fake = yield* LagoFake.LagoFake
        yield* fake.inject({ fault: Fault.latency("10 seconds"), route: "findAllCustomers" })
        const lago = yield* LagoClient.LagoClient
        const fiber = yield* Effect.fork(Stream.runDrain(lago.customers.stream({ per_page: 10, concurrency: 4 })))
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
          const lago = yield* LagoClient.LagoClient
          const consumed = yield* Ref.make(0)
          const maxHeld = yield* Ref.make(0)
          // A consumer that is much slower than Lago: 1 s a page, while pages come instantly.
          const pull = lago.customers.pages({ per_page: 10, ...options }).pipe(
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
      const lago = yield* LagoClient.LagoClient
      const stream = lago.customers.stream()
      expect((yield* pageRequests).length).toBe(0)
      const first = yield* Stream.runHead(stream)
      expect(Option.isSome(first)).toBe(true)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 5 } }))))

  describe("inserts while the stream runs", () => {
    /**
     * The live client over the fake, where each list request first waits its latency (so the
     * server reads pages in any order), and each page served is followed by `inserts[k]`
     * customers created at the head of the list.
     */
    const inserting = (initial: number, inserts: ReadonlyArray<number>, latencies: ReadonlyArray<number>) => {
      const transport = Layer.effect(
        HttpClient.HttpClient,
        Effect.gen(function*() {
          const client = yield* HttpClient.HttpClient
          const store = yield* LagoStore.LagoStore
          let sent = 0
          let served = 0
          let created = 0
          return HttpClient.transformResponse(client, (response) =>
            Effect.suspend(() => {
              const latency = latencies[sent++ % Math.max(1, latencies.length)] ?? 0
              return Effect.zipRight(Effect.sleep(latency), response)
            }).pipe(Effect.tap(() =>
              Effect.forEach(
                Array.from({ length: inserts[served++] ?? 0 }, () => ++created),
                (n) => Effect.orDie(store.upsert(Builders.customerInput({ external_id: `new_${n}` }))),
                { discard: true }
              )
            )))
        })
      ).pipe(Layer.provide(Layer.effect(HttpClient.HttpClient, LagoFake.httpClient)))
      return LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://lago.test" }).pipe(
        Layer.provideMerge(transport),
        Layer.provideMerge(LagoFake.layer({ seed: { customers: initial } }))
      )
    }

    /** Runs an effect to its end, moving the test clock a few milliseconds at a time. */
    const runToEnd = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.gen(function*() {
        const fiber = yield* Effect.fork(effect)
        while (true) {
          const exit = yield* Fiber.poll(fiber)
          if (Option.isSome(exit)) return yield* exit.value
          yield* TestClock.adjust("10 millis")
        }
      })

    const streamIds = (options: Customers.StreamOptions) =>
      Effect.flatMap(LagoClient.LagoClient, (lago) =>
        runToEnd(Stream.runCollect(lago.customers.stream(options))).pipe(
          Effect.map((chunk) => Chunk.toReadonlyArray(chunk).map((c) => c.external_id))
        ))

    it.effect.prop(
      "no customer that exists from start to end is missed, at any concurrency; dedupe drops the repeats",
      [
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 10, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 25 }),
        fc.array(fc.constantFrom(0, 10, 20, 30), { maxLength: 40 })
      ],
      ([initial, per_page, concurrency, prefetch, inserts, latencies]) =>
        Effect.gen(function*() {
          const originals = Array.from({ length: initial }, (_, i) => `customer_${i + 1}`)
          const ids = yield* streamIds({ per_page, concurrency, prefetch }).pipe(
            Effect.provide(inserting(initial, inserts, latencies))
          )
          const seen = new Set(ids)
          expect(originals.filter((id) => !seen.has(id))).toEqual([])
          const deduped = yield* streamIds({ per_page, concurrency, prefetch, dedupe: true }).pipe(
            Effect.provide(inserting(initial, inserts, latencies))
          )
          expect(new Set(deduped).size).toBe(deduped.length)
          const dedupedSeen = new Set(deduped)
          expect(originals.filter((id) => !dedupedSeen.has(id))).toEqual([])
        }),
      { fastCheck: { numRuns: 60 }, timeout: 120_000 }
    )

    for (const concurrency of [1, 4, 8]) {
      it.effect(`1,000 customers, 10 created at the head after each page: concurrency ${concurrency} misses none`, () =>
        Effect.gen(function*() {
          const ids = yield* streamIds({ per_page: 100, concurrency }).pipe(
            Effect.provide(inserting(1_000, Array.from({ length: 200 }, () => 10), [5, 1, 9, 3, 7]))
          )
          const seen = new Set(ids)
          const missed = Array.from({ length: 1_000 }, (_, i) => `customer_${i + 1}`).filter((id) => !seen.has(id))
          expect(missed).toEqual([])
          // Offset pagination repeats what the inserts pushed onto the next page.
          expect(ids.length).toBeGreaterThan(1_000)
        }))
    }
  })

  describe("pages that do not add up", () => {
    const meta = (current: number, next: number | null, totalPages = 5, totalCount = 50) => ({
      current_page: current,
      next_page: next,
      prev_page: current > 1 ? current - 1 : null,
      total_pages: totalPages,
      total_count: totalCount
    })
    const encodePage = Schema.encodeSync(CustomersPage.CustomersPage)

    /** A client over a server that answers page `n` with `answer(n)`. */
    const serving = (answer: (page: number) => { readonly items: number; readonly meta: ReturnType<typeof meta> }) => {
      const pages: Array<number> = []
      const client = HttpClient.make((request) =>
        Effect.sync(() => {
          const page = Number(new URL(request.url).searchParams.get("page"))
          pages.push(page)
          const { items, meta } = answer(page)
          const body = encodePage({
            customers: Array.from({ length: items }, (_, i) => Builders.customer({ sequential_id: page * 100 + i })),
            meta
          })
          return HttpClientResponse.fromWeb(
            request,
            new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } })
          )
        })
      )
      return {
        pages,
        layer: LagoClient.layer({ apiKey: Redacted.make("k"), baseUrl: "http://lago.test" }).pipe(
          Layer.provide(Layer.succeed(HttpClient.HttpClient, client))
        )
      }
    }

    const run = (answer: Parameters<typeof serving>[0], options: Customers.StreamOptions = {}) => {
      const server = serving(answer)
      return Effect.flatMap(
        LagoClient.LagoClient,
        (lago) => Effect.either(Stream.runCount(lago.customers.stream(options)))
      ).pipe(
        Effect.provide(server.layer),
        Effect.map((result) => ({ result, pages: server.pages }))
      )
    }

    it.effect.each([{}, { concurrency: 3 }])(
      "the same page again (next_page stays put) %j",
      (options) =>
        Effect.gen(function*() {
          const { pages, result } = yield* run((page) => ({ items: 10, meta: meta(page, 2) }), options)
          expect(result._tag === "Left" && result.left._tag).toBe("LagoPaginationError")
          expect(result._tag === "Left" && result.left.message).toContain("does not move forward")
          expect(pages.filter((p) => p === 2)).toHaveLength(1)
          expect(pages.length).toBeLessThanOrEqual(5 + 1)
        })
    )

    it.effect.each([{}, { concurrency: 3 }])("a page that ignores the query %j", (options) =>
      Effect.gen(function*() {
        const { pages, result } = yield* run(() => ({ items: 10, meta: meta(1, 2) }), options)
        assert(result._tag === "Left" && result.left._tag === "LagoPaginationError")
        expect([result.left.page, result.left.meta.current_page]).toEqual([2, 1])
        expect(pages.length).toBeLessThanOrEqual(5 + 1)
      }))

    it.effect("next_page 0 is the server's fault, not the caller's", () =>
      Effect.gen(function*() {
        const { result } = yield* run((page) => ({ items: 10, meta: meta(page, 0) }))
        expect(result._tag === "Left" && result.left._tag).toBe("LagoPaginationError")
      }))

    it.effect.each([{}, { concurrency: 4 }])(
      "empty pages that still have a next_page end the stream %j",
      (options) =>
        Effect.gen(function*() {
          const { pages, result } = yield* run(
            (page) => ({ items: page <= 2 ? 10 : 0, meta: meta(page, page + 1, 1_000, 10_000) }),
            options
          )
          expect(result).toEqual(Either.right(20))
          expect(Math.max(...pages)).toBeLessThanOrEqual(3 + (options.concurrency ?? 4))
        })
    )

    it.effect("a next_page past every page announced stops at announced + 1 requests", () =>
      Effect.gen(function*() {
        const { pages, result } = yield* run((page) => ({ items: 10, meta: meta(page, page + 1, 3, 30) }))
        expect(result._tag === "Left" && result.left._tag).toBe("LagoPaginationError")
        expect(pages).toEqual([1, 2, 3, 4])
      }))

    it.effect("a list that grows while read keeps going, page by page", () =>
      Effect.gen(function*() {
        // Every page announces one more page than the last: legitimate while customers are created.
        const { pages, result } = yield* run((page) => ({
          items: 10,
          meta: meta(page, page < 8 ? page + 1 : null, page + 1, (page + 1) * 10)
        }))
        expect(result).toEqual(Either.right(80))
        expect(pages).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
      }))
  })
})
