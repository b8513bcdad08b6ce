/**
 * The attempt time-out under the live clock. Under `TestClock` (every other suite) attempts are
 * timed by `Effect.timeoutFail`; under the live clock by one forked fiber and a timer, which is
 * what runs in production. These tests run on real time, so a short time-out is only ever set
 * against a transport that never answers; an attempt that answers gets at least 500 ms for an
 * in-memory response, whatever the machine's load.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { assert, describe, expect, it } from "@effect/vitest"
import { LagoClient } from "@lago-effect/client"
import { Customer } from "@lago-effect/core"
import { Builders } from "@lago-effect/testing"
import { Effect, Exit, Fiber, Layer, Redacted, Ref, Schema } from "effect"
import { apiKey, FiberRecorder, watchTimers } from "./helpers.js"

const find = Effect.flatMap(LagoClient.LagoClient, (lago) => lago.customers.find("acme"))

const customerBody = JSON.stringify({
  customer: Schema.encodeSync(Customer.Customer)(Builders.customer({ external_id: "acme" }))
})

/** What the server does with each attempt, in order; the last one for the rest. */
type Behaviour = "hang" | "answer" | "404"

/**
 * A client whose transport follows `behaviours`, recording each attempt and whether a hanging
 * one was interrupted (the request aborted).
 */
const makeClient = (behaviours: ReadonlyArray<Behaviour>, options: Partial<LagoClient.Options> = {}) =>
  Effect.gen(function*() {
    const attempts = yield* Ref.make(0)
    const interrupted = yield* Ref.make(0)
    const http = HttpClient.make((request) =>
      Effect.flatMap(Ref.getAndUpdate(attempts, (n) => n + 1), (n) => {
        const behaviour = behaviours[Math.min(n, behaviours.length - 1)]
        if (behaviour === "hang") return Effect.onInterrupt(Effect.never, () => Ref.update(interrupted, (k) => k + 1))
        const [status, body] = behaviour === "answer"
          ? [200, customerBody]
          : [404, JSON.stringify({ status: 404, error: "Not Found", code: "customer_not_found" })]
        return Effect.succeed(
          HttpClientResponse.fromWeb(
            request,
            new Response(body, {
              status,
              headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
            })
          )
        )
      })
    )
    const layer = LagoClient.layer({ apiKey: Redacted.make(apiKey), baseUrl: "http://lago.test", ...options }).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, http))
    )
    return { layer, attempts: Ref.get(attempts), interrupted: Ref.get(interrupted) }
  })

describe("attempt time-out on the live clock", () => {
  it.live("an attempt past the time-out is interrupted before the call fails with LagoTimeoutError", () =>
    Effect.gen(function*() {
      const client = yield* makeClient(["hang"], { timeout: "30 millis", retry: { times: 0 } })
      const error = yield* Effect.flip(find.pipe(Effect.provide(client.layer)))
      assert(error._tag === "LagoTimeoutError")
      expect([error.scope, error.timeoutMillis, error.operation]).toEqual(["attempt", 30, "findCustomer"])
      // Interrupted and awaited: the request was aborted before the error was returned.
      expect([yield* client.attempts, yield* client.interrupted]).toEqual([1, 1])
    }))

  it.live("a timed-out attempt is retried, and the retry's answer is the call's", () =>
    Effect.gen(function*() {
      // Long enough for the in-memory answer of the second attempt on a busy machine.
      const client = yield* makeClient(["hang", "answer"], { timeout: "500 millis" })
      const customer = yield* find.pipe(Effect.provide(client.layer))
      expect(customer.external_id).toBe("acme")
      expect([yield* client.attempts, yield* client.interrupted]).toEqual([2, 1])
    }))

  it.live("an attempt's own failure is the call's, unchanged", () =>
    Effect.gen(function*() {
      const client = yield* makeClient(["404"], { timeout: "10 seconds" })
      const error = yield* Effect.flip(find.pipe(Effect.provide(client.layer)))
      assert(error._tag === "LagoNotFoundError")
      expect(error.status).toBe(404)
    }))

  it.live("interrupting the caller interrupts the running attempt and waits for it", () =>
    Effect.gen(function*() {
      const client = yield* makeClient(["hang"], { timeout: "10 seconds" })
      const fiber = yield* Effect.fork(find.pipe(Effect.provide(client.layer)))
      // The attempt is running once the transport has counted it.
      while ((yield* client.attempts) === 0) yield* Effect.yieldNow()
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* client.interrupted).toBe(1)
    }))

  it.live("calls answered in time share one timer, which then keeps the process alive no longer", () =>
    Effect.gen(function*() {
      // An hour and a millisecond: no other test's attempts share this duration's timer.
      const client = yield* makeClient(["answer"], { timeout: 3_600_001 })
      const lago = yield* Effect.provide(LagoClient.LagoClient, client.layer)
      const armed = yield* watchTimers(3_600_001)
      for (let i = 0; i < 20; i++) yield* lago.customers.find("acme")
      expect(armed.set).toBe(1)
      expect(armed.holding()).toBe(0)
    }).pipe(Effect.scoped))

  it.live("an attempt forks one fiber, not the two of a race", () =>
    Effect.gen(function*() {
      const client = yield* makeClient(["answer"])
      const lago = yield* Effect.provide(LagoClient.LagoClient, client.layer)
      const supervisor = new FiberRecorder()
      yield* Effect.supervised(lago.customers.find("acme"), supervisor)
      expect(yield* supervisor.value).toBe(1)
    }))
})
