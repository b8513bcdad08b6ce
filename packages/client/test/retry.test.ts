import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient, LagoMetrics, RetryPolicy } from "@lago-effect/client"
import { Builders, Fault, LagoFake } from "@lago-effect/testing"
import { Effect, Fiber, Layer, Logger, LogLevel, Metric, Schedule, TestClock } from "effect"
import { liveLayer, makeRecordingLogger, requests } from "./helpers.js"

const seed = { customers: [Builders.customerInput({ external_id: "acme" })] }

const inject = (rule: Fault.Rule) => Effect.flatMap(LagoFake.LagoFake, (fake) => fake.inject(rule))
const count = Effect.map(requests, (all) => all.length)

/** Advances the test clock to `millis` since the start, then reads the request count. */
const countAt = (millis: number) =>
  Effect.gen(function*() {
    const now = yield* TestClock.currentTimeMillis
    yield* TestClock.adjust(millis - now)
    return yield* count
  })

const find = Effect.flatMap(LagoClient.LagoClient, (lago) => lago.customers.find("acme"))
const destroy = Effect.flatMap(LagoClient.LagoClient, (lago) => lago.customers.destroy("acme"))

describe("LagoClient retries", () => {
  it.effect("retries a 503 twice, 0.5 s then 1 s apart (with jitter), then succeeds", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.unavailable(), route: "findCustomer", times: 2 })
      const fiber = yield* Effect.fork(find)
      expect(yield* countAt(0)).toBe(1)
      expect(yield* countAt(399)).toBe(1)
      expect(yield* countAt(601)).toBe(2)
      expect(yield* countAt(1_199)).toBe(2)
      expect(yield* countAt(1_801)).toBe(3)
      const customer = yield* Fiber.join(fiber)
      expect(customer.external_id).toBe("acme")
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("counts each retry in LagoMetrics.retries, tagged with the operation, and nothing else", () =>
    Effect.gen(function*() {
      const retries = (operation: string) =>
        Effect.map(Metric.value(LagoMetrics.retries.pipe(Metric.tagged("operation", operation))), (s) => s.count)
      const [findBefore, destroyBefore] = [yield* retries("findCustomer"), yield* retries("destroyCustomer")]
      yield* inject({ fault: Fault.unavailable(), route: "findCustomer", times: 2 })
      const fiber = yield* Effect.fork(find)
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      expect((yield* retries("findCustomer")) - findBefore).toBe(2)
      // A failure that is not retried (a 503 on a delete that may have reached Lago) counts nothing.
      yield* inject({ fault: Fault.unavailable(), route: "destroyCustomer", times: 1 })
      yield* Effect.flip(destroy)
      expect((yield* retries("destroyCustomer")) - destroyBefore).toBe(0)
      // Nor does a success at the first attempt.
      yield* find
      expect((yield* retries("findCustomer")) - findBefore).toBe(2)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("gives up after maxRetries + 1 attempts with the last error", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.unavailable(), route: "findCustomer" })
      const fiber = yield* Effect.fork(Effect.flip(find))
      yield* countAt(60_000)
      const error = yield* Fiber.join(fiber)
      assert(error._tag === "LagoServerError")
      expect(error.status).toBe(503)
      expect(yield* count).toBe(3)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect.each([408, 429, 500, 502, 503, 504])("retries a %i", (status) =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.status(status), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(find)
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      expect(yield* count).toBe(2)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect.each([400, 401, 403, 404, 405, 409, 422, 501])("does not retry a %i", (status) =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.status(status), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(Effect.flip(find))
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      expect(yield* count).toBe(1)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("retries transport errors and cut bodies", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.drop("ECONNRESET"), route: "findCustomer", times: 1 })
      yield* inject({ fault: Fault.cutBody(), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(find)
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      expect(yield* count).toBe(3)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("waits what Retry-After asks in seconds, even past the backoff", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.rateLimited(5), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(find)
      expect(yield* countAt(4_999)).toBe(1)
      expect(yield* countAt(5_000)).toBe(2)
      yield* Fiber.join(fiber)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("waits what Retry-After asks as an HTTP-date", () =>
    Effect.gen(function*() {
      // The test clock starts at the epoch.
      const at = new Date(3_000).toUTCString()
      yield* inject({
        fault: Fault.status(503, { headers: { "retry-after": at } }),
        route: "findCustomer",
        times: 1
      })
      const fiber = yield* Effect.fork(find)
      expect(yield* countAt(2_999)).toBe(1)
      expect(yield* countAt(3_000)).toBe(2)
      yield* Fiber.join(fiber)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("waits what retry-after-ms asks", () =>
    Effect.gen(function*() {
      yield* inject({
        fault: Fault.status(429, { headers: { "retry-after-ms": "2500" } }),
        route: "findCustomer",
        times: 1
      })
      const fiber = yield* Effect.fork(find)
      expect(yield* countAt(2_499)).toBe(1)
      expect(yield* countAt(2_500)).toBe(2)
      yield* Fiber.join(fiber)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("waits for X-RateLimit-Reset when the window is used up", () =>
    Effect.gen(function*() {
      const fake = yield* LagoFake.LagoFake
      yield* fake.rateLimit({ limit: 1, window: "10 seconds" })
      yield* find
      const fiber = yield* Effect.fork(find)
      expect(yield* countAt(9_999)).toBe(2)
      expect(yield* countAt(10_000)).toBe(3)
      const customer = yield* Fiber.join(fiber)
      expect(customer.external_id).toBe("acme")
      const log = yield* requests
      expect(log.map((r) => r.fault)).toEqual([undefined, "RateLimit", undefined])
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("fails at once, carrying the wait, when Retry-After exceeds maxRetryAfter", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.rateLimited(120), route: "findCustomer", times: 1 })
      const error = yield* Effect.flip(find)
      assert(error._tag === "LagoRateLimitError")
      expect(error.retryAfterMillis).toBe(120_000)
      expect(yield* count).toBe(1)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("maxRetryAfter can be raised", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.rateLimited(120), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(find.pipe(LagoClient.withRetry({ maxRetryAfter: "5 minutes" })))
      expect(yield* countAt(119_999)).toBe(1)
      expect(yield* countAt(120_000)).toBe(2)
      yield* Fiber.join(fiber)
    }).pipe(Effect.provide(liveLayer({ seed }))))

  describe("destroy", () => {
    it.effect("is not retried after a failure once the request may have reached Lago", () =>
      Effect.gen(function*() {
        for (const fault of [Fault.drop("ECONNRESET"), Fault.cutBody(), Fault.unavailable(), Fault.status(500)]) {
          const fake = yield* LagoFake.LagoFake
          yield* fake.clearRequests
          yield* inject({ fault, route: "destroyCustomer", times: 1 })
          const fiber = yield* Effect.fork(Effect.flip(destroy))
          yield* countAt((yield* TestClock.currentTimeMillis) + 10_000)
          const error = yield* Fiber.join(fiber)
          expect(["LagoTransportError", "LagoServerError"]).toContain(error._tag)
          expect(yield* count).toBe(1)
        }
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("is retried after a connect error and after 429", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.drop("ECONNREFUSED"), route: "destroyCustomer", times: 1 })
        yield* inject({ fault: Fault.rateLimited(1), route: "destroyCustomer", times: 1 })
        const fiber = yield* Effect.fork(destroy)
        yield* countAt(10_000)
        const deleted = yield* Fiber.join(fiber)
        expect(deleted.external_id).toBe("acme")
        expect(yield* count).toBe(3)
      }).pipe(Effect.provide(liveLayer({ seed }))))
  })

  it.effect("sends the same X-Request-Id on every attempt, and a new one per call", () =>
    Effect.gen(function*() {
      yield* inject({ fault: Fault.unavailable(), route: "findCustomer", times: 2 })
      const fiber = yield* Effect.fork(find)
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      yield* find
      const ids = (yield* requests).map((r) => r.headers["x-request-id"])
      expect(ids).toHaveLength(4)
      expect(new Set(ids.slice(0, 3)).size).toBe(1)
      expect(ids[3]).not.toBe(ids[0])
    }).pipe(Effect.provide(liveLayer({ seed }))))

  it.effect("logs each retry at Debug with attempt, delay and cause", () => {
    const recorder = makeRecordingLogger()
    return Effect.gen(function*() {
      yield* inject({ fault: Fault.rateLimited(2), route: "findCustomer", times: 1 })
      const fiber = yield* Effect.fork(find)
      yield* countAt(10_000)
      yield* Fiber.join(fiber)
      const retries = recorder.logs.filter((log) => log.message.includes("retrying"))
      expect(retries).toHaveLength(1)
      expect(retries[0].level).toBe("DEBUG")
      expect(retries[0].annotations).toMatchObject({
        operation: "findCustomer",
        attempt: 1,
        nextAttempt: 2,
        delayMillis: 2000,
        cause: "LagoRateLimitError"
      })
    }).pipe(
      Effect.provide(Layer.merge(liveLayer({ seed }), recorder.layer)),
      Logger.withMinimumLogLevel(LogLevel.Debug)
    )
  })

  describe("per call", () => {
    it.effect("withRetry changes the number of retries", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.unavailable(), route: "findCustomer" })
        const fiber = yield* Effect.fork(Effect.flip(find.pipe(LagoClient.withRetry({ times: 5 }))))
        yield* countAt(120_000)
        yield* Fiber.join(fiber)
        expect(yield* count).toBe(6)
        const none = yield* Effect.flip(find.pipe(LagoClient.withRetry(RetryPolicy.none)))
        expect(none._tag).toBe("LagoServerError")
        expect(yield* count).toBe(7)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("withRetry replaces the backoff schedule", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.unavailable(), route: "findCustomer", times: 3 })
        const policy = { times: 3, backoff: Schedule.spaced("10 seconds") }
        const fiber = yield* Effect.fork(find.pipe(LagoClient.withRetry(policy)))
        expect(yield* countAt(9_999)).toBe(1)
        expect(yield* countAt(10_000)).toBe(2)
        expect(yield* countAt(20_000)).toBe(3)
        expect(yield* countAt(30_000)).toBe(4)
        yield* Fiber.join(fiber)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("the layer's retry policy applies unless a call overrides it", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.unavailable(), route: "findCustomer" })
        const error = yield* Effect.flip(find)
        expect(error._tag).toBe("LagoServerError")
        expect(yield* count).toBe(1)
      }).pipe(Effect.provide(liveLayer({ seed, client: { retry: RetryPolicy.none } }))))
  })

  describe("time-outs", () => {
    it.effect("an attempt that runs past the time-out is abandoned and retried", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.latency("61 seconds"), route: "findCustomer", times: 1 })
        const fiber = yield* Effect.fork(find)
        expect(yield* countAt(59_999)).toBe(1)
        expect(yield* countAt(62_000)).toBe(2)
        const customer = yield* Fiber.join(fiber)
        expect(customer.external_id).toBe("acme")
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("withTimeout sets the attempt time-out; the last LagoTimeoutError is returned", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.latency("2 seconds"), route: "findCustomer" })
        const fiber = yield* Effect.fork(Effect.flip(find.pipe(LagoClient.withTimeout("1 second"))))
        yield* countAt(30_000)
        const error = yield* Fiber.join(fiber)
        assert(error._tag === "LagoTimeoutError")
        expect([error.scope, error.timeoutMillis]).toEqual(["attempt", 1_000])
        expect(yield* count).toBe(3)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("withTotalTimeout bounds all attempts and waits together", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.latency("3 seconds"), route: "findCustomer" })
        yield* inject({ fault: Fault.unavailable(), route: "findCustomer" })
        const fiber = yield* Effect.fork(Effect.flip(find.pipe(LagoClient.withTotalTimeout("4 seconds"))))
        yield* countAt(4_000)
        const error = yield* Fiber.join(fiber)
        assert(error._tag === "LagoTimeoutError")
        expect([error.scope, error.timeoutMillis]).toEqual(["total", 4_000])
        expect(yield* count).toBe(2)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("a wait that cannot fit before the deadline fails at once with the rate limit, its wait inside", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.rateLimited(30), route: "findCustomer" })
        const fiber = yield* Effect.fork(Effect.flip(find.pipe(LagoClient.withTotalTimeout("2 seconds"))))
        yield* TestClock.adjust(0)
        const error = yield* Fiber.join(fiber)
        assert(error._tag === "LagoRateLimitError")
        expect(error.retryAfterMillis).toBe(30_000)
        expect(yield* count).toBe(1)
        expect(yield* TestClock.currentTimeMillis).toBe(0)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("a wait that fits is waited; the next one that does not ends the call with its error", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.rateLimited(3), route: "findCustomer" })
        const fiber = yield* Effect.fork(Effect.flip(find.pipe(LagoClient.withTotalTimeout("4 seconds"))))
        expect(yield* countAt(2_999)).toBe(1)
        expect(yield* countAt(3_000)).toBe(2)
        const error = yield* Fiber.join(fiber)
        assert(error._tag === "LagoRateLimitError")
        expect(error.retryAfterMillis).toBe(3_000)
        expect(yield* TestClock.currentTimeMillis).toBe(3_000)
      }).pipe(Effect.provide(liveLayer({ seed }))))

    it.effect("the layer's total time-out applies, and a call can remove it", () =>
      Effect.gen(function*() {
        yield* inject({ fault: Fault.latency("5 seconds"), route: "findCustomer", times: 1 })
        const fiber = yield* Effect.fork(Effect.flip(find))
        yield* countAt(1_000)
        const error = yield* Fiber.join(fiber)
        assert(error._tag === "LagoTimeoutError")
        expect(error.scope).toBe("total")
        yield* inject({ fault: Fault.latency("5 seconds"), route: "findCustomer", times: 1 })
        const unbounded = yield* Effect.fork(find.pipe(LagoClient.withTotalTimeout("none")))
        yield* countAt(7_000)
        const customer = yield* Fiber.join(unbounded)
        expect(customer.external_id).toBe("acme")
      }).pipe(Effect.provide(liveLayer({ seed, client: { totalTimeout: "1 second" } }))))
  })
})
