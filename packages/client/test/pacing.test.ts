/**
 * Pacing of streams under `TestClock`: the request window, the cap learned from
 * `X-RateLimit-Limit`, the adaptive concurrency, and the pause a spent window asks for.
 */
import { describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import type { Customers } from "@lago-effect/client"
import { Fault, LagoFake } from "@lago-effect/testing"
import { Clock, Effect, Fiber, FiberRef, Option, Stream, TestClock } from "effect"
import { currentRateObserver, initialCap, makeRequestWindow } from "../src/internal/pacing.js"
import { paginate } from "../src/internal/pages.js"
import { liveLayer, requests } from "./helpers.js"

/** Runs a stream to its end, moving the test clock 5 ms at a time; its count and the clock's time. */
const drive = <A, E>(stream: Stream.Stream<A, E>) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(Stream.runCount(stream))
    for (let step = 0; step < 20_000; step++) {
      const exit = yield* Fiber.poll(fiber)
      if (Option.isSome(exit)) break
      yield* TestClock.adjust("5 millis")
    }
    const count = yield* Fiber.join(fiber)
    return { count, millis: (yield* Clock.currentTimeMillis) - start }
  })

/** The page requests the fake received, with their arrival times. */
const pageLog = Effect.map(requests, (all) => all.filter((r) => r.operation === "findAllCustomers"))

/** The most arrivals within any window of `millis`. */
const busiest = (times: ReadonlyArray<number>, millis = 1000) => {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  let from = 0
  for (let to = 0; to < sorted.length; to++) {
    while (sorted[to] - sorted[from] >= millis) from++
    most = Math.max(most, to - from + 1)
  }
  return most
}

/** The most requests in flight at once, each taking `latency` ms. */
const mostInFlight = (times: ReadonlyArray<number>, latency: number) => busiest(times, latency)

const latency = (millis: number) =>
  Effect.flatMap(
    LagoFake.LagoFake,
    (fake) => fake.inject({ fault: Fault.latency(`${millis} millis`), route: "findAllCustomers" })
  )

const stream = (options: Customers.StreamOptions) =>
  Effect.map(LagoClient.LagoClient, (lago) => lago.customers.stream(options))

describe("request window", () => {
  it.effect("lets `perSecond` requests through in any one-second window, bursts included", () =>
    Effect.gen(function*() {
      const window = makeRequestWindow()
      const times: Array<number> = []
      const fiber = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 7 }),
          () =>
            Effect.zipRight(
              window.take(3),
              Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t)))
            ),
          { concurrency: "unbounded", discard: true }
        )
      )
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(times).toEqual([0, 0, 0, 1000, 1000, 1000, 2000])
    }))

  it.effect("holds every request until a pause ends", () =>
    Effect.gen(function*() {
      const window = makeRequestWindow()
      window.pauseUntil(1500)
      const fiber = yield* Effect.fork(Effect.zipRight(window.take(Number.POSITIVE_INFINITY), Clock.currentTimeMillis))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toBe(1500)
    }))

  it("applies Lago Cloud's documented limit to its hosts only", () => {
    expect(initialCap("https://api.getlago.com/api/v1")).toBe(40)
    expect(initialCap("https://api.eu.getlago.com/api/v1")).toBe(40)
    expect(initialCap("https://lago.example.com/api/v1")).toBeUndefined()
    expect(initialCap("http://localhost:3000/api/v1")).toBeUndefined()
  })
})

describe("stream pacing", () => {
  it.effect("under an announced limit of 50/s: at most 40 page requests in any second, and no 429", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.rateLimit({ limit: 50, window: "1 second" })
      yield* latency(20)
      const { count, millis } = yield* drive(yield* stream({ per_page: 10 }))
      expect(count).toBe(1_000)
      const log = yield* pageLog
      expect(log).toHaveLength(100)
      expect(log.filter((r) => r.status === 429)).toEqual([])
      expect(busiest(log.map((r) => r.receivedAtMillis))).toBeLessThanOrEqual(40)
      // 100 requests at 40 per second: the window, not the latency, sets the pace.
      expect(millis).toBeGreaterThanOrEqual(2_000)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))

  it.effect("a fixed rateLimit holds whatever the server says", () =>
    Effect.gen(function*() {
      const { count } = yield* drive(yield* stream({ per_page: 10, rateLimit: 5, concurrency: 4 }))
      expect(count).toBe(200)
      expect(busiest((yield* pageLog).map((r) => r.receivedAtMillis))).toBeLessThanOrEqual(5)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 200 } }))))

  it.effect("without an announced limit, auto concurrency grows to 4 while the network is the bottleneck", () =>
    Effect.gen(function*() {
      yield* latency(20)
      const { count, millis } = yield* drive(yield* stream({ per_page: 10 }))
      expect(count).toBe(1_000)
      const times = (yield* pageLog).map((r) => r.receivedAtMillis)
      expect(mostInFlight(times, 20)).toBe(4)
      // Sequential reading would take 100 x 20 ms.
      expect(millis).toBeLessThan(1_000)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 1_000 } }))))

  it.effect("auto concurrency drops to one page at a time while the window runs low", () =>
    Effect.gen(function*() {
      // 40 pages of 20 ms each; from page 10 on, every response says 5 of 100 requests remain.
      let inFlight = 0
      let lowSeen = 0
      const started: Array<{ readonly page: number; readonly lowSeen: number; readonly inFlight: number }> = []
      const fetch = (page: number) =>
        Effect.gen(function*() {
          inFlight++
          started.push({ page, lowSeen, inFlight })
          yield* Effect.sleep("20 millis")
          inFlight--
          const remaining = page >= 10 ? 5 : 90
          if (remaining === 5) lowSeen++
          const observer = yield* FiberRef.get(currentRateObserver)
          observer?.({ status: 200, limit: 100, remaining, resetSeconds: 1 })
          return page
        })
      const meta = (page: number) => ({
        current_page: page,
        next_page: page < 40 ? page + 1 : null,
        prev_page: page > 1 ? page - 1 : null,
        total_pages: 40,
        total_count: 40
      })
      const pages = paginate(
        "findAllCustomers",
        fetch,
        (page) => ({ items: [page], meta: meta(page) }),
        { concurrency: "auto", rateLimit: "none" },
        { window: makeRequestWindow(), initialCap: undefined }
      )
      const { count } = yield* drive(pages)
      expect(count).toBe(40)
      // While the window was wide, the stream grew to four pages in flight...
      expect(Math.max(...started.filter((s) => s.page < 10).map((s) => s.inFlight))).toBe(4)
      // ...and once it ran low (two halvings, and what was in flight drained), one at a time.
      const late = started.filter((s) => s.lowSeen >= 6)

      expect(late.length).toBeGreaterThan(20)
      expect(Math.max(...late.map((s) => s.inFlight))).toBe(1)
    }))

  it.effect("a 429 holds every page request of the client until the window resets", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.inject({
        fault: Fault.status(429, { headers: { "x-ratelimit-reset": "2" } }),
        when: (r) => r.query.some(([k, v]) => k === "page" && v === "3"),
        times: 1
      })
      const { count } = yield* drive(yield* stream({ per_page: 10 }))
      expect(count).toBe(100)
      const log = yield* pageLog
      const limited = log.find((r) => r.status === 429)
      expect(limited).toBeDefined()
      const after = log.filter((r) => limited !== undefined && r.receivedAtMillis > limited.receivedAtMillis)
      expect(after.length).toBeGreaterThan(0)
      for (const request of after) {
        expect(request.receivedAtMillis - (limited?.receivedAtMillis ?? 0)).toBeGreaterThanOrEqual(2_000)
      }
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 100 } }))))

  it.effect("a 429 holds the pages a stream has not requested yet, and the other streams of the client", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* latency(20)
      yield* fake.inject({
        fault: Fault.status(429, { headers: { "x-ratelimit-reset": "2" } }),
        when: (r) => r.query.some(([k, v]) => k === "page" && v === "3"),
        times: 1
      })
      // Four pages in flight (2 to 5), answered 20 ms after they arrive; page 3 is refused.
      // Once that answer is in, no page of either stream leaves before the reset, 2 s later.
      const both = Effect.all([
        Stream.runCount(yield* stream({ per_page: 10, concurrency: 4 })),
        Effect.zipRight(Effect.sleep("100 millis"), Stream.runCount(yield* stream({ per_page: 50, concurrency: 1 })))
      ], { concurrency: "unbounded" })
      const fiber = yield* Effect.fork(both)
      for (let step = 0; step < 2_000 && Option.isNone(yield* Fiber.poll(fiber)); step++) {
        yield* TestClock.adjust("5 millis")
      }
      expect(yield* Fiber.join(fiber)).toEqual([200, 200])
      const log = yield* pageLog
      const limited = log.find((r) => r.status === 429)
      expect(limited).toBeDefined()
      const limitedAt = limited?.receivedAtMillis ?? 0
      const answeredAt = limitedAt + 20
      const early = log.filter((r) => r.receivedAtMillis > answeredAt && r.receivedAtMillis < answeredAt + 2_000)
      expect(early).toEqual([])
      expect(log.filter((r) => r.receivedAtMillis >= answeredAt + 2_000).length).toBeGreaterThan(10)
    }).pipe(Effect.provide(liveLayer({ seed: { customers: 200 } }))))

  it.effect("refuses a rateLimit that is not a positive integer, \"auto\" or \"none\"", () =>
    Effect.gen(function*() {
      for (const rateLimit of [0, 1.5, -1, 1_001]) {
        const error = yield* Effect.flip(Stream.runDrain(yield* stream({ rateLimit })))
        expect(error._tag === "LagoInvalidInputError" && error.field).toBe("rateLimit")
      }
      const error = yield* Effect.flip(Stream.runDrain(yield* stream({ concurrency: 0 })))
      expect(error._tag === "LagoInvalidInputError" && error.reason).toContain("\"auto\"")
    }).pipe(Effect.provide(liveLayer())))
})
